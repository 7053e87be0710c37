package pipeline_test

import (
	"context"
	"fmt"
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

func openDB(t *testing.T) (*store.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "t.db")
	db, err := store.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

func defaults() pipeline.Options {
	return pipeline.Options{Params: dedupe.DefaultParams(), Rules: ingest.DefaultRules()}
}

// TestRunSmallCorpus imports the small corpus and checks the summary,
// the clusters and the import's record.
func TestRunSmallCorpus(t *testing.T) {
	dir := pipelinetest.SmallCorpus(t)
	db, _ := openDB(t)
	sum, err := pipeline.New(db, defaults()).Run(t.Context(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	want := store.Counts{Read: 8, New: 8, Exact: 1, Near: 1, Excerpts: 1, ClustersTouched: 2}
	got := sum.Counts
	got.Candidates = nil
	if sum.ImportID != 1 || got != want {
		t.Errorf("summary = %d %+v, want 1 %+v", sum.ImportID, got, want)
	}
	if got := pipelinetest.Clusters(t, db); !slices.Equal(got, pipelinetest.SmallCorpusClusters) {
		t.Errorf("clusters = %q, want %q", got, pipelinetest.SmallCorpusClusters)
	}
	ims, err := db.Imports(t.Context())
	if err != nil || len(ims) != 1 {
		t.Fatal(ims, err)
	}
	if ims[0].Status != "done" || ims[0].Counts.New != 8 || ims[0].Settings.RuleCount != ingest.DefaultRules().Len() {
		t.Errorf("record = %+v", ims[0])
	}
}

// TestRunRecordsRules: an import with rules of its own records them, and
// the database's settings clean with them afterwards.
func TestRunRecordsRules(t *testing.T) {
	dir := t.TempDir()
	body := strings.Join(pipelinetest.Article(7, 6), "\n\n")
	pipelinetest.WriteFile(t, filepath.Join(dir, "a.txt"), "SPONSORED CONTENT\n\n"+body)
	rules, err := ingest.ParseRules("mine.rules", strings.NewReader("drop sponsored SPONSORED CONTENT\n"))
	if err != nil {
		t.Fatal(err)
	}
	db, _ := openDB(t)
	opts := defaults()
	opts.Rules = rules // and not the built-in ones
	if _, err := pipeline.New(db, opts).Run(t.Context(), []string{dir}); err != nil {
		t.Fatal(err)
	}
	s, ok, err := db.Settings(t.Context())
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	recorded, err := s.CleanRules()
	if err != nil {
		t.Fatal(err)
	}
	if recorded.Len() != 1 || recorded.Clean("SPONSORED CONTENT\n\n"+body) != body {
		t.Errorf("recorded rules: %d, text %q", recorded.Len(), recorded.Text())
	}
}

// TestRunInterrupted cancels an import after its first batch: the
// database is consistent, and the same import run again completes it with
// the same clusters as an uninterrupted one.
func TestRunInterrupted(t *testing.T) {
	dir := pipelinetest.SmallCorpus(t)
	db, _ := openDB(t)
	ctx, cancel := context.WithCancel(t.Context())
	opts := defaults()
	opts.Batch, opts.Workers = 2, 1
	opts.Progress = func(pipeline.Summary) { cancel() }
	sum, err := pipeline.New(db, opts).Run(ctx, []string{dir})
	if err == nil || !sum.Interrupted {
		t.Fatalf("Run = %v, interrupted %v; want a cancelled run", err, sum.Interrupted)
	}
	if sum.New == 0 || sum.New >= 8 {
		t.Errorf("interrupted import stored %d articles, want some but not all", sum.New)
	}
	if ok, err := db.IntegrityCheck(t.Context()); ok != "ok" || err != nil {
		t.Errorf("integrity_check = %q, %v", ok, err)
	}
	again, err := pipeline.New(db, defaults()).Run(t.Context(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if again.AlreadyStored != sum.New || again.New != 8-sum.New {
		t.Errorf("re-run: %d already stored, %d new; want %d and %d", again.AlreadyStored, again.New, sum.New, 8-sum.New)
	}
	if got := pipelinetest.Clusters(t, db); !slices.Equal(got, pipelinetest.SmallCorpusClusters) {
		t.Errorf("clusters after resume = %q, want %q", got, pipelinetest.SmallCorpusClusters)
	}
	ims, _ := db.Imports(t.Context())
	if len(ims) != 2 || ims[1].Status != "interrupted" || ims[0].Status != "done" {
		t.Errorf("imports = %+v", ims)
	}
}

// TestRunMemoryBounds runs imports whose batches are cut by bytes and
// whose read window is smaller than any article: both still complete,
// with the clusters of an unbounded import, and the batches follow the
// byte bound.
func TestRunMemoryBounds(t *testing.T) {
	dir := pipelinetest.SmallCorpus(t)
	for _, tc := range []struct {
		name               string
		window, batchBytes int64
		minBatches         int
	}{
		{"byte batches", 0, 4000, 4}, // eight articles of 1-3 KB, two copies of each text
		{"tiny window", 1, 0, 1},
		{"both", 100, 1, 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, _ := openDB(t)
			opts := defaults()
			opts.Batch, opts.Window, opts.BatchBytes = 1000, tc.window, tc.batchBytes
			batches := 0
			opts.Progress = func(pipeline.Summary) { batches++ }
			if _, err := pipeline.New(db, opts).Run(t.Context(), []string{dir}); err != nil {
				t.Fatal(err)
			}
			if batches < tc.minBatches {
				t.Errorf("%d batches, want at least %d", batches, tc.minBatches)
			}
			if got := pipelinetest.Clusters(t, db); !slices.Equal(got, pipelinetest.SmallCorpusClusters) {
				t.Errorf("clusters %v, want %v", got, pipelinetest.SmallCorpusClusters)
			}
		})
	}
}

// TestRunStrictTinyWindow stops at a bad record with a window that holds
// one record at a time: the import ends with the record's error, keeping
// what came before it.
func TestRunStrictTinyWindow(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	for i := range 40 {
		if i == 3 {
			b.WriteString("{not json\n")
			continue
		}
		fmt.Fprintf(&b, "{\"id\":\"r%d\",\"text\":%q}\n", i, strings.Join(pipelinetest.Article(int64(300+i), 4), "\n\n"))
	}
	in := filepath.Join(dir, "feed.jsonl")
	pipelinetest.WriteFile(t, in, b.String())
	db, _ := openDB(t)
	opts := defaults()
	opts.Batch, opts.Window, opts.Read = 2, 1, ingest.Options{Strict: true}
	type result struct {
		sum pipeline.Summary
		err error
	}
	done := make(chan result, 1)
	go func() {
		sum, err := pipeline.New(db, opts).Run(t.Context(), []string{in})
		done <- result{sum, err}
	}()
	select {
	case r := <-done:
		if r.err == nil || !strings.Contains(r.err.Error(), "feed.jsonl:4") {
			t.Errorf("Run = %v, want the error of feed.jsonl:4", r.err)
		}
		if r.sum.New != 3 {
			t.Errorf("stored %d articles, want the 3 before the bad record", r.sum.New)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("a strict import with a full window did not end")
	}
}

// TestRunSeenAcrossBatches imports, one article a batch into a new
// database, an article, two others, an exact copy of the first and the
// first file again: the copy and the repeat come batches after the
// first, where only the database knows of it, and must still be found.
func TestRunSeenAcrossBatches(t *testing.T) {
	dir := t.TempDir()
	one := "Story one headline\n\n" + strings.Join(pipelinetest.Article(1, 8), "\n\n")
	pipelinetest.WriteFile(t, filepath.Join(dir, "one.txt"), one)
	pipelinetest.WriteFile(t, filepath.Join(dir, "two.txt"), strings.Join(pipelinetest.Article(2, 8), "\n\n"))
	pipelinetest.WriteFile(t, filepath.Join(dir, "three.txt"), strings.Join(pipelinetest.Article(3, 8), "\n\n"))
	pipelinetest.WriteFile(t, filepath.Join(dir, "z_copy.txt"), one)
	var paths []string
	for _, f := range []string{"one.txt", "two.txt", "three.txt", "z_copy.txt", "one.txt"} {
		paths = append(paths, filepath.Join(dir, f))
	}
	db, _ := openDB(t)
	opts := defaults()
	opts.Batch = 1
	s, err := pipeline.New(db, opts).Run(t.Context(), paths)
	if err != nil {
		t.Fatal(err)
	}
	if s.Read != 5 || s.New != 4 || s.AlreadyStored != 1 || s.Exact != 1 {
		t.Errorf("summary = %+v, want 5 read, 4 new, 1 already stored, 1 exact duplicate", s)
	}
	want := []string{"one.txt <- z_copy.txt(exact)"}
	if got := pipelinetest.Clusters(t, db); !slices.Equal(got, want) {
		t.Errorf("clusters = %q, want %q", got, want)
	}
	// Found by its content hash, the copy is not indexed: LSH would
	// have found it too, and indexed it.
	if n, err := db.SignaturesAtMost(t.Context()); err != nil || n != 3 {
		t.Errorf("%d signatures stored (%v), want 3: the copy was not found by its content hash", n, err)
	}
}

// TestRunRejectionsBounded: a file of bad lines records the first
// MaxRejectionsPerFile rejections and one line for the rest, and counts
// every one; the import's counts do not carry the rejections.
func TestRunRejectionsBounded(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	const bad = 250
	for i := range bad {
		fmt.Fprintf(&b, "{not json %d\n", i)
		if i%50 == 0 {
			fmt.Fprintf(&b, "{\"id\":\"g%d\",\"text\":%q}\n", i, strings.Join(pipelinetest.Article(int64(900+i), 3), "\n\n"))
		}
	}
	in := filepath.Join(dir, "noise.jsonl")
	pipelinetest.WriteFile(t, in, b.String())
	db, _ := openDB(t)
	opts := defaults()
	opts.Batch = 20
	sum, err := pipeline.New(db, opts).Run(t.Context(), []string{in})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rejected != bad || sum.New != 5 {
		t.Errorf("rejected %d, new %d; want %d and 5", sum.Rejected, sum.New, bad)
	}
	if len(sum.Rejections) != pipeline.MaxRejectionsPerFile+1 {
		t.Fatalf("%d rejections listed, want %d and a summary", len(sum.Rejections), pipeline.MaxRejectionsPerFile)
	}
	last := sum.Rejections[len(sum.Rejections)-1]
	if last.Ref != in || !strings.Contains(last.Reason, "and 150 more") {
		t.Errorf("summary line %+v", last)
	}
	ims, err := db.Imports(t.Context())
	if err != nil || len(ims) != 1 {
		t.Fatal(err)
	}
	if n := len(ims[0].Rejections); n != pipeline.MaxRejectionsPerFile+1 {
		t.Errorf("%d rejections recorded, want %d", n, pipeline.MaxRejectionsPerFile+1)
	}
	if ims[0].Counts.Rejected != bad {
		t.Errorf("recorded count %d", ims[0].Counts.Rejected)
	}
}

// failingStore fails the write of the second batch of an import.
type failingStore struct{ *store.DB }

func (s failingStore) NewWriter(ctx context.Context) (store.Writer, error) {
	w, err := s.DB.NewWriter(ctx)
	return &failingWriter{Writer: w}, err
}

type failingWriter struct {
	store.Writer
	n int
}

func (w *failingWriter) Write(ctx context.Context, b *store.Batch) error {
	if w.n++; w.n == 2 {
		return fmt.Errorf("disk full (a test)")
	}
	return w.Writer.Write(ctx, b)
}

// TestRunFailedBatchNotCounted: a batch whose write fails is not counted
// as new, and the import is recorded as failed.
func TestRunFailedBatchNotCounted(t *testing.T) {
	dir := pipelinetest.SmallCorpus(t)
	db, _ := openDB(t)
	opts := defaults()
	opts.Batch = 3
	sum, err := pipeline.New(failingStore{db}, opts).Run(t.Context(), []string{dir})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("Run = %v, want the write's error", err)
	}
	st, err := db.Stats(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if sum.New != st.Articles || st.Articles != 3 {
		t.Errorf("summary says %d new, the database holds %d (want 3: the first batch)", sum.New, st.Articles)
	}
	ims, _ := db.Imports(t.Context())
	if len(ims) != 1 || ims[0].Status != "failed" || ims[0].Counts.New != 3 {
		t.Errorf("record %+v", ims)
	}
}
