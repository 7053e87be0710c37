package generate

// The hard-case corpus: what real scraped pages and wire archives hold
// that the plain corpus does not. WriteHard's doc comment lists the cases.

import (
	"bufio"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// HardOptions say what WriteHard writes.
type HardOptions struct {
	// Stories is the number of plain stories; every other case is scaled
	// in proportion. DefaultHardStories makes about 2,700 articles.
	Stories int
	Seed    int64
}

// DefaultHardStories is the scale at which the footer case holds the 120
// short articles of one site that real archives showed.
const DefaultHardStories = 700

// A HardArticle is one line of the JSONL that WriteHard writes: an Article
// and the case it belongs to, which the importer ignores and tests use to
// score each phenomenon on its own.
type HardArticle struct {
	Article
	Case string `json:"case"`
}

// HardCases are the values of HardArticle.Case.
var HardCases = []string{
	"plain", "footer", "versions", "caption", "gallery", "aggregator", "quote",
	"composite", "liveblog", "writethru", "recurring", "resend", "equal-length",
	"hardwrap", "glued-teaser",
}

// WriteHard writes the hard-case corpus as JSONL to w and its labels to
// labels (when not nil): one {"cluster":[ID,...]} line per true cluster of
// several articles, then {"a":ID,"b":ID,"label":"not"} lines for the hard
// negatives, pages that look alike but are different articles. An article
// in no cluster line is a story of its own. Articles are written in the
// order of publication; the same options always give the same bytes.
//
// The cases, with their share of the default corpus (2,712 articles):
//
//   - plain (44%): web stories and wire stories, a third of them with
//     variants: teasers, re-crawls, print versions, syndicated copies with
//     the other site's text, updates with a new lead.
//   - footer (6.5%): short articles (60-150 words) of one site (120 at the default scale)
//     and of three more, each ending with its site's long comment-policy
//     footer (145 words on the first), with a few real re-publications.
//     Every page of a web site carries its site text (share line, related
//     links, newsletter prompt, copyright line), and a quarter of the
//     pages of those four sites carry the footer too.
//   - versions (4%): 3 to 14 versions of one story on one site, sharing
//     the story's paragraphs, which a naive per-site count takes for site
//     text.
//   - caption (7%): different stories of one day carrying the same wire
//     photo captions. Besides, most web stories carry one or two captions
//     of their day's photos; captions make 4-5% of all words.
//   - gallery (3.5%): gallery pages of captions only, and articles of
//     different stories embedding the whole gallery.
//   - aggregator (1%): topic pages of snippets of a day's stories, whole
//     short articles among them, with "N hours ago" lines.
//   - quote (1.5%): commentary posts quoting a paragraph of one or two
//     articles.
//   - composite (5%): a wire item placed before another outlet's story; the
//     page is the story's, not the item's.
//   - liveblog (3%): snapshots of live blogs, whose entries include whole
//     wire briefs; trimmed blogs share little between far snapshots.
//   - writethru (7.5%): successive versions of a wire story; neighbours share
//     much (Jaccard 0.3-0.9), far-apart versions little (about 0.1).
//   - recurring (4.5%): the same wire template filed on different business
//     days or weeks with other figures (Jaccard mostly 0.45-0.9); one series
//     repeats its text word for word two weeks apart. Different events.
//   - resend (2%): wire stories and Friday reports re-sent over the
//     weekend, 50 to 54 hours later: duplicates.
//   - equal-length (4%): two outlets' reports of one event sharing the
//     wire's paragraphs at nearly equal length (different articles), and
//     lightly edited copies of equal length (duplicates).
//   - hardwrap (3%): wire e-mail feed stories broken at 70 characters, with
//     web versions and teasers.
//   - glued-teaser (3%): portal cards gluing a story's lede sentences into
//     one paragraph (containment 0.9-0.96 in the full article).
//
// The text is made of invented words in news structure (headlines, bylines,
// datelines, figures, captions); only site furniture ("Share", "hours
// ago", "Photo") and dates are English.
func WriteHard(w, labels io.Writer, opts HardOptions) error {
	h, err := buildHard(opts)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	enc := json.NewEncoder(bw)
	for _, i := range h.order {
		if err := enc.Encode(h.docs[i].HardArticle); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if labels == nil {
		return nil
	}
	lw := bufio.NewWriter(labels)
	enc = json.NewEncoder(lw)
	for _, c := range h.clusters() {
		ids := make([]string, len(c))
		for k, i := range c {
			ids[k] = h.docs[i].ID
		}
		if err := enc.Encode(struct {
			Cluster []string `json:"cluster"`
		}{ids}); err != nil {
			return err
		}
	}
	for _, p := range h.notPairs() {
		if err := enc.Encode(struct {
			A     string `json:"a"`
			B     string `json:"b"`
			Label string `json:"label"`
		}{h.docs[p[0]].ID, h.docs[p[1]].ID, "not"}); err != nil {
			return err
		}
	}
	return lw.Flush()
}

// The corpus spans eight weeks from a Monday.
const hardDays = 56

var hardStart = time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)

type siteKind int

const (
	webSite siteKind = iota
	wireSite
	feedSite // a wire's e-mail feed, hard-wrapped
	portalSite
	blogSite
)

type site struct {
	name, display string
	kind          siteKind
	zone          *time.Location
	footer        []string
	prompt, share string
	copyright     string
	related       bool
	dateFormat    string
	recent        []string // the latest headlines, for related-links blocks
}

// A story is the text an outlet or a wire writes once; pages lay it out.
type story struct {
	title, byline, dateline string
	paras                   []string
	caps                    []string
	at                      time.Time
}

type hdoc struct {
	HardArticle
	site    *site
	at      time.Time
	paras   []string // the story's body on the page, for pages that quote it
	brief   bool     // a short article, whole in the pages that list it
	series  int      // recurring series, from 1
	chain   int      // write-thru chain, from 1
	version int      // place in the chain
}

type hard struct {
	*gen
	stories int
	docs    []*hdoc
	parent  []int // union-find over docs: the true clusters
	nots    [][2]int
	sites   []*site
	places  [][2]string      // city, country
	pool    map[int][]string // the day's wire photo captions
	byDay   map[int][]int    // docs other pages may list or quote, by day
	order   []int            // docs in the order written
}

func buildHard(opts HardOptions) (*hard, error) {
	if opts.Stories < 1 || opts.Stories > 1_000_000 {
		return nil, fmt.Errorf("generate: %d stories out of range 1..1000000", opts.Stories)
	}
	h := &hard{gen: newGen(opts.Seed), stories: opts.Stories, pool: map[int][]string{}, byDay: map[int][]int{}}
	h.makeSites()
	for range 40 {
		h.places = append(h.places, [2]string{h.name(), h.name()})
	}
	h.plain()
	h.footers()
	h.versions()
	h.captionCase()
	h.gallery()
	h.composite()
	h.writethru()
	h.recurring()
	h.resend()
	h.equalLength()
	h.hardwrap()
	h.gluedTeaser()
	h.liveblog()
	h.aggregator()
	h.quote()

	h.order = make([]int, len(h.docs))
	for i := range h.order {
		h.order[i] = i
	}
	slices.SortStableFunc(h.order, func(a, b int) int { return h.docs[a].at.Compare(h.docs[b].at) })
	for k, i := range h.order {
		h.docs[i].ID = fmt.Sprintf("h%05d", k+1)
	}
	return h, nil
}

// count scales a case's size at the default scale to opts.Stories.
func (h *hard) count(base int) int {
	return max(1, (base*h.stories+DefaultHardStories/2)/DefaultHardStories)
}

func (h *hard) makeSites() {
	zone := func(hours float64) *time.Location {
		return time.FixedZone("", int(hours*3600))
	}
	web := []struct {
		name, display string
		footer        int // words
		zone          float64
	}{
		{"vostrik", "The Vostrik Ledger", 145, 1},
		{"meladu", "Meladu Herald", 130, 2},
		{"karpeno", "Karpeno Daily", 95, -5},
		{"tisvali", "Tisvali Post", 70, 0},
		{"brenmo", "Brenmo Times", 0, 3},
		{"ozelka", "Ozelka Courier", 0, -4},
		{"fendari", "Fendari Star", 0, 5.5},
		{"lumsko", "Lumsko News", 0, 9},
	}
	formats := []string{"Published 2 January 2006, 15:04", "January 2, 2006 3:04 pm", "Updated: 2006-01-02 15:04", "Mon 2 Jan 2006 15.04"}
	for k, w := range web {
		s := &site{name: w.name, display: w.display, kind: webSite, zone: zone(w.zone),
			copyright: "© 2024 " + w.display + " Media. All rights reserved.",
			related:   k%2 == 0, dateFormat: formats[k%len(formats)]}
		if w.footer > 0 {
			heads := []string{"Comment policy", "House rules", "About our comments", "Community guidelines"}
			s.footer = append([]string{heads[k]}, h.passage(w.footer-len(strings.Fields(heads[k])), 2)...)
		}
		switch k % 3 {
		case 0:
			s.prompt = "Sign up for our morning newsletter from " + w.display
			s.share = "Share this article"
		case 1:
			s.prompt = "Get the " + w.display + " briefing: " + h.sentence()
			s.share = "Share: Email · Facebook · X · WhatsApp"
		default:
			s.share = "Share"
		}
		h.sites = append(h.sites, s)
	}
	for _, s := range []*site{
		{name: "tarvo", display: "Tarvo", kind: wireSite},
		{name: "zemka", display: "Zemka Press", kind: wireSite},
		{name: "tarvo-feed", display: "Tarvo", kind: feedSite},
		{name: "hubli", display: "Hubli", kind: portalSite},
		{name: "portavo", display: "Portavo", kind: portalSite},
		{name: "kivo-notes", display: "Kivo Notes", kind: blogSite, share: "Share"},
		{name: "ramsu", display: "Ramsu Blog", kind: blogSite},
	} {
		s.zone = time.UTC
		h.sites = append(h.sites, s)
	}
}

// pick returns a random site of kind k among the first n of that kind (all
// when n is 0).
func (h *hard) pick(k siteKind, n int) *site {
	var ss []*site
	for _, s := range h.sites {
		if s.kind == k {
			ss = append(ss, s)
		}
	}
	if n > 0 && n < len(ss) {
		ss = ss[:n]
	}
	return ss[h.r.Intn(len(ss))]
}

// other returns a random web site other than s, among those with short
// site text when short is set.
func (h *hard) other(s *site, short bool) *site {
	for {
		o := h.pick(webSite, 0)
		if o != s && (!short || len(o.footer) == 0) {
			return o
		}
	}
}

// The words.

func capital(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

// name is a proper noun: uniform over the vocabulary, so names are rarer
// than the common words.
func (h *hard) name() string { return capital(h.vocab[h.r.Intn(len(h.vocab))]) }

func (h *hard) person() string { return h.name() + " " + h.name() }

func (h *hard) words(n int) string {
	ws := make([]string, n)
	for i := range ws {
		ws[i] = h.word()
	}
	return strings.Join(ws, " ")
}

func (h *hard) figure() string {
	switch h.r.Intn(5) {
	case 0:
		return strconv.Itoa(2 + h.r.Intn(98))
	case 1:
		return fmt.Sprintf("%d,%03d", 1+h.r.Intn(40), h.r.Intn(1000))
	case 2:
		return fmt.Sprintf("%.1f%%", float64(h.r.Intn(300))/10)
	case 3:
		return fmt.Sprintf("%.1f million", float64(10+h.r.Intn(990))/10)
	default:
		return strconv.Itoa(1990 + h.r.Intn(35))
	}
}

// sentence is a news sentence: invented words, at times a name or a figure.
func (h *hard) sentence() string {
	n := 8 + h.r.Intn(18)
	ws := make([]string, n)
	for i := range ws {
		ws[i] = h.word()
	}
	if h.r.Intn(4) == 0 {
		ws[1+h.r.Intn(n-1)] = h.figure()
	}
	if h.r.Intn(3) == 0 {
		i := h.r.Intn(n - 1)
		ws[i], ws[i+1] = h.name(), h.name()
	}
	if h.r.Intn(8) == 0 {
		return `"` + capital(strings.Join(ws[:n-3], " ")) + `," ` + ws[n-3] + " " + h.person() + "."
	}
	return capital(strings.Join(ws, " ")) + "."
}

func (h *hard) paragraph() string {
	ss := make([]string, 2+h.r.Intn(3))
	for i := range ss {
		ss[i] = h.sentence()
	}
	return strings.Join(ss, " ")
}

// passage is n words of sentences in k paragraphs.
func (h *hard) passage(n, k int) []string {
	var ss []string
	for w := 0; w < n; {
		s := strings.Fields(h.sentence())
		if w+len(s) > n {
			s = s[:n-w]
			s[len(s)-1] = strings.TrimRight(s[len(s)-1], ".,\"") + "."
		}
		w += len(s)
		ss = append(ss, strings.Join(s, " "))
	}
	var out []string
	for j := range k {
		if p := ss[j*len(ss)/k : (j+1)*len(ss)/k]; len(p) > 0 {
			out = append(out, strings.Join(p, " "))
		}
	}
	return out
}

func (h *hard) headline() string {
	s := capital(h.words(5 + h.r.Intn(5)))
	if h.r.Intn(3) == 0 {
		s = h.name() + " " + s
	}
	return s
}

// dayAt returns a time on day d between the hours lo and hi.
func (h *hard) dayAt(d, lo, hi int) time.Time {
	return hardStart.AddDate(0, 0, d).Add(time.Duration(lo*60+h.r.Intn((hi-lo)*60)) * time.Minute)
}

func (h *hard) minutes(lo, hi int) time.Duration {
	return time.Duration(lo+h.r.Intn(hi-lo+1)) * time.Minute
}

// newStory writes a story of n paragraphs on day d; agency, when set, is
// the wire that files it, named in the dateline and the sign-off.
func (h *hard) newStory(d, n int, agency string) *story {
	st := &story{title: h.headline(), at: h.dayAt(d, 6, 22)}
	if h.r.Intn(10) < 7 {
		st.byline = h.person()
	}
	p := h.places[h.r.Intn(len(h.places))]
	switch {
	case agency != "":
		st.dateline = strings.ToUpper(p[0]) + ", " + p[1] + " (" + agency + ") - "
	case h.r.Intn(2) == 0:
		st.dateline = strings.ToUpper(p[0]) + " - "
	}
	st.paras = make([]string, n)
	for i := range st.paras {
		st.paras[i] = h.paragraph()
	}
	st.paras[0] = st.dateline + st.paras[0]
	if agency != "" && n > 2 {
		st.paras = append(st.paras, "(Reporting by "+h.person()+"; Editing by "+h.person()+")")
	}
	return st
}

// brief is a short article of n paragraphs of two sentences.
func (h *hard) brief(d, n int, agency string) *story {
	st := h.newStory(d, n, agency)
	for i := range st.paras {
		st.paras[i] = h.sentence() + " " + h.sentence()
	}
	st.paras[0] = st.dateline + st.paras[0]
	return st
}

// Photos.

var photoAgencies = []string{"Tarvo", "Zemka", "Vendro"}

func (h *hard) caption(d int) string {
	date := hardStart.AddDate(0, 0, d).Format("Monday, January 2, 2006")
	p := h.places[h.r.Intn(len(h.places))]
	credit := photoAgencies[h.r.Intn(len(photoAgencies))] + " Photo/" + h.person()
	switch h.r.Intn(3) {
	case 0:
		return fmt.Sprintf("%s, left, and %s %s in %s, %s, on %s. (%s)", h.person(), h.person(), h.words(4+h.r.Intn(6)), p[0], p[1], date, credit)
	case 1:
		return fmt.Sprintf("%s %s %s at the %s %s in %s on %s. (%s, File)", capital(h.words(2)), h.person(), h.words(3+h.r.Intn(5)), h.name(), h.word(), p[0], date, credit)
	default:
		return fmt.Sprintf("%s, center, %s during %s %s in %s, %s. (%s)", h.person(), h.words(3+h.r.Intn(4)), h.word(), h.words(2+h.r.Intn(4)), p[0], p[1], credit)
	}
}

// dayPhotos returns the captions of the wire photos of day d.
func (h *hard) dayPhotos(d int) []string {
	if _, ok := h.pool[d]; !ok {
		for range 8 {
			h.pool[d] = append(h.pool[d], h.caption(d))
		}
	}
	return h.pool[d]
}

// photos returns n different captions of day d's photos.
func (h *hard) photos(d, n int) []string {
	pool := h.dayPhotos(d)
	var out []string
	for _, k := range h.r.Perm(len(pool))[:min(n, len(pool))] {
		out = append(out, pool[k])
	}
	return out
}

// somePhotos is the photos an ordinary story carries: none, one or two.
func (h *hard) somePhotos(d int) []string {
	switch x := h.r.Intn(100); {
	case x < 45:
		return h.photos(d, 1)
	case x < 80:
		return h.photos(d, 2)
	}
	return nil
}

// Pages.

// What of its own a site puts around an article.
type furniture int

const (
	sitePage   furniture = iota // share line, related links, prompt, copyright, and at times the footer
	footerPage                  // all that and the footer: comments are open
)

// webText lays out a page of s: headline, byline, date line, the body with
// its photos after the lede, then the site's own text.
func (h *hard) webText(s *site, title string, st *story, paras, caps []string, at time.Time, c furniture) string {
	out := []string{title}
	if st.byline != "" {
		out = append(out, "By "+st.byline)
	}
	out = append(out, at.In(s.zone).Format(s.dateFormat))
	for i, p := range paras {
		out = append(out, p)
		if i == 0 {
			out = append(out, caps...)
		}
	}
	out = append(out, h.siteText(s, c)...)
	return strings.Join(out, "\n\n")
}

// siteText is what a site puts under an article. The comment-policy footer
// comes with the pages open to comments: the short ones of the footer case
// and a quarter of the others.
func (h *hard) siteText(s *site, c furniture) []string {
	var out []string
	if s.share != "" {
		out = append(out, s.share)
	}
	if s.related && len(s.recent) > 2 && h.r.Intn(10) < 6 {
		out = append(out, "More from "+s.display)
		out = append(out, s.recent[len(s.recent)-3:]...)
	}
	if s.prompt != "" {
		out = append(out, s.prompt)
	}
	if c == footerPage || h.r.Intn(4) == 0 {
		out = append(out, s.footer...)
	}
	if s.copyright != "" {
		out = append(out, s.copyright)
	}
	return out
}

func wireText(paras []string) string { return strings.Join(paras, "\n\n") }

// wrap breaks paragraphs into lines of at most width characters, as wire
// e-mail feeds do; paragraphs are apart by a blank line, or by an indented
// first line when blank is false.
func wrap(paras []string, width int, blank bool) string {
	var b strings.Builder
	for k, p := range paras {
		if k > 0 {
			b.WriteString("\n")
			if blank {
				b.WriteString("\n")
			}
		}
		line := 0
		if !blank {
			b.WriteString("   ")
			line = 3
		}
		for j, w := range strings.Fields(p) {
			if j > 0 && line+1+len(w) > width {
				b.WriteString("\n")
				line = 0
			} else if j > 0 {
				b.WriteString(" ")
				line++
			}
			b.WriteString(w)
			line += len(w)
		}
	}
	return b.String()
}

func (h *hard) url(s *site, at time.Time, title string) string {
	slug := strings.ToLower(strings.Join(strings.Fields(title)[:min(4, len(strings.Fields(title)))], "-"))
	return fmt.Sprintf("https://%s.example/%s/%s-%d", s.name, at.Format("2006/01/02"), slug, len(h.docs))
}

// add stores a page and returns its index.
func (h *hard) add(s *site, c string, at time.Time, title, text string) int {
	return h.addURL(s, c, at, title, text, h.url(s, at, title))
}

func (h *hard) addURL(s *site, c string, at time.Time, title, text, url string) int {
	i := len(h.docs)
	h.docs = append(h.docs, &hdoc{
		HardArticle: HardArticle{Article: Article{
			URL: url, Title: title, Source: s.name, Published: at.In(s.zone).Format(time.RFC3339), Text: text,
		}, Case: c},
		site: s, at: at,
	})
	h.parent = append(h.parent, i)
	if s.kind == webSite && !slices.Contains(s.recent, title) {
		s.recent = append(s.recent, title)
		if len(s.recent) > 8 {
			s.recent = s.recent[1:]
		}
	}
	return i
}

// listable records that page i holds story st's body, for the pages that
// quote or list a day's stories.
func (h *hard) listable(i int, paras []string, brief bool) {
	d := h.docs[i]
	d.paras, d.brief = paras, brief
	day := int(d.at.Sub(hardStart) / (24 * time.Hour))
	h.byDay[day] = append(h.byDay[day], i)
}

// copyOf stores an exact copy of page i: a re-crawl, or a page scraped twice.
func (h *hard) copyOf(i int) int {
	d := h.docs[i]
	j := h.addURL(d.site, d.Case, d.at, d.Title, d.Text, d.URL)
	h.same(i, j)
	return j
}

func (h *hard) root(i int) int {
	for h.parent[i] != i {
		h.parent[i] = h.parent[h.parent[i]]
		i = h.parent[i]
	}
	return i
}

// same records that pages a and b are one article.
func (h *hard) same(a, b int) {
	ra, rb := h.root(a), h.root(b)
	if ra != rb {
		h.parent[max(ra, rb)] = min(ra, rb)
	}
}

// not records that pages a and b look alike but are different articles.
func (h *hard) not(a, b int) { h.nots = append(h.nots, [2]int{a, b}) }

// clusters returns the true clusters of several pages, each in the order
// written, ordered by their first page.
func (h *hard) clusters() [][]int {
	members := map[int][]int{}
	for _, i := range h.order {
		r := h.root(i)
		members[r] = append(members[r], i)
	}
	var out [][]int
	for _, i := range h.order {
		if m := members[h.root(i)]; len(m) > 1 && m[0] == i {
			out = append(out, m)
		}
	}
	return out
}

// notPairs returns the hard negatives once each, in the order written.
func (h *hard) notPairs() [][2]int {
	rank := make([]int, len(h.docs))
	for k, i := range h.order {
		rank[i] = k
	}
	var out [][2]int
	for _, p := range h.nots {
		if rank[p[0]] > rank[p[1]] {
			p[0], p[1] = p[1], p[0]
		}
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b [2]int) int {
		return cmp.Or(cmp.Compare(rank[a[0]], rank[b[0]]), cmp.Compare(rank[a[1]], rank[b[1]]))
	})
	return slices.Compact(out)
}

// The cases, in the order of WriteHard's doc comment.

func (h *hard) plain() {
	for range h.stories {
		d := h.r.Intn(hardDays)
		var s *site
		var st *story
		var orig int
		if h.r.Intn(5) == 0 {
			s = h.pick(wireSite, 0)
			st = h.newStory(d, 4+h.r.Intn(8), s.display)
			orig = h.add(s, "plain", st.at, st.title, wireText(st.paras))
		} else {
			s = h.pick(webSite, 0)
			st = h.newStory(d, 4+h.r.Intn(9), "")
			st.caps = h.somePhotos(d)
			orig = h.add(s, "plain", st.at, st.title, h.webText(s, st.title, st, st.paras, st.caps, st.at, sitePage))
		}
		h.listable(orig, st.paras, false)
		if h.r.Intn(100) >= 36 {
			continue
		}
		for range 1 + h.r.Intn(3) {
			at := st.at.Add(h.minutes(10, 72*60))
			var v int
			switch h.r.Intn(5) {
			case 0: // teaser: the first paragraphs on a section page
				o := h.pick(webSite, 0)
				k := min(len(st.paras)-1, 1+h.r.Intn(3))
				v = h.add(o, "plain", at, st.title, strings.Join(append([]string{st.title}, append(st.paras[:k:k], "Continue reading")...), "\n\n"))
			case 1:
				v = h.copyOf(orig)
			case 2: // print version: the story without the site's furniture
				head := []string{st.title}
				if st.byline != "" {
					head = append(head, "By "+st.byline)
				}
				v = h.addURL(s, "plain", st.at, st.title, strings.Join(append(head, st.paras...), "\n\n"), h.docs[orig].URL+"?print=1")
			case 3: // syndicated: another site's headline, photos and text
				o := h.other(s, false)
				title := st.title
				if h.r.Intn(2) == 0 {
					title = h.headline()
				}
				v = h.add(o, "plain", at, title, h.webText(o, title, st, st.paras, h.somePhotos(d), at, sitePage))
			default: // updated: a new lead, a sentence added
				paras := append([]string{st.dateline + h.paragraph()}, st.paras[1:]...)
				k := 1 + h.r.Intn(len(paras)-1)
				paras[k] = h.sentence() + " " + paras[k]
				if s.kind == webSite {
					v = h.add(s, "plain", at, st.title, h.webText(s, st.title, st, paras, st.caps, at, sitePage))
				} else {
					v = h.add(s, "plain", at, st.title, wireText(paras))
				}
			}
			h.same(orig, v)
		}
	}
}

// footers writes short articles of the four sites with long footers, each
// with its site's text, so that two of them share more footer than story.
func (h *hard) footers() {
	for k, n := range []int{120, 15, 15, 15} {
		s := h.sites[k]
		var pages []int
		var stories []*story
		for range h.count(n) {
			d := h.r.Intn(hardDays)
			st := h.brief(d, 2+h.r.Intn(2), "")
			if h.r.Intn(5) == 0 {
				st.caps = h.photos(d, 1)
			}
			i := h.add(s, "footer", st.at, st.title, h.webText(s, st.title, st, st.paras, st.caps, st.at, footerPage))
			h.listable(i, st.paras, true)
			if len(pages) > 0 {
				h.not(pages[len(pages)-1], i)
			}
			pages, stories = append(pages, i), append(stories, st)
		}
		// Real re-publications, days later, with the same footer.
		for range max(1, h.count(n/30)) {
			j := h.r.Intn(len(pages))
			st := stories[j]
			at := st.at.Add(h.minutes(2*24*60, 20*24*60))
			title := st.title
			if h.r.Intn(2) == 0 {
				title = h.headline()
			}
			h.same(pages[j], h.add(s, "footer", at, title, h.webText(s, title, st, st.paras, st.caps, at, footerPage)))
		}
		if k == 0 { // and copies on sites with little site text
			for range h.count(3) {
				j := h.r.Intn(len(pages))
				st := stories[j]
				o := h.other(s, true)
				at := st.at.Add(h.minutes(30, 600))
				h.same(pages[j], h.add(o, "footer", at, st.title, h.webText(o, st.title, st, st.paras, nil, at, sitePage)))
			}
		}
	}
}

func (h *hard) versions() {
	for range h.count(15) {
		s := h.sites[h.r.Intn(4)]
		st := h.newStory(h.r.Intn(hardDays-3), 4+h.r.Intn(3), "")
		lede, core := st.paras[0], st.paras[1:]
		var extra []string
		title, at, prev := st.title, st.at, -1
		for v := range 3 + h.r.Intn(12) {
			if v > 0 {
				at = at.Add(h.minutes(40, 300))
				if h.r.Intn(10) < 6 {
					lede = st.dateline + h.paragraph()
				}
				if h.r.Intn(10) < 4 {
					extra = append(extra, h.paragraph())
				}
				if h.r.Intn(10) < 3 {
					title = h.headline()
				}
			}
			paras := append(append([]string{lede}, core...), extra...)
			i := h.add(s, "versions", at, title, h.webText(s, title, st, paras, st.caps, at, sitePage))
			if prev >= 0 {
				h.same(prev, i)
			}
			prev = i
		}
	}
}

// captionCase writes different stories of a day that carry the same photos.
func (h *hard) captionCase() {
	for range h.count(50) {
		d := h.r.Intn(hardDays)
		caps := h.photos(d, 2+h.r.Intn(2))
		var pages []int
		for range 2 + h.r.Intn(3) {
			s := h.pick(webSite, 0)
			st := h.newStory(d, 2+h.r.Intn(3), "")
			i := h.add(s, "caption", st.at, st.title, h.webText(s, st.title, st, st.paras, caps, st.at, sitePage))
			h.listable(i, st.paras, false)
			for _, j := range pages {
				h.not(j, i)
			}
			pages = append(pages, i)
			if h.r.Intn(5) == 0 {
				o := h.other(s, false)
				at := st.at.Add(h.minutes(20, 600))
				h.same(i, h.add(o, "caption", at, st.title, h.webText(o, st.title, st, st.paras, caps, at, sitePage)))
			}
		}
	}
}

// gallery writes gallery pages, captions only, and articles of different
// stories that embed the whole gallery.
func (h *hard) gallery() {
	for range h.count(25) {
		d := h.r.Intn(hardDays)
		var caps []string
		for range 5 + h.r.Intn(4) {
			caps = append(caps, h.caption(d))
		}
		h.pool[d] = append(h.dayPhotos(d), caps...)
		s := h.pick(webSite, 0)
		title := "In pictures: " + h.headline()
		out := []string{title}
		for j, c := range caps {
			out = append(out, fmt.Sprintf("%d of %d", j+1, len(caps)), c)
		}
		at := h.dayAt(d, 8, 20)
		galleries := []int{h.add(s, "gallery", at, title, strings.Join(append(out, s.copyright), "\n\n"))}
		if h.r.Intn(10) < 3 {
			o := h.other(s, false)
			g := h.add(o, "gallery", at.Add(h.minutes(30, 300)), title, strings.Join(append(out, o.copyright), "\n\n"))
			h.same(galleries[0], g)
			galleries = append(galleries, g)
		}
		var pages []int
		for range 2 + h.r.Intn(2) {
			s := h.pick(webSite, 0)
			st := h.newStory(d, 4+h.r.Intn(5), "")
			i := h.add(s, "gallery", st.at, st.title, h.webText(s, st.title, st, st.paras, caps, st.at, sitePage))
			h.listable(i, st.paras, false)
			for _, j := range append(galleries, pages...) {
				h.not(j, i)
			}
			pages = append(pages, i)
		}
	}
}

// composite writes pages that put a wire item before another outlet's
// story; the item is published on its own too.
func (h *hard) composite() {
	for range h.count(30) {
		d := h.r.Intn(hardDays)
		ws := h.pick(wireSite, 0)
		item := h.newStory(d, 2, ws.display)
		wi := h.add(ws, "composite", item.at, item.title, wireText(item.paras))
		for range 1 + h.r.Intn(2) {
			o := h.other(nil, true)
			at := item.at.Add(h.minutes(10, 300))
			h.same(wi, h.add(o, "composite", at, item.title, h.webText(o, item.title, item, item.paras, nil, at, sitePage)))
		}
		b := h.other(nil, true)
		y := h.newStory(d, 7+h.r.Intn(5), "")
		y.caps = h.somePhotos(d)
		yi := h.add(b, "composite", y.at, y.title, h.webText(b, y.title, y, y.paras, y.caps, y.at, sitePage))
		h.listable(yi, y.paras, false)
		c := h.other(b, true)
		at := y.at.Add(h.minutes(30, 600))
		text := item.title + "\n\n" + wireText(item.paras) + "\n\n" + h.webText(c, y.title, y, y.paras, y.caps, at, sitePage)
		ci := h.add(c, "composite", at, y.title, text)
		h.same(yi, ci)
		h.not(wi, ci)
	}
}

// writethru writes chains of wire write-thrus: each version has a new
// lead, keeps most of the one before, rewrites or drops some paragraphs and
// adds new ones.
func (h *hard) writethru() {
	for c := range h.count(35) {
		s := h.pick(wireSite, 0)
		wrapped := h.r.Intn(10) < 3
		if wrapped {
			s = h.pick(feedSite, 0)
		}
		st := h.newStory(h.r.Intn(hardDays), 3, s.display)
		paras := st.paras[:3]
		at, prev := st.at, -1
		for v := range 4 + h.r.Intn(5) {
			title := st.title
			if v > 0 {
				at = at.Add(h.minutes(40, 180))
				paras = h.rewrite(st, paras)
				title = fmt.Sprintf("UPDATE %d-%s", v, st.title)
				if v%3 == 0 {
					st.title = h.headline()
				}
			}
			text := wireText(paras)
			if wrapped {
				text = wrap(paras, 69, true)
			}
			i := h.add(s, "writethru", at, title, text)
			h.docs[i].chain, h.docs[i].version = c+1, v
			if prev >= 0 {
				h.same(prev, i)
			}
			prev = i
		}
	}
}

// rewrite is the next write-thru of paras.
func (h *hard) rewrite(st *story, paras []string) []string {
	old := slices.Clone(paras)
	old[0] = strings.TrimPrefix(old[0], st.dateline)
	var kept []string
	for _, p := range old {
		if len(old) < 5 || h.r.Intn(10) >= 2 || len(kept) < len(old)*2/3 {
			kept = append(kept, p)
		}
	}
	if len(kept) > 3 && h.r.Intn(2) == 0 {
		k := h.r.Intn(len(kept))
		_, rest, _ := strings.Cut(kept[k], ". ")
		kept[k] = h.sentence() + " " + rest
	}
	for range 1 + h.r.Intn(10)/7 {
		k := 1 + h.r.Intn(len(kept))
		kept = slices.Insert(kept, k, h.paragraph())
	}
	return append([]string{st.dateline + h.paragraph()}, kept[:min(len(kept), 11)]...)
}

// A template of a recurring report: text with slots for figures and the
// date, filled anew for each issue.
const (
	slotFigure = "\x00f"
	slotDate   = "\x00d"
)

func (h *hard) template(kind int, dated bool) (title string, paras []string) {
	slotted := func(n, slots int) string {
		ws := strings.Fields(h.words(n))
		for range slots {
			ws[1+h.r.Intn(n-1)] = slotFigure
		}
		return strings.Join(ws, " ")
	}
	title = capital(slotted(6+h.r.Intn(3), 1))
	first := capital(slotted(14+h.r.Intn(8), 2))
	if dated {
		first += " on " + slotDate
	}
	paras = append(paras, first+".")
	switch kind {
	case 2: // a price report: a paragraph, then a table of names and figures
		paras = append(paras, capital(slotted(24+h.r.Intn(10), 1))+". "+capital(h.words(12+h.r.Intn(10)))+".")
		for range 3 + h.r.Intn(3) {
			paras = append(paras, h.name()+" "+h.words(5)+" "+slotFigure)
		}
	case 3: // a dividend notice: short
		paras = append(paras, capital(slotted(22, 1))+". "+capital(h.words(16))+".", capital(h.words(20))+". "+capital(h.words(14))+".")
	default: // central-bank operations, auction results
		for range 2 + h.r.Intn(3) {
			p := capital(slotted(12+h.r.Intn(12), h.r.Intn(3))) + ". " + capital(slotted(10+h.r.Intn(14), h.r.Intn(2))) + "."
			paras = append(paras, p)
		}
	}
	paras = append(paras, "("+h.words(3)+" "+h.person()+")")
	return title, paras
}

func fill(s string, figs []string, date string, k *int) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, 0)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		if s[i+1] == 'd' {
			b.WriteString(date)
		} else {
			b.WriteString(figs[*k])
			*k++
		}
		s = s[i+2:]
	}
}

// recurring writes series of reports filed from one template on business
// days or weekly, with new figures each time: different events.
func (h *hard) recurring() {
	for c := range h.count(12) {
		s := h.pick(wireSite, 0)
		kind := c % 4
		weekly := c%3 == 1
		identical := c == 1 // weekly, undated: one issue repeats one of two weeks before
		title, paras := h.template(kind, !identical)
		slots := strings.Count(title, "\x00f") + strings.Count(strings.Join(paras, "\n"), "\x00f")
		var days []int
		if weekly {
			for d := h.r.Intn(7); d < hardDays && len(days) < 8; d += 7 {
				days = append(days, d)
			}
		} else {
			n := 8 + h.r.Intn(7)
			for d := h.r.Intn(hardDays - 21); d < hardDays && len(days) < n; d++ {
				if wd := hardStart.AddDate(0, 0, d).Weekday(); wd != time.Saturday && wd != time.Sunday {
					days = append(days, d)
				}
			}
		}
		change := 3 + h.r.Intn(6) // in ten: how often a figure changes
		if kind == 2 {
			change = 2 + h.r.Intn(3) // most prices hold from one day to the next
		}
		if identical {
			change = 10 // but for the one repeat
		}
		hour := 8 + h.r.Intn(7)
		var figs, sent [][]string
		var issues []int
		for k, d := range days {
			f := make([]string, slots)
			for j := range f {
				if k == 0 || h.r.Intn(10) < change {
					f[j] = h.figure()
				} else {
					f[j] = figs[k-1][j]
				}
			}
			if identical && k == 2 {
				f = sent[0]
			}
			figs, sent = append(figs, f), append(sent, f)
			at := hardStart.AddDate(0, 0, d).Add(time.Duration(hour)*time.Hour + h.minutes(0, 50))
			date := at.Format("Monday, January 2")
			n := 0
			t := fill(title, f, date, &n)
			out := make([]string, len(paras))
			for j, p := range paras {
				out[j] = fill(p, f, date, &n)
			}
			i := h.add(s, "recurring", at, t, wireText(out))
			h.docs[i].series = c + 1
			for _, j := range issues {
				h.not(j, i)
			}
			issues = append(issues, i)
		}
	}
}

