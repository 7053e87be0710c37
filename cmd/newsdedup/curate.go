package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"strconv"

	"github.com/urfave/cli/v2"

	"github.com/newsdedup/newsdedup/cmd/newsdedup/output"
	"github.com/newsdedup/newsdedup/dedupe"
	"github.com/newsdedup/newsdedup/store"
)

// curationFlags are the flags every decision takes.
func curationFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "by", Usage: "who decides, recorded with the decision", DefaultText: "$USER, else the login name"},
		&cli.StringFlag{Name: "why", Usage: "why, recorded with the decision"},
		&cli.BoolFlag{Name: "json", Usage: "print the decision as one JSON object"},
	}
}

func clusterCommand() *cli.Command {
	return &cli.Command{
		Name:  "cluster",
		Usage: "correct a cluster: split articles off, or merge two clusters (recorded; later imports respect it)",
		Subcommands: []*cli.Command{
			{
				Name:      "split",
				Usage:     "move articles out of a cluster into a cluster of their own; no import joins the two parts again",
				ArgsUsage: "CLUSTER ARTICLE...",
				Flags:     curationFlags(),
				Action: func(c *cli.Context) error {
					ids, err := idArgs(c, "cluster split", "CLUSTER ARTICLE...", 2, -1)
					if err != nil {
						return err
					}
					return decide(c, func(ctx context.Context, db *store.DB, cu store.Curation) (store.Decision, error) {
						return db.SplitCluster(ctx, ids[0], ids[1:], cu)
					})
				},
			},
			{
				Name:      "merge",
				Usage:     "merge the second cluster into the first",
				ArgsUsage: "CLUSTER CLUSTER",
				Flags:     curationFlags(),
				Action: func(c *cli.Context) error {
					ids, err := idArgs(c, "cluster merge", "CLUSTER CLUSTER", 2, 2)
					if err != nil {
						return err
					}
					return decide(c, func(ctx context.Context, db *store.DB, cu store.Curation) (store.Decision, error) {
						return db.MergeClusters(ctx, ids[0], ids[1], cu)
					})
				},
			},
		},
	}
}

func canonicalCommand() *cli.Command {
	return &cli.Command{
		Name:  "canonical",
		Usage: "choose a cluster's canonical article (recorded; later imports keep it)",
		Subcommands: []*cli.Command{{
			Name:      "set",
			Usage:     "make an article the canonical of its cluster, whatever fuller versions arrive",
			ArgsUsage: "ARTICLE",
			Flags:     curationFlags(),
			Action: func(c *cli.Context) error {
				ids, err := idArgs(c, "canonical set", "ARTICLE", 1, 1)
				if err != nil {
					return err
				}
				return decide(c, func(ctx context.Context, db *store.DB, cu store.Curation) (store.Decision, error) {
					return db.SetCanonical(ctx, ids[0], cu)
				})
			},
		}},
	}
}

func decisionsCommand() *cli.Command {
	return &cli.Command{
		Name:  "decisions",
		Usage: "list the curation decisions taken (split, merge, canonical), newest first, with who, when and why",
		Flags: []cli.Flag{&cli.BoolFlag{Name: "json", Usage: "one JSON object per line, as cluster split --json prints"}},
		Action: func(c *cli.Context) error {
			return withDB(c, func(ctx context.Context, db *store.DB) error {
				ds, err := db.Decisions(ctx)
				if err != nil {
					return err
				}
				w := c.App.Writer
				for _, d := range ds {
					if !c.Bool("json") {
						why := ""
						if d.Why != "" {
							why = ": " + d.Why
						}
						fmt.Fprintf(w, "%s by %s%s\n", termLine(d.At), termLine(d.By), termLine(why))
					}
					if err := printDecision(w, d, c.Bool("json")); err != nil {
						return err
					}
				}
				if len(ds) == 0 && !c.Bool("json") {
					fmt.Fprintln(w, "no decisions")
				}
				return nil
			})
		},
	}
}

// idArgs parses the positional ids, between least and most of them (most
// -1 for any number).
func idArgs(c *cli.Context, cmd, usage string, least, most int) ([]int64, error) {
	n := c.NArg()
	if n < least || (most >= 0 && n > most) {
		return nil, usageError{fmt.Sprintf("%s: give %s", cmd, usage)}
	}
	ids := make([]int64, n)
	for i, s := range c.Args().Slice() {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id < 1 {
			return nil, usageError{fmt.Sprintf("%s: %q is not an id (want %s, numbers as listed by clusters)", cmd, s, usage)}
		}
		ids[i] = id
	}
	return ids, nil
}

// decide takes a decision with the database's parameters and prints it.
func decide(c *cli.Context, do func(context.Context, *store.DB, store.Curation) (store.Decision, error)) error {
	by := c.String("by")
	if !c.IsSet("by") {
		by = decider()
	} else if by == "" {
		return usageError{"--by is empty: say who decides with --by NAME"}
	}
	return withDB(c, func(ctx context.Context, db *store.DB) error {
		p, err := curationParams(ctx, db)
		if err != nil {
			return err
		}
		d, err := do(ctx, db, store.Curation{By: by, Why: c.String("why"), Params: p})
		if errors.Is(err, store.ErrRefused) {
			return usageError{err.Error()}
		}
		if err != nil {
			return err
		}
		return printDecision(c.App.Writer, d, c.Bool("json"))
	})
}

// decider is who decides when --by does not say: $USER, else the login
// name of the user running newsdedup ($USER is unset in containers, cron
// jobs and services), else "unknown", so that a decision is never refused
// for want of a name.
func decider() string {
	if name := os.Getenv("USER"); name != "" {
		return name
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "unknown"
}

// curationParams are the parameters that name the relations of the
// members a decision moves: the database's shingle size and the latest
// import's thresholds, those its clusters were made with.
func curationParams(ctx context.Context, db *store.DB) (dedupe.Params, error) {
	s, _, err := db.Settings(ctx)
	return s.Params(), err
}

func printDecision(w io.Writer, d store.Decision, asJSON bool) error {
	if asJSON {
		return output.Encode(w, output.NewDecision(d))
	}
	switch d.Kind {
	case "split":
		fmt.Fprintf(w, "decision %d: split %v off cluster %d\n", d.ID, d.ArticleIDs, d.ClusterID)
	case "merge":
		fmt.Fprintf(w, "decision %d: merged cluster %d into cluster %d\n", d.ID, d.OtherID, d.ClusterID)
	default:
		fmt.Fprintf(w, "decision %d: #%d is the canonical of cluster %d\n", d.ID, d.ArticleIDs[0], d.ClusterID)
	}
	for _, cs := range d.Clusters {
		fmt.Fprintf(w, "cluster %d: %d articles, canonical #%d\n", cs.ID, cs.Size, cs.CanonicalID)
	}
	return nil
}
