package generate

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/dedupe"
)

var hardOnce = sync.OnceValues(func() (*hard, error) {
	return buildHard(HardOptions{Stories: DefaultHardStories, Seed: 1})
})

// defaultHard is the default corpus, built once for the tests that look
// at its structure.
func defaultHard(t *testing.T) *hard {
	t.Helper()
	h, err := hardOnce()
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func writeHard(t *testing.T, opts HardOptions) (corpus, labels string) {
	t.Helper()
	var c, l bytes.Buffer
	if err := WriteHard(&c, &l, opts); err != nil {
		t.Fatal(err)
	}
	return c.String(), l.String()
}

// sim returns the Jaccard similarity of a's and b's 5-word shingles as the
// importer computes them, and the containment of the smaller in the larger.
func sim(a, b string) (jaccard, containment float64) {
	return dedupe.Compare(dedupe.Shingles(a, 5), dedupe.Shingles(b, 5))
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

func words(s string) int { return len(strings.Fields(s)) }

// TestWriteHardUnchanged pins the bytes of the default corpus and its
// labels: the scores measured on it are compared across versions.
func TestWriteHardUnchanged(t *testing.T) {
	opts := HardOptions{Stories: DefaultHardStories, Seed: 1}
	corpus, labels := writeHard(t, opts)
	const wantCorpus = "4c4ac0b2bc7569a47904bc7e19797d2772a166257204bfff3000d5c18eafd4f0"
	const wantLabels = "8fb284d840e8c37527b6ef6ad97952e2b2e6d691234a28490dfc708a2f60804b"
	if got := fmt.Sprintf("%x", sha256.Sum256([]byte(corpus))); got != wantCorpus {
		t.Errorf("corpus SHA-256 %s, want %s", got, wantCorpus)
	}
	if got := fmt.Sprintf("%x", sha256.Sum256([]byte(labels))); got != wantLabels {
		t.Errorf("labels SHA-256 %s, want %s", got, wantLabels)
	}
	if again, _ := writeHard(t, opts); again != corpus {
		t.Error("the same options gave another corpus")
	}
	if other, _ := writeHard(t, HardOptions{Stories: DefaultHardStories, Seed: 2}); other == corpus {
		t.Error("another seed gave the same corpus")
	}
	var c bytes.Buffer
	if err := WriteHard(&c, nil, opts); err != nil || c.String() != corpus {
		t.Errorf("without labels: err %v, same corpus %v", err, c.String() == corpus)
	}
}

func TestWriteHardBadOptions(t *testing.T) {
	for _, opts := range []HardOptions{{Stories: 0}, {Stories: -3}} {
		var c, l bytes.Buffer
		if err := WriteHard(&c, &l, opts); err == nil || c.Len() != 0 || l.Len() != 0 {
			t.Errorf("%+v: err %v, %d+%d bytes written; want an error and nothing", opts, err, c.Len(), l.Len())
		}
	}
}

// TestWriteHardRecords checks every record and the share of each case.
func TestWriteHardRecords(t *testing.T) {
	corpus, _ := writeHard(t, HardOptions{Stories: DefaultHardStories, Seed: 1})
	lines := strings.Split(strings.TrimSuffix(corpus, "\n"), "\n")
	if n := len(lines); n < 1500 || n > 3000 {
		t.Errorf("%d articles, want 1,500 to 3,000", n)
	}
	ids := map[string]bool{}
	cases := map[string]int{}
	var last time.Time
	for i, line := range lines {
		var a HardArticle
		dec := json.NewDecoder(strings.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&a); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		at, err := time.Parse(time.RFC3339, a.Published)
		if err != nil {
			t.Errorf("line %d: published: %v", i+1, err)
		}
		if at.Before(last) {
			t.Errorf("line %d: published %s before the line above", i+1, a.Published)
		}
		last = at
		if a.ID == "" || ids[a.ID] || a.URL == "" || a.Title == "" || a.Source == "" || words(a.Text) < 10 {
			t.Errorf("line %d: id %q (repeated %v), url %q, title %q, source %q, %d words",
				i+1, a.ID, ids[a.ID], a.URL, a.Title, a.Source, words(a.Text))
		}
		ids[a.ID] = true
		if !slices.Contains(HardCases, a.Case) {
			t.Errorf("line %d: unknown case %q", i+1, a.Case)
		}
		cases[a.Case]++
	}
	for _, c := range HardCases {
		// Every case has enough articles to be scored on its own.
		if cases[c] < 25 {
			t.Errorf("case %s: %d articles, want 25 or more", c, cases[c])
		}
	}
	if share := float64(cases["plain"]) / float64(len(lines)); share < 0.35 || share > 0.55 {
		t.Errorf("plain cases are %.0f%% of the corpus, want 35-55%%", 100*share)
	}
	t.Logf("%d articles by case: %v", len(lines), cases)
}

// TestWriteHardLabels checks the labels against the corpus: only known
// ids, each in one cluster at most, and no hard negative inside a cluster.
func TestWriteHardLabels(t *testing.T) {
	corpus, labels := writeHard(t, HardOptions{Stories: 150, Seed: 5})
	known := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSuffix(corpus, "\n"), "\n") {
		var a HardArticle
		if err := json.Unmarshal([]byte(line), &a); err != nil {
			t.Fatal(err)
		}
		known[a.ID] = true
	}
	cluster := map[string]int{}
	clusters, nots := 0, 0
	for i, line := range strings.Split(strings.TrimSuffix(labels, "\n"), "\n") {
		var l struct {
			Cluster []string
			A, B    string
			Label   string
		}
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatalf("labels line %d: %v", i+1, err)
		}
		switch {
		case l.Cluster != nil:
			clusters++
			if nots > 0 {
				t.Errorf("labels line %d: a cluster after the pairs", i+1)
			}
			if len(l.Cluster) < 2 {
				t.Errorf("labels line %d: a cluster of %d", i+1, len(l.Cluster))
			}
			for _, id := range l.Cluster {
				if !known[id] {
					t.Errorf("labels line %d: unknown id %q", i+1, id)
				}
				if c, ok := cluster[id]; ok {
					t.Errorf("labels line %d: %s already in the cluster of line %d", i+1, id, c)
				}
				cluster[id] = i + 1
			}
		case l.Label == "not":
			nots++
			if !known[l.A] || !known[l.B] || l.A >= l.B {
				t.Errorf("labels line %d: pair %q %q", i+1, l.A, l.B)
			}
			if ca, ok := cluster[l.A]; ok && ca == cluster[l.B] {
				t.Errorf("labels line %d: %s and %s are different articles in one cluster", i+1, l.A, l.B)
			}
		default:
			t.Errorf("labels line %d: %s", i+1, line)
		}
	}
	if clusters < 50 || nots < 50 {
		t.Errorf("%d clusters and %d hard negatives, want 50 or more of each", clusters, nots)
	}
}