// resend writes wire stories and reports re-sent over the weekend.
func (h *hard) resend() {
	n := h.count(30)
	var friday []int
	for i, d := range h.docs {
		if d.series > 0 && d.at.Weekday() == time.Friday {
			friday = append(friday, i)
		}
	}
	var origs []int
	for _, k := range h.r.Perm(len(friday))[:min(len(friday), n/3)] {
		origs = append(origs, friday[k])
	}
	for len(origs) < n {
		s := h.pick(wireSite, 0)
		d := 4 + 7*h.r.Intn(hardDays/7-1) // a Friday
		st := h.newStory(d, 4+h.r.Intn(6), s.display)
		st.at = h.dayAt(d, 10, 17) // re-sent on Sunday
		origs = append(origs, h.add(s, "resend", st.at, st.title, wireText(st.paras)))
	}
	for _, i := range origs {
		d := h.docs[i]
		at := d.at.Add(50*time.Hour + h.minutes(0, 240))
		title, text := d.Title, d.Text
		if h.r.Intn(2) == 0 {
			title = "REFILE-" + title
			text = "(Repeats story first sent on " + d.at.Format("Monday, January 2") + ")\n\n" + text
		}
		h.same(i, h.add(d.site, "resend", at, title, text))
	}
}

// equalLength writes pairs of pages of nearly equal length: two outlets'
// reports of one event that share the wire's paragraphs (different
// articles), and lightly edited copies (one article).
func (h *hard) equalLength() {
	words := func(ps []string) int { return len(strings.Fields(strings.Join(ps, " "))) }
	for range h.count(40) {
		d := h.r.Intn(hardDays)
		wire := h.newStory(d, 7, "Tarvo").paras[1:7]
		sa, sb := h.other(nil, true), h.other(nil, true)
		for sb == sa {
			sb = h.other(nil, true)
		}
		a, b := h.newStory(d, 2, ""), h.newStory(d, 2, "")
		pa := append([]string{a.paras[0]}, append(slices.Clone(wire), a.paras[1])...)
		pb := append([]string{b.paras[0]}, append(slices.Clone(wire), b.paras[1])...)
		for range 4 {
			wa, wb := words(pa), words(pb)
			if min(wa, wb)*100 >= 88*max(wa, wb) {
				break
			}
			if wa < wb {
				pa = append(pa, h.paragraph())
			} else {
				pb = append(pb, h.paragraph())
			}
		}
		ta, tb := h.webText(sa, a.title, a, pa, nil, a.at, sitePage), h.webText(sb, b.title, b, pb, nil, b.at, sitePage)
		// Near duplicates these are not: each outlet adds enough of its own.
		for jaccard5(ta, tb) >= 0.48 {
			pa, pb = append(pa, h.sentence()), append(pb, h.sentence())
			ta, tb = h.webText(sa, a.title, a, pa, nil, a.at, sitePage), h.webText(sb, b.title, b, pb, nil, b.at, sitePage)
		}
		ia := h.add(sa, "equal-length", a.at, a.title, ta)
		ib := h.add(sb, "equal-length", b.at, b.title, tb)
		h.not(ia, ib)
	}
	for range h.count(15) {
		d := h.r.Intn(hardDays)
		sa, sb := h.other(nil, true), h.other(nil, true)
		st := h.newStory(d, 6+h.r.Intn(4), "")
		ia := h.add(sa, "equal-length", st.at, st.title, h.webText(sa, st.title, st, st.paras, nil, st.at, sitePage))
		paras := slices.Clone(st.paras)
		for range 2 {
			k := 1 + h.r.Intn(len(paras)-1)
			_, rest, _ := strings.Cut(paras[k], ". ")
			paras[k] = h.sentence() + " " + rest
		}
		title := h.headline()
		at := st.at.Add(h.minutes(30, 400))
		h.same(ia, h.add(sb, "equal-length", at, title, h.webText(sb, title, st, paras, nil, at, sitePage)))
	}
}

