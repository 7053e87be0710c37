package dedupe_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/dedupe"
)

// setsWithJaccard returns two sorted sets of n distinct random values each
// whose Jaccard similarity is exactly inter/(2n-inter).
func setsWithJaccard(r *rand.Rand, n, inter int) (a, b []uint64) {
	seen := make(map[uint64]bool)
	fresh := func() uint64 {
		for {
			if v := r.Uint64(); !seen[v] {
				seen[v] = true
				return v
			}
		}
	}
	for range inter {
		v := fresh()
		a, b = append(a, v), append(b, v)
	}
	for range n - inter {
		a, b = append(a, fresh()), append(b, fresh())
	}
	slices.Sort(a)
	slices.Sort(b)
	return a, b
}

// interFor returns the intersection size that gives Jaccard j for two sets
// of n elements: j = i/(2n-i), so i = 2nj/(1+j).
func interFor(n int, j float64) int {
	return int(math.Round(2 * float64(n) * j / (1 + j)))
}

func agreement(a, b []uint64) float64 {
	eq := 0
	for i := range a {
		if a[i] == b[i] {
			eq++
		}
	}
	return float64(eq) / float64(len(a))
}

func TestSignBasics(t *testing.T) {
	p := dedupe.DefaultParams()
	sh := dedupe.Shingles(strings.Repeat("alpha beta gamma delta epsilon zeta eta theta ", 10)+"iota", p.ShingleSize)
	a, b := p.Sign(sh), p.Sign(slices.Clone(sh))
	if len(a) != p.NumHash {
		t.Fatalf("len(Sign) = %d, want NumHash %d", len(a), p.NumHash)
	}
	if !slices.Equal(a, b) {
		t.Errorf("Sign is not deterministic")
	}
	for i, v := range a {
		if v > math.MaxUint32 {
			// The store keeps 32 bits a value.
			t.Errorf("sig[%d] = %#x does not fit in 32 bits", i, v)
		}
	}
	if got := p.Sign(nil); got != nil {
		t.Errorf("Sign(nil) = %v, want nil", got)
	}
	if got := p.Sign([]uint64{}); got != nil {
		t.Errorf("Sign(empty) = %v, want nil", got)
	}
	for _, n := range []int{8, 100, 1024} {
		q := p
		q.NumHash = n
		if got := len(q.Sign(sh)); got != n {
			t.Errorf("NumHash %d: len(Sign) = %d", n, got)
		}
	}
	q := p
	q.Seed = 2
	if slices.Equal(p.Sign(sh), q.Sign(sh)) {
		t.Errorf("the seed does not change the signature")
	}
}

func TestSignEstimatesJaccard(t *testing.T) {
	p := dedupe.DefaultParams()
	p.NumHash = 128
	const n = 2000
	for _, j := range []float64{0, 0.2, 0.5, 0.8, 1} {
		var sum float64
		const trials = 5
		for trial := range trials {
			r := rand.New(rand.NewPCG(uint64(trial), uint64(j*1000)))
			a, b := setsWithJaccard(r, n, interFor(n, j))
			if got, _ := dedupe.Compare(a, b); math.Abs(got-j) > 0.001 {
				t.Fatalf("fixture Jaccard %v, want %v", got, j)
			}
			est := agreement(p.Sign(a), p.Sign(b))
			if math.Abs(est-j) > 0.1 {
				t.Errorf("J=%v trial %d: signature agreement %v, off by more than 0.1", j, trial, est)
			}
			sum += est
		}
		if mean := sum / trials; math.Abs(mean-j) > 0.05 {
			t.Errorf("J=%v: mean agreement over %d trials %v, off by more than 0.05", j, trials, mean)
		}
	}
}

