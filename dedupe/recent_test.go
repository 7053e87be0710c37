package dedupe

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestRecentFlushes: a matcher that puts its recent documents into the
// index every few batches finds exactly the pairs of one that keeps them
// all recent, near copies of documents several batches back included.
func TestRecentFlushes(t *testing.T) {
	p := DefaultParams()
	r := rand.New(rand.NewPCG(11, 12))
	var all [][]uint64 // shingle sets by id-1
	doc := func(id int64, sh []uint64) Doc {
		sh = slices.Compact(slices.Sorted(slices.Values(sh)))
		return Doc{ID: id, Shingles: NewSet(slices.Clone(sh)), Sig: p.Sign(sh)}
	}
	lookup := func(ids []int64) (map[int64][]uint64, error) {
		out := map[int64][]uint64{}
		for _, id := range ids {
			out[id] = all[id-1]
		}
		return out, nil
	}
	var batches [][]Doc
	id := int64(0)
	for range 30 {
		var batch []Doc
		for i := range 25 {
			id++
			sh := make([]uint64, 200)
			if i%3 == 0 && id > 150 {
				// A near copy of a document 1 to 6 batches back.
				copy(sh, all[int(id)-1-25*(1+r.IntN(6))])
				for j := range 20 {
					sh[j] = r.Uint64()
				}
			} else {
				for j := range sh {
					sh[j] = r.Uint64()
				}
			}
			d := doc(id, sh)
			all = append(all, d.Shingles.Sorted())
			batch = append(batch, d)
		}
		batches = append(batches, batch)
	}
	run := func(max int, hold bool) ([]Pair, int) {
		defer func(old int, oldHold bool) { recentMax, holdFlushes = old, oldHold }(recentMax, holdFlushes)
		recentMax, holdFlushes = max, hold
		m := NewMatcher(p)
		m.Lookup = lookup
		var pairs []Pair
		for _, b := range batches {
			got, err := m.Match(slices.Clone(b))
			if err != nil {
				t.Fatal(err)
			}
			pairs = append(pairs, got...)
		}
		return pairs, m.ix.Len()
	}
	want, kept := run(1<<30, false)
	got, indexed := run(60, false)
	// Recent documents are handed to the index when a batch finds
	// recentMax of them and no level is being built, so at the end fewer
	// than recentMax plus a batch stay out, besides as many in a level
	// still being built.
	if kept != 0 || indexed < 750-2*(60+25) || indexed > 750 {
		t.Errorf("index holds %d and %d documents, want 0 and all but the last recent ones, once", kept, indexed)
	}
	if !slices.Equal(got, want) {
		t.Errorf("flushing every few batches found %d pairs, keeping all recent %d", len(got), len(want))
	}
	// Levels built in the background and put in place late: documents
	// stay recent until then, and nothing is found twice or missed.
	if held, _ := run(60, true); !slices.Equal(held, want) {
		t.Errorf("with flushes held back, %d pairs; keeping all recent, %d", len(held), len(want))
	}
	if len(want) < 200 { // 9 a batch after the sixth
		t.Errorf("found %d pairs, want at least the 200 planted", len(want))
	}
}