// hardwrap writes stories of the wire's e-mail feed, broken at 70
// characters, with their web versions and teasers.
func (h *hard) hardwrap() {
	feed := h.pick(feedSite, 0)
	for range h.count(40) {
		d := h.r.Intn(hardDays)
		st := h.newStory(d, 4+h.r.Intn(6), feed.display)
		blank := h.r.Intn(2) == 0
		head := strings.ToUpper(st.title) + "\n\n"
		o := h.add(feed, "hardwrap", st.at, st.title, head+wrap(st.paras, 68+h.r.Intn(5), blank))
		h.listable(o, st.paras, false)
		if h.r.Intn(4) == 0 {
			continue
		}
		if h.r.Intn(10) < 7 {
			s := h.pick(webSite, 0)
			at := st.at.Add(h.minutes(20, 300))
			h.same(o, h.add(s, "hardwrap", at, st.title, h.webText(s, st.title, st, st.paras, h.somePhotos(d), at, sitePage)))
		}
		if h.r.Intn(10) < 6 {
			at := st.at.Add(h.minutes(1, 30))
			h.same(o, h.add(feed, "hardwrap", at, st.title, head+wrap(st.paras[:2], 69, blank)))
		}
		if h.r.Intn(10) < 3 {
			s := h.pick(webSite, 0)
			at := st.at.Add(h.minutes(20, 300))
			h.same(o, h.add(s, "hardwrap", at, st.title, strings.Join([]string{st.title, st.paras[0], st.paras[1], "Continue reading"}, "\n\n")))
		}
	}
}

