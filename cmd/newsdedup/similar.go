package main

import (
	"context"
	"fmt"
	"io"

	"github.com/urfave/cli/v2"

	"github.com/newsdedup/newsdedup/cmd/newsdedup/output"
	"github.com/newsdedup/newsdedup/dedupe"
	"github.com/newsdedup/newsdedup/ingest"
	"github.com/newsdedup/newsdedup/ingest/pipeline"
	"github.com/newsdedup/newsdedup/store"
)

func similarCommand() *cli.Command {
	return &cli.Command{
		Name:      "similar",
		Usage:     "which stored articles does this text duplicate? (nothing is stored)",
		ArgsUsage: "FILE|-",
		Description: "The text is cleaned and matched with the settings the database's imports used\n" +
			"(rules, shingle size, LSH threshold, thresholds); the flags override the thresholds.",
		Flags: append(thresholdFlags(), []cli.Flag{
			&cli.Float64Flag{Name: "lsh-threshold", Usage: "Jaccard at which LSH finds candidates (default: the latest import's)"},
			&cli.StringFlag{Name: "format", Usage: "input `FORMAT` as for import (default: by file name; text for -)"},
			&cli.BoolFlag{Name: "json", Usage: "one JSON object per input article"},
		}...),
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usageError{"similar: give one FILE, or - for standard input"}
			}
			return withDB(c, func(ctx context.Context, db *store.DB) error {
				s, _, err := db.Settings(ctx)
				if err != nil {
					return err
				}
				p := s.Params()
				if c.IsSet("near") {
					p.NearJaccard = c.Float64("near")
				}
				if c.IsSet("excerpt") {
					p.ExcerptContainment = c.Float64("excerpt")
				}
				if c.IsSet("lsh-threshold") {
					p.LSHThreshold = c.Float64("lsh-threshold")
				}
				if err := p.Validate(); err != nil {
					return usageError{err.Error()}
				}
				rules, err := s.CleanRules()
				if err != nil {
					return err
				}
				opts := ingest.Options{Format: c.String("format"), Stdin: c.App.Reader}
				return runSimilar(ctx, db, p, rules, opts, c.Args().First(), c.App.Writer, c.App.ErrWriter, c.Bool("json"))
			})
		},
	}
}

func runSimilar(ctx context.Context, db *store.DB, p dedupe.Params, rules *ingest.Rules, opts ingest.Options, path string, w, ew io.Writer, asJSON bool) error {
	probe, err := pipeline.NewProbe(ctx, db, p, rules)
	if err != nil {
		return err
	}
	var arts []ingest.Article
	err = ingest.Read(ctx, []string{path}, opts, func(it ingest.Item) error {
		a, err := opts.Parse(it)
		if err != nil {
			fmt.Fprintf(ew, "newsdedup: %s\n", termText(err.Error()))
			return nil
		}
		arts = append(arts, a)
		return nil
	}, func(r ingest.Rejection) { fmt.Fprintf(ew, "newsdedup: %s\n", termLine(r.Error())) })
	if err != nil {
		return err
	}
	for _, a := range arts {
		ms, err := probe.Similar(ctx, a)
		if err != nil {
			return err
		}
		res := output.NewSimilar(a.Ref, ms)
		if asJSON {
			if err := output.Encode(w, res); err != nil {
				return err
			}
			continue
		}
		if len(res.Matches) == 0 {
			fmt.Fprintf(w, "%s: no duplicate stored\n", termLine(a.Ref))
		}
		for _, m := range res.Matches {
			fmt.Fprintf(w, "%s: %s of #%d %s (cluster %d, jaccard %.2f, containment %.2f)\n",
				termLine(a.Ref), m.Relation, m.ID, termLine(m.Ref), m.ClusterID, m.Jaccard, m.Containment)
		}
	}
	return nil
}
