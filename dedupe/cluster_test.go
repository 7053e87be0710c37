package dedupe_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/newsdedup/newsdedup/dedupe"
)

// TestClassifyLength: an excerpt is markedly shorter than its container;
// of two texts of about the same length, neither is an excerpt.
func TestClassifyLength(t *testing.T) {
	p := dedupe.DefaultParams()
	for _, tc := range []struct {
		shorter, longer int
		want            bool
	}{
		{40, 100, true}, {80, 100, true}, {81, 100, false}, {100, 100, false}, {95, 100, false},
	} {
		_, ok := p.Classify(0.3, 0.9, tc.shorter, tc.longer)
		if ok != tc.want {
			t.Errorf("containment 0.9, %d of %d shingles: excerpt %v, want %v", tc.shorter, tc.longer, ok, tc.want)
		}
	}
	// Near duplicates need no length rule.
	if rel, ok := p.Classify(0.7, 0.9, 100, 100); !ok || rel != dedupe.Near {
		t.Errorf("Jaccard 0.7 of equal lengths: %q %v", rel, ok)
	}
}

func TestClassify(t *testing.T) {
	p := dedupe.DefaultParams()
	p.NearJaccard, p.ExcerptContainment, p.MinExcerptShingles = 0.5, 0.6, 20
	tests := []struct {
		name        string
		jac, cont   float64
		shorter     int
		want        dedupe.Relation
		wantOK      bool
		explanation string
	}{
		{"identical", 1, 1, 100, dedupe.Near, true, "Classify never says exact; that is decided on hashes"},
		{"at near threshold", 0.5, 0.5, 100, dedupe.Near, true, ""},
		{"near beats excerpt", 0.7, 1, 100, dedupe.Near, true, ""},
		{"near even when tiny", 0.9, 0.9, 1, dedupe.Near, true, "MinExcerptShingles only limits excerpts"},
		{"just below near", 0.4999, 0.5, 100, "", false, ""},
		{"excerpt", 0.3, 0.95, 40, dedupe.Excerpt, true, ""},
		{"excerpt at thresholds", 0.1, 0.6, 20, dedupe.Excerpt, true, ""},
		{"excerpt but shorter tiny", 0.3, 1, 19, "", false, ""},
		{"excerpt but shorter one shingle", 0.01, 1, 1, "", false, ""},
		{"containment just low", 0.3, 0.5999, 100, "", false, ""},
		{"nothing", 0.05, 0.1, 100, "", false, ""},
		{"zero", 0, 0, 0, "", false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rel, ok := p.Classify(tc.jac, tc.cont, tc.shorter, 0)
			if rel != tc.want || ok != tc.wantOK {
				t.Errorf("Classify(%v, %v, %d) = (%q, %v), want (%q, %v) %s",
					tc.jac, tc.cont, tc.shorter, rel, ok, tc.want, tc.wantOK, tc.explanation)
			}
		})
	}
}

// permutations calls fn with every permutation of xs.
func permutations[T any](xs []T, fn func([]T)) {
	var rec func(int)
	rec = func(k int) {
		if k == len(xs) {
			fn(xs)
			return
		}
		for i := k; i < len(xs); i++ {
			xs[k], xs[i] = xs[i], xs[k]
			rec(k + 1)
			xs[k], xs[i] = xs[i], xs[k]
		}
	}
	rec(0)
}

func TestUnionFindOrderIndependent(t *testing.T) {
	pairs := [][2]int64{{5, 3}, {9, 5}, {7, 2}, {8, 7}, {11, 10}, {3, 9}}
	want := [][]int64{{2, 7, 8}, {3, 5, 9}, {10, 11}}
	rep := map[int64]int64{2: 2, 7: 2, 8: 2, 3: 3, 5: 3, 9: 3, 10: 10, 11: 10, 42: 42}
	runs := 0
	permutations(slices.Clone(pairs), func(ps [][2]int64) {
		// Also every orientation of each pair.
		for flip := range 1 << len(ps) {
			u := dedupe.NewUnionFind()
			for i, p := range ps {
				if flip>>i&1 == 1 {
					u.Union(p[1], p[0])
				} else {
					u.Union(p[0], p[1])
				}
			}
			runs++
			if got := u.Groups(); !slicesEqual2(got, want) {
				t.Fatalf("unions %v (flip %b): Groups = %v, want %v", ps, flip, got, want)
			}
			for id, r := range rep {
				if got := u.Find(id); got != r {
					t.Fatalf("unions %v (flip %b): Find(%d) = %d, want %d", ps, flip, id, got, r)
				}
			}
		}
	})
	if runs != 720*64 {
		t.Errorf("ran %d orders, want %d", runs, 720*64)
	}
}

