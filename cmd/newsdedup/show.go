package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/newsdedup/newsdedup/dedupe"
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
	// Shared are the longest passages the article shares with its
	// canonical, the evidence for its relation; empty for a canonical.
	Shared []jsonRun `json:"shared"`
}

// jsonRun is a shared passage: where it starts in the article and in the
// canonical (word positions, from 0), its length and its text as it reads
// in the article.
type jsonRun struct {
	Words int    `json:"words"`
	At    int    `json:"at"`
	AtCan int    `json:"canonical_at"`
	Text  string `json:"text"`
}

// Shared passages shown: at most sharedRuns, of sharedMinWords words or
// more (shorter runs are common phrases, not evidence of copying).
const (
	sharedRuns     = 5
	sharedMinWords = 8
)

// sharedWithCanonical returns the longest passages a shares with its
// canonical, and how many such passages there are in all.
func sharedWithCanonical(ctx context.Context, db *store.DB, a store.ArticleView) ([]jsonRun, int, error) {
	out := []jsonRun{}
	if a.CanonicalID == a.ID {
		return out, 0, nil
	}
	canon, err := db.ArticleByID(ctx, a.CanonicalID)
	if err != nil {
		return nil, 0, fmt.Errorf("canonical of %d: %w", a.ID, err)
	}
	runs := dedupe.SharedRuns(a.Text, canon.Text, sharedMinWords)
	for _, r := range runs[:min(len(runs), sharedRuns)] {
		out = append(out, jsonRun{Words: r.Words, At: r.A, AtCan: r.B, Text: r.Text(a.Text)})
	}
	return out, len(runs), nil
}

// articleJSON is what show --json prints and /api/articles/ID answers.
func articleJSON(ctx context.Context, db *store.DB, a store.ArticleView) (jsonArticle, error) {
	shared, _, err := sharedWithCanonical(ctx, db, a)
	if err != nil {
		return jsonArticle{}, err
	}
	return toJSONArticle(a, shared), nil
}

func toJSONArticle(a store.ArticleView, shared []jsonRun) jsonArticle {
	return jsonArticle{
		ID: a.ID, Ref: a.Ref, Source: a.Source, Title: a.Title, URL: a.URL, Published: a.Published,
		Raw: a.Raw, Text: a.Text, ClusterID: a.ClusterID, CanonicalID: a.CanonicalID,
		Relation: a.Relation, Jaccard: round3(a.Jaccard), Containment: round3(a.Containment), Via: a.Via,
		Shared: shared,
	}
}

func showArticle(ctx context.Context, db *store.DB, w io.Writer, id int64, asJSON bool) error {
	a, err := db.ArticleByID(ctx, id)
	if err != nil {
		return err
	}
	shared, total, err := sharedWithCanonical(ctx, db, a)
	if err != nil {
		return err
	}
	if asJSON {
		return json.NewEncoder(w).Encode(toJSONArticle(a, shared))
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
		fmt.Fprintf(w, "shared     %d passages of %d words or more with #%d", total, sharedMinWords, a.CanonicalID)
		if total > len(shared) {
			fmt.Fprintf(w, ", the %d longest", len(shared))
		}
		fmt.Fprintln(w)
		for _, r := range shared {
			fmt.Fprintf(w, "           %d words at word %d (word %d of #%d): %s\n", r.Words, r.At, r.AtCan, a.CanonicalID, clip(r.Text, 40))
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

// clip shortens text to its first n words.
func clip(text string, n int) string {
	words := strings.Fields(text)
	if len(words) <= n {
		return strings.Join(words, " ")
	}
	return strings.Join(words[:n], " ") + " …"
}

// paragraphs splits cleaned text at blank lines; generate and the tests
// of the import use it.
func paragraphs(s string) []string { return dedupe.Paragraphs(s) }
