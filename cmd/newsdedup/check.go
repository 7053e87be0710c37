package main

import (
	"context"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/newsdedup/newsdedup/cmd/newsdedup/output"
	"github.com/newsdedup/newsdedup/store"
)

func checkCommand() *cli.Command {
	return &cli.Command{
		Name:  "check",
		Usage: "check the database's own invariants (clusters, variants, links) and SQLite's integrity",
		Flags: []cli.Flag{&cli.BoolFlag{Name: "json", Usage: "print one JSON object"}},
		Action: func(c *cli.Context) error {
			return withDB(c, func(ctx context.Context, db *store.DB) error {
				integrity, err := db.IntegrityCheck(ctx)
				if err != nil {
					return err
				}
				ps, err := db.Check(ctx)
				if err != nil {
					return err
				}
				if c.Bool("json") {
					if err := output.Encode(c.App.Writer, output.Check{OK: integrity == "ok" && len(ps) == 0, Integrity: integrity, Problems: ps}); err != nil {
						return err
					}
				} else {
					fmt.Fprintf(c.App.Writer, "integrity: %s\n", integrity)
					for _, p := range ps {
						fmt.Fprintf(c.App.Writer, "%s: %s\n", p.Invariant, termLine(p.Detail))
					}
					if len(ps) == 0 {
						fmt.Fprintln(c.App.Writer, "invariants: ok")
					}
				}
				if integrity != "ok" || len(ps) > 0 {
					return fmt.Errorf("check: the database is inconsistent (%d problems)", len(ps))
				}
				return nil
			})
		},
	}
}