// gluedTeaser writes portal cards that glue a story's first sentences into
// one paragraph.
func (h *hard) gluedTeaser() {
	for range h.count(40) {
		d := h.r.Intn(hardDays)
		s := h.pick(webSite, 0)
		st := h.newStory(d, 5+h.r.Intn(5), "")
		full := h.add(s, "glued-teaser", st.at, st.title, h.webText(s, st.title, st, st.paras, nil, st.at, sitePage))
		h.listable(full, st.paras, false)
		var sents []string
		for _, p := range st.paras[:3] {
			sents = append(sents, splitSentences(p)...)
		}
		first := len(splitSentences(st.paras[0]))
		glued := strings.Join(sents[:first+1+h.r.Intn(3)], " ")
		if h.r.Intn(2) == 0 { // cut short at a word
			ws := strings.Fields(glued)
			glued = strings.Join(ws[:len(ws)-1-h.r.Intn(5)], " ") + " ..."
		}
		p := h.pick(portalSite, 0)
		at := st.at.Add(h.minutes(10, 300))
		// The headline is the card's link, scraped as its title.
		card := glued + "\n\n" + fmt.Sprintf("%s · %d hours ago", s.display, 1+h.r.Intn(9))
		h.same(full, h.add(p, "glued-teaser", at, st.title, card))
	}
}

