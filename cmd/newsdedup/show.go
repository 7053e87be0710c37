package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/urfave/cli/v2"

	"github.com/newsdedup/newsdedup/store"
)

func showCommand() *cli.Command {
	return &cli.Command{
		Name:      "show",
		Usage:     "show an article: raw and cleaned text, its cluster and relations",
		ArgsUsage: "ID",
		Flags:     []cli.Flag{&cli.BoolFlag{Name: "json", Usage: "print one JSON object"}},
		Action: func(c *cli.Context) error {
			id, err := strconv.ParseInt(c.Args().First(), 10, 64)
			if c.NArg() != 1 || err != nil {
				return usageError{"show: give one article ID (a number, as listed by clusters)"}
			}
			return withDB(c, func(ctx context.Context, db *store.DB) error {
				return showArticle(ctx, db, c.App.Writer, id, c.Bool("json"))
			})
		},
	}
}

type jsonArticle struct {
	ID          int64   `json:"id"`
	Ref         string  `json:"ref"`
	Source      string  `json:"source"`
	Title       string  `json:"title"`
	URL         string  `json:"url"`
	Published   string  `json:"published"`
	Raw         string  `json:"raw"`
	Text        string  `json:"text"`
	ClusterID   int64   `json:"cluster_id"`
	CanonicalID int64   `json:"canonical_id"`
	Relation    string  `json:"relation"`
	Jaccard     float64 `json:"jaccard"`
	Containment float64 `json:"containment"`
	Via         int64   `json:"via,omitempty"`
}

func showArticle(ctx context.Context, db *store.DB, w io.Writer, id int64, asJSON bool) error {
	a, err := db.ArticleByID(ctx, id)
	if err != nil {
		return err
	}
	if asJSON {
		return json.NewEncoder(w).Encode(jsonArticle{
			ID: a.ID, Ref: a.Ref, Source: a.Source, Title: a.Title, URL: a.URL, Published: a.Published,
			Raw: a.Raw, Text: a.Text, ClusterID: a.ClusterID, CanonicalID: a.CanonicalID,
			Relation: a.Relation, Jaccard: round3(a.Jaccard), Containment: round3(a.Containment), Via: a.Via,
		})
	}
	cl, err := db.Cluster(ctx, a.ClusterID)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "article #%d  %s\n", a.ID, a.Ref)
	for _, f := range [][2]string{{"title", a.Title}, {"source", a.Source}, {"url", a.URL}, {"published", a.Published}} {
		if f[1] != "" {
			fmt.Fprintf(w, "%-10s %s\n", f[0], f[1])
		}
	}
	fmt.Fprintf(w, "cluster    %d (%d articles), canonical #%d %s\n", cl.ID, cl.Size, cl.Canonical.ID, cl.Canonical.Ref)
	if a.Relation == "canonical" {
		fmt.Fprintf(w, "relation   canonical\n")
	} else {
		fmt.Fprintf(w, "relation   %s of #%d: jaccard %.3f, containment %.3f\n", a.Relation, a.CanonicalID, a.Jaccard, a.Containment)
		if a.Via != 0 {
			fmt.Fprintf(w, "           matched through #%d\n", a.Via)
		}
	}
	for _, v := range cl.Variants {
		if v.ID != a.ID {
			fmt.Fprintf(w, "member     #%d %s (%s, jaccard %.2f, containment %.2f)\n", v.ID, v.Ref, v.Relation, v.Jaccard, v.Containment)
		}
	}
	fmt.Fprintf(w, "\n--- cleaned text (%d characters) ---\n%s\n\n--- raw text (%d bytes) ---\n%s\n", a.Length, a.Text, len(a.Raw), a.Raw)
	return nil
}