// TestHardFooter checks the case of the many short articles of one site
// that end with the same long footer: they are different articles, more
// alike by their footer than by their story, and one of them is really
// published again.
func TestHardFooter(t *testing.T) {
	h := defaultHard(t)
	s := h.sites[0]
	footer := strings.Join(s.footer, "\n\n")
	if n := words(footer); n < 140 || n > 155 {
		t.Errorf("%s footer of %d words, want about 145", s.name, n)
	}
	roots := map[int]int{}
	var shorts []int
	for i, d := range h.docs {
		if d.Case == "footer" && d.site == s && d.brief && strings.Contains(d.Text, footer) && words(strings.Join(d.paras, " ")) <= 150 {
			roots[h.root(i)]++
			shorts = append(shorts, i)
		}
	}
	if len(roots) < 100 {
		t.Errorf("%d different short articles of %s share its footer, want 100 or more", len(roots), s.name)
	}
	pages := map[int]int{} // pages of a short article with the footer
	for i, d := range h.docs {
		if d.site == s && strings.Contains(d.Text, footer) {
			pages[h.root(i)]++
		}
	}
	republished := 0
	for r := range roots {
		if pages[r] > 1 {
			republished++
		}
	}
	if republished == 0 {
		t.Error("no short article of the footer case is published again with its footer")
	}
	// Today's defect: two different ones verify as excerpts.
	var cs []float64
	for k := 1; k < len(shorts); k++ {
		if a, b := shorts[k-1], shorts[k]; h.root(a) != h.root(b) {
			_, c := sim(h.docs[a].Text, h.docs[b].Text)
			cs = append(cs, c)
		}
	}
	if m := median(cs); m < 0.55 || m > 0.77 {
		t.Errorf("median containment between different short articles %.2f, want 0.55-0.77", m)
	}
}

