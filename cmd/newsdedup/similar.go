package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"github.com/urfave/cli/v2"

	"github.com/newsdedup/newsdedup/dedupe"
	"github.com/newsdedup/newsdedup/ingest"
	"github.com/newsdedup/newsdedup/store"
)

func similarCommand() *cli.Command {
	return &cli.Command{
		Name:      "similar",
		Usage:     "which stored articles does this text duplicate? (nothing is stored)",
		ArgsUsage: "FILE|-",
		Flags: append(thresholdFlags(), []cli.Flag{
			&cli.StringFlag{Name: "format", Usage: "input `FORMAT` as for import (default: by file name; text for -)"},
			&cli.BoolFlag{Name: "json", Usage: "one JSON object per input article"},
		}...),
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usageError{"similar: give one FILE, or - for standard input"}
			}
			return withDB(c, func(ctx context.Context, db *store.DB) error {
				p, err := storedParams(ctx, db)
				if err != nil {
					return err
				}
				p.NearJaccard, p.ExcerptContainment = c.Float64("near"), c.Float64("excerpt")
				if err := p.Validate(); err != nil {
					return usageError{err.Error()}
				}
				opts := ingest.Options{Format: c.String("format"), Stdin: c.App.Reader}
				return runSimilar(ctx, db, p, opts, c.Args().First(), c.App.Writer, c.App.ErrWriter, c.Bool("json"))
			})
		},
	}
}

// storedParams returns the settings the database's imports matched
// with: a probe must be signed and verified the same way.
func storedParams(ctx context.Context, db *store.DB) (dedupe.Params, error) {
	s, _, err := db.Settings(ctx)
	return s.Params(), err
}

type jsonMatch struct {
	ID          int64   `json:"id"`
	Ref         string  `json:"ref"`
	Title       string  `json:"title"`
	ClusterID   int64   `json:"cluster_id"`
	Relation    string  `json:"relation"`
	Jaccard     float64 `json:"jaccard"`
	Containment float64 `json:"containment"`
}

type jsonSimilar struct {
	Ref     string      `json:"ref"`
	Matches []jsonMatch `json:"matches"`
}

func runSimilar(ctx context.Context, db *store.DB, p dedupe.Params, opts ingest.Options, path string, w, ew io.Writer, asJSON bool) error {
	im := &importer{db: db, rules: ingest.DefaultRules(), params: p, read: opts}
	if err := im.loadMatcher(ctx); err != nil {
		return err
	}
	var arts []ingest.Article
	err := ingest.Read(ctx, []string{path}, opts, func(it ingest.Item) error {
		a, err := opts.Parse(it)
		if err != nil {
			fmt.Fprintf(ew, "newsdedup: %v\n", err)
			return nil
		}
		arts = append(arts, a)
		return nil
	}, func(r ingest.Rejection) { fmt.Fprintf(ew, "newsdedup: %v\n", r) })
	if err != nil {
		return err
	}
	for _, a := range arts {
		prep := im.prepare(0, ingest.Item{Ref: a.Ref, Format: ingest.FormatText, Data: []byte(a.Raw)})
		res := jsonSimilar{Ref: a.Ref, Matches: []jsonMatch{}}
		if prep.reject == nil {
			if res.Matches, err = im.similar(ctx, prep); err != nil {
				return err
			}
		}
		if asJSON {
			if err := json.NewEncoder(w).Encode(res); err != nil {
				return err
			}
			continue
		}
		if len(res.Matches) == 0 {
			fmt.Fprintf(w, "%s: no duplicate stored\n", a.Ref)
		}
		for _, m := range res.Matches {
			fmt.Fprintf(w, "%s: %s of #%d %s (cluster %d, jaccard %.2f, containment %.2f)\n",
				a.Ref, m.Relation, m.ID, m.Ref, m.ClusterID, m.Jaccard, m.Containment)
		}
	}
	return nil
}

// similar returns the stored articles a prepared article duplicates, the
// strongest first.
func (im *importer) similar(ctx context.Context, p prepared) ([]jsonMatch, error) {
	exact, err := im.db.FirstByContentHash(ctx, []string{p.hash})
	if err != nil {
		return nil, err
	}
	pairs, err := im.m.Probe(dedupe.Doc{ID: -1, Shingles: p.shingles, Sig: p.sig, Passages: p.passages})
	if err != nil {
		return nil, err
	}
	if id, ok := exact[p.hash]; ok {
		pairs = append(pairs, dedupe.Pair{A: id, Relation: dedupe.Exact, Jaccard: 1, Containment: 1})
	}
	var out []jsonMatch
	seen := map[int64]bool{}
	for _, pr := range pairs {
		if seen[pr.A] {
			continue
		}
		seen[pr.A] = true
		a, err := im.db.ArticleByID(ctx, pr.A)
		if err != nil {
			return nil, err
		}
		rel := pr.Relation
		if a.ContentHash == p.hash {
			rel = dedupe.Exact
		}
		out = append(out, jsonMatch{ID: a.ID, Ref: a.Ref, Title: a.Title, ClusterID: a.ClusterID,
			Relation: string(rel), Jaccard: round3(pr.Jaccard), Containment: round3(pr.Containment)})
	}
	slices.SortFunc(out, func(x, y jsonMatch) int {
		return cmp.Or(cmp.Compare(y.Jaccard, x.Jaccard), cmp.Compare(x.ID, y.ID))
	})
	return out, nil
}
