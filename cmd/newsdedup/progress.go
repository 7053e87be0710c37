package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/newsdedup/newsdedup/ingest/pipeline"
	"golang.org/x/term"
)

// progress reports a running import: on a terminal a status line redrawn
// in place, elsewhere a log line every interval.
type progress struct {
	// mu orders the batch writer's reports and warnings from the
	// goroutine that matches batches: both write to w.
	mu       sync.Mutex
	w        io.Writer
	tty      bool
	interval time.Duration
	start    time.Time
	last     time.Time
	total    int64 // bytes of the inputs, 0 when unknown (standard input)
	read     *atomic.Int64
	drawn    bool
}

func newProgress(w io.Writer, paths []string) *progress {
	now := time.Now()
	// The first report waits one interval: a short import prints none.
	p := &progress{w: w, start: now, last: now, read: new(atomic.Int64), interval: 10 * time.Second}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.tty, p.interval = true, 200*time.Millisecond
	}
	p.total = inputSize(paths)
	return p
}

// say prints a line of its own, clearing the status line first.
func (p *progress) say(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
		p.drawn = false
	}
	fmt.Fprintf(p.w, format, args...)
}

// inputSize adds up the sizes of the input files, or returns 0 when one is
// standard input.
func inputSize(paths []string) int64 {
	var total int64
	for _, path := range paths {
		if path == "-" {
			return 0
		}
		filepath.WalkDir(path, func(_ string, d os.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() {
				if info, err := d.Info(); err == nil {
					total += info.Size()
				}
			}
			return nil
		})
	}
	return total
}

// update is called after every batch.
func (p *progress) update(s pipeline.Summary) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if now.Sub(p.last) < p.interval {
		return
	}
	p.last = now
	elapsed := now.Sub(p.start).Seconds()
	read := p.read.Load()
	line := fmt.Sprintf("%d articles, %.0f/s, %s read", s.Read, float64(s.Read)/elapsed, mib(read))
	if p.total > 0 {
		line += fmt.Sprintf(" of %s (%.0f%%)", mib(p.total), 100*float64(read)/float64(p.total))
		if read > 0 && read < p.total {
			eta := time.Duration(elapsed * float64(p.total-read) / float64(read) * float64(time.Second))
			line += ", ETA " + eta.Round(time.Second).String()
		}
	}
	line += fmt.Sprintf(", duplicates %d, rejected %d", s.Exact+s.Near+s.Excerpts, s.Rejected)
	if p.tty {
		fmt.Fprintf(p.w, "\r\033[K%s", line)
		p.drawn = true
		return
	}
	fmt.Fprintf(p.w, "newsdedup: import: %s\n", line)
}

// finish ends the status line so the summary starts on a fresh one.
func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }
