package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"os"
	"strings"

	"github.com/urfave/cli/v2"
)

func generateCommand() *cli.Command {
	return &cli.Command{
		Name:  "generate",
		Usage: "write a synthetic news-like corpus with known duplicates, for trials and benchmarks",
		Description: "About a quarter of the articles are variants of an earlier one: exact copies,\n" +
			"copies with a new headline and site boilerplate (syndicated), updated versions\n" +
			"with a new lead, and teasers of the first paragraphs. --truth lists each\n" +
			"variant's id, its original's id and the kind. The text is made of invented\n" +
			"words: meaningless, but with the statistics that matter (stories share no sentences).",
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "n", Value: 10000, Usage: "number of articles"},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Value: "-", Usage: "JSONL `FILE` (- for standard output)"},
			&cli.StringFlag{Name: "truth", Usage: "write the true duplicate pairs to this TSV `FILE`"},
			&cli.Int64Flag{Name: "seed", Value: 1, Usage: "random seed"},
			&cli.IntFlag{Name: "paragraphs", Value: 5, Usage: "fewest paragraphs in a story (it has up to 7 more): 5 makes about 2.7 KB an article, 13 about 5 KB"},
		},
		Action: func(c *cli.Context) error {
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
			if p := c.Int("paragraphs"); p < 1 || p > 1000 {
				return fmt.Errorf("--paragraphs %d out of range 1..1000", p)
			}
			return generate(w, truth, c.Int("n"), c.Int64("seed"), c.Int("paragraphs"))
		},
	}
}

// generate writes n synthetic articles as JSONL to w and, when truth is
// not nil, one line "variant-id TAB original-id TAB kind" per variant.
// A story has minParas to minParas+7 paragraphs besides its headline.
func generate(w, truth io.Writer, n int, seed int64, minParas int) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	var tw *bufio.Writer
	if truth != nil {
		tw = bufio.NewWriter(truth)
	}
	g := newGen(seed)
	g.minParas = minParas
	enc := json.NewEncoder(bw)
	var originals []record
	for i := 0; i < n; i++ {
		rec, orig, kind := g.next(i, originals)
		if kind == "" {
			originals = append(originals, rec)
			// Variants pick from recent stories, as re-publication does.
			if len(originals) > 5000 {
				originals = originals[len(originals)-5000:]
			}
		} else if tw != nil {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", rec.ID, orig, kind)
		}
		if err := enc.Encode(rec); err != nil {
			return err
		}
	}
	if tw != nil {
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return bw.Flush()
}

type record struct {
	ID        string `json:"id"`
	URL       string `json:"url"`
	Title     string `json:"title"`
	Source    string `json:"source"`
	Published string `json:"published"`
	Text      string `json:"text"`
}

type gen struct {
	r        *rand.Rand
	vocab    []string
	minParas int
}

func newGen(seed int64) *gen {
	r := rand.New(rand.NewSource(seed))
	// A vocabulary of pronounceable invented words with a Zipf-like use.
	const cons, vows = "bcdfghklmnprstvz", "aeiou"
	vocab := make([]string, 20000)
	for i := range vocab {
		var b strings.Builder
		for s := 0; s < 1+r.Intn(3); s++ {
			b.WriteByte(cons[r.Intn(len(cons))])
			b.WriteByte(vows[r.Intn(len(vows))])
		}
		b.WriteByte(cons[r.Intn(len(cons))])
		vocab[i] = b.String()
	}
	return &gen{r: r, vocab: vocab}
}

func (g *gen) word() string {
	// Squaring a uniform favours the front of the vocabulary.
	f := g.r.Float64()
	return g.vocab[int(f*f*float64(len(g.vocab)))]
}

func (g *gen) sentence() string {
	n := 8 + g.r.Intn(18)
	ws := make([]string, n)
	for i := range ws {
		ws[i] = g.word()
	}
	ws[0] = strings.ToUpper(ws[0][:1]) + ws[0][1:]
	return strings.Join(ws, " ") + "."
}

func (g *gen) paragraph() string {
	n := 2 + g.r.Intn(3)
	ss := make([]string, n)
	for i := range ss {
		ss[i] = g.sentence()
	}
	return strings.Join(ss, " ")
}

var sources = []string{"courier", "gazette", "herald", "wire", "times", "post", "chronicle", "tribune"}

var chrome = []string{"Skip to content", "Share this article", "Advertisement", "Previous ArticleNext Article", "leave a reply"}

func (g *gen) next(i int, originals []record) (rec record, orig, kind string) {
	id := fmt.Sprintf("g%07d", i)
	src := sources[g.r.Intn(len(sources))]
	rec = record{
		ID: id, URL: "https://" + src + ".example/" + id, Source: src,
		Published: fmt.Sprintf("2024-%02d-%02dT%02d:00:00Z", 1+i%12, 1+i%28, i%24),
	}
	if len(originals) == 0 || g.r.Float64() >= 0.25 {
		paras := make([]string, g.minParas+g.r.Intn(8))
		for j := range paras {
			paras[j] = g.paragraph()
		}
		rec.Title = g.sentence()
		rec.Text = rec.Title + "\n\n" + strings.Join(paras, "\n\n")
		return rec, "", ""
	}
	o := originals[g.r.Intn(len(originals))]
	paras := strings.Split(o.Text, "\n\n")
	switch g.r.Intn(4) {
	case 0:
		rec.Title, rec.Text, kind = o.Title, o.Text, "exact"
	case 1: // syndicated: new headline, site chrome
		rec.Title = g.sentence()
		out := []string{rec.Title, chrome[0]}
		for j, p := range paras[1:] {
			out = append(out, p)
			if j == 2 {
				out = append(out, chrome[2])
			}
		}
		rec.Text, kind = strings.Join(append(out, chrome[4]), "\n\n"), "syndicated"
	case 2: // updated: new lead, one sentence edited
		rec.Title = o.Title
		out := append([]string{o.Title, g.paragraph()}, paras[1:]...)
		k := 2 + g.r.Intn(len(out)-2)
		out[k] = g.sentence() + " " + out[k]
		rec.Text, kind = strings.Join(out, "\n\n"), "updated"
	default: // teaser: the first paragraphs and a navigation line
		rec.Title = o.Title
		k := 2 + g.r.Intn(max(1, len(paras)/2-1))
		rec.Text, kind = strings.Join(append(paras[:k:k], chrome[3]), "\n\n"), "teaser"
	}
	return rec, o.ID, kind
}
