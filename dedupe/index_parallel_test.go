package dedupe

import (
	"math/rand"
	"runtime"
	"slices"
	"testing"
)

// TestIndexParallelFlush: a flush large enough to be built as several
// levels on several cores finds exactly what batch-by-batch flushes find,
// and later small flushes do not merge into the sealed levels.
func TestIndexParallelFlush(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("needs 2 or more cores to build in parallel")
	}
	p := DefaultParams()
	r := rand.New(rand.NewSource(5))
	n := 2*parallelMin + 1000
	sigs := make([][]uint64, n)
	for i := range sigs {
		sigs[i] = make([]uint64, p.NumHash)
		for j := range sigs[i] {
			sigs[i][j] = uint64(r.Uint32())
		}
	}
	big, small := NewIndex(p), NewIndex(p)
	for i, s := range sigs {
		big.Add(int64(i), s)
		small.Add(int64(i), s)
		if i%5000 == 4999 {
			small.Flush()
		}
	}
	big.Flush()
	small.Flush()
	if len(big.levels) < 2 || !big.levels[0].sealed {
		t.Fatalf("a flush of %d built %d levels, want sealed parallel levels", n, len(big.levels))
	}
	sealed := len(big.levels)
	big.Add(int64(n), sigs[0])
	big.Flush()
	if len(big.levels) != sealed+1 {
		t.Errorf("a small flush merged into sealed levels: %d levels, want %d", len(big.levels), sealed+1)
	}
	for _, i := range []int{0, 1, 49999, 50000, 100999} {
		q := slices.Clone(sigs[i])
		for j := 0; j < len(q); j += 3 {
			q[j] = uint64(r.Uint32()) // a near copy
		}
		got, want := big.Query(q), small.Query(q)
		got = slices.DeleteFunc(got, func(id int64) bool { return id == int64(n) })
		if !slices.Equal(got, want) || !slices.Contains(got, int64(i)) {
			t.Errorf("query %d: parallel %v, batched %v", i, got, want)
		}
	}
}
