package dedupe

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestSortHashes(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	cases := map[string][]uint64{"empty": nil, "one": {5}}
	for _, n := range []int{2, 63, 64, 65, 450, 5000} {
		uniform := make([]uint64, n)
		repeats := make([]uint64, n)
		crowded := make([]uint64, n) // all in one bucket: the top bits agree
		for i := range uniform {
			uniform[i] = r.Uint64()
			repeats[i] = uint64(r.IntN(n/4 + 1))
			crowded[i] = 0xfff0_0000_0000_0000 | r.Uint64N(1<<40)
		}
		cases[fmt.Sprint("uniform", n)] = uniform
		cases[fmt.Sprint("repeats", n)] = repeats
		cases[fmt.Sprint("crowded", n)] = crowded
		// Mix64 output, as the shingles are.
		mixed := make([]uint64, n)
		for i := range mixed {
			mixed[i] = mix64(uint64(i % (n/2 + 1)))
		}
		cases[fmt.Sprint("mixed", n)] = mixed
	}
	for name, in := range cases {
		want := slices.Compact(slices.Sorted(slices.Values(in)))
		got := sortHashes(slices.Clone(in))
		if !slices.Equal(got, want) {
			t.Errorf("%s (%d values): got %d values, want %d; sorted %v", name, len(in), len(got), len(want), slices.IsSorted(got))
		}
	}
}

func BenchmarkSortHashes(b *testing.B) {
	// 200 different sets, sorted into memory of their own as Set.Sorted
	// does: one set over and over lets the branch predictor learn it.
	r := rand.New(rand.NewPCG(1, 2))
	ins := make([][]uint64, 200)
	for i := range ins {
		ins[i] = make([]uint64, 800+r.IntN(200))
		for j := range ins[i] {
			ins[i][j] = mix64(r.Uint64())
		}
	}
	buf := make([]uint64, 1000)
	dst := make([]uint64, 1000)
	b.Run("bucket", func(b *testing.B) {
		for b.Loop() {
			for _, in := range ins {
				copy(buf, in)
				sortHashesInto(dst, buf[:len(in)])
			}
		}
	})
	b.Run("pdqsort", func(b *testing.B) {
		for b.Loop() {
			for _, in := range ins {
				copy(buf, in)
				slices.Sort(buf[:len(in)])
				_ = slices.Compact(buf[:len(in)])
			}
		}
	})
}