// TestHardVersions checks that versions of one story on one site repeat
// its paragraphs in more articles than a naive count of site text allows.
func TestHardVersions(t *testing.T) {
	h := defaultHard(t)
	most := 0
	for _, c := range h.clusters() {
		if h.docs[c[0]].Case != "versions" {
			continue
		}
		held := map[string]int{}
		for _, i := range c {
			if h.docs[i].site != h.docs[c[0]].site {
				t.Errorf("versions of one story on %s and %s", h.docs[c[0]].Source, h.docs[i].Source)
			}
			for _, p := range strings.Split(h.docs[i].Text, "\n\n") {
				if words(p) >= 20 && !slices.Contains(h.docs[i].site.footer, p) {
					held[p]++
				}
			}
		}
		for _, n := range held {
			most = max(most, n)
		}
	}
	if most < 10 {
		t.Errorf("a story paragraph is in at most %d versions of one story, want 10 or more", most)
	}
}

var captionRe = regexp.MustCompile(`\(\w+ Photo/[^)]*\)$`)

// TestHardCaptions checks the photo captions: 4-5% of all words, shared by
// different stories, and gallery pages held whole by articles of several
// different stories.
func TestHardCaptions(t *testing.T) {
	h := defaultHard(t)
	all, caption := 0, 0
	holders := map[string]map[int]bool{} // caption -> clusters
	for i, d := range h.docs {
		for _, p := range strings.Split(d.Text, "\n\n") {
			all += words(p)
			if captionRe.MatchString(p) {
				caption += words(p)
				if holders[p] == nil {
					holders[p] = map[int]bool{}
				}
				holders[p][h.root(i)] = true
			}
		}
	}
	if share := float64(caption) / float64(all); share < 0.04 || share > 0.05 {
		t.Errorf("captions are %.1f%% of the words, want 4-5%%", 100*share)
	}
	shared := 0
	for _, c := range holders {
		if len(c) > 1 {
			shared++
		}
	}
	if shared < 300 {
		t.Errorf("%d captions are carried by different stories, want 300 or more", shared)
	}
	galleries := 0
	for i, d := range h.docs {
		if d.Case != "gallery" || !strings.HasPrefix(d.Title, "In pictures: ") {
			continue
		}
		galleries++
		// The clusters that hold every caption of the gallery.
		var caps []string
		for _, p := range strings.Split(d.Text, "\n\n") {
			if captionRe.MatchString(p) {
				caps = append(caps, p)
			}
		}
		whole := map[int]bool{}
		for j, e := range h.docs {
			if h.root(j) != h.root(i) && !slices.ContainsFunc(caps, func(c string) bool { return !strings.Contains(e.Text, c) }) {
				whole[h.root(j)] = true
			}
		}
		if len(whole) < 2 {
			t.Errorf("gallery %d is held whole by %d other stories, want 2 or more", i, len(whole))
		}
	}
	if galleries < 20 {
		t.Errorf("%d gallery pages, want 20 or more", galleries)
	}
}

// TestHardPagesNotOneArticle checks aggregators, quoting posts, composites
// and live blogs: each holds text of several different articles.
func TestHardPagesNotOneArticle(t *testing.T) {
	h := defaultHard(t)
	listed := map[int]map[int]bool{} // page -> clusters it is labelled not with
	for _, p := range h.nots {
		for _, k := range [][2]int{p, {p[1], p[0]}} {
			if listed[k[0]] == nil {
				listed[k[0]] = map[int]bool{}
			}
			listed[k[0]][h.root(k[1])] = true
		}
	}
	for i, d := range h.docs {
		if h.root(i) != i {
			continue // a re-crawl
		}
		switch d.Case {
		case "aggregator":
			whole := 0
			for j := range listed[i] {
				// The root is the first page of its cluster: the brief itself.
				if e := h.docs[j]; e.brief && strings.Contains(d.Text, strings.Join(e.paras, "\n\n")) {
					whole++
				}
			}
			if len(listed[i]) < 6 || whole < 1 {
				t.Errorf("aggregator %d lists %d stories, %d short ones whole; want 6 or more, 1 or more", i, len(listed[i]), whole)
			}
		case "quote":
			if len(listed[i]) < 1 {
				t.Errorf("post %d quotes nothing", i)
			}
			for j := range listed[i] {
				_, c := sim(d.Text, h.docs[j].Text)
				if c < 0.05 || c > 0.5 {
					t.Errorf("post %d holds %.2f of the article it quotes, want a paragraph", i, c)
				}
			}
		}
	}
	composites, liveblogs := 0, 0
	for _, p := range h.nots {
		a, b := h.docs[p[0]], h.docs[p[1]]
		if a.Case == "composite" && b.Case == "composite" {
			composites++
			// The wire item is whole in the composite page, the page is
			// near the story it belongs with.
			item, page := a, b
			if len(item.Text) > len(page.Text) {
				item, page = page, item
			}
			if !strings.Contains(page.Text, item.Text) {
				t.Errorf("composite page %s does not hold its wire item", page.URL)
			}
		}
		if a.Case == "liveblog" && a.site.kind == webSite || b.Case == "liveblog" && b.site.kind == webSite {
			liveblogs++
		}
	}
	if composites < 25 || liveblogs < 25 {
		t.Errorf("%d composite pages, %d briefs held by live blogs, want 25 or more", composites, liveblogs)
	}
	for _, c := range h.clusters() {
		if h.docs[c[0]].Case == "composite" && len(c) == 2 && h.docs[c[0]].site.kind == webSite {
			if j, _ := sim(h.docs[c[0]].Text, h.docs[c[1]].Text); j < 0.5 {
				t.Errorf("composite page and its story: Jaccard %.2f, want a near duplicate", j)
			}
		}
	}
}

