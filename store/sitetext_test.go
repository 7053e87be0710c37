package store_test

import (
	"cmp"
	"fmt"
	"slices"
	"testing"

	"github.com/newsdedup/newsdedup/dedupe"
	"github.com/newsdedup/newsdedup/store"
)

// TestSiteTextAndCandidates: the site text a batch writes replaces the
// stored one; CandidatesTouching finds the same pairs by chunks and by one
// scan of the table; a batch's Replace rewrites a pair's candidate row and
// drops its link.
func TestSiteTextAndCandidates(t *testing.T) {
	db := MustOpenDB(t)
	ctx := t.Context()
	imp := mustBegin(t, db)
	b := &store.Batch{ImportID: imp, SiteText: dedupe.SiteText{"gazette": {7: true, 1 << 63: true}}}
	for id := int64(1); id <= 6; id++ {
		b.Articles = append(b.Articles, article(id, fmt.Sprint("a", id), "gazette", fmt.Sprint("text ", id), false))
		b.Clusters = append(b.Clusters, store.ClusterUpdate{ID: id, CanonicalID: id, Size: 1})
	}
	for _, p := range [][2]int64{{1, 2}, {1, 3}, {2, 5}, {4, 6}} {
		b.Candidates = append(b.Candidates, store.Candidate{A: p[0], B: p[1], Jaccard: 0.3, Containment: 0.7, Shorter: 40, Longer: 90})
	}
	b.Links = []dedupe.Pair{{A: 1, B: 2, Relation: dedupe.Excerpt, Jaccard: 0.3, Containment: 0.7}}
	mustWrite(t, db, b)

	st, err := db.SiteText(ctx)
	if err != nil || !st.Equal(dedupe.SiteText{"gazette": {7: true, 1 << 63: true}}) {
		t.Errorf("SiteText = %v, %v", st, err)
	}
	pairs := func() [][2]int64 {
		cs, err := db.CandidatesTouching(ctx, []int64{2, 6})
		if err != nil {
			t.Fatal(err)
		}
		var out [][2]int64
		for _, c := range cs {
			out = append(out, [2]int64{c.A, c.B})
		}
		slices.SortFunc(out, func(x, y [2]int64) int { return cmp.Or(cmp.Compare(x[0], y[0]), cmp.Compare(x[1], y[1])) })
		return out
	}
	want := [][2]int64{{1, 2}, {2, 5}, {4, 6}}
	if got := pairs(); !slices.Equal(got, want) {
		t.Errorf("by chunks: %v, want %v", got, want)
	}
	defer store.SetScanAllAboveForTest(0)()
	if got := pairs(); !slices.Equal(got, want) {
		t.Errorf("by one scan: %v, want %v", got, want)
	}

	mustWrite(t, db, &store.Batch{ImportID: imp, Replace: [][2]int64{{1, 2}}, SiteText: dedupe.SiteText{},
		Candidates: []store.Candidate{{A: 1, B: 2, Jaccard: 0.1, Containment: 0.2, Shorter: 40, Longer: 90}}})
	cs, err := db.CandidatesTouching(ctx, []int64{1})
	if err != nil || len(cs) != 2 || cs[0].Containment != 0.2 && cs[1].Containment != 0.2 {
		t.Errorf("after Replace: %+v, %v", cs, err)
	}
	if ls, err := db.LinksAmong(ctx, []int64{1, 2}); err != nil || len(ls) != 0 {
		t.Errorf("links after Replace: %v, %v", ls, err)
	}
	if st, err := db.SiteText(ctx); err != nil || len(st) != 0 {
		t.Errorf("SiteText after an empty one: %v, %v", st, err)
	}
}