// splitSentences splits a paragraph made by sentence().
func splitSentences(p string) []string {
	var out []string
	for p != "" {
		i := strings.Index(p, ". ")
		if i < 0 {
			return append(out, p)
		}
		out = append(out, p[:i+1])
		p = p[i+2:]
	}
	return out
}

// liveblog writes snapshots of live blogs whose entries include whole wire
// briefs, published on their own too.
func (h *hard) liveblog() {
	for range h.count(12) {
		d := h.r.Intn(hardDays)
		s := h.pick(webSite, 0)
		title := "Live: " + h.headline()
		n := 12 + h.r.Intn(8)
		type entry struct {
			at    time.Time
			paras []string
			brief int
		}
		entries := make([]entry, n)
		at := h.dayAt(d, 6, 8)
		start := at
		for j := range entries {
			at = at.Add(h.minutes(15, 50))
			entries[j] = entry{at: at, paras: []string{h.paragraph()}, brief: -1}
		}
		for _, j := range h.r.Perm(n)[:3+h.r.Intn(2)] {
			ws := h.pick(wireSite, 0)
			b := h.brief(d, 1+h.r.Intn(2), ws.display)
			b.at = entries[j].at.Add(-h.minutes(5, 60))
			bi := h.add(ws, "liveblog", b.at, b.title, wireText(b.paras))
			entries[j].paras, entries[j].brief = b.paras, bi
		}
		window := n
		if h.r.Intn(10) < 6 {
			window = 8
		}
		k := 3 + h.r.Intn(4)
		url := h.url(s, start, title)
		prev := -1
		for v := range k {
			m := 4 + v*(n-4)/(k-1)
			out := []string{title, "Updated " + entries[m-1].at.In(s.zone).Format("15:04")}
			var held []int
			for e := m - 1; e >= max(0, m-window); e-- {
				out = append(out, entries[e].at.In(s.zone).Format("15:04"))
				out = append(out, entries[e].paras...)
				if entries[e].brief >= 0 {
					held = append(held, entries[e].brief)
				}
			}
			out = append(out, h.siteText(s, sitePage)...)
			i := h.addURL(s, "liveblog", start, title, strings.Join(out, "\n\n"), url)
			if prev >= 0 {
				h.same(prev, i)
			}
			for _, b := range held {
				h.not(b, i)
			}
			prev = i
		}
	}
}

