package dedupe

import (
	"cmp"
	"slices"
)

// Relation says how an article relates to another.
type Relation string

// The relations of a verified pair.
const (
	Exact   Relation = "exact"   // identical cleaned text
	Near    Relation = "near"    // Jaccard at or above Params.NearJaccard
	Excerpt Relation = "excerpt" // the shorter mostly contained in the longer
	Version Relation = "version" // one page, or one source's story within hours, again and changed (ClassifyOrigin)
)

// Pair is a verified duplicate pair, A < B.
type Pair struct {
	A, B        int64
	Relation    Relation
	Jaccard     float64
	Containment float64
}

// UnionFind groups ids joined by pairs. The representative of a group is its
// smallest id, so groups get the same name in any order of unions.
type UnionFind struct {
	parent map[int64]int64
}

// NewUnionFind returns an empty UnionFind.
func NewUnionFind() *UnionFind {
	return &UnionFind{parent: make(map[int64]int64)}
}

// Find returns the representative of id's group.
func (u *UnionFind) Find(id int64) int64 {
	p, ok := u.parent[id]
	if !ok {
		return id
	}
	if p == id {
		return id
	}
	r := u.Find(p)
	u.parent[id] = r
	return r
}

// Union joins the groups of a and b.
func (u *UnionFind) Union(a, b int64) {
	ra, rb := u.Find(a), u.Find(b)
	if ra == rb {
		return
	}
	if rb < ra {
		ra, rb = rb, ra
	}
	u.parent[ra] = ra
	u.parent[rb] = ra
}

// Groups returns every group of two or more ids, each sorted, ordered by
// their smallest id.
func (u *UnionFind) Groups() [][]int64 {
	byRoot := make(map[int64][]int64)
	for id := range u.parent {
		r := u.Find(id)
		byRoot[r] = append(byRoot[r], id)
	}
	var out [][]int64
	for _, g := range byRoot {
		if len(g) > 1 {
			slices.Sort(g)
			out = append(out, g)
		}
	}
	slices.SortFunc(out, func(a, b []int64) int { return cmp.Compare(a[0], b[0]) })
	return out
}
