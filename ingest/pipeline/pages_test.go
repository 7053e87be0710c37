package pipeline_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/dedupe"
	"github.com/newsdedup/newsdedup/ingest"
	"github.com/newsdedup/newsdedup/ingest/pipeline"
	"github.com/newsdedup/newsdedup/ingest/pipeline/pipelinetest"
	"github.com/newsdedup/newsdedup/store"
)

// TestPageVersions: three snapshots of one live blog, each with eight
// entries of which the oldest three roll off, are versions of its page
// though no two are near duplicates; the same snapshots at three URLs are
// three pages.
func TestPageVersions(t *testing.T) {
	entries := pipelinetest.Article(40, 14)
	snapshot := func(k int) string {
		return "Live: the flood, hour by hour\n\n" + strings.Join(entries[3*k:3*k+8], "\n\n")
	}
	run := func(urls ...string) []string {
		dir := t.TempDir()
		var lines []string
		for k, u := range urls {
			b, _ := json.Marshal(map[string]string{"id": "snap" + string(rune('0'+k)), "source": "gazette", "url": u, "text": snapshot(k)})
			lines = append(lines, string(b)+"\n")
		}
		path := filepath.Join(dir, "blog.jsonl")
		pipelinetest.WriteFile(t, path, strings.Join(lines, ""))
		db, err := store.Open(t.Context(), filepath.Join(dir, "p.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		opts := pipeline.Options{Params: dedupe.DefaultParams(), Rules: ingest.DefaultRules()}
		if _, err := pipeline.New(db, opts).Run(t.Context(), []string{path}); err != nil {
			t.Fatal(err)
		}
		return pipelinetest.Clusters(t, db)
	}
	live := "https://gazette.example/live/flood"
	if got := run(live, live, live); len(got) != 1 || strings.Count(got[0], "(version)") != 2 {
		t.Errorf("one page: clusters %q, want one of three, two of them versions", got)
	}
	if got := run(live+"/1", live+"/2", live+"/3"); len(got) != 0 {
		t.Errorf("three pages: clusters %q, want none", got)
	}
}
