package dedupe

import (
	"math/rand/v2"
	"testing"
)

// TestBlockFilter checks that a filter finds every key put in it, answers
// wrongly for about one absent key in 1,000 at 16 bits a key, and spreads
// keys over all its blocks.
func TestBlockFilter(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 5, 1000, 200000} {
		f := newBlockFilter(n, filterBits)
		if want := max(1, (n*filterBits+255)/256); len(f) != want {
			t.Errorf("%d keys: %d blocks, want %d", n, len(f), want)
		}
		keys := make([]uint64, n)
		for i := range keys {
			keys[i] = r.Uint64()
			f.insert(keys[i])
		}
		for _, k := range keys {
			if !f.check(k) {
				t.Fatalf("%d keys: key %#x inserted but not found", n, k)
			}
		}
		if n < 1000 {
			continue
		}
		const absent = 100000
		wrong := 0
		for range absent {
			if f.check(r.Uint64()) {
				wrong++
			}
		}
		// Split block filters of 16 bits a key: about 0.1% false
		// positives, and far more if the bits or blocks were skewed.
		if wrong == 0 || wrong > absent*3/1000 {
			t.Errorf("%d keys: %d of %d absent keys found, want about 0.1%%", n, wrong, absent)
		}
		empty := 0
		for _, b := range f {
			if b == (filterBlock{}) {
				empty++
			}
		}
		// 16 keys a block on average: an empty block is a chance of e^-16.
		if empty > 0 {
			t.Errorf("%d keys: %d of %d blocks empty", n, empty, len(f))
		}
	}
}
