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
				if _, err := db.MarkInterrupted(ctx, store.ProcessAlive); err != nil {
					return err
				}
				ims, err := db.Imports(ctx)
				if err != nil {
					return err
				}
				w := c.App.Writer
				for _, im := range ims {
					if c.Bool("json") {
						if err := json.NewEncoder(w).Encode(toJSONImport(im)); err != nil {
							return err
						}
						continue
					}
					params, _ := json.Marshal(im.Settings)
					counts := im.Counts
					if counts.Candidates != nil {
						// Two hundred numbers that --json and the web UI show better.
						counts.Candidates = &store.ScoreCounts{Total: counts.Candidates.Total}
					}
					cs, _ := json.Marshal(counts)
					in, _ := json.Marshal(im.Inputs)
					fmt.Fprintf(w, "import %d  %s  %s  inputs %s\n  params %s\n  counts %s\n", im.ID, im.StartedAt, im.Status, in, params, cs)
					for _, r := range im.Rejections {
						fmt.Fprintf(w, "  rejected %s: %s\n", r.Ref, r.Reason)
					}
				}
				return nil
			})
		},
	}
}

type jsonRejection struct {
	Ref    string `json:"ref"`
	Reason string `json:"reason"`
}

type jsonImport struct {
	ID         int64           `json:"id"`
	StartedAt  string          `json:"started_at"`
	FinishedAt *string         `json:"finished_at"` // null while running
	Status     string          `json:"status"`
	Inputs     []string        `json:"inputs"`
	Params     store.Settings  `json:"params"`
	Counts     store.Counts    `json:"counts"`
	Rejections []jsonRejection `json:"rejections"`
}

func toJSONImport(im store.Import) jsonImport {
	j := jsonImport{ID: im.ID, StartedAt: im.StartedAt, Status: im.Status, Inputs: im.Inputs,
		Params: im.Settings, Counts: im.Counts, Rejections: []jsonRejection{}}
	if im.FinishedAt != "" {
		j.FinishedAt = &im.FinishedAt
	}
	if j.Inputs == nil {
		j.Inputs = []string{}
	}
	for _, r := range im.Rejections {
		j.Rejections = append(j.Rejections, jsonRejection{Ref: r.Ref, Reason: r.Reason})
	}
	return j
}
