package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/pprof"

	"github.com/urfave/cli/v2"

	"github.com/newsdedup/newsdedup/store"
)

// newApp builds the command line. Commands return plain errors; main maps
// them to exit codes, so the app runs in-process in tests.
func newApp(stdin io.Reader, stdout, stderr io.Writer) *cli.App {
	return &cli.App{
		Name:      "newsdedup",
		Usage:     "turn scraped news articles into a clean, deduplicated corpus",
		Reader:    stdin,
		Writer:    stdout,
		ErrWriter: stderr,
		// Errors are printed once, by main.
		ExitErrHandler:  func(*cli.Context, error) {},
		HideHelpCommand: true,
		Flags: []cli.Flag{
			&cli.StringFlag{
				Name:    "db",
				Value:   "newsdedup.db",
				Usage:   "SQLite database `PATH`, created on first use",
				EnvVars: []string{"NEWSDEDUP_DB"},
			},
			&cli.StringFlag{
				Name:  "cpuprofile",
				Usage: "write a CPU profile of the command to `FILE`, for go tool pprof",
			},
		},
		Before: startProfile,
		After:  stopProfile,
		Commands: []*cli.Command{
			importCommand(),
			clustersCommand(),
			showCommand(),
			exportCommand(),
			statsCommand(),
			importsCommand(),
			searchCommand(),
			similarCommand(),
			generateCommand(),
			serveCommand(),
			clusterCommand(), canonicalCommand(), decisionsCommand(),
			checkCommand(), evalCommand(),
		},
	}
}

// startProfile starts the CPU profile asked for with --cpuprofile: where
// an import spends its time on someone's data is the question a slow
// import raises.
func startProfile(c *cli.Context) error {
	path := c.String("cpuprofile")
	if path == "" {
		return nil
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return fmt.Errorf("cpu profile: %w", err)
	}
	c.App.Metadata = map[string]any{"cpuprofile": f}
	return nil
}

func stopProfile(c *cli.Context) error {
	f, ok := c.App.Metadata["cpuprofile"].(*os.File)
	if !ok {
		return nil
	}
	pprof.StopCPUProfile()
	delete(c.App.Metadata, "cpuprofile")
	return f.Close()
}

// openDB opens the database named by --db.
func openDB(c *cli.Context) (*store.DB, error) {
	return store.Open(c.Context, c.String("db"))
}

// openExisting opens the database named by --db for reading, refusing to
// create one: a query on a mistyped path should not leave an empty file.
// A database that cannot be written (a read-only file or folder) is
// opened read-only: reading needs no write.
func openExisting(c *cli.Context) (*store.DB, error) {
	path := c.String("db")
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("no database at %s (import something first, or pass --db): %w", path, err)
	}
	db, err := store.Open(c.Context, path)
	if errors.Is(err, store.ErrReadOnly) {
		return store.OpenReadOnly(c.Context, path)
	}
	return db, err
}

// withDB runs fn with the database open for reading.
func withDB(c *cli.Context, fn func(context.Context, *store.DB) error) error {
	db, err := openExisting(c)
	if err != nil {
		return err
	}
	defer db.Close()
	err = fn(c.Context, db)
	if db.ReadOnly() && store.IsReadOnly(err) && !errors.Is(err, store.ErrReadOnly) {
		return fmt.Errorf("%w (%s cannot be written: it, or its folder, is read-only)", err, db.Path())
	}
	return err
}