// aggregator writes topic pages listing a few days' stories: headlines,
// ledes or whole short articles, and how long ago.
func (h *hard) aggregator() {
	for range h.count(25) {
		d := 2 + h.r.Intn(hardDays-2)
		var briefs, others []int
		for day := d - 2; day <= d; day++ {
			for _, i := range h.byDay[day] {
				if h.docs[i].brief {
					briefs = append(briefs, i)
				} else {
					others = append(others, i)
				}
			}
		}
		var picks []int
		for _, k := range h.r.Perm(len(briefs))[:min(len(briefs), 2+h.r.Intn(3))] {
			picks = append(picks, briefs[k])
		}
		for _, k := range h.r.Perm(len(others))[:min(len(others), 6+h.r.Intn(6))] {
			picks = append(picks, others[k])
		}
		if len(picks) < 4 {
			continue
		}
		h.r.Shuffle(len(picks), func(a, b int) { picks[a], picks[b] = picks[b], picks[a] })
		s := h.pick(portalSite, 0)
		if h.r.Intn(3) == 0 {
			s = h.pick(webSite, 0)
		}
		title := h.name() + " news: latest"
		out := []string{title}
		at := h.dayAt(d, 12, 23)
		for _, i := range picks {
			r := h.docs[i]
			out = append(out, r.Title)
			if r.brief {
				out = append(out, r.paras...)
			} else {
				ss := splitSentences(r.paras[0])
				out = append(out, strings.Join(ss[:min(len(ss), 1+h.r.Intn(2))], " "))
			}
			if h.r.Intn(10) < 6 {
				out = append(out, fmt.Sprintf("%d hours ago", max(1, int(at.Sub(r.at).Hours()))))
			} else {
				out = append(out, r.site.display)
			}
		}
		if s.kind == webSite {
			out = append(out, h.siteText(s, sitePage)...)
		}
		a := h.add(s, "aggregator", at, title, strings.Join(out, "\n\n"))
		for _, i := range picks {
			h.not(a, i)
		}
		if h.r.Intn(10) == 0 {
			h.copyOf(a)
		}
	}
}

