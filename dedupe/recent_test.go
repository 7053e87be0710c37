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
	// run returns the pairs found, and how many documents the index was
	// given and how many are recent and not given to it yet.
	run := func(max int, hold bool) (pairs []Pair, indexed, recent int) {
		defer func(old int, oldHold bool) { recentMax, holdFlushes = old, oldHold }(recentMax, holdFlushes)
		recentMax, holdFlushes = max, hold
		m := NewMatcher(p)
		m.Lookup = lookup
		before := 0
		for i, b := range batches {
			if i == len(batches)-1 {
				m.Last()
				before = m.ix.Len()
			}
			got, err := m.Match(slices.Clone(b))
			if err != nil {
				t.Fatal(err)
			}
			pairs = append(pairs, got...)
			// The level being built is in place by the next batch, as
			// on an idle machine, and never with hold set: either way
			// the test sees the same whatever the speed of the builds.
			m.ix.waitBuilt()
		}
		indexed, recent = m.ix.Len(), len(m.recent.ids)-m.flushing
		// The last batch gives the index nothing to build.
		if indexed != before {
			t.Errorf("the last Match gave the index %d documents", indexed-before)
		}
		// Probe flushes every recent document, waiting for a level
		// being built: the index then holds each document once.
		m.flushRecent()
		if m.ix.flushing != nil {
			t.Error("flushRecent left a level being built: a probe would not search it")
		}
		if n := m.ix.Len(); n != 750 || len(m.recent.ids) != 0 {
			t.Errorf("after flushRecent the index was given %d documents, %d are recent; want 750 and 0", n, len(m.recent.ids))
		}
		return pairs, indexed, recent
	}
	want, kept, _ := run(1<<30, false)
	got, indexed, recent := run(60, false)
	// Recent documents are handed to the index when a batch finds
	// recentMax of them and no level is being built: each document is
	// either given to the index or recent, once.
	if kept != 0 || indexed < 60 || indexed+recent != 750 {
		t.Errorf("index given %d and %d documents (%d recent), want 0, and every one once with some indexed", kept, indexed, recent)
	}
	if !slices.Equal(got, want) {
		t.Errorf("flushing every few batches found %d pairs, keeping all recent %d", len(got), len(want))
	}
	// Levels built in the background and put in place late: documents
	// stay recent until then, and nothing is found twice or missed.
	if held, _, _ := run(60, true); !slices.Equal(held, want) {
		t.Errorf("with flushes held back, %d pairs; keeping all recent, %d", len(held), len(want))
	}
	if len(want) < 200 { // 9 a batch after the sixth
		t.Errorf("found %d pairs, want at least the 200 planted", len(want))
	}
}

// TestMatcherLast checks that the last Match of a run gives the index no
// recent documents to build a level of, where another Match would.
func TestMatcherLast(t *testing.T) {
	defer func(old int) { recentMax = old }(recentMax)
	recentMax = 20
	p := DefaultParams()
	r := rand.New(rand.NewPCG(13, 14))
	sets := map[int64][]uint64{}
	batch := func(first int64) []Doc {
		var b []Doc
		for id := first; id < first+25; id++ {
			sh := make([]uint64, 100)
			for j := range sh {
				sh[j] = r.Uint64()
			}
			sh = slices.Compact(slices.Sorted(slices.Values(sh)))
			sets[id] = sh
			b = append(b, Doc{ID: id, Shingles: NewSet(slices.Clone(sh)), Sig: p.Sign(sh)})
		}
		return b
	}
	for _, last := range []bool{false, true} {
		m := NewMatcher(p)
		m.Lookup = func(ids []int64) (map[int64][]uint64, error) {
			out := map[int64][]uint64{}
			for _, id := range ids {
				out[id] = sets[id]
			}
			return out, nil
		}
		if _, err := m.Match(batch(1)); err != nil {
			t.Fatal(err)
		}
		if last {
			m.Last()
		}
		// 25 recent documents, recentMax 20: the index gets them unless
		// this is the last Match.
		if _, err := m.Match(batch(26)); err != nil {
			t.Fatal(err)
		}
		want := 25
		if last {
			want = 0
		}
		if got := m.ix.Len(); got != want {
			t.Errorf("last=%v: the index was given %d documents, want %d", last, got, want)
		}
	}
}
