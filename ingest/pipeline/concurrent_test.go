package pipeline_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/newsdedup/newsdedup/dedupe"
	"github.com/newsdedup/newsdedup/ingest/pipeline"
	"github.com/newsdedup/newsdedup/ingest/pipeline/pipelinetest"
	"github.com/newsdedup/newsdedup/store"
)

// storyFeeds writes two JSONL files of n stories: the first holds each
// story's full text and a teaser, the second an exact copy, a longer
// version and another teaser of each, so that every batch of the second
// touches clusters stored by the first.
func storyFeeds(t *testing.T, n int) (first, second string) {
	t.Helper()
	dir := t.TempDir()
	first, second = filepath.Join(dir, "first.jsonl"), filepath.Join(dir, "second.jsonl")
	var a, b strings.Builder
	for i := range n {
		paras := pipelinetest.Article(int64(1000+i), 8)
		full := strings.Join(paras, "\n\n")
		longer := full + "\n\n" + strings.Join(pipelinetest.Article(int64(5000+i), 2), "\n\n")
		for j, text := range []string{full, strings.Join(paras[:3], "\n\n")} {
			fmt.Fprintf(&a, "{\"id\":\"s%d-%d\",\"text\":%s}\n", i, j, quote(text))
		}
		for j, text := range []string{full, longer, strings.Join(paras[2:5], "\n\n")} {
			fmt.Fprintf(&b, "{\"id\":\"t%d-%d\",\"text\":%s}\n", i, j, quote(text))
		}
	}
	pipelinetest.WriteFile(t, first, a.String())
	pipelinetest.WriteFile(t, second, b.String())
	return first, second
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestImportWithConcurrentCuration runs an import while a person splits
// and merges clusters, repeatedly: every batch placed from clusters that a
// decision changed is placed again, and the database's invariants hold
// after each run (the corruption this prevents: sizes that disagree with
// members, members without variant rows).
func TestImportWithConcurrentCuration(t *testing.T) {
	runs := 20
	if testing.Short() {
		runs = 3
	}
	first, second := storyFeeds(t, 60)
	for run := range runs {
		db, _ := openDB(t)
		// The first feed makes clusters for the person to change.
		opts := defaults()
		opts.Batch = 10
		if _, err := pipeline.New(db, opts).Run(t.Context(), []string{first}); err != nil {
			t.Fatal(err)
		}

		ctx, stop := context.WithCancel(t.Context())
		var wg sync.WaitGroup
		decisions := 0
		wg.Go(func() {
			c := store.Curation{By: "test", Params: dedupe.DefaultParams()}
			for i := 0; ctx.Err() == nil; i++ {
				var big []store.Cluster
				db.EachCluster(ctx, 2, func(cl store.Cluster) error { big = append(big, cl); return nil })
				if len(big) < 2 {
					continue
				}
				a, b := big[i%len(big)], big[(i+1)%len(big)]
				if len(a.Variants) == 0 {
					// EachCluster read the cluster and its variants in two
					// queries, around a batch that placed it again.
					continue
				}
				var err error
				if i%2 == 0 {
					_, err = db.SplitCluster(ctx, a.ID, []int64{a.Variants[0].ID}, c)
				} else {
					_, err = db.MergeClusters(ctx, a.ID, b.ID, c)
				}
				// Decisions as fast as the database takes them: the import
				// still gets every batch in (after a few stale placements it
				// holds the write lock while it places).
				switch {
				case err == nil:
					decisions++
				case ctx.Err() != nil, errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrRefused):
					// The import or an earlier decision changed the cluster.
				default:
					t.Errorf("decision: %v", err)
					return
				}
			}
		})
		sum, err := pipeline.New(db, opts).Run(t.Context(), []string{second})
		stop()
		wg.Wait()
		if err != nil {
			t.Fatalf("run %d: import: %v", run, err)
		}
		ps, err := db.Check(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) > 0 {
			t.Fatalf("run %d (%d decisions): %d problems: %+v", run, decisions, len(ps), ps)
		}
		if sum.New != 180 {
			t.Errorf("run %d: summary %+v, want 180 new", run, sum.Counts)
		}
		t.Logf("run %d: %d decisions", run, decisions)
	}
}
