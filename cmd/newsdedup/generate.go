package main

import (
	"fmt"
	"io"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/newsdedup/newsdedup/ingest/generate"
)

func generateCommand() *cli.Command {
	return &cli.Command{
		Name:  "generate",
		Usage: "write a synthetic news-like corpus with known duplicates, for trials and benchmarks",
		Description: "About a quarter of the articles are variants of an earlier one: exact copies,\n" +
			"copies with a new headline and site boilerplate (syndicated), updated versions\n" +
			"with a new lead, and teasers of the first paragraphs. --truth lists each\n" +
			"variant's id, its original's id and the kind. The text is made of invented\n" +
			"words: meaningless, but with the statistics that matter (stories share no sentences).\n\n" +
			"--hard writes the hard-case corpus instead: site footers, photo captions and\n" +
			"galleries, aggregator, composite and live-blog pages, write-thrus, recurring\n" +
			"reports, re-sends, hard-wrapped feeds, glued teasers, each record tagged with\n" +
			"its \"case\"; --labels writes its true clusters and hard negatives for eval.\n" +
			"With --hard, -n is the number of plain stories (700 makes about 2,700 articles).",
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "n", Value: 10000, Usage: "number of articles"},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Value: "-", Usage: "JSONL `FILE` (- for standard output)"},
			&cli.StringFlag{Name: "truth", Usage: "write the true duplicate pairs to this TSV `FILE`"},
			&cli.Int64Flag{Name: "seed", Value: 1, Usage: "random seed"},
			&cli.BoolFlag{Name: "hard", Usage: "write the hard-case corpus"},
			&cli.StringFlag{Name: "labels", Usage: "with --hard, write its labels (JSONL, as eval reads them) to this `FILE`"},
			&cli.IntFlag{Name: "paragraphs", Value: 5, Usage: "fewest paragraphs in a story (it has up to 7 more): 5 makes about 2.7 KB an article, 13 about 5 KB"},
		},
		Action: func(c *cli.Context) error {
			if c.IsSet("labels") && !c.Bool("hard") {
				return fmt.Errorf("--labels needs --hard")
			}
			if c.Bool("hard") && (c.IsSet("truth") || c.IsSet("paragraphs")) {
				return fmt.Errorf("--hard writes --labels, not --truth, and takes no --paragraphs")
			}
			if p := c.Int("paragraphs"); p < 1 || p > generate.MaxParagraphs {
				return fmt.Errorf("--paragraphs %d out of range 1..%d", p, generate.MaxParagraphs)
			}
			if n := c.Int("n"); n < 0 {
				return fmt.Errorf("-n %d: the number of articles cannot be negative", n)
			}
			w := c.App.Writer
			if name := c.String("output"); name != "-" {
				f, err := os.Create(name)
				if err != nil {
					return err
				}
				defer f.Close()
				w = f
			}
			var truth io.Writer
			if name := c.String("truth"); name != "" {
				f, err := os.Create(name)
				if err != nil {
					return err
				}
				defer f.Close()
				truth = f
			}
			if c.Bool("hard") {
				n := generate.DefaultHardStories
				if c.IsSet("n") {
					n = c.Int("n")
				}
				var labels io.Writer
				if name := c.String("labels"); name != "" {
					f, err := os.Create(name)
					if err != nil {
						return err
					}
					defer f.Close()
					labels = f
				}
				return generate.WriteHard(w, labels, generate.HardOptions{Stories: n, Seed: c.Int64("seed")})
			}
			return generate.Write(w, truth, generate.Options{
				Articles: c.Int("n"), Seed: c.Int64("seed"), MinParagraphs: c.Int("paragraphs"),
			})
		},
	}
}