// TestHardWritethru checks that the versions of a wire story chain: each
// is near the one before, while the first and the last share little.
func TestHardWritethru(t *testing.T) {
	h := defaultHard(t)
	chains := map[int][]*hdoc{}
	for _, d := range h.docs {
		if d.chain > 0 {
			chains[d.chain] = append(chains[d.chain], d)
		}
	}
	if len(chains) < 30 {
		t.Fatalf("%d write-thru chains, want 30 or more", len(chains))
	}
	var near, far []float64
	for _, c := range chains {
		for k := 1; k < len(c); k++ {
			j, _ := sim(c[k-1].Text, c[k].Text)
			near = append(near, j)
			if j < 0.2 || j > 0.9 {
				t.Errorf("%s versions %d and %d: Jaccard %.2f, want 0.2-0.9", c[k].Title, k-1, k, j)
			}
		}
		if len(c) >= 6 {
			j, _ := sim(c[0].Text, c[len(c)-1].Text)
			far = append(far, j)
		}
	}
	if m := median(near); m < 0.4 {
		t.Errorf("median Jaccard of successive write-thrus %.2f, want 0.4 or more", m)
	}
	if m := median(far); m > 0.15 {
		t.Errorf("median Jaccard of the first and last of 6 or more write-thrus %.2f, want about 0.1", m)
	}
}

// TestHardRecurring checks the recurring reports: one template, alike, a
// different calendar day for each, labelled different pairwise.
func TestHardRecurring(t *testing.T) {
	h := defaultHard(t)
	series := map[int][]int{}
	for i, d := range h.docs {
		if d.series > 0 {
			series[d.series] = append(series[d.series], i)
		}
	}
	not := map[[2]int]bool{}
	for _, p := range h.nots {
		not[p], not[[2]int{p[1], p[0]}] = true, true
	}
	total, identical := 0, 0
	var js []float64
	for k, s := range series {
		days := map[string]bool{}
		for a, i := range s {
			day := h.docs[i].Published[:10]
			if days[day] {
				t.Errorf("series %d: two reports on %s", k, day)
			}
			days[day] = true
			for _, j := range s[a+1:] {
				total++
				if !not[[2]int{i, j}] {
					t.Errorf("series %d: reports %d and %d not labelled different", k, i, j)
				}
				if h.docs[i].Text == h.docs[j].Text {
					identical++
					if gap := h.docs[j].at.Sub(h.docs[i].at); gap < 13*24*time.Hour || gap > 15*24*time.Hour {
						t.Errorf("series %d: identical reports %v apart, want two weeks", k, gap)
					}
				}
				jj, _ := sim(h.docs[i].Text, h.docs[j].Text)
				js = append(js, jj)
			}
		}
	}
	if len(series) < 10 || total < 400 {
		t.Errorf("%d series, %d pairs of reports; want 10 or more, 400 or more", len(series), total)
	}
	if identical == 0 {
		t.Error("no report repeats another word for word")
	}
	if m := median(js); m < 0.5 || m > 0.96 {
		t.Errorf("median Jaccard of recurring reports %.2f, want 0.5-0.96", m)
	}
}

// TestHardResend checks that re-sends come 50 to 54 hours after the story.
func TestHardResend(t *testing.T) {
	h := defaultHard(t)
	n := 0
	for _, c := range h.clusters() {
		last := h.docs[c[len(c)-1]]
		if last.Case != "resend" || len(c) != 2 {
			continue
		}
		n++
		if gap := last.at.Sub(h.docs[c[0]].at); gap < 50*time.Hour || gap > 54*time.Hour {
			t.Errorf("%s re-sent %v later, want 50-54 h", last.Title, gap)
		}
		if w := last.at.Weekday(); w != time.Sunday {
			t.Errorf("%s re-sent on a %v, want over the weekend", last.Title, w)
		}
	}
	if n < 25 {
		t.Errorf("%d re-sends, want 25 or more", n)
	}
}

