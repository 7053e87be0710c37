package main

import (
	"context"
	"encoding/json"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/newsdedup/newsdedup/store"
)

func exportCommand() *cli.Command {
	return &cli.Command{
		Name:  "export",
		Usage: "write the cleaned corpus: one canonical article per cluster plus every singleton",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Value: "jsonl", Usage: "output `FORMAT`: jsonl"},
			&cli.BoolFlag{Name: "variants", Usage: "export every article with its cluster and relation"},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Value: "-", Usage: "write to `FILE` (- for standard output)"},
		},
		Action: func(c *cli.Context) error {
			if c.String("format") != "jsonl" {
				return usageError{"export: unknown --format " + c.String("format") + " (want jsonl)"}
			}
			return withDB(c, func(ctx context.Context, db *store.DB) error {
				out := c.App.Writer
				if name := c.String("output"); name != "-" {
					// Write beside the target and rename, so a failed
					// export never leaves half a file under its name.
					f, err := os.CreateTemp(dirOf(name), ".newsdedup-export-*")
					if err != nil {
						return err
					}
					defer os.Remove(f.Name())
					if err := exportJSONL(ctx, db, f, c.Bool("variants")); err != nil {
						f.Close()
						return err
					}
					if err := f.Close(); err != nil {
						return err
					}
					return os.Rename(f.Name(), name)
				}
				return exportJSONL(ctx, db, out, c.Bool("variants"))
			})
		},
	}
}

type jsonExport struct {
	ID          int64    `json:"id"`
	Ref         string   `json:"ref"`
	Source      string   `json:"source"`
	Title       string   `json:"title"`
	URL         string   `json:"url"`
	Published   string   `json:"published"`
	Text        string   `json:"text"`
	ClusterID   int64    `json:"cluster_id"`
	Duplicates  []string `json:"duplicates"`
	CanonicalID int64    `json:"canonical_id,omitempty"`
	Relation    string   `json:"relation,omitempty"`
	Jaccard     *float64 `json:"jaccard,omitempty"`
	Containment *float64 `json:"containment,omitempty"`
}

func exportJSONL(ctx context.Context, db *store.DB, w interface{ Write([]byte) (int, error) }, variants bool) error {
	enc := json.NewEncoder(w)
	return db.Export(ctx, variants, func(r store.ExportRow) error {
		e := jsonExport{ID: r.ID, Ref: r.Ref, Source: r.Source, Title: r.Title, URL: r.URL, Published: r.Published,
			Text: r.Text, ClusterID: r.ClusterID, Duplicates: r.Duplicates}
		if e.Duplicates == nil {
			e.Duplicates = []string{}
		}
		if variants {
			j, ct := round3(r.Jaccard), round3(r.Containment)
			e.CanonicalID, e.Relation, e.Jaccard, e.Containment = r.CanonicalID, r.Relation, &j, &ct
		}
		return enc.Encode(e)
	})
}

func dirOf(name string) string {
	for i := len(name) - 1; i >= 0; i-- {
		if os.IsPathSeparator(name[i]) {
			return name[:i+1]
		}
	}
	return "."
}
