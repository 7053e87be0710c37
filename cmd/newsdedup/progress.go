package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"golang.org/x/term"
)

// progress reports a running import: on a terminal a status line redrawn
// in place, elsewhere a log line every interval.
type progress struct {
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
func (p *progress) update(s summary) {
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
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }
