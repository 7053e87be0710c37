// Command newsdedup turns scraped news articles into a clean, deduplicated
// corpus: it imports and cleans articles, clusters exact and near
// duplicates (teasers included) into a SQLite database, and lists, shows
// and exports them.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"syscall"

	"github.com/newsdedup/newsdedup/store"
)

func main() {
	ctx, stopped := stopOnSignal()
	code := execute(ctx, os.Args, os.Stdin, os.Stdout, os.Stderr)
	if sig := stopped(); code == 130 && sig == syscall.SIGTERM {
		code = 143
	}
	os.Exit(code)
}

// execute runs the command line args (the program name first) and returns
// its exit status. An error is printed on stderr as one line; a usage
// error adds a second, naming the help to read.
func execute(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := newApp(stdin, stdout, stderr)
	err := a.RunContext(ctx, args)
	if err == nil {
		return 0
	}
	fmt.Fprintln(stderr, "newsdedup:", termText(err.Error()))
	if errors.As(err, new(usageError)) {
		var path []string
		if len(args) > 1 {
			_, path = normalArgs(a.App, args[1:])
		}
		if len(path) > 0 && path[0] == "help" {
			path = nil
		}
		fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", strings.Join(append([]string{a.Name}, path...), " "))
	}
	return exitCode(err)
}

// stopOnSignal returns a context cancelled by Ctrl-C (SIGINT) or SIGTERM,
// which service managers and container runtimes stop a process with:
// both stop a command as cleanly, an import recorded as interrupted and
// an export's temporary file removed. A second signal has its default
// effect, so a command that does not stop can still be killed. stopped
// returns the signal that came, or nil.
func stopOnSignal() (ctx context.Context, stopped func() os.Signal) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	ctx, cancel := context.WithCancel(context.Background())
	var got atomic.Value
	go func() {
		sig := <-ch
		got.Store(sig)
		signal.Stop(ch)
		cancel()
	}()
	return ctx, func() os.Signal {
		sig, _ := got.Load().(os.Signal)
		return sig
	}
}

// exitCode maps errors to exit codes: 1 for a failure, 2 for bad usage or
// bad input, 130 for an interruption (Ctrl-C; main makes it 143, 128 +
// SIGTERM, for SIGTERM).
func exitCode(err error) int {
	var ue usageError
	switch {
	case errors.Is(err, context.Canceled):
		return 130
	case errors.As(err, &ue), errors.Is(err, store.ErrNotFound):
		return 2
	}
	return 1
}

// usageError is a mistake in the command line.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }
