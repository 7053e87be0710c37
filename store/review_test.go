package store_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/dedupe"
	"github.com/newsdedup/newsdedup/store"
)

func TestClusterReview(t *testing.T) {
	db := MustOpenDB(t)
	seedMerge(t, db) // cluster 1 of 5, weakest an excerpt of containment 0.7 (article 3); 5 alone
	imp := mustBegin(t, db, "more")
	mustWrite(t, db, &store.Batch{
		ImportID: imp,
		Articles: []store.Article{
			article(7, "m:7", "delta", "seventh", false),
			article(8, "m:8", "delta", "seventh, again", false),
		},
		Links: []dedupe.Pair{{A: 7, B: 8, Relation: dedupe.Near, Jaccard: 0.55, Containment: 0.95}},
		Clusters: []store.ClusterUpdate{{ID: 7, CanonicalID: 8, Size: 2,
			Variants: []store.Variant{{ArticleID: 7, Relation: dedupe.Near, Jaccard: 0.55, Containment: 0.95}}}},
	})
	ctx := t.Context()
	ids := func(cs []store.ClusterSummary) []int64 {
		var out []int64
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}
	for _, tc := range []struct {
		f     store.ClusterFilter
		o     store.ClusterOrder
		ids   []int64
		total int
	}{
		// Near 0.55 is weaker than an excerpt of containment 0.7; a
		// cluster without variants comes last.
		{store.ClusterFilter{MinSize: 1}, store.ByWeakest, []int64{7, 1, 5}, 3},
		{store.ClusterFilter{MinSize: 1}, store.BySize, []int64{1, 7, 5}, 3},
		{store.ClusterFilter{MinSize: 1, Limit: 1, Offset: 1}, store.ByWeakest, []int64{1}, 3},
		{store.ClusterFilter{MinSize: 1, Source: "beta"}, store.ByWeakest, []int64{1, 5}, 2},
	} {
		got, total, err := db.ClusterReview(ctx, tc.f, tc.o)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ids(got), tc.ids) || total != tc.total {
			t.Errorf("ClusterReview(%+v, %s) = %v of %d, want %v of %d", tc.f, tc.o, ids(got), total, tc.ids, tc.total)
		}
	}
	got, _, err := db.ClusterReview(ctx, store.ClusterFilter{MinSize: 1}, store.ByWeakest)
	if err != nil {
		t.Fatal(err)
	}
	c1, c5 := got[1], got[2]
	if w := c1.Weakest; w == nil || w.ID != 3 || w.Relation != dedupe.Excerpt || w.Score() != 0.7 {
		t.Errorf("cluster 1's weakest link: %+v, want article 3, an excerpt at 0.7", w)
	}
	if !slices.Equal(c1.Sources, []string{"alpha", "beta", "gamma"}) || c1.MoreSources != 0 {
		t.Errorf("cluster 1's sources: %v and %d more", c1.Sources, c1.MoreSources)
	}
	if c1.First != "2024-01-01T10:00:00Z" || c1.Last != "2024-01-06T10:00:00Z" {
		t.Errorf("cluster 1's dates: %q to %q", c1.First, c1.Last)
	}
	if c5.Weakest != nil || len(c5.Variants) != 0 || !slices.Equal(c5.Sources, []string{"beta"}) {
		t.Errorf("cluster 5 alone: weakest %+v, sources %v", c5.Weakest, c5.Sources)
	}
}

func TestVariantScore(t *testing.T) {
	for _, c := range []struct {
		v    store.Variant
		want float64
	}{
		{store.Variant{Relation: dedupe.Exact, Jaccard: 0.2, Containment: 0.3}, 1},
		{store.Variant{Relation: dedupe.Near, Jaccard: 0.6, Containment: 0.9}, 0.6},
		{store.Variant{Relation: dedupe.Excerpt, Jaccard: 0.2, Containment: 0.8}, 0.8},
	} {
		if got := c.v.Score(); got != c.want {
			t.Errorf("%+v.Score() = %v, want %v", c.v, got, c.want)
		}
	}
}

func TestSearchHighlighted(t *testing.T) {
	db := MustOpenDB(t)
	ctx := t.Context()
	id := mustBegin(t, db, "s")
	mustWrite(t, db, &store.Batch{ImportID: id, Articles: []store.Article{
		article(1, "s:1", "alpha", "The harbour wall held; the Harbour master said so.", false),
	}})
	hits, err := db.SearchHighlighted(ctx, "harbour", 10, 0)
	if errors.Is(err, store.ErrNoFTS5) {
		t.Skip("built without FTS5: run the tests with -tags sqlite_fts5")
	}
	if err != nil {
		t.Fatal(err)
	}
	want := "The " + store.HitStart + "harbour" + store.HitEnd + " wall held; the " + store.HitStart + "Harbour" + store.HitEnd + " master said so."
	if len(hits) != 1 || hits[0].Snippet != want {
		t.Errorf("SearchHighlighted(harbour) = %+v, want one hit with snippet %q", hits, want)
	}
	plain, err := db.Search(ctx, "harbour", 10, 0)
	if err != nil || len(plain) != 1 || strings.ContainsAny(plain[0].Snippet, store.HitStart+store.HitEnd) {
		t.Errorf("Search(harbour) = %+v, %v; want its snippet unmarked", plain, err)
	}
}

// Exact copies are matched by hash, never scored as candidates: the
// candidate histogram adds them, so that it counts every verified pair.
func TestCandidateHistogramCountsExactCopies(t *testing.T) {
	db := MustOpenDB(t)
	ctx := t.Context()
	seedMerge(t, db) // links: 1-2 exact, 3-4 near, 1-6 and 3-6 excerpts
	id := mustBegin(t, db, "scored")
	sc := store.NewScoreCounts()
	sc.Add(0.8, 0.9) // the near pair
	sc.Add(0.05, 0.1)
	if err := db.FinishImport(ctx, id, "done", store.Counts{Candidates: sc}); err != nil {
		t.Fatal(err)
	}
	h, err := db.SimilarityHistogram(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	sum := func(xs []int) (n int) {
		for _, x := range xs {
			n += x
		}
		return n
	}
	if h.Candidates != 3 || h.ExactPairs != 1 || h.CandidateJaccard[9] != 1 || h.CandidateContainment[9] != 2 ||
		sum(h.CandidateJaccard) != h.Candidates || sum(h.CandidateContainment) != h.Candidates {
		t.Errorf("candidates %d (exact %d), jaccard %v, containment %v; want 2 scored and the exact copy, at 1",
			h.Candidates, h.ExactPairs, h.CandidateJaccard, h.CandidateContainment)
	}
}
