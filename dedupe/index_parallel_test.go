package dedupe

import (
	"math/rand"
	"runtime"
	"slices"
	"testing"
)

// TestIndexParallelFlush: a flush large enough to be built as several
// levels on several cores finds exactly what batch-by-batch flushes find,
// and later flushes, however large they grow by merging, do not merge
// into the sealed levels.
func TestIndexParallelFlush(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("needs 2 or more cores to build in parallel")
	}
	p := DefaultParams()
	r := rand.New(rand.NewSource(5))
	const parallelMin = 1000
	n := 2*parallelMin + 100 // two parallel levels, whatever the cores
	later := 3 * parallelMin // outgrows a sealed level by merging
	sigs := make([][]uint64, n+later)
	for i := range sigs {
		sigs[i] = make([]uint64, p.NumHash)
		for j := range sigs[i] {
			sigs[i][j] = uint64(r.Uint32())
		}
	}
	big, small := NewIndex(p), NewIndex(p)
	big.parallelMin = parallelMin
	for i, s := range sigs[:n] {
		big.Add(int64(i), s)
	}
	big.Flush()
	if len(big.levels) != 2 || !big.levels[0].sealed || !big.levels[1].sealed {
		t.Fatalf("a flush of %d built %d levels, want 2 sealed parallel levels", n, len(big.levels))
	}
	sealed := slices.Clone(big.levels)
	const batch = parallelMin / 10
	for i, s := range sigs {
		small.Add(int64(i), s)
		if i >= n {
			big.Add(int64(i), s)
		}
		if i%batch == batch-1 {
			small.Flush()
			if i >= n {
				big.Flush()
			}
		}
	}
	big.Flush()
	small.Flush()
	big.Settle()
	small.Settle()
	if len(big.levels) <= len(sealed) || !slices.Equal(big.levels[:len(sealed)], sealed) {
		t.Errorf("later flushes merged into the sealed levels: %d levels, want the 2 sealed ones first and more", len(big.levels))
	}
	if big.Len() != len(sigs) || small.Len() != len(sigs) {
		t.Fatalf("Len = %d and %d, want %d", big.Len(), small.Len(), len(sigs))
	}
	for _, i := range []int{0, 1, n/2 - 1, n / 2, n - 1, n, n + later - 1} {
		q := slices.Clone(sigs[i])
		for j := 0; j < len(q); j += 3 {
			q[j] = uint64(r.Uint32()) // a near copy
		}
		got, want := big.Query(q), small.Query(q)
		if !slices.Equal(got, want) || !slices.Contains(got, int64(i)) {
			t.Errorf("query %d: parallel %v, batched %v", i, got, want)
		}
	}
}