// TestHardEqualLength checks pairs of nearly equal length: the different
// reports share more than an excerpt needs but are not near duplicates;
// the edited copies are.
func TestHardEqualLength(t *testing.T) {
	h := defaultHard(t)
	ratio := func(a, b *hdoc) float64 {
		x, y := words(a.Text), words(b.Text)
		return float64(min(x, y)) / float64(max(x, y))
	}
	var cs []float64
	for _, p := range h.nots {
		a, b := h.docs[p[0]], h.docs[p[1]]
		if a.Case != "equal-length" {
			continue
		}
		j, c := sim(a.Text, b.Text)
		cs = append(cs, c)
		if r := ratio(a, b); j >= 0.5 || c < 0.5 || r < 0.8 {
			t.Errorf("different reports: Jaccard %.2f, containment %.2f, length ratio %.2f; want < 0.5, >= 0.5, >= 0.8", j, c, r)
		}
	}
	if len(cs) < 30 || median(cs) < 0.6 {
		t.Errorf("%d different reports of equal length, median containment %.2f; want 30 or more, 0.6 or more", len(cs), median(cs))
	}
	near := 0
	for _, c := range h.clusters() {
		if a := h.docs[c[0]]; a.Case == "equal-length" {
			near++
			b := h.docs[c[1]]
			if j, _ := sim(a.Text, b.Text); j < 0.5 || ratio(a, b) < 0.8 {
				t.Errorf("edited copy: Jaccard %.2f, length ratio %.2f; want >= 0.5, >= 0.8", j, ratio(a, b))
			}
		}
	}
	if near < 10 {
		t.Errorf("%d edited copies of equal length, want 10 or more", near)
	}
}

// TestHardHardwrap checks the feed's hard-wrapped lines: short, most under
// the passage index's minimum, and teasers of them.
func TestHardHardwrap(t *testing.T) {
	h := defaultHard(t)
	var perLine []float64
	teasers := 0
	for i, d := range h.docs {
		if d.site.kind != feedSite {
			continue
		}
		for _, l := range strings.Split(d.Text, "\n")[2:] {
			if len(strings.TrimSpace(l)) > 72 {
				t.Errorf("%s: line of %d characters: %q", d.Title, len(l), l)
			}
			if l != "" {
				perLine = append(perLine, float64(words(l)))
			}
		}
		if d.Case == "hardwrap" && h.root(i) != i && h.docs[h.root(i)].site == d.site {
			teasers++
		}
	}
	if m := median(perLine); m >= dedupe.MinPassageWords {
		t.Errorf("median %.0f words a wrapped line, want under %d", m, dedupe.MinPassageWords)
	}
	if teasers < 10 {
		t.Errorf("%d teasers of wrapped stories, want 10 or more", teasers)
	}
}

// TestHardGluedTeaser checks the portal cards: almost wholly contained in
// the article, with none of its paragraphs whole.
func TestHardGluedTeaser(t *testing.T) {
	h := defaultHard(t)
	var cs []float64
	for _, c := range h.clusters() {
		if h.docs[c[0]].Case != "glued-teaser" {
			continue
		}
		full, card := h.docs[c[0]], h.docs[c[1]]
		if card.site.kind != portalSite {
			t.Fatalf("cluster of %s and %s", full.Source, card.Source)
		}
		j, ct := sim(full.Text, card.Text)
		cs = append(cs, ct)
		if j > 0.4 || ct < 0.8 {
			t.Errorf("%s: Jaccard %.2f, containment %.2f; want <= 0.4, >= 0.8", card.Title, j, ct)
		}
		for _, p := range strings.Split(card.Text, "\n\n") {
			if words(p) >= dedupe.MinPassageWords && slices.Contains(strings.Split(full.Text, "\n\n"), p) {
				t.Errorf("%s: the card holds a whole paragraph of the article", card.Title)
			}
		}
	}
	if len(cs) < 30 {
		t.Fatalf("%d cards, want 30 or more", len(cs))
	}
	if m := median(cs); m < 0.91 || m > 0.96 {
		t.Errorf("median containment of cards %.2f, want 0.91-0.96", m)
	}
}
