package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/newsdedup/newsdedup/cmd/newsdedup/output"
	"github.com/newsdedup/newsdedup/store"
)

func clustersCommand() *cli.Command {
	return &cli.Command{
		Name:  "clusters",
		Usage: "list duplicate clusters, largest first",
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "min-size", Value: 2, Usage: "list clusters of at least `N` articles (1 lists singletons too)"},
			&cli.BoolFlag{Name: "json", Usage: "one JSON object per line"},
		},
		Action: func(c *cli.Context) error {
			return withDB(c, func(ctx context.Context, db *store.DB) error {
				return listClusters(ctx, db, c.App.Writer, c.Int("min-size"), c.Bool("json"))
			})
		},
	}
}

func listClusters(ctx context.Context, db *store.DB, w io.Writer, minSize int, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		return db.EachCluster(ctx, minSize, func(cl store.Cluster) error {
			return enc.Encode(output.NewCluster(cl))
		})
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	n := 0
	err := db.EachCluster(ctx, minSize, func(cl store.Cluster) error {
		n++
		fmt.Fprintf(tw, "cluster %d\t%d articles\tcanonical #%d\t%s\t%s\n", cl.ID, cl.Size, cl.Canonical.ID, termLine(cl.Canonical.Ref), termLine(cl.Canonical.Title))
		for _, v := range cl.Variants {
			via := ""
			if v.Via != 0 {
				via = fmt.Sprintf(" via #%d", v.Via)
			}
			fmt.Fprintf(tw, "  #%d\t%s%s\tjaccard %.2f\tcontainment %.2f\t%s\n", v.ID, v.Relation, via, v.Jaccard, v.Containment, termLine(v.Ref))
		}
		return nil
	})
	if err != nil {
		return err
	}
	if n == 0 {
		fmt.Fprintf(tw, "no clusters of %d or more articles\n", minSize)
	}
	return tw.Flush()
}
