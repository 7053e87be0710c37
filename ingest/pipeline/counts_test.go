package pipeline_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/ingest/generate"
	"github.com/newsdedup/newsdedup/ingest/pipeline"
	"github.com/newsdedup/newsdedup/ingest/pipeline/pipelinetest"
)

// TestSummaryEqualsStats: after an import into an empty database the
// summary's duplicate counts are the database's, however many batches
// the import took. A later batch's article joins, splits or takes over
// the clusters of earlier ones, which counting each batch's new members
// alone missed.
func TestSummaryEqualsStats(t *testing.T) {
	path := filepath.Join(t.TempDir(), "corpus.jsonl")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := generate.Write(f, nil, generate.Options{Articles: 1500, Seed: 3, MinParagraphs: 2}); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	for _, batch := range []int{1500, 97, 10} {
		db, _ := openDB(t)
		opts := defaults()
		opts.Batch = batch
		sum, err := pipeline.New(db, opts).Run(t.Context(), []string{path})
		if err != nil {
			t.Fatal(err)
		}
		st, err := db.Stats(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		type counts struct{ exact, near, excerpts, clusters int }
		got := counts{sum.Exact, sum.Near, sum.Excerpts, sum.ClustersTouched}
		want := counts{st.ByRelation["exact"], st.ByRelation["near"], st.ByRelation["excerpt"], st.MultiClusters}
		if got != want {
			t.Errorf("batch %d: summary %+v, stats %+v", batch, got, want)
		}
		if st.Duplicates < 100 {
			t.Errorf("batch %d: %d duplicates: the corpus tests little", batch, st.Duplicates)
		}
	}
}

// TestSummaryIsChange: into a database that holds articles, the summary's
// duplicate counts are what the import changed in it.
func TestSummaryIsChange(t *testing.T) {
	var corpus strings.Builder
	if err := generate.Write(&corpus, nil, generate.Options{Articles: 1200, Seed: 5, MinParagraphs: 2}); err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(corpus.String(), "\n")
	dir := t.TempDir()
	first, second := filepath.Join(dir, "first.jsonl"), filepath.Join(dir, "second.jsonl")
	pipelinetest.WriteFile(t, first, strings.Join(lines[:600], ""))
	pipelinetest.WriteFile(t, second, strings.Join(lines[600:], ""))
	db, _ := openDB(t)
	opts := defaults()
	opts.Batch = 50
	if _, err := pipeline.New(db, opts).Run(t.Context(), []string{first}); err != nil {
		t.Fatal(err)
	}
	before, err := db.Stats(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	sum, err := pipeline.New(db, opts).Run(t.Context(), []string{second})
	if err != nil {
		t.Fatal(err)
	}
	after, err := db.Stats(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		rel       string
		got, want int
	}{
		{"exact", sum.Exact, after.ByRelation["exact"] - before.ByRelation["exact"]},
		{"near", sum.Near, after.ByRelation["near"] - before.ByRelation["near"]},
		{"excerpt", sum.Excerpts, after.ByRelation["excerpt"] - before.ByRelation["excerpt"]},
	} {
		if c.got != c.want {
			t.Errorf("%s: summary %d, change in the database %d", c.rel, c.got, c.want)
		}
	}
	if sum.Exact+sum.Near+sum.Excerpts != after.Duplicates-before.Duplicates || sum.Exact+sum.Near+sum.Excerpts == 0 {
		t.Errorf("duplicates: summary %+v, database %d -> %d", sum.Counts, before.Duplicates, after.Duplicates)
	}
}
