package main

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/ingest/pipeline"
	"github.com/newsdedup/newsdedup/store"
)

// TestProgressLine: the line counts every stage, and the share done and
// the ETA follow matching, the slowest stage, not the bytes read.
func TestProgressLine(t *testing.T) {
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	now := t0
	p := newProgressEvery(&bytes.Buffer{}, true, time.Second, func() time.Time { return now })
	p.total = 100 << 20
	p.read.Store(50 << 20)
	p.counts.Read.Store(1000)
	p.counts.Prepared.Store(400)
	p.counts.Matched.Store(100)
	p.update(pipeline.Summary{Counts: store.Counts{Exact: 1, Near: 4, Excerpts: 2, Rejected: 2}})
	now = t0.Add(10 * time.Second)
	// Half the bytes read, a tenth of the items read matched: 5% done in
	// 10 s leaves 190 s.
	want := "read 1000, extracted 400, matched 100 (10/s), 50.0 MiB of 100.0 MiB read, 5% done, ETA 3m10s, duplicates 7, rejected 2"
	if got := p.line(); got != want {
		t.Errorf("line:\n%s\nwant\n%s", got, want)
	}
}

// notifyingBuffer is a buffer that says when it was first written to.
type notifyingBuffer struct {
	mu    sync.Mutex
	b     bytes.Buffer
	once  sync.Once
	wrote chan struct{}
}

func (w *notifyingBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.once.Do(func() { close(w.wrote) })
	return w.b.Write(p)
}

// TestProgressRedrawsBetweenBatches: the status line is drawn by a ticker
// from the counters, with no batch written.
func TestProgressRedrawsBetweenBatches(t *testing.T) {
	w := &notifyingBuffer{wrote: make(chan struct{})}
	p := newProgressEvery(w, true, time.Millisecond, time.Now)
	p.counts.Read.Store(20)
	p.counts.Prepared.Store(12)
	p.run()
	select {
	case <-w.wrote:
	case <-time.After(30 * time.Second):
		t.Fatal("no status line drawn")
	}
	p.finish() // the ticker has stopped when it returns
	out := w.b.String()
	if !strings.HasPrefix(out, "\r\033[K") || !strings.Contains(out, "read 20, extracted 12, matched 0") || !strings.HasSuffix(out, "\r\033[K") {
		t.Errorf("terminal output %q, want status lines from the counters, cleared at the end", out)
	}
}
