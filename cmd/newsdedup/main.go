// Command newsdedup turns scraped news articles into a clean, deduplicated
// corpus: it imports and cleans articles, clusters exact and near
// duplicates (teasers included) into a SQLite database, and lists, shows
// and exports them.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"

	"github.com/newsdedup/newsdedup/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := newApp(os.Stdin, os.Stdout, os.Stderr).RunContext(ctx, os.Args); err != nil {
		fmt.Fprintln(os.Stderr, "newsdedup:", termText(err.Error()))
		os.Exit(exitCode(err))
	}
}

// exitCode maps errors to exit codes: 1 for a failure, 2 for bad usage or
// bad input, 130 for an interruption.
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
