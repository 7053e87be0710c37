package main

import (
	"context"

	"github.com/urfave/cli/v2"

	"github.com/newsdedup/newsdedup/cmd/newsdedup/export"
	"github.com/newsdedup/newsdedup/ingest"
	"github.com/newsdedup/newsdedup/store"
)

func exportCommand() *cli.Command {
	return &cli.Command{
		Name:  "export",
		Usage: "write the cleaned corpus: one canonical article per cluster plus every singleton",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Value: "jsonl", Usage: "output `FORMAT`: jsonl, csv, parquet, or txt (a folder of .txt files named by id)"},
			&cli.BoolFlag{Name: "variants", Usage: "export every article with its cluster and relation"},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Value: "-", Usage: "write to `FILE` (- for standard output; a folder for txt)"},
			&cli.StringFlag{Name: "source", Usage: "only articles of this `SOURCE`"},
			&cli.StringFlag{Name: "since", Usage: "only articles published on or after `DATE` (2024-03-01 or RFC 3339)"},
			&cli.StringFlag{Name: "until", Usage: "only articles published on or before `DATE`"},
			&cli.IntFlag{Name: "min-cluster-size", Usage: "only articles of clusters of at least `N` articles"},
			&cli.StringFlag{Name: "clusters", Usage: "also write every article's cluster and canonical to this CSV `FILE`"},
		},
		Action: func(c *cli.Context) error {
			f := store.ExportFilter{
				Variants: c.Bool("variants"), Source: c.String("source"),
				Since: dateBound(c.String("since")), Until: dateBound(c.String("until")),
				MinClusterSize: c.Int("min-cluster-size"),
			}
			o := export.Options{Format: c.String("format"), Output: c.String("output"), Clusters: c.String("clusters"), Filter: f}
			if err := o.Check(); err != nil {
				return usageError{"export: " + err.Error()}
			}
			return withDB(c, func(ctx context.Context, db *store.DB) error {
				return export.Write(ctx, db, o, c.App.Writer)
			})
		},
	}
}

// dateBound normalises a --since or --until value: a full date and time
// becomes RFC 3339 UTC, as stored; a shorter prefix (2024-03) is kept.
func dateBound(s string) string {
	if len(s) > len("2006-01-02") {
		return ingest.NormalizeDate(s)
	}
	return s
}
