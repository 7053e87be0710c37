package pipeline_test

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

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
		var records []map[string]string
		for k, u := range urls {
			records = append(records, map[string]string{"id": "snap" + string(rune('0'+k)), "source": "gazette", "url": u, "text": snapshot(k)})
		}
		return importRecords(t, records...)
	}
	live := "https://gazette.example/live/flood"
	if got := run(live, live, live); len(got) != 1 || strings.Count(got[0], "(version)") != 2 {
		t.Errorf("one page: clusters %q, want one of three, two of them versions", got)
	}
	if got := run(live+"/1", live+"/2", live+"/3"); len(got) != 0 {
		t.Errorf("three pages: clusters %q, want none", got)
	}
}

// TestWriteThruVersions: a wire story and its write-thru two hours later,
// which rewrote a third of it, are versions of one story; the same two
// texts from two wire services, or a day apart, are not.
func TestWriteThruVersions(t *testing.T) {
	paras := pipelinetest.Article(60, 9)
	first := strings.Join(paras[:6], "\n\n")
	thru := strings.Join(append(slices.Clone(paras[:4]), paras[6:9]...), "\n\n")
	run := func(sourceB string, gap time.Duration) []string {
		at := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
		return importRecords(t,
			map[string]string{"id": "first", "source": "wire", "published": at.Format(time.RFC3339), "text": first},
			map[string]string{"id": "thru", "source": sourceB, "published": at.Add(gap).Format(time.RFC3339), "text": thru})
	}
	if got := run("wire", 2*time.Hour); len(got) != 1 || !strings.Contains(got[0], "(version)") {
		t.Errorf("a write-thru: clusters %q, want one, a version", got)
	}
	if got := run("other-wire", 2*time.Hour); len(got) != 0 {
		t.Errorf("another service: clusters %q, want none", got)
	}
	if got := run("wire", 30*time.Hour); len(got) != 0 {
		t.Errorf("a day later: clusters %q, want none", got)
	}
}

// importRecords imports the records, as JSON lines, into a new database
// in one import and returns its clusters (pipelinetest.Clusters).
func importRecords(t *testing.T, records ...map[string]string) []string {
	t.Helper()
	dir := t.TempDir()
	var lines []string
	for _, r := range records {
		b, _ := json.Marshal(r)
		lines = append(lines, string(b)+"\n")
	}
	path := filepath.Join(dir, "in.jsonl")
	pipelinetest.WriteFile(t, path, strings.Join(lines, ""))
	db, err := store.Open(t.Context(), filepath.Join(dir, "r.db"))
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
