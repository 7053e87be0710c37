package store_test

import (
	"slices"
	"testing"

	"github.com/newsdedup/newsdedup/dedupe"
	"github.com/newsdedup/newsdedup/store"
)

func clusterIDs(cs []store.Cluster) []int64 {
	var ids []int64
	for _, c := range cs {
		ids = append(ids, c.ID)
	}
	return ids
}

func TestClusterPage(t *testing.T) {
	db := MustOpenDB(t)
	seedMerge(t, db) // cluster 1 of 5 (sources alpha, beta, gamma; exact and excerpt), 5 of 1 (beta)
	imp := mustBegin(t, db, "more")
	mustWrite(t, db, &store.Batch{
		ImportID: imp,
		Articles: []store.Article{
			article(7, "m:7", "delta", "seventh", false),
			article(8, "m:8", "delta", "seventh, again", false),
		},
		Links: []dedupe.Pair{{A: 7, B: 8, Relation: dedupe.Near, Jaccard: 0.9, Containment: 0.95}},
		Clusters: []store.ClusterUpdate{{ID: 7, CanonicalID: 8, Size: 2,
			Variants: []store.Variant{{ArticleID: 7, Relation: dedupe.Near, Jaccard: 0.9, Containment: 0.95}}}},
	})
	ctx := t.Context()
	for _, tc := range []struct {
		f     store.ClusterFilter
		ids   []int64
		total int
	}{
		{store.ClusterFilter{MinSize: 1}, []int64{1, 7, 5}, 3},
		{store.ClusterFilter{MinSize: 2}, []int64{1, 7}, 2},
		{store.ClusterFilter{MinSize: 1, Limit: 1, Offset: 1}, []int64{7}, 3},
		{store.ClusterFilter{MinSize: 1, Offset: 5}, nil, 3},
		{store.ClusterFilter{MinSize: 1, Source: "beta"}, []int64{1, 5}, 2},
		{store.ClusterFilter{MinSize: 1, Source: "delta"}, []int64{7}, 1},
		{store.ClusterFilter{MinSize: 1, Relation: "near"}, []int64{1, 7}, 2},
		{store.ClusterFilter{MinSize: 1, Relation: "near", Source: "delta"}, []int64{7}, 1},
		{store.ClusterFilter{MinSize: 1, Relation: "excerpt", Source: "gamma"}, []int64{1}, 1},
		{store.ClusterFilter{MinSize: 1, Relation: "exact", Source: "delta"}, nil, 0},
		{store.ClusterFilter{MinSize: 1, Source: "nobody"}, nil, 0},
	} {
		got, total, err := db.ClusterPage(ctx, tc.f)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(clusterIDs(got), tc.ids) || total != tc.total {
			t.Errorf("ClusterPage(%+v) = %v of %d, want %v of %d", tc.f, clusterIDs(got), total, tc.ids, tc.total)
		}
	}
	got, _, err := db.ClusterPage(ctx, store.ClusterFilter{MinSize: 2, Limit: 1})
	if err != nil || len(got) != 1 {
		t.Fatal(got, err)
	}
	if c := got[0]; c.Size != 5 || c.Canonical.ID != 6 || len(c.Variants) != 4 {
		t.Errorf("cluster 1 = %+v, want size 5, canonical 6, 4 variants", c)
	}
}

func TestSources(t *testing.T) {
	db := MustOpenDB(t)
	seedMerge(t, db)
	got, err := db.Sources(t.Context())
	if err != nil || !slices.Equal(got, []string{"alpha", "beta", "gamma"}) {
		t.Errorf("Sources = %q, %v", got, err)
	}
}

func TestLinksOf(t *testing.T) {
	db := MustOpenDB(t)
	seedMerge(t, db)
	got, err := db.LinksOf(t.Context(), 6)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Other.ID != 1 || got[1].Other.ID != 3 ||
		got[1].Relation != "excerpt" || got[1].Jaccard != 0.35 || got[1].Containment != 0.7 || got[1].Other.Ref != "one:3" {
		t.Errorf("LinksOf(6) = %+v", got)
	}
	got, err = db.LinksOf(t.Context(), 3)
	if err != nil || len(got) != 2 || got[0].Other.ID != 4 || got[1].Other.ID != 6 {
		t.Errorf("LinksOf(3) = %+v, %v", got, err)
	}
	if got, err := db.LinksOf(t.Context(), 99); err != nil || len(got) != 0 {
		t.Errorf("LinksOf(99) = %+v, %v", got, err)
	}
}

func TestSimilarityHistogram(t *testing.T) {
	db := MustOpenDB(t)
	seedMerge(t, db)
	// Links: 1-2 (1, 1), 3-4 (0.8, 0.9), 1-6 (0.3, 1), 3-6 (0.35, 0.7).
	// Variants: 2 (1, 1), 4 (0.8, 0.9), 1 (0.3, 1), 3 (0.35, 0.7).
	h, err := db.SimilarityHistogram(t.Context(), 10)
	if err != nil {
		t.Fatal(err)
	}
	wantJ := []int{0, 0, 0, 2, 0, 0, 0, 0, 1, 1}
	wantC := []int{0, 0, 0, 0, 0, 0, 0, 1, 0, 3}
	if h.Buckets != 10 || h.Links != 4 || h.Variants != 4 ||
		!slices.Equal(h.LinkJaccard, wantJ) || !slices.Equal(h.LinkContainment, wantC) ||
		!slices.Equal(h.VariantJaccard, wantJ) || !slices.Equal(h.VariantContainment, wantC) {
		t.Errorf("histogram = %+v", h)
	}
	if _, err := db.SimilarityHistogram(t.Context(), 0); err == nil {
		t.Error("0 buckets accepted")
	}
	empty := MustOpenDB(t)
	if h, err := empty.SimilarityHistogram(t.Context(), 4); err != nil || h.Links != 0 || len(h.LinkJaccard) != 4 {
		t.Errorf("empty histogram = %+v, %v", h, err)
	}
}

// TestCandidateHistogram: the candidate counts that imports record, rejected
// pairs included, add up across imports into coarser buckets.
func TestCandidateHistogram(t *testing.T) {
	db := MustOpenDB(t)
	ctx := t.Context()
	for _, scores := range [][2]float64{{0.02, 0.05}, {0.03, 0.04}, {0.97, 1}} {
		id, err := db.BeginImport(ctx, nil, store.Settings{})
		if err != nil {
			t.Fatal(err)
		}
		sc := store.NewScoreCounts()
		sc.Add(scores[0], scores[1])
		if err := db.FinishImport(ctx, id, "done", store.Counts{Candidates: sc}); err != nil {
			t.Fatal(err)
		}
	}
	h, err := db.SimilarityHistogram(ctx, 20)
	if err != nil {
		t.Fatal(err)
	}
	if h.Candidates != 3 || h.CandidateJaccard[0] != 2 || h.CandidateJaccard[19] != 1 ||
		h.CandidateContainment[0] != 1 || h.CandidateContainment[1] != 1 || h.CandidateContainment[19] != 1 {
		t.Errorf("candidates %d, jaccard %v, containment %v", h.Candidates, h.CandidateJaccard, h.CandidateContainment)
	}
}
