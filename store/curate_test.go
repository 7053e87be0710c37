package store_test

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/dedupe"
	"github.com/newsdedup/newsdedup/store"
)

// words returns n distinct made-up words starting at the n-th.
func words(from, n int) string {
	ws := make([]string, n)
	for i := range ws {
		ws[i] = fmt.Sprintf("w%dx", from+i)
	}
	return strings.Join(ws, " ")
}

var (
	fullText   = words(0, 120)                                       // 1, the canonical
	nearText   = words(0, 100) + " changed ending " + words(500, 10) // 2: near 1
	teaserText = words(0, 50)                                        // 3: an excerpt of 1
	otherText  = words(1000, 80)                                     // 5 and its copy 6
)

// seedCuration writes cluster 1 = {1 full, 2 near, 3 excerpt, 4 exact copy
// of 1} and cluster 5 = {5, 6 exact copy of 5}.
func seedCuration(tb testing.TB, db *store.DB) {
	tb.Helper()
	imp := mustBegin(tb, db, "feed.jsonl")
	mustWrite(tb, db, &store.Batch{
		ImportID: imp,
		Articles: []store.Article{
			article(1, "full", "s", fullText, false),
			article(2, "near", "s", nearText, false),
			article(3, "teaser", "s", teaserText, false),
			article(4, "copy", "s", fullText, true),
			article(5, "other", "s", otherText, false),
			article(6, "other-copy", "s", otherText, true),
		},
		Links: []dedupe.Pair{
			{A: 1, B: 2, Relation: dedupe.Near, Jaccard: 0.7, Containment: 0.8},
			{A: 1, B: 3, Relation: dedupe.Excerpt, Jaccard: 0.4, Containment: 1},
			{A: 1, B: 4, Relation: dedupe.Exact, Jaccard: 1, Containment: 1},
			{A: 5, B: 6, Relation: dedupe.Exact, Jaccard: 1, Containment: 1},
		},
		Clusters: []store.ClusterUpdate{
			{ID: 1, CanonicalID: 1, Size: 4, Variants: []store.Variant{
				{ArticleID: 2, Relation: dedupe.Near, Jaccard: 0.7, Containment: 0.8},
				{ArticleID: 3, Relation: dedupe.Excerpt, Jaccard: 0.4, Containment: 1},
				{ArticleID: 4, Relation: dedupe.Exact, Jaccard: 1, Containment: 1},
			}},
			{ID: 5, CanonicalID: 5, Size: 2, Variants: []store.Variant{
				{ArticleID: 6, Relation: dedupe.Exact, Jaccard: 1, Containment: 1},
			}},
		},
	})
}

func curation(why string) store.Curation {
	return store.Curation{By: "ada", Why: why, Params: dedupe.DefaultParams()}
}

// shape describes a cluster: "canonical: variant=relation ...".
func shape(tb testing.TB, db *store.DB, id int64) string {
	tb.Helper()
	c, err := db.Cluster(tb.Context(), id)
	if err != nil {
		tb.Fatalf("cluster %d: %v", id, err)
	}
	s := fmt.Sprintf("%d:", c.Canonical.ID)
	for _, v := range c.Variants {
		s += fmt.Sprintf(" %d=%s", v.ID, v.Relation)
		if v.Via != 0 {
			s += fmt.Sprintf("@%d", v.Via)
		}
	}
	if len(c.Variants)+1 != c.Size {
		tb.Errorf("cluster %d has size %d and %d variants", id, c.Size, len(c.Variants))
	}
	return s
}

func TestSplitCluster(t *testing.T) {
	for _, c := range []struct {
		name     string
		move     []int64
		clusters map[int64]string // id -> shape, for every cluster of cluster 1's members after
		seps     [][2]int64
	}{
		{"variants out", []int64{3, 2}, map[int64]string{1: "1: 4=exact", 2: "2: 3=excerpt"},
			[][2]int64{{1, 2}, {1, 3}, {2, 4}, {3, 4}}},
		// Moving the smallest member gives the rest a new id, and the
		// rest a new canonical: the copy of the old one.
		{"canonical out", []int64{1}, map[int64]string{1: "1:", 2: "4: 2=near 3=excerpt"},
			[][2]int64{{1, 2}, {1, 3}, {1, 4}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			db := MustOpenDB(t)
			db.Now = func() time.Time { return time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC) }
			seedCuration(t, db)
			d, err := db.SplitCluster(t.Context(), 1, c.move, curation("different events"))
			if err != nil {
				t.Fatal(err)
			}
			for id, want := range c.clusters {
				if got := shape(t, db, id); got != want {
					t.Errorf("cluster %d = %q, want %q", id, got, want)
				}
			}
			if len(d.Clusters) != 2 {
				t.Errorf("decision result %+v, want 2 clusters", d.Clusters)
			}
			all := make([]int64, 0)
			for i := int64(1); i <= 6; i++ {
				all = append(all, i)
			}
			got, err := db.Separated(t.Context(), all)
			if err != nil {
				t.Fatal(err)
			}
			want := map[[2]int64]bool{}
			for _, p := range c.seps {
				want[p] = true
			}
			if !maps.Equal(got, want) {
				t.Errorf("Separated = %v, want %v", got, want)
			}
			ds, err := db.Decisions(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if len(ds) != 1 || ds[0].Kind != "split" || ds[0].By != "ada" || ds[0].Why != "different events" ||
				ds[0].At != "2026-03-04T05:06:07Z" || !slices.Equal(ds[0].ArticleIDs, sortedCopy(c.move)) || len(ds[0].Clusters) != 2 {
				t.Errorf("decisions = %+v", ds)
			}
			r := rawDB(t, db)
			if n := count(t, r, `SELECT COUNT(*) FROM variants v JOIN articles a ON a.id = v.article_id WHERE v.cluster_id != a.cluster_id`); n != 0 {
				t.Errorf("%d variant rows name another cluster than their article's", n)
			}
			if n := count(t, r, `SELECT COUNT(*) FROM articles a LEFT JOIN clusters c ON c.id = a.cluster_id WHERE c.id IS NULL`); n != 0 {
				t.Errorf("%d articles in no cluster", n)
			}
		})
	}
}

func sortedCopy(ids []int64) []int64 {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	return ids
}

func TestSeparatedOnlyForAsked(t *testing.T) {
	db := MustOpenDB(t)
	seedCuration(t, db)
	if _, err := db.SplitCluster(t.Context(), 1, []int64{3}, curation("")); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		ids  []int64
		want [][2]int64
	}{
		{[]int64{3}, [][2]int64{{1, 3}, {2, 3}, {3, 4}}},
		{[]int64{2}, [][2]int64{{2, 3}}},
		{[]int64{5, 6}, nil},
		{nil, nil},
	} {
		got, err := db.Separated(t.Context(), c.ids)
		if err != nil {
			t.Fatal(err)
		}
		want := map[[2]int64]bool{}
		for _, p := range c.want {
			want[p] = true
		}
		if !maps.Equal(got, want) {
			t.Errorf("Separated(%v) = %v, want %v", c.ids, got, want)
		}
	}
}

func TestCurationRefused(t *testing.T) {
	db := MustOpenDB(t)
	seedCuration(t, db)
	ctx := t.Context()
	for _, c := range []struct {
		name string
		do   func() error
		want error
	}{
		{"split everything", func() error { _, err := db.SplitCluster(ctx, 1, []int64{1, 2, 3, 4}, curation("")); return err }, store.ErrRefused},
		{"split a stranger", func() error { _, err := db.SplitCluster(ctx, 1, []int64{2, 5}, curation("")); return err }, store.ErrRefused},
		{"split nothing", func() error { _, err := db.SplitCluster(ctx, 1, nil, curation("")); return err }, store.ErrRefused},
		{"split no cluster", func() error { _, err := db.SplitCluster(ctx, 2, []int64{2}, curation("")); return err }, store.ErrNotFound},
		{"merge itself", func() error { _, err := db.MergeClusters(ctx, 1, 1, curation("")); return err }, store.ErrRefused},
		{"merge no cluster", func() error { _, err := db.MergeClusters(ctx, 1, 99, curation("")); return err }, store.ErrNotFound},
		{"pin no article", func() error { _, err := db.SetCanonical(ctx, 99, curation("")); return err }, store.ErrNotFound},
	} {
		if err := c.do(); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	// A refused decision leaves nothing behind.
	r := rawDB(t, db)
	for _, tbl := range []string{"decisions", "separations", "pinned"} {
		if n := count(t, r, `SELECT COUNT(*) FROM `+tbl); n != 0 {
			t.Errorf("%d rows in %s after refused decisions", n, tbl)
		}
	}
	if got := shape(t, db, 1); got != "1: 2=near 3=excerpt 4=exact" {
		t.Errorf("cluster 1 changed: %q", got)
	}
}

func TestMergeClusters(t *testing.T) {
	db := MustOpenDB(t)
	seedCuration(t, db)
	ctx := t.Context()
	if _, err := db.SplitCluster(ctx, 1, []int64{2, 3}, curation("")); err != nil {
		t.Fatal(err)
	}
	// Merging the parts back lifts the separations.
	d, err := db.MergeClusters(ctx, 2, 1, curation("same event after all"))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Clusters) != 1 || d.Clusters[0] != (store.ClusterState{ID: 1, CanonicalID: 1, Size: 4}) {
		t.Errorf("merge result %+v", d.Clusters)
	}
	if got := shape(t, db, 1); got != "1: 2=near 3=excerpt 4=exact" {
		t.Errorf("merged cluster = %q", got)
	}
	if seps, _ := db.Separated(ctx, []int64{1, 2, 3, 4}); len(seps) != 0 {
		t.Errorf("separations after the merge: %v", seps)
	}
	if _, err := db.Cluster(ctx, 2); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("cluster 2 after merging it into 1: %v", err)
	}
	// Unrelated clusters merge too, on a person's word; the members that
	// share nothing with the canonical keep a relation through their
	// verified pair (6 is an exact copy of 5).
	if _, err := db.MergeClusters(ctx, 5, 1, curation("one story")); err != nil {
		t.Fatal(err)
	}
	got := shape(t, db, 1)
	if !strings.HasPrefix(got, "1: 2=near 3=excerpt 4=exact 5=") || !strings.HasSuffix(got, " 6=exact@5") {
		t.Errorf("merged unrelated clusters = %q", got)
	}
	if st, _ := db.Stats(ctx); st.Clusters != 1 || st.Duplicates != 5 {
		t.Errorf("stats after merges: %d clusters, %d duplicates; want 1 and 5", st.Clusters, st.Duplicates)
	}
}

