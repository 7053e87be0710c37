package store_test

import (
	"errors"
	"testing"

	"github.com/newsdedup/newsdedup/dedupe"
	"github.com/newsdedup/newsdedup/store"
)

// TestCheck: a consistent database has no problems, and each way of
// breaking an invariant is reported by name.
func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		name, breakIt, want string
	}{
		{"consistent", "", ""},
		{"size", `UPDATE clusters SET size = 4 WHERE id = 1`, "a cluster's size is its member count"},
		{"canonical elsewhere", `UPDATE clusters SET canonical_id = 3 WHERE id = 1`, "the canonical is a member"},
		{"missing variant", `DELETE FROM variants WHERE article_id = 2`, "one variants row per non-canonical member"},
		{"stale variant", `UPDATE variants SET canonical_id = 2 WHERE article_id = 2`, "a variants row agrees with its cluster"},
		{"dangling link", `INSERT INTO links (a, b, relation, jaccard, containment, import_id) VALUES (1, 99, 'near', 0.9, 0.9, 1)`, "every link's articles exist"},
		{"no cluster", `UPDATE articles SET cluster_id = 42 WHERE id = 3`, "every article is in a cluster"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := MustOpenDB(t)
			seedCopy(t, db)
			ctx := t.Context()
			if tc.breakIt != "" {
				if err := db.ExecForTest(ctx, `PRAGMA foreign_keys = OFF; `+tc.breakIt); err != nil {
					t.Fatal(err)
				}
			}
			ps, err := db.Check(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if tc.want == "" {
				if len(ps) != 0 {
					t.Errorf("problems in a consistent database: %+v", ps)
				}
				return
			}
			found := false
			for _, p := range ps {
				found = found || p.Invariant == tc.want
			}
			if !found {
				t.Errorf("problems %+v, want one of %q", ps, tc.want)
			}
		})
	}
}

// TestStaleBatchRefused: a batch placed before a decision changed the
// clusters is refused whole, and one placed after is written.
func TestStaleBatchRefused(t *testing.T) {
	db := MustOpenDB(t)
	seedCuration(t, db)
	ctx := t.Context()
	gen, err := db.ClusterGeneration(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SplitCluster(ctx, 1, []int64{4}, store.Curation{By: "t", Params: dedupe.DefaultParams()}); err != nil {
		t.Fatal(err)
	}
	next := int64(7)
	stale := &store.Batch{ImportID: 1, Generation: gen,
		Articles: []store.Article{article(next, "n.json", "s", "Text one, the original. Zürich.", true)},
		Clusters: []store.ClusterUpdate{{ID: 1, CanonicalID: 1, Size: 5, Variants: []store.Variant{{ArticleID: next, Relation: dedupe.Exact, Jaccard: 1, Containment: 1}}}},
	}
	if n, _ := db.NextID(ctx); n != next {
		t.Fatalf("NextID %d, the test wants %d", n, next)
	}
	if err := db.WriteBatch(ctx, stale); !errors.Is(err, store.ErrStaleClusters) {
		t.Fatalf("stale batch: err = %v, want ErrStaleClusters", err)
	}
	if n, _ := db.NextID(ctx); n != next {
		t.Errorf("a refused batch stored articles: NextID %d", n)
	}
	now, _ := db.ClusterGeneration(ctx)
	if now <= gen {
		t.Errorf("generation %d after a decision, was %d", now, gen)
	}
	ps, err := db.Check(ctx)
	if err != nil || len(ps) != 0 {
		t.Errorf("check after a refused batch: %+v, %v", ps, err)
	}
}
