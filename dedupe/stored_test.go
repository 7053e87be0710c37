package dedupe_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/dedupe"
)

// TestMatchPreloadedStored checks that a matcher whose stored documents
// are preloaded (scanned by the first batches, indexed later) finds
// exactly the pairs of one whose stored documents were indexed up front,
// batch after batch, and that probes agree too.
func TestMatchPreloadedStored(t *testing.T) {
	p := dedupe.DefaultParams()
	g := newTextGen(11)
	texts := map[int64]string{}
	var stored []dedupe.Doc
	for id := int64(1); id <= 400; id++ {
		text := strings.Join(g.paragraphs(3, 40), "\n\n")
		texts[id] = text
		stored = append(stored, makeDoc(p, id, text))
	}
	lookup := func(ids []int64) (map[int64][]uint64, error) {
		out := map[int64][]uint64{}
		for _, id := range ids {
			t, ok := texts[id]
			if !ok {
				return nil, fmt.Errorf("no text for %d", id)
			}
			out[id] = dedupe.Shingles(t, p.ShingleSize)
		}
		return out, nil
	}
	indexed, preloaded := dedupe.NewMatcher(p), dedupe.NewMatcher(p)
	for _, m := range []*dedupe.Matcher{indexed, preloaded} {
		m.Lookup = lookup
	}
	if _, err := indexed.Match(stored); err != nil {
		t.Fatal(err)
	}
	for _, d := range stored {
		preloaded.Preload(d.ID, d.Sig, d.Passages)
	}
	if !preloaded.Index().HasStored() || preloaded.Index().Len() != len(stored) {
		t.Fatalf("preloaded index: HasStored %v, Len %d", preloaded.Index().HasStored(), preloaded.Index().Len())
	}

	// Each batch: near copies of stored documents, of earlier batches,
	// and new texts. More batches than the matcher scans for.
	id := int64(1000)
	total := 0
	teasers := map[dedupe.Pair]bool{}
	for b := range 12 {
		var batch []dedupe.Doc
		for i := range 20 {
			id++
			var text string
			switch {
			case i == 19:
				// A teaser: one paragraph of a stored document, which
				// its passages find.
				of := int64(1 + (b*37)%400)
				text = strings.SplitN(texts[of], "\n\n", 2)[0]
				teasers[dedupe.Pair{A: of, B: id}] = true
			case i%3 == 0:
				text = g.replaceWords(texts[int64(1+(b*20+i)%400)], 5)
			case i%3 == 1:
				prev := id - 3
				if prev <= 1000 {
					prev = int64(200 + i) // the first batch: a stored one
				}
				text = g.replaceWords(texts[prev], 5)
			default:
				text = strings.Join(g.paragraphs(3, 40), "\n\n")
			}
			texts[id] = text
			batch = append(batch, makeDoc(p, id, text))
		}
		want, err := indexed.Match(slices.Clone(batch))
		if err != nil {
			t.Fatal(err)
		}
		got, err := preloaded.Match(slices.Clone(batch))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("batch %d: preloaded found %v, indexed %v", b, got, want)
		}
		total += len(got)
		for _, p := range got {
			delete(teasers, dedupe.Pair{A: p.A, B: p.B})
		}
	}
	if total < 12*20/3 {
		t.Errorf("found %d pairs in all, want at least the %d planted on stored documents", total, 12*20/3)
	}
	if len(teasers) > 0 {
		t.Errorf("teasers of stored documents not found: %v", teasers)
	}
	if preloaded.Index().HasStored() {
		t.Error("the stored signatures were never indexed")
	}

	// Probes scan (a fresh matcher) and agree with the indexed matcher.
	probing := dedupe.NewMatcher(p)
	probing.Lookup = lookup
	for _, d := range stored {
		probing.Preload(d.ID, d.Sig, d.Passages)
	}
	for i := range 12 {
		q := makeDoc(p, -1, g.replaceWords(texts[int64(1+i*30)], 4))
		want, err := indexed.Probe(q)
		if err != nil {
			t.Fatal(err)
		}
		got, err := probing.Probe(q)
		if err != nil {
			t.Fatal(err)
		}
		// indexed has the batches too: compare on stored documents.
		want = slices.DeleteFunc(want, func(p dedupe.Pair) bool { return p.A > 400 })
		if !slices.Equal(got, want) || len(got) == 0 {
			t.Fatalf("probe %d: scanned %v, indexed %v", i, got, want)
		}
	}
}
