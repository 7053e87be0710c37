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
					fmt.Fprintf(w, "import %d  %s  %s  inputs %s\n  params %s\n  counts %s\n", im.ID, im.StartedAt, im.Status, im.Inputs, im.Params, brief(im.Counts))
					for _, r := range im.Rejections {
						fmt.Fprintf(w, "  rejected %s: %s\n", r.Ref, r.Reason)
					}
				}
				return nil
			})
		},
	}
}

// brief drops the candidate score histogram from an import's counts for
// reading: two hundred numbers that --json and the web UI's overview show
// better.
func brief(counts string) string {
	var m map[string]json.RawMessage
	if json.Unmarshal([]byte(counts), &m) != nil {
		return counts
	}
	if c, ok := m["candidates"]; ok {
		var sc struct {
			Total int `json:"total"`
		}
		json.Unmarshal(c, &sc)
		m["candidates"] = json.RawMessage(fmt.Sprintf(`{"total":%d}`, sc.Total))
	}
	b, err := json.Marshal(m)
	if err != nil {
		return counts
	}
	return string(b)
}