// quote writes commentary posts that quote a paragraph of an article or two,
// with more words of their own than quoted.
func (h *hard) quote() {
	for range h.count(40) {
		d := 3 + h.r.Intn(hardDays-3)
		var cand []int
		for day := d - 3; day <= d; day++ {
			for _, i := range h.byDay[day] {
				if len(h.docs[i].paras) > 2 {
					cand = append(cand, i)
				}
			}
		}
		if len(cand) == 0 {
			continue
		}
		s := h.pick(blogSite, 0)
		title := h.headline()
		out := []string{title, "Posted by " + h.person()}
		quoted, own := 0, 0
		n := 1
		if h.r.Intn(10) < 3 {
			n = 2
		}
		var picks []int
		for _, k := range h.r.Perm(len(cand))[:min(n, len(cand))] {
			r := h.docs[cand[k]]
			q := r.paras[1+h.r.Intn(2)]
			p := h.paragraph()
			out = append(out, p, "As "+r.site.display+" reported:", `"`+q+`"`)
			quoted += len(strings.Fields(q))
			own += len(strings.Fields(p))
			picks = append(picks, cand[k])
		}
		for own <= quoted {
			p := h.paragraph()
			out = append(out, p)
			own += len(strings.Fields(p))
		}
		if s.share != "" {
			out = append(out, s.share)
		}
		i := h.add(s, "quote", h.dayAt(d, 7, 23), title, strings.Join(out, "\n\n"))
		for _, j := range picks {
			h.not(i, j)
		}
	}
}

// jaccard5 is the Jaccard similarity of the 5-word shingles of a and b.
func jaccard5(a, b string) float64 {
	sa, sb := shingles5(a), shingles5(b)
	n := 0
	for s := range sa {
		if sb[s] {
			n++
		}
	}
	return float64(n) / float64(max(1, len(sa)+len(sb)-n))
}

// shingles5 is the set of 5-word shingles of text, words being runs of
// letters and digits, lower-cased, as the importer reads them.
func shingles5(text string) map[string]bool {
	ws := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	out := map[string]bool{}
	for i := 0; i+5 <= len(ws); i++ {
		out[strings.Join(ws[i:i+5], " ")] = true
	}
	return out
}
