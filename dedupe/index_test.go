package dedupe_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/newsdedup/newsdedup/dedupe"
)

// family returns n signatures: groups of size per group whose members are
// near-identical sets (Jaccard about 0.8) and unrelated across groups.
func family(p dedupe.Params, r *rand.Rand, groups, size int) [][]uint64 {
	var sigs [][]uint64
	for range groups {
		base := make([]uint64, 300)
		for i := range base {
			base[i] = r.Uint64()
		}
		for range size {
			set := slices.Clone(base)
			for i := range 30 { // replace 10%: Jaccard 270/330
				set[r.IntN(len(set))] = r.Uint64() + uint64(i)
			}
			slices.Sort(set)
			sigs = append(sigs, p.Sign(slices.Compact(set)))
		}
	}
	return sigs
}

func TestIndexFindsAfterFlush(t *testing.T) {
	p := dedupe.DefaultParams()
	r := rand.New(rand.NewPCG(1, 1))
	a, b := setsWithJaccard(r, 500, interFor(500, 0.9))
	c, _ := setsWithJaccard(r, 500, 0)
	ix := dedupe.NewIndex(p)
	ix.Add(10, p.Sign(a))
	ix.Add(20, p.Sign(c))
	if ix.Len() != 2 {
		t.Errorf("Len before Flush = %d, want 2", ix.Len())
	}
	if got := ix.Query(p.Sign(a)); len(got) != 0 {
		t.Errorf("Query before Flush = %v, want nothing", got)
	}
	ix.Flush()
	if ix.Len() != 2 {
		t.Errorf("Len after Flush = %d, want 2", ix.Len())
	}
	if got := ix.Query(p.Sign(a)); !slices.Equal(got, []int64{10}) {
		t.Errorf("Query(self) = %v, want [10]", got)
	}
	if got := ix.Query(p.Sign(b)); !slices.Equal(got, []int64{10}) {
		t.Errorf("Query(near-identical) = %v, want [10]", got)
	}
	if got := ix.Query(p.Sign(c)); !slices.Equal(got, []int64{20}) {
		t.Errorf("Query(c) = %v, want [20]", got)
	}
	// A flush with nothing pending changes nothing.
	ix.Flush()
	if got := ix.Query(p.Sign(b)); !slices.Equal(got, []int64{10}) {
		t.Errorf("after empty Flush, Query = %v, want [10]", got)
	}
	// Added after the flush: not found until the next one.
	ix.Add(30, p.Sign(b))
	if got := ix.Query(p.Sign(b)); !slices.Equal(got, []int64{10}) {
		t.Errorf("pending signature found: %v", got)
	}
	ix.Flush()
	if got := ix.Query(p.Sign(b)); !slices.Equal(got, []int64{10, 30}) {
		t.Errorf("after second Flush, Query = %v, want [10 30]", got)
	}
}

func TestIndexEmpty(t *testing.T) {
	p := dedupe.DefaultParams()
	ix := dedupe.NewIndex(p)
	if ix.Len() != 0 {
		t.Errorf("Len = %d", ix.Len())
	}
	sig := make([]uint64, p.NumHash)
	if got := ix.Query(sig); len(got) != 0 {
		t.Errorf("empty index Query = %v", got)
	}
}

// TestIndexBatchesEqualOneFlush checks that the levels merge without losing
// or mixing up signatures: 50 flushes of 20 answer every query as one flush
// of 1000 does.
func TestIndexBatchesEqualOneFlush(t *testing.T) {
	p := dedupe.DefaultParams()
	r := rand.New(rand.NewPCG(3, 4))
	sigs := family(p, r, 100, 10)
	one, many := dedupe.NewIndex(p), dedupe.NewIndex(p)
	for i, s := range sigs {
		one.Add(int64(i+1), s)
	}
	one.Flush()
	for i, s := range sigs {
		many.Add(int64(i+1), s)
		if (i+1)%20 == 0 {
			many.Flush()
		}
	}
	if one.Len() != 1000 || many.Len() != 1000 {
		t.Fatalf("Len = %d and %d, want 1000", one.Len(), many.Len())
	}
	for i, s := range sigs {
		id := int64(i + 1)
		want, got := one.Query(s), many.Query(s)
		if !slices.Equal(got, want) {
			t.Fatalf("id %d: batched index gives %v, one flush gives %v", id, got, want)
		}
		if !slices.Contains(got, id) {
			t.Errorf("id %d does not find itself: %v", id, got)
		}
		if !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != len(got) {
			t.Errorf("id %d: result not sorted and unique: %v", id, got)
		}
		// Its family (ids of the same group of 10) should be found; no
		// unrelated signature shares a band by chance at these sizes.
		lo := (id-1)/10*10 + 1
		for _, c := range got {
			if c < lo || c >= lo+10 {
				t.Errorf("id %d: unrelated candidate %d", id, c)
			}
		}
		if len(got) < 5 {
			t.Errorf("id %d: only %d of its 10 near-identical signatures found", id, len(got))
		}
	}
}

// TestIndexUnevenFlushes covers merges of levels of unequal sizes.
func TestIndexUnevenFlushes(t *testing.T) {
	p := dedupe.DefaultParams()
	r := rand.New(rand.NewPCG(5, 6))
	sigs := family(p, r, 60, 5)
	one, many := dedupe.NewIndex(p), dedupe.NewIndex(p)
	for i, s := range sigs {
		one.Add(int64(i+1), s)
	}
	one.Flush()
	next := 0
	for _, n := range []int{1, 1, 7, 100, 3, 3, 3, 50, 2, 30, 1, 99} {
		for range n {
			many.Add(int64(next+1), sigs[next])
			next++
		}
		many.Flush()
	}
	for ; next < len(sigs); next++ {
		many.Add(int64(next+1), sigs[next])
	}
	many.Flush()
	for i, s := range sigs {
		if want, got := one.Query(s), many.Query(s); !slices.Equal(got, want) {
			t.Fatalf("id %d: %v, want %v", i+1, got, want)
		}
	}
}

func TestIndexNoDuplicateResults(t *testing.T) {
	p := dedupe.DefaultParams()
	r := rand.New(rand.NewPCG(8, 9))
	a, _ := setsWithJaccard(r, 100, 0)
	sig := p.Sign(a)
	ix := dedupe.NewIndex(p)
	// The same id in several levels, and several ids, in descending order.
	for _, id := range []int64{9, 5, 7, 5, 1, 9} {
		ix.Add(id, sig)
		ix.Flush()
	}
	if got := ix.Query(sig); !slices.Equal(got, []int64{1, 5, 7, 9}) {
		t.Errorf("Query = %v, want [1 5 7 9]", got)
	}
}

// TestIndexKeeps32Bits checks that only the low 32 bits of a value count,
// as the store keeps only those.
func TestIndexKeeps32Bits(t *testing.T) {
	p := dedupe.DefaultParams()
	r := rand.New(rand.NewPCG(10, 11))
	a, _ := setsWithJaccard(r, 100, 0)
	sig := p.Sign(a)
	high := slices.Clone(sig)
	for i := range high {
		high[i] |= 0xdead_beef_0000_0000
	}
	ix := dedupe.NewIndex(p)
	ix.Add(1, high)
	ix.Flush()
	if got := ix.Query(sig); !slices.Equal(got, []int64{1}) {
		t.Errorf("Query = %v, want [1]", got)
	}
}
