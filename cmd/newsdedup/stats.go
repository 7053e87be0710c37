package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/newsdedup/newsdedup/cmd/newsdedup/output"
	"github.com/newsdedup/newsdedup/store"
)

func statsCommand() *cli.Command {
	return &cli.Command{
		Name:  "stats",
		Usage: "totals, duplicate rate, and counts by source",
		Flags: []cli.Flag{&cli.BoolFlag{Name: "json", Usage: "print one JSON object"}},
		Action: func(c *cli.Context) error {
			return withDB(c, func(ctx context.Context, db *store.DB) error {
				s, err := db.Stats(ctx)
				if err != nil {
					return err
				}
				return printStats(c.App.Writer, s, c.Bool("json"))
			})
		},
	}
}

func printStats(w io.Writer, s store.Stats, asJSON bool) error {
	if asJSON {
		return output.Encode(w, output.NewStats(s))
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "articles\t%d\n", s.Articles)
	fmt.Fprintf(tw, "clusters\t%d (%d with duplicates)\n", s.Clusters, s.MultiClusters)
	fmt.Fprintf(tw, "duplicates\t%d (%.1f%%): exact %d, near %d, excerpt %d", s.Duplicates, 100*s.DuplicateRate(),
		s.ByRelation["exact"], s.ByRelation["near"], s.ByRelation["excerpt"])
	if n := s.ByRelation["version"]; n > 0 {
		fmt.Fprintf(tw, ", version %d", n)
	}
	fmt.Fprintln(tw)
	fmt.Fprintf(tw, "imports\t%d (%d inputs rejected)\n", s.Imports, s.Rejections)
	if len(s.BySource) > 0 {
		fmt.Fprintf(tw, "\nsource\tarticles\tduplicates\n")
		for _, src := range s.BySource {
			name := src.Source
			if name == "" {
				name = "(none)"
			}
			fmt.Fprintf(tw, "%s\t%d\t%d\n", termLine(name), src.Articles, src.Duplicates)
		}
	}
	return tw.Flush()
}
