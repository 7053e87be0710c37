package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/newsdedup/newsdedup/store"
)

func importsCommand() *cli.Command {
	return &cli.Command{
		Name:  "imports",
		Usage: "list past imports with their parameters, counts and rejections",
		Flags: []cli.Flag{&cli.BoolFlag{Name: "json", Usage: "one JSON object per line"}},
		Action: func(c *cli.Context) error {
			return withDB(c, func(ctx context.Context, db *store.DB) error {
				if _, err := db.MarkInterrupted(ctx, processAlive); err != nil {
					return err
				}
				ims, err := db.Imports(ctx)
				if err != nil {
					return err
				}
				w := c.App.Writer
				for _, im := range ims {
					if c.Bool("json") {
						rej := []map[string]string{}
						for _, r := range im.Rejections {
							rej = append(rej, map[string]string{"ref": r.Ref, "reason": r.Reason})
						}
						if err := json.NewEncoder(w).Encode(map[string]any{
							"id": im.ID, "started_at": im.StartedAt, "finished_at": im.FinishedAt, "status": im.Status,
							"inputs": json.RawMessage(im.Inputs), "params": json.RawMessage(im.Params),
							"counts": json.RawMessage(im.Counts), "rejections": rej,
						}); err != nil {
							return err
						}
						continue
					}
					fmt.Fprintf(w, "import %d  %s  %s  inputs %s\n  params %s\n  counts %s\n", im.ID, im.StartedAt, im.Status, im.Inputs, im.Params, im.Counts)
					for _, r := range im.Rejections {
						fmt.Fprintf(w, "  rejected %s: %s\n", r.Ref, r.Reason)
					}
				}
				return nil
			})
		},
	}
}
