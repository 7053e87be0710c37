package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/newsdedup/newsdedup/cmd/newsdedup/eval"
	"github.com/newsdedup/newsdedup/cmd/newsdedup/output"
	"github.com/newsdedup/newsdedup/store"
)

func evalCommand() *cli.Command {
	return &cli.Command{
		Name:      "eval",
		Usage:     "score the database's clusters against labels (pairwise precision, recall, F1, ARI) and list the worst errors",
		ArgsUsage: "LABELS",
		Description: "LABELS is JSON lines, each a judged pair {\"a\":REF,\"b\":REF,\"label\":\"dup\"|\"excerpt\"|\"not\"}\n" +
			"or a cluster {\"cluster\":[REF,...]}, refs as stored. True clusters are the connected components\n" +
			"of dup and excerpt pairs and the clusters; every other stored article is a singleton.",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "json", Usage: "print one JSON object (with --sweep, one per setting)"},
			&cli.IntFlag{Name: "errors", Value: 10, Usage: "list the `N` worst errors of each kind"},
			&cli.BoolFlag{Name: "sweep", Usage: "score a grid of thresholds, clustered again from the stored evidence"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usageError{"eval: give one LABELS file"}
			}
			f, err := os.Open(c.Args().First())
			if err != nil {
				return usageError{"eval: " + err.Error()}
			}
			defer f.Close()
			labels, err := eval.ReadLabels(c.Args().First(), f)
			if err != nil {
				return usageError{"eval: " + err.Error()}
			}
			return withDB(c, func(ctx context.Context, db *store.DB) error {
				s, _, err := db.Settings(ctx)
				if err != nil {
					return err
				}
				d, err := eval.Load(ctx, db)
				if err != nil {
					return err
				}
				w := c.App.Writer
				if c.Bool("sweep") {
					cells := d.Sweep(labels, s.Params(), eval.DefaultGrid())
					if c.Bool("json") {
						for _, cell := range cells {
							if err := output.Encode(w, cell); err != nil {
								return err
							}
						}
						return nil
					}
					printSweep(w, cells)
					return nil
				}
				r := d.Evaluate(labels, eval.Options{Errors: c.Int("errors"), Params: s.Params()})
				if c.Bool("json") {
					return output.Encode(w, r)
				}
				printEval(w, r)
				return nil
			})
		},
	}
}

func printEval(w io.Writer, r eval.Report) {
	fmt.Fprintf(w, "articles %d, true clusters %d, predicted clusters %d (of two or more)\n", r.Articles, r.TrueClusters, r.PredictedClusters)
	fmt.Fprintf(w, "pairwise precision %.3f, recall %.3f, F1 %.3f; ARI %.3f (%d pairs put together, %d true, %d right)\n",
		r.Precision, r.Recall, r.F1, r.ARI, r.PredictedPairs, r.TruePairs, r.CorrectPairs)
	l := r.Labels
	fmt.Fprintf(w, "labels: %d dup, %d excerpt, %d not, %d clusters", l.Dup, l.Excerpt, l.Not, l.Clusters)
	if len(l.UnknownRefs) > 0 {
		fmt.Fprintf(w, "; %d refs not stored, such as %s", len(l.UnknownRefs), l.UnknownRefs[0])
	}
	fmt.Fprintln(w)
	link := func(l *eval.Link) string {
		if l == nil {
			return "no verified pair between them"
		}
		rel := l.Relation
		if rel == "" {
			rel = "below both thresholds"
		}
		return fmt.Sprintf("%s - %s: %s, jaccard %.2f, containment %.2f", l.A, l.B, rel, l.Jaccard, l.Containment)
	}
	parts := func(ps [][]string) string {
		var s []string
		for _, p := range ps {
			s = append(s, strings.Join(p, " "))
		}
		return strings.Join(s, " | ")
	}
	for _, m := range r.Merged {
		fmt.Fprintf(w, "merged: cluster %d, %d articles of %d true clusters, %d wrong pairs\n  parts: %s\n  joined by %s\n",
			m.ClusterID, m.Size, len(m.Parts), m.WrongPairs, parts(m.Parts), link(m.Link))
	}
	for _, s := range r.Split {
		fmt.Fprintf(w, "split: a true cluster of %d in %d clusters, %d pairs missed\n  parts: %s\n  best evidence: %s\n",
			len(s.Refs), len(s.Parts), s.MissedPairs, parts(s.Parts), link(s.BestEvidence))
	}
	for _, p := range r.NotViolated {
		fmt.Fprintf(w, "labelled not, clustered together: %s - %s (cluster %d)\n", p.A, p.B, p.ClusterID)
	}
}

// printSweep prints F1 and ARI by near (rows) and excerpt (columns); the
// database's own setting is starred.
func printSweep(w io.Writer, cells []eval.Cell) {
	var nears, excerpts []float64
	at := map[[2]float64]eval.Cell{}
	for _, c := range cells {
		k := [2]float64{c.Near, c.Excerpt}
		if _, ok := at[k]; ok {
			continue
		}
		at[k] = c
		if !containsFloat(nears, c.Near) {
			nears = append(nears, c.Near)
		}
		if !containsFloat(excerpts, c.Excerpt) {
			excerpts = append(excerpts, c.Excerpt)
		}
	}
	for _, metric := range []string{"F1", "ARI"} {
		fmt.Fprintf(w, "%s by near (rows) and excerpt (columns); * the database's setting\n%6s", metric, "")
		for _, e := range excerpts {
			fmt.Fprintf(w, " %7.2f", e)
		}
		fmt.Fprintln(w)
		for _, n := range nears {
			fmt.Fprintf(w, "%6.2f", n)
			for _, e := range excerpts {
				c, ok := at[[2]float64{n, e}]
				if !ok {
					fmt.Fprintf(w, " %7s", "")
					continue
				}
				v := c.F1
				if metric == "ARI" {
					v = c.ARI
				}
				mark := " "
				if c.Current {
					mark = "*"
				}
				fmt.Fprintf(w, " %6.3f%s", v, mark)
			}
			fmt.Fprintln(w)
		}
	}
}

func containsFloat(xs []float64, x float64) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
