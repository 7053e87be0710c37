package dedupe_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/dedupe"
)

// textGen writes made-up prose from a vocabulary of invented words, so that
// fixtures share words only where a test puts them.
type textGen struct {
	r     *rand.Rand
	vocab []string
}

func newTextGen(seed uint64) *textGen {
	vr := rand.New(rand.NewPCG(99, 99)) // one vocabulary for every generator
	cons := []string{"b", "d", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "tr", "sk", "br"}
	vows := []string{"a", "e", "i", "o", "u", "ai", "ou"}
	seen := map[string]bool{}
	var vocab []string
	for len(vocab) < 5000 {
		var b strings.Builder
		for range 2 + vr.IntN(3) {
			b.WriteString(cons[vr.IntN(len(cons))])
			b.WriteString(vows[vr.IntN(len(vows))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			vocab = append(vocab, w)
		}
	}
	return &textGen{r: rand.New(rand.NewPCG(seed, seed^0x5eed)), vocab: vocab}
}

func (g *textGen) words(n int) []string {
	ws := make([]string, n)
	for i := range ws {
		ws[i] = g.vocab[g.r.IntN(len(g.vocab))]
	}
	return ws
}

// paragraph returns n words as sentences of 8 to 15 words.
func (g *textGen) paragraph(n int) string {
	ws := g.words(n)
	var b strings.Builder
	for i, w := range ws {
		if i > 0 {
			b.WriteByte(' ')
		}
		if i == 0 || strings.HasSuffix(ws[i-1], ".") {
			w = strings.ToUpper(w[:1]) + w[1:]
		}
		b.WriteString(w)
		if i == n-1 || g.r.IntN(12) == 0 {
			b.WriteByte('.')
			ws[i] += "."
		}
	}
	return b.String()
}

// paragraphs returns n paragraphs of about words words each.
func (g *textGen) paragraphs(n, words int) []string {
	ps := make([]string, n)
	for i := range ps {
		ps[i] = g.paragraph(words - 5 + g.r.IntN(11))
	}
	return ps
}

// replaceWords replaces n words of text, spread out, with new ones.
func (g *textGen) replaceWords(text string, n int) string {
	ws := strings.Split(text, " ")
	for i := range n {
		ws[(i*len(ws))/n+g.r.IntN(len(ws)/n)] = "zzq" + g.vocab[g.r.IntN(len(g.vocab))]
	}
	return strings.Join(ws, " ")
}

func makeDoc(p dedupe.Params, id int64, text string) dedupe.Doc {
	// As an import makes it: the set is sorted when the matcher needs it.
	sh, passages := dedupe.Fingerprint(text, p.ShingleSize)
	return dedupe.Doc{ID: id, Shingles: sh, Sig: p.Sign(sh.Hashes()), Passages: passages}
}

// fixture is a set of named texts with the pairs a matcher must report.
type fixture struct {
	names []string
	texts map[string]string
}

func (f *fixture) add(name, text string) {
	f.names = append(f.names, name)
	if f.texts == nil {
		f.texts = map[string]string{}
	}
	f.texts[name] = text
}

// newsFixture builds: an original and its exact copy; a 300-word text and a
// version with 4 words changed; a long text of 10 paragraphs and a teaser of
// its first 4; two texts on the same topic with the same names but
// different sentences; and unrelated fillers.
func newsFixture() *fixture {
	g := newTextGen(1)
	f := &fixture{}
	orig := strings.Join(g.paragraphs(4, 60), "\n\n")
	f.add("orig", orig)
	f.add("copy", orig)

	near := g.paragraph(300)
	f.add("near-a", near)
	f.add("near-b", g.replaceWords(near, 4))

	long := g.paragraphs(10, 70)
	f.add("long", strings.Join(long, "\n\n"))
	f.add("teaser", strings.Join(long[:4], "\n\n"))

	names := []string{"Mayor Ilvana Dostrek", "the Peltavia Harbour Authority", "Kurvo Fasselin", "Port Ambrel"}
	topic := func() string {
		var ps []string
		for range 5 {
			var b strings.Builder
			for s := range 4 {
				b.WriteString(g.paragraph(10))
				b.WriteString(" " + names[(s+len(ps))%len(names)] + " ")
			}
			ps = append(ps, b.String())
		}
		return strings.Join(ps, "\n\n")
	}
	f.add("topic-a", topic())
	f.add("topic-b", topic())

	for i := range 12 {
		f.add(fmt.Sprintf("filler-%d", i), strings.Join(g.paragraphs(3, 50), "\n\n"))
	}
	return f
}

type namedPair struct {
	a, b string
	rel  dedupe.Relation
}

// match runs one matcher over the fixture's texts in order, in batches of
// the given sizes (the rest in a last batch), with ids from idOf, and
// returns the pairs by name.
func matchFixture(t *testing.T, p dedupe.Params, f *fixture, order []string, idOf map[string]int64, batches ...int) ([]namedPair, []dedupe.Pair) {
	t.Helper()
	m := dedupe.NewMatcher(p)
	stored := map[int64][]uint64{}
	m.Lookup = func(ids []int64) (map[int64][]uint64, error) {
		out := map[int64][]uint64{}
		for _, id := range ids {
			sh, ok := stored[id]
			if !ok {
				return nil, fmt.Errorf("lookup of unknown id %d", id)
			}
			out[id] = sh
		}
		return out, nil
	}
	nameOf := map[int64]string{}
	var all []dedupe.Pair
	rest := order
	for i := 0; len(rest) > 0; i++ {
		n := len(rest)
		if i < len(batches) {
			n = batches[i]
		}
		var batch []dedupe.Doc
		for _, name := range rest[:n] {
			d := makeDoc(p, idOf[name], f.texts[name])
			nameOf[d.ID] = name
			batch = append(batch, d)
		}
		rest = rest[n:]
		pairs, err := m.Match(batch)
		if err != nil {
			t.Fatalf("Match batch %d: %v", i, err)
		}
		if !slices.IsSortedFunc(pairs, func(x, y dedupe.Pair) int {
			if x.A != y.A {
				return int(x.A - y.A)
			}
			return int(x.B - y.B)
		}) {
			t.Errorf("batch %d: pairs not sorted by (A, B): %v", i, pairs)
		}
		for _, d := range batch {
			stored[d.ID] = d.Shingles.Sorted()
		}
		all = append(all, pairs...)
	}
	var named []namedPair
	for _, p := range all {
		if p.A >= p.B {
			t.Errorf("pair %v has A >= B", p)
		}
		a, b := nameOf[p.A], nameOf[p.B]
		if a > b {
			a, b = b, a
		}
		named = append(named, namedPair{a, b, p.Relation})
	}
	slices.SortFunc(named, func(x, y namedPair) int { return strings.Compare(x.a+"\x00"+x.b, y.a+"\x00"+y.b) })
	return named, all
}

func sequentialIDs(names []string) map[string]int64 {
	ids := map[string]int64{}
	for i, n := range names {
		ids[n] = int64(i + 1)
	}
	return ids
}

var wantFixturePairs = []namedPair{
	{"copy", "orig", dedupe.Near},
	{"long", "teaser", dedupe.Excerpt},
	{"near-a", "near-b", dedupe.Near},
}

func TestMatcherFixture(t *testing.T) {
	p := dedupe.DefaultParams()
	f := newsFixture()
	ids := sequentialIDs(f.names)
	named, pairs := matchFixture(t, p, f, f.names, ids)
	if !slices.Equal(named, wantFixturePairs) {
		t.Fatalf("pairs = %v, want %v", named, wantFixturePairs)
	}
	byB := map[int64]dedupe.Pair{}
	for _, pr := range pairs {
		byB[pr.B] = pr
		t.Logf("pair %+v", pr)
	}
	if pr := byB[ids["copy"]]; pr.Jaccard != 1 || pr.Containment != 1 || pr.A != ids["orig"] {
		t.Errorf("exact copy: %+v, want Jaccard and containment 1 with orig", pr)
	}
	if pr := byB[ids["near-b"]]; pr.Jaccard < 0.8 || pr.Jaccard >= 1 {
		t.Errorf("near duplicate with 4 of 300 words changed: Jaccard %v, want in [0.8, 1)", pr.Jaccard)
	}
	if pr := byB[ids["teaser"]]; pr.Jaccard >= 0.5 || pr.Containment < 0.95 {
		t.Errorf("teaser: Jaccard %v (want < 0.5), containment %v (want about 1)", pr.Jaccard, pr.Containment)
	}
	// The same-topic texts share names but must not pair; check they do
	// share something, or the test would prove nothing.
	a := dedupe.Shingles(f.texts["topic-a"], 1)
	b := dedupe.Shingles(f.texts["topic-b"], 1)
	if j, _ := dedupe.Compare(a, b); j == 0 {
		t.Errorf("topic fixtures share no words")
	}
}

// TestMatcherTeaserWithoutPassages checks that LSH alone still finds the
// teaser: Jaccard about 0.4 is well above the LSH threshold.
func TestMatcherTeaserWithoutPassages(t *testing.T) {
	p := dedupe.DefaultParams()
	f := newsFixture()
	m := dedupe.NewMatcher(p)
	long := makeDoc(p, 1, f.texts["long"])
	teaser := makeDoc(p, 2, f.texts["teaser"])
	long.Passages, teaser.Passages = nil, nil
	pairs, err := m.Match([]dedupe.Doc{long, teaser})
	if err != nil {
		t.Fatal(err)
	}
	if len(pairs) != 1 || pairs[0].Relation != dedupe.Excerpt || pairs[0].A != 1 || pairs[0].B != 2 {
		t.Errorf("pairs = %+v, want one excerpt (1, 2)", pairs)
	}
}

func TestMatcherOrderIndependent(t *testing.T) {
	p := dedupe.DefaultParams()
	f := newsFixture()
	ids := sequentialIDs(f.names)
	_, base := matchFixture(t, p, f, f.names, ids)
	r := rand.New(rand.NewPCG(5, 5))
	for trial := range 5 {
		// The same ids in another input order: the very same pairs.
		order := slices.Clone(f.names)
		r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		if _, got := matchFixture(t, p, f, order, ids); !slices.Equal(got, base) {
			t.Errorf("trial %d: shuffled input gives %v, want %v", trial, got, base)
		}
		// Other ids: the same pairs of texts.
		perm := r.Perm(len(f.names))
		ids2 := map[string]int64{}
		for i, n := range f.names {
			ids2[n] = int64(perm[i] + 1)
		}
		if named, _ := matchFixture(t, p, f, order, ids2); !slices.Equal(named, wantFixturePairs) {
			t.Errorf("trial %d: permuted ids give %v, want %v", trial, named, wantFixturePairs)
		}
	}
}

func TestMatcherAcrossBatches(t *testing.T) {
	p := dedupe.DefaultParams()
	f := newsFixture()
	// Put one member of each pair in each batch: ids in name order, first
	// batch "orig", "near-a", "long" and fillers; second the others.
	first := []string{"orig", "near-a", "long", "topic-a"}
	second := []string{"copy", "near-b", "teaser", "topic-b"}
	for i := range 6 {
		first = append(first, fmt.Sprintf("filler-%d", i))
		second = append(second, fmt.Sprintf("filler-%d", i+6))
	}
	order := append(slices.Clone(first), second...)
	ids := sequentialIDs(order)
	_, one := matchFixture(t, p, f, order, ids)
	named, two := matchFixture(t, p, f, order, ids, len(first))
	if !slices.Equal(named, wantFixturePairs) {
		t.Fatalf("two batches: pairs %v, want %v", named, wantFixturePairs)
	}
	if !slices.Equal(two, one) {
		t.Errorf("two batches give %v, one batch gives %v", two, one)
	}
	// Many small batches, too.
	if _, many := matchFixture(t, p, f, order, ids, 1, 3, 2, 5, 1, 1); !slices.Equal(many, one) {
		t.Errorf("small batches give %v, one batch gives %v", many, one)
	}
}

func TestMatcherNeedsLookup(t *testing.T) {
	p := dedupe.DefaultParams()
	text := newTextGen(3).paragraph(200)
	m := dedupe.NewMatcher(p)
	if _, err := m.Match([]dedupe.Doc{makeDoc(p, 1, text)}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Match([]dedupe.Doc{makeDoc(p, 2, text)}); err == nil {
		t.Fatal("Match of a copy of an earlier batch's document without Lookup succeeded")
	}

	// Lookup errors are returned.
	m = dedupe.NewMatcher(p)
	boom := errors.New("boom")
	m.Lookup = func([]int64) (map[int64][]uint64, error) { return nil, boom }
	if _, err := m.Match([]dedupe.Doc{makeDoc(p, 1, text)}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Match([]dedupe.Doc{makeDoc(p, 2, text)}); !errors.Is(err, boom) {
		t.Errorf("Match = %v, want the Lookup error", err)
	}
}

// TestMatcherPreloadedIndex is how an importer resumes: the stored
// signatures go into Index() and the shingles come from Lookup.
func TestMatcherPreloadedIndex(t *testing.T) {
	p := dedupe.DefaultParams()
	text := newTextGen(4).paragraph(200)
	old := makeDoc(p, 7, text)
	m := dedupe.NewMatcher(p)
	m.Index().Add(old.ID, old.Sig)
	m.Index().Flush()
	var asked []int64
	m.Lookup = func(ids []int64) (map[int64][]uint64, error) {
		asked = append(asked, ids...)
		return map[int64][]uint64{7: old.Shingles.Sorted()}, nil
	}
	pairs, err := m.Match([]dedupe.Doc{makeDoc(p, 8, text)})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(asked, []int64{7}) {
		t.Errorf("Lookup asked for %v, want [7]", asked)
	}
	want := []dedupe.Pair{{A: 7, B: 8, Relation: dedupe.Near, Jaccard: 1, Containment: 1}}
	if !slices.Equal(pairs, want) {
		t.Errorf("pairs = %+v, want %+v", pairs, want)
	}
}

func TestMatcherRejectsShortSignature(t *testing.T) {
	p := dedupe.DefaultParams()
	m := dedupe.NewMatcher(p)
	d := makeDoc(p, 1, "some words here")
	d.Sig = d.Sig[:p.NumHash-1]
	if _, err := m.Match([]dedupe.Doc{d}); err == nil {
		t.Error("Match accepted a signature shorter than NumHash")
	}
}

// TestMatcherFailedMatchIndexesNothing: a batch that Match refuses must not
// be left in the index, or a later batch gets candidates whose shingles
// were never stored.
func TestMatcherFailedMatchIndexesNothing(t *testing.T) {
	p := dedupe.DefaultParams()
	text := newTextGen(6).paragraph(200)
	m := dedupe.NewMatcher(p)
	var asked []int64
	m.Lookup = func(ids []int64) (map[int64][]uint64, error) {
		asked = append(asked, ids...)
		return nil, fmt.Errorf("unknown ids %v", ids)
	}
	bad := makeDoc(p, 2, "other words entirely")
	bad.Sig = bad.Sig[:1]
	if _, err := m.Match([]dedupe.Doc{makeDoc(p, 1, text), bad}); err == nil {
		t.Fatal("Match accepted a short signature")
	}
	if n := m.Index().Len(); n != 0 {
		t.Errorf("after a refused batch the index holds %d signatures, want 0", n)
	}
	pairs, err := m.Match([]dedupe.Doc{makeDoc(p, 3, text)})
	if err != nil || len(pairs) != 0 || len(asked) != 0 {
		t.Errorf("next batch: pairs %v, err %v, Lookup asked for %v; want nothing from the refused batch", pairs, err, asked)
	}
}

// TestMatcherMaxCandidates: every text carries the same long paragraphs,
// so every pair is a candidate; past MaxCandidates a document is verified
// against the closest only, and still finds its near copy, stored or in
// its batch.
func TestMatcherMaxCandidates(t *testing.T) {
	defer func(n int) { dedupe.MaxCandidates = n }(dedupe.MaxCandidates)
	dedupe.MaxCandidates = 20
	p := dedupe.DefaultParams()
	g := newTextGen(3)
	shared := strings.Join(g.paragraphs(6, 20), "\n\n")
	var texts []string
	for range 80 {
		texts = append(texts, strings.Join(g.paragraphs(4, 25), "\n\n")+"\n\n"+shared)
	}
	texts = append(texts, g.replaceWords(texts[5], 3)) // id 81, a near copy of id 6
	m := dedupe.NewMatcher(p)
	byID := map[int64][]uint64{}
	m.Lookup = func(ids []int64) (map[int64][]uint64, error) {
		out := map[int64][]uint64{}
		for _, id := range ids {
			out[id] = byID[id]
		}
		return out, nil
	}
	verified := map[int64]int{} // by the later member
	m.Scored = func(pr dedupe.Pair, _, _ int) { verified[pr.B]++ }
	var pairs []dedupe.Pair
	for start := 0; start < len(texts); start += 30 {
		var batch []dedupe.Doc
		for i := start; i < min(start+30, len(texts)); i++ {
			d := makeDoc(p, int64(i+1), texts[i])
			byID[d.ID] = d.Shingles.Sorted()
			batch = append(batch, d)
		}
		ps, err := m.Match(batch)
		if err != nil {
			t.Fatal(err)
		}
		pairs = append(pairs, ps...)
	}
	for id, n := range verified {
		if n > dedupe.MaxCandidates {
			t.Errorf("document %d verified against %d, more than %d", id, n, dedupe.MaxCandidates)
		}
	}
	if !slices.ContainsFunc(pairs, func(pr dedupe.Pair) bool { return pr.A == 6 && pr.B == 81 && pr.Relation == dedupe.Near }) {
		t.Errorf("the near copy 6-81 is not found: %v", pairs)
	}
}