func slicesEqual2(a, b [][]int64) bool {
	return slices.EqualFunc(a, b, func(x, y []int64) bool { return slices.Equal(x, y) })
}

func TestUnionFindEdges(t *testing.T) {
	u := dedupe.NewUnionFind()
	if got := u.Groups(); len(got) != 0 {
		t.Errorf("empty Groups = %v", got)
	}
	if got := u.Find(7); got != 7 {
		t.Errorf("Find of unknown id = %d", got)
	}
	u.Union(4, 4)
	if got := u.Groups(); len(got) != 0 {
		t.Errorf("self-union made a group: %v", got)
	}
	u.Union(4, 6)
	u.Union(6, 4)
	u.Union(4, 6)
	if got := u.Groups(); !slicesEqual2(got, [][]int64{{4, 6}}) {
		t.Errorf("repeated unions: Groups = %v", got)
	}
	// A long chain, joined from the far end: every id finds the smallest.
	c := dedupe.NewUnionFind()
	for i := int64(1000); i > 1; i-- {
		c.Union(i, i-1)
	}
	for i := int64(1); i <= 1000; i++ {
		if got := c.Find(i); got != 1 {
			t.Fatalf("chain: Find(%d) = %d, want 1", i, got)
		}
	}
	if g := c.Groups(); len(g) != 1 || len(g[0]) != 1000 || g[0][0] != 1 || g[0][999] != 1000 {
		t.Errorf("chain: %d groups", len(g))
	}
	// Negative and large ids.
	n := dedupe.NewUnionFind()
	n.Union(1<<62, -5)
	if got := n.Find(1 << 62); got != -5 {
		t.Errorf("Find = %d, want -5", got)
	}
}

func TestCanonical(t *testing.T) {
	m := func(id int64, length int, published, ref string) dedupe.Member {
		return dedupe.Member{ID: id, Length: length, Published: published, Ref: ref}
	}
	tests := []struct {
		name    string
		members []dedupe.Member
		want    int64
	}{
		{"longest wins", []dedupe.Member{
			m(1, 100, "2024-01-01T00:00:00Z", "a"), m(2, 300, "", "z"), m(3, 200, "2020-01-01T00:00:00Z", "a")}, 2},
		{"tie: earlier published", []dedupe.Member{
			m(1, 100, "2024-03-01T00:00:00Z", "a"), m(2, 100, "2024-02-01T00:00:00Z", "b")}, 2},
		{"tie: known published beats unknown", []dedupe.Member{
			m(1, 100, "", "a"), m(2, 100, "2030-01-01T00:00:00Z", "z")}, 2},
		{"tie: then ref", []dedupe.Member{
			m(1, 100, "", "feed/b"), m(2, 100, "", "feed/a")}, 2},
		{"tie: same published, then ref", []dedupe.Member{
			m(1, 100, "2024-01-01T00:00:00Z", "y"), m(2, 100, "2024-01-01T00:00:00Z", "x")}, 2},
		{"tie: then id", []dedupe.Member{
			m(9, 100, "", "r"), m(4, 100, "", "r"), m(6, 100, "", "r")}, 4},
		{"single", []dedupe.Member{m(5, 0, "", "")}, 5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// The answer must not depend on the order of members.
			permutations(slices.Clone(tc.members), func(ms []dedupe.Member) {
				if got := dedupe.Canonical(ms); got.ID != tc.want {
					t.Errorf("Canonical(%v) = %d, want %d", ms, got.ID, tc.want)
				}
			})
			for _, other := range tc.members {
				best := dedupe.Canonical(tc.members)
				if other.ID == best.ID {
					if dedupe.MoreComplete(other, best) {
						t.Errorf("MoreComplete(x, x) is true for %v", other)
					}
					continue
				}
				if !dedupe.MoreComplete(best, other) || dedupe.MoreComplete(other, best) {
					t.Errorf("MoreComplete disagrees with Canonical for %v vs %v", best, other)
				}
			}
		})
	}
}

func ExampleUnionFind() {
	u := dedupe.NewUnionFind()
	u.Union(7, 3)
	u.Union(3, 5)
	u.Union(10, 12)
	fmt.Println(u.Groups(), u.Find(7))
	// Output: [[3 5 7] [10 12]] 3
}
