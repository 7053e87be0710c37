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
// in place four times a second, elsewhere a log line every ten seconds.
// A ticker draws it from counters that the reader, the workers and the
// matcher update as they go, so it moves while a batch fills; the
// duplicates are those of the batches written.
type progress struct {
	// mu orders the ticker's lines and the warnings of the import's
	// goroutines: all write to w.
	mu       sync.Mutex
	w        io.Writer
	tty      bool
	interval time.Duration
	now      func() time.Time
	start    time.Time
	total    int64         // bytes of the inputs, 0 when unknown (standard input)
	read     *atomic.Int64 // bytes read
	counts   *pipeline.Counters
	sum      pipeline.Summary // as of the last batch written
	drawn    bool
	stop     chan struct{}
	done     chan struct{}
}

func newProgress(w io.Writer, paths []string) *progress {
	tty, interval := false, 10*time.Second
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		tty, interval = true, 250*time.Millisecond
	}
	p := newProgressEvery(w, tty, interval, time.Now)
	p.total = inputSize(paths)
	p.run()
	return p
}

// newProgressEvery returns a progress that draws every interval once
// run, reading the clock now.
func newProgressEvery(w io.Writer, tty bool, interval time.Duration, now func() time.Time) *progress {
	return &progress{
		w: w, tty: tty, interval: interval, now: now, start: now(),
		read: new(atomic.Int64), counts: new(pipeline.Counters),
		stop: make(chan struct{}), done: make(chan struct{}),
	}
}

// run starts the ticker. The first line waits one interval: a short
// import prints none.
func (p *progress) run() {
	go func() {
		defer close(p.done)
		t := time.NewTicker(p.interval)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				p.draw()
			case <-p.stop:
				return
			}
		}
	}()
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

// update is called after every batch is written.
func (p *progress) update(s pipeline.Summary) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sum = s
}

// draw writes the status line, or a log line.
func (p *progress) draw() {
	p.mu.Lock()
	defer p.mu.Unlock()
	line := p.line()
	if p.tty {
		fmt.Fprintf(p.w, "\r\033[K%s", line)
		p.drawn = true
		return
	}
	fmt.Fprintf(p.w, "newsdedup: import: %s\n", line)
}

// line says how far the import is. The share done is that of the
// slowest stage, matching: the bytes read, scaled by the share of the
// items read that are matched. The bytes read alone ran ahead of the
// work by the reader's lead (a window of items and a batch).
func (p *progress) line() string {
	elapsed := p.now().Sub(p.start)
	read, prepared, matched := p.counts.Read.Load(), p.counts.Prepared.Load(), p.counts.Matched.Load()
	bytes := p.read.Load()
	line := fmt.Sprintf("read %d, extracted %d, matched %d (%.0f/s)", read, prepared, matched, float64(matched)/max(elapsed.Seconds(), 1e-3))
	if p.total > 0 {
		line += fmt.Sprintf(", %s of %s read", mib(bytes), mib(p.total))
		if read > 0 && matched > 0 {
			done := min(1, float64(bytes)/float64(p.total)*float64(matched)/float64(read))
			line += fmt.Sprintf(", %.0f%% done", 100*done)
			if done < 1 {
				eta := time.Duration(float64(elapsed) * (1 - done) / done)
				line += ", ETA " + eta.Round(time.Second).String()
			}
		}
	} else {
		line += ", " + mib(bytes) + " read"
	}
	s := p.sum
	return line + fmt.Sprintf(", duplicates %d, rejected %d", s.Exact+s.Near+s.Excerpts, s.Rejected)
}

// finish stops the ticker, and ends the status line so the summary
// starts on a fresh one.
func (p *progress) finish() {
	close(p.stop)
	<-p.done
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
		p.drawn = false
	}
}

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }
