package dedupe

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestIndexFilterLosesNothing checks that the level filters never hide a
// candidate: a query finds exactly what searching every level's tables
// finds, and unrelated queries are mostly answered by the filters alone.
func TestIndexFilterLosesNothing(t *testing.T) {
	p := DefaultParams()
	r := rand.New(rand.NewPCG(5, 6))
	randomSig := func() []uint64 {
		s := make([]uint64, p.NumHash)
		for j := range s {
			s[j] = uint64(r.Uint32())
		}
		return s
	}
	ix := NewIndex(p)
	var sigs [][]uint64
	id := int64(0)
	for _, n := range []int{3000, 500, 500, 200, 50, 1} { // several levels
		for range n {
			id++
			s := randomSig()
			sigs = append(sigs, s)
			ix.Add(id, s)
		}
		ix.Flush()
	}
	ix.Settle() // the same levels however fast merges run
	if len(ix.levels) < 2 {
		t.Fatalf("%d levels, want several", len(ix.levels))
	}
	var queries [][]uint64
	for range 300 { // near copies: a few bands in common
		q := slices.Clone(sigs[r.IntN(len(sigs))])
		for j := range q {
			if r.IntN(3) > 0 {
				q[j] = uint64(r.Uint32())
			}
		}
		queries = append(queries, q)
	}
	unrelated := 300
	for range unrelated {
		queries = append(queries, randomSig())
	}
	skipped := 0
	for i, q := range queries {
		q64 := make([]uint64, p.NumHash)
		for j := range q64 {
			q64[j] = uint64(uint16(q[j]))
		}
		var want []int64
		for _, l := range ix.levels {
			found := l.lsh.Query(q64)
			for _, k := range found {
				want = append(want, k.(int64))
			}
			if i >= len(queries)-unrelated && len(found) == 0 &&
				!slices.ContainsFunc(ix.bandKeys(nil, toUint16(q)), l.filter.check) {
				skipped++
			}
		}
		slices.Sort(want)
		want = slices.Compact(want)
		if got := ix.Query(q); !slices.Equal(got, want) {
			t.Fatalf("query %d: filtered %v, every level %v", i, got, want)
		}
	}
	if total := unrelated * len(ix.levels); skipped < total*9/10 {
		t.Errorf("filters skipped %d of %d level searches for unrelated queries, want 90%%", skipped, total)
	}
}

func toUint16(sig []uint64) []uint16 {
	out := make([]uint16, len(sig))
	for i, v := range sig {
		out[i] = uint16(v)
	}
	return out
}

// TestIndexMergesKeepLevelsFew checks the background merges: each flush
// puts the merge that has finished in place, so there are O(log n) levels
// all along; many small flushes end, once merges settle, in O(log n)
// levels holding every id once; and queries answer the same before and
// after settling.
func TestIndexMergesKeepLevelsFew(t *testing.T) {
	t.Run("Flush", func(t *testing.T) { testMergesKeepLevelsFew(t, (*Index).Flush) })
	// The matcher flushes in the background and asks whether it is
	// done before each batch.
	t.Run("FlushBackground", func(t *testing.T) {
		testMergesKeepLevelsFew(t, func(ix *Index) { ix.Flushed(); ix.FlushBackground() })
	})
}

func testMergesKeepLevelsFew(t *testing.T, flush func(*Index)) {
	p := DefaultParams()
	r := rand.New(rand.NewPCG(9, 10))
	ix := NewIndex(p)
	var sigs [][]uint64
	const batches, per = 100, 50
	const maxLevels = 9 // log2(batches) + 2
	for b := range batches {
		for i := range per {
			s := make([]uint64, p.NumHash)
			for j := range s {
				s[j] = uint64(r.Uint32())
			}
			sigs = append(sigs, s)
			ix.Add(int64(b*per+i+1), s)
		}
		flush(ix)
		// Merges are put in place as they finish, not all at the end: a
		// query looks at O(log n) levels all along. Waiting for the
		// background builds makes the count the same on a loaded machine;
		// the next flush is left to put them in place.
		if n := len(ix.levels); n > maxLevels {
			t.Fatalf("%d levels after flush %d, before merges settle; want at most %d", n, b+1, maxLevels)
		}
		ix.waitBuilt()
	}
	before := make([][]int64, 0, 100)
	for _, s := range sigs[:100] {
		before = append(before, ix.Query(s))
	}
	ix.Settle()
	if n := len(ix.levels); n > 8 { // log2(batches) + 1
		t.Errorf("%d levels after %d flushes, want at most 8", n, batches)
	}
	seen := map[int64]bool{}
	for _, l := range ix.levels {
		for _, id := range l.ids {
			if seen[id] {
				t.Fatalf("id %d in two levels", id)
			}
			seen[id] = true
		}
	}
	if len(seen) != len(sigs) || ix.Len() != len(sigs) {
		t.Errorf("levels hold %d ids, Len %d, want %d", len(seen), ix.Len(), len(sigs))
	}
	for i, s := range sigs[:100] {
		if got := ix.Query(s); !slices.Equal(got, before[i]) || !slices.Contains(got, int64(i+1)) {
			t.Fatalf("query %d: %v after settling, %v before", i, got, before[i])
		}
	}
}

// TestSameBandsIsQuery checks that the candidates a batch finds among
// itself by band keys are exactly what querying an index of the batch
// finds: values drawn from a few make many shared bands, some partial.
func TestSameBandsIsQuery(t *testing.T) {
	p := DefaultParams()
	r := rand.New(rand.NewPCG(7, 8))
	var batch []Doc
	for id := range int64(300) {
		s := make([]uint64, p.NumHash)
		for j := range s {
			s[j] = uint64(r.IntN(3)) | uint64(r.Uint32())<<16 // only the low 16 bits are keyed
		}
		batch = append(batch, Doc{ID: 1000 - 3*id, Sig: s}) // ids not in batch order
	}
	m := NewMatcher(p)
	found := make([][]int64, len(batch))
	m.sameBands(batch, found)
	ix := NewIndex(p)
	for _, d := range batch {
		ix.Add(d.ID, d.Sig)
	}
	ix.Flush()
	pairs := 0
	for i, d := range batch {
		want := slices.DeleteFunc(ix.Query(d.Sig), func(id int64) bool { return id == d.ID })
		got := slices.Compact(slices.Sorted(slices.Values(found[i])))
		if !slices.Equal(got, want) {
			t.Fatalf("document %d: same bands %v, query %v", d.ID, got, want)
		}
		pairs += len(got)
	}
	if pairs == 0 || pairs == len(batch)*(len(batch)-1) {
		t.Errorf("%d candidates in all: the test shares too few or too many bands", pairs)
	}
}

// waitBuilt waits until the level being flushed in the background and the
// merge in progress, if any, are built, and leaves them for the next flush
// to put in place, as it does with builds that have finished: tests use it
// to see what flushes do whatever the speed of the builds.
func (ix *Index) waitBuilt() {
	if ix.flushing != nil {
		<-ix.flushing.done
	}
	if ix.merging != nil {
		<-ix.merging.merged.done
	}
}
