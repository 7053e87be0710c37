package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/newsdedup/newsdedup/cmd/newsdedup/output"
	"github.com/newsdedup/newsdedup/store"
)

func importsCommand() *cli.Command {
	return &cli.Command{
		Name:  "imports",
		Usage: "list past imports with their parameters, counts and rejections",
		Flags: []cli.Flag{&cli.BoolFlag{Name: "json", Usage: "one JSON object per line"}},
		Action: func(c *cli.Context) error {
			return withDB(c, func(ctx context.Context, db *store.DB) error {
				// Marking dead imports interrupted is a write: a
				// read-only database lists them as they were recorded.
				if !db.ReadOnly() {
					if _, err := db.MarkInterrupted(ctx, store.ProcessAlive); err != nil {
						return err
					}
				}
				ims, err := db.Imports(ctx)
				if err != nil {
					return err
				}
				w := c.App.Writer
				for _, im := range ims {
					if c.Bool("json") {
						if err := output.Encode(w, output.NewImport(im)); err != nil {
							return err
						}
						continue
					}
					params, _ := json.Marshal(im.Settings)
					// The candidates' score histogram is two hundred numbers
					// that --json and the web UI show better: their total here.
					brief := struct {
						store.Counts
						Candidates *int `json:"candidates,omitempty"`
					}{Counts: im.Counts}
					if c := im.Counts.Candidates; c != nil {
						brief.Candidates = &c.Total
					}
					cs, _ := json.Marshal(brief)
					in, _ := json.Marshal(im.Inputs)
					fmt.Fprintf(w, "import %d  %s  %s  inputs %s\n  params %s\n  counts %s\n", im.ID, termLine(im.StartedAt), termLine(im.Status), termLine(string(in)), termLine(string(params)), termLine(string(cs)))
					for _, r := range im.Rejections {
						fmt.Fprintf(w, "  rejected %s: %s\n", termLine(r.Ref), termLine(r.Reason))
					}
				}
				return nil
			})
		},
	}
}
