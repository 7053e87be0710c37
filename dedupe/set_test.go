package dedupe

import (
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
)

func TestSetSorted(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 5, 63, 64, 65, 900, 5000} {
		hs := make([]uint64, n)
		for i := range hs {
			hs[i] = mix64(r.Uint64())
			if i > 0 && r.IntN(4) == 0 {
				hs[i] = hs[r.IntN(i)] // a repeat
			}
		}
		want := slices.Compact(slices.Sorted(slices.Values(hs)))
		s := NewSet(slices.Clone(hs))
		if got := s.Hashes(); !slices.Equal(got, hs) {
			t.Fatalf("n=%d: Hashes before Sorted changed the hashes", n)
		}
		// Matching sorts a set from every core at once.
		var wg sync.WaitGroup
		got := make([][]uint64, 4)
		for i := range got {
			wg.Go(func() { got[i] = s.Sorted() })
		}
		wg.Wait()
		for i := range got {
			if !slices.Equal(got[i], want) {
				t.Fatalf("n=%d: Sorted gives %d hashes, want %d sorted without repeats", n, len(got[i]), len(want))
			}
		}
		if !slices.Equal(s.Hashes(), want) {
			t.Errorf("n=%d: Hashes after Sorted is not the sorted set", n)
		}
	}
	var empty *Set
	if empty.Sorted() != nil || empty.Hashes() != nil {
		t.Error("a nil Set is not empty")
	}
}

func TestFingerprintSet(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for i := range 200 {
		text := randomMixed(r, 1+i)
		set, _ := Fingerprint(text, 3)
		if got, want := set.Sorted(), Shingles(text, 3); !slices.Equal(got, want) {
			t.Fatalf("text %q: Fingerprint's set sorted is %v, Shingles %v", text, got, want)
		}
	}
}
