package pipeline_test

import (
	"path/filepath"
	"testing"

	"github.com/newsdedup/newsdedup/ingest/pipeline"
	"github.com/newsdedup/newsdedup/ingest/pipeline/pipelinetest"
)

// TestRunCounters: every item, rejected or not, passes the counters of
// every stage, batch after batch.
func TestRunCounters(t *testing.T) {
	dir := pipelinetest.SmallCorpus(t)
	pipelinetest.WriteFile(t, filepath.Join(dir, "empty.txt"), " \n")
	db, _ := openDB(t)
	opts := defaults()
	opts.Batch = 3
	opts.Counters = new(pipeline.Counters)
	sum, err := pipeline.New(db, opts).Run(t.Context(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	items := int64(sum.Read + sum.Rejected)
	c := opts.Counters
	if items != 9 || c.Read.Load() != items || c.Prepared.Load() != items || c.Matched.Load() != items {
		t.Errorf("counters read %d, prepared %d, matched %d; want %d each (summary %+v)", c.Read.Load(), c.Prepared.Load(), c.Matched.Load(), items, sum.Counts)
	}
}
