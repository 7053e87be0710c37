package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/newsdedup/newsdedup/cmd/newsdedup/output"
	"github.com/newsdedup/newsdedup/store"
)

func showCommand() *cli.Command {
	return &cli.Command{
		Name:      "show",
		Usage:     "show an article: its cleaned text (and with --raw the original), its cluster and relations",
		ArgsUsage: "ID",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "json", Usage: "print one JSON object (it holds the raw text)"},
			&cli.BoolFlag{Name: "raw", Usage: "print the verbatim original (the HTML of a page) after the cleaned text"},
			&cli.BoolFlag{Name: "no-raw", Usage: "print only the raw text's size (the default)"},
		},
		Action: func(c *cli.Context) error {
			id, err := strconv.ParseInt(c.Args().First(), 10, 64)
			if c.NArg() != 1 || err != nil {
				return usageError{"show: give one article ID (a number, as listed by clusters)"}
			}
			if c.Bool("raw") && c.Bool("no-raw") {
				return usageError{"show: --raw and --no-raw contradict each other"}
			}
			return withDB(c, func(ctx context.Context, db *store.DB) error {
				return showArticle(ctx, db, c.App.Writer, id, c.Bool("json"), c.Bool("raw"))
			})
		},
	}
}

// showArticle prints an article. The raw text comes only with raw: a
// page's HTML is often a hundred times its cleaned text, and the cleaned
// text is what a reader wants first.
func showArticle(ctx context.Context, db *store.DB, w io.Writer, id int64, asJSON, raw bool) error {
	a, err := db.ArticleByID(ctx, id)
	if err != nil {
		return err
	}
	j, total, err := output.NewArticle(ctx, db, a)
	if err != nil {
		return err
	}
	if asJSON {
		return output.Encode(w, j)
	}
	shared := j.Shared
	cl, err := db.Cluster(ctx, a.ClusterID)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "article #%d  %s\n", a.ID, termLine(a.Ref))
	for _, f := range [][2]string{{"title", a.Title}, {"source", a.Source}, {"url", a.URL}, {"published", a.Published}} {
		if f[1] != "" {
			fmt.Fprintf(w, "%-10s %s\n", f[0], termLine(f[1]))
		}
	}
	fmt.Fprintf(w, "cluster    %d (%d articles), canonical #%d %s\n", cl.ID, cl.Size, cl.Canonical.ID, termLine(cl.Canonical.Ref))
	if a.Relation == "canonical" {
		fmt.Fprintf(w, "relation   canonical\n")
	} else {
		fmt.Fprintf(w, "relation   %s of #%d: jaccard %.3f, containment %.3f\n", a.Relation, a.CanonicalID, a.Jaccard, a.Containment)
		if a.Via != 0 {
			fmt.Fprintf(w, "           matched through #%d\n", a.Via)
		}
		fmt.Fprintf(w, "shared     %d passages of %d words or more with #%d", total, output.SharedMinWords, a.CanonicalID)
		if total > len(shared) {
			fmt.Fprintf(w, ", the %d longest", len(shared))
		}
		fmt.Fprintln(w)
		for _, r := range shared {
			fmt.Fprintf(w, "           %d words at word %d (word %d of #%d): %s\n", r.Words, r.At, r.AtCan, a.CanonicalID, termLine(clip(r.Text, 40)))
		}
	}
	for _, v := range cl.Variants {
		if v.ID != a.ID {
			fmt.Fprintf(w, "member     #%d %s (%s, jaccard %.2f, containment %.2f)\n", v.ID, termLine(v.Ref), v.Relation, v.Jaccard, v.Containment)
		}
	}
	for _, l := range j.LeftOut {
		fmt.Fprintf(w, "left out   %s: %s\n", l.Why, termLine(clip(l.Text, 12)))
	}
	for _, p := range j.SetAside {
		fmt.Fprintf(w, "set aside  #%d (jaccard %.2f, containment %.2f): %s\n", p.With, p.Jaccard, p.Containment, termLine(p.Why))
	}
	fmt.Fprintf(w, "\n--- cleaned text (%d characters) ---\n%s\n", a.Length, termText(a.Text))
	if !raw {
		fmt.Fprintf(w, "\n(raw text: %d bytes; show --raw prints it)\n", len(a.Raw))
		return nil
	}
	fmt.Fprintf(w, "\n--- raw text (%d bytes) ---\n%s\n", len(a.Raw), termText(a.Raw))
	return nil
}

// clip shortens text to its first n words.
func clip(text string, n int) string {
	words := strings.Fields(text)
	if len(words) <= n {
		return strings.Join(words, " ")
	}
	return strings.Join(words[:n], " ") + " …"
}