func TestSetCanonical(t *testing.T) {
	db := MustOpenDB(t)
	seedCuration(t, db)
	ctx := t.Context()
	if _, err := db.SetCanonical(ctx, 3, curation("the teaser is the real one")); err != nil {
		t.Fatal(err)
	}
	// Against the teaser, the full text and its copy are the longer
	// versions containing it; the near version too.
	if got := shape(t, db, 1); got != "3: 1=excerpt 2=excerpt 4=excerpt" {
		t.Errorf("cluster after canonical set = %q", got)
	}
	pinned := func(clusters ...int64) map[int64]int64 {
		out := map[int64]int64{}
		for _, c := range clusters {
			ids, err := db.MemberIDs(ctx, c)
			if err != nil {
				t.Fatal(err)
			}
			ps, err := db.PinsOf(ctx, ids)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range ps {
				if out[c] != 0 {
					t.Errorf("cluster %d holds two pins: %v", c, ps)
				}
				out[c] = p.ID
			}
		}
		return out
	}
	if pins := pinned(1, 5, 99); !maps.Equal(pins, map[int64]int64{1: 3}) {
		t.Errorf("pins = %v, want map[1:3]", pins)
	}
	// The pin survives a split that leaves the article where it is...
	if _, err := db.SplitCluster(ctx, 1, []int64{2}, curation("")); err != nil {
		t.Fatal(err)
	}
	if got := shape(t, db, 1); !strings.HasPrefix(got, "3:") {
		t.Errorf("pinned canonical lost in a split: %q", got)
	}
	// ...and a merge, where the first cluster's pin wins.
	if _, err := db.SetCanonical(ctx, 6, curation("")); err != nil {
		t.Fatal(err)
	}
	if _, err := db.MergeClusters(ctx, 1, 5, curation("")); err != nil {
		t.Fatal(err)
	}
	if pins := pinned(1); !maps.Equal(pins, map[int64]int64{1: 3}) {
		t.Errorf("Pins after merge = %v, want map[1:3]", pins)
	}
	if c, _ := db.Cluster(ctx, 1); c.Canonical.ID != 3 {
		t.Errorf("canonical after merge = %d, want 3", c.Canonical.ID)
	}
	// A new pin in the same cluster replaces the old one.
	if _, err := db.SetCanonical(ctx, 1, curation("")); err != nil {
		t.Fatal(err)
	}
	if pins := pinned(1); !maps.Equal(pins, map[int64]int64{1: 1}) {
		t.Errorf("Pins after a second pin = %v, want map[1:1]", pins)
	}
	if ds, _ := db.Decisions(ctx); len(ds) != 5 || ds[0].Kind != "canonical" || !slices.Equal(ds[0].ArticleIDs, []int64{1}) || ds[0].ClusterID != 1 {
		t.Errorf("decisions = %+v", ds)
	}
}