func TestSignSmallSetsAreDensified(t *testing.T) {
	p := dedupe.DefaultParams()
	r := rand.New(rand.NewPCG(7, 7))
	for _, n := range []int{1, 2, 10, 40} {
		a, b := setsWithJaccard(r, n, n/2)
		sa := p.Sign(a)
		if len(sa) != p.NumHash {
			t.Fatalf("%d elements: len = %d", n, len(sa))
		}
		if slices.Contains(sa, math.MaxUint64) {
			t.Errorf("%d elements: signature has an empty bin: %v", n, sa)
		}
		if !slices.Equal(sa, p.Sign(slices.Clone(a))) {
			t.Errorf("%d elements: identical sets give different signatures", n)
		}
		// A single element fills every bin with its one value.
		if n == 1 {
			for _, v := range sa {
				if v != sa[0] {
					t.Errorf("one element: bins differ: %v", sa)
					break
				}
			}
		}
		if n >= 10 && slices.Equal(sa, p.Sign(b)) {
			t.Errorf("%d elements: half-overlapping sets give identical signatures", n)
		}
	}
	// Small sets still estimate Jaccard on average: densification copies
	// bins along the same probe sequence for both sets.
	var sum float64
	const trials = 200
	for range trials {
		a, b := setsWithJaccard(r, 10, 5) // J = 5/15
		sum += agreement(p.Sign(a), p.Sign(b))
	}
	if mean := sum / trials; math.Abs(mean-1.0/3) > 0.08 {
		t.Errorf("10-element sets with J=1/3: mean agreement %v", mean)
	}
}

func TestValidate(t *testing.T) {
	if err := dedupe.DefaultParams().Validate(); err != nil {
		t.Fatalf("DefaultParams invalid: %v", err)
	}
	tests := []struct {
		name string
		edit func(*dedupe.Params)
		ok   bool
	}{
		{"shingle size 0", func(p *dedupe.Params) { p.ShingleSize = 0 }, false},
		{"shingle size 17", func(p *dedupe.Params) { p.ShingleSize = 17 }, false},
		{"shingle size 1", func(p *dedupe.Params) { p.ShingleSize = 1 }, true},
		{"shingle size 16", func(p *dedupe.Params) { p.ShingleSize = 16 }, true},
		{"num hash 7", func(p *dedupe.Params) { p.NumHash = 7 }, false},
		{"num hash 1025", func(p *dedupe.Params) { p.NumHash = 1025 }, false},
		{"num hash 8", func(p *dedupe.Params) { p.NumHash = 8 }, true},
		{"num hash 1024", func(p *dedupe.Params) { p.NumHash = 1024 }, true},
		{"LSH threshold 0", func(p *dedupe.Params) { p.LSHThreshold = 0 }, false},
		{"LSH threshold 1", func(p *dedupe.Params) { p.LSHThreshold = 1 }, false},
		{"LSH threshold -0.5", func(p *dedupe.Params) { p.LSHThreshold = -0.5 }, false},
		{"near 0", func(p *dedupe.Params) { p.NearJaccard = 0 }, false},
		{"near 1.01", func(p *dedupe.Params) { p.NearJaccard = 1.01 }, false},
		{"near 1", func(p *dedupe.Params) { p.NearJaccard = 1 }, true},
		{"excerpt 0", func(p *dedupe.Params) { p.ExcerptContainment = 0 }, false},
		{"excerpt 1.5", func(p *dedupe.Params) { p.ExcerptContainment = 1.5 }, false},
		{"excerpt 1", func(p *dedupe.Params) { p.ExcerptContainment = 1 }, true},
		{"min excerpt 0", func(p *dedupe.Params) { p.MinExcerptShingles = 0 }, false},
		{"min excerpt -1", func(p *dedupe.Params) { p.MinExcerptShingles = -1 }, false},
		{"min excerpt 1", func(p *dedupe.Params) { p.MinExcerptShingles = 1 }, true},
		{"zero value", func(p *dedupe.Params) { *p = dedupe.Params{} }, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := dedupe.DefaultParams()
			tc.edit(&p)
			if err := p.Validate(); (err == nil) != tc.ok {
				t.Errorf("Validate(%+v) = %v, want ok=%v", p, err, tc.ok)
			}
		})
	}
}

func TestValidateRejectsNaN(t *testing.T) {
	for _, edit := range []func(*dedupe.Params){
		func(p *dedupe.Params) { p.LSHThreshold = math.NaN() },
		func(p *dedupe.Params) { p.NearJaccard = math.NaN() },
		func(p *dedupe.Params) { p.ExcerptContainment = math.NaN() },
	} {
		p := dedupe.DefaultParams()
		edit(&p)
		if err := p.Validate(); err == nil {
			t.Errorf("Validate(%+v) accepted NaN", p)
		}
	}
}
