// Package generate writes a synthetic news-like corpus with known
// duplicates, for trials and benchmarks of the importer.
//
// About a quarter of the articles are variants of an earlier one: exact
// copies, copies with a new headline and site boilerplate (syndicated),
// updated versions with a new lead, and teasers of the first paragraphs.
// The text is made of invented words: meaningless, but with the statistics
// that matter (stories share no sentences). The same options always give
// the same bytes.
package generate

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"strings"
	"time"
)

// Options say what Write writes.
type Options struct {
	Articles int   // how many articles
	Seed     int64 // the random seed
	// MinParagraphs is the fewest paragraphs of a story besides its
	// headline; it has up to 7 more. 5 makes about 2.7 KB an article, 13
	// about 5 KB.
	MinParagraphs int
}

// MaxParagraphs is the largest Options.MinParagraphs, which keeps an
// article's size sane.
const MaxParagraphs = 1000

// An Article is one line of the JSONL that Write writes.
type Article struct {
	ID        string `json:"id"`
	URL       string `json:"url"`
	Title     string `json:"title"`
	Source    string `json:"source"`
	Published string `json:"published"`
	Text      string `json:"text"`
}

// Write writes opts.Articles synthetic articles as JSONL to w and, when
// truth is not nil, one line "variant-id TAB original-id TAB kind" to
// truth per variant, kind being exact, syndicated, updated or teaser.
func Write(w, truth io.Writer, opts Options) error {
	if opts.Articles < 0 {
		return fmt.Errorf("generate: %d articles", opts.Articles)
	}
	if opts.MinParagraphs < 1 || opts.MinParagraphs > MaxParagraphs {
		return fmt.Errorf("generate: %d paragraphs out of range 1..%d", opts.MinParagraphs, MaxParagraphs)
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	var tw *bufio.Writer
	if truth != nil {
		tw = bufio.NewWriter(truth)
	}
	g := newGen(opts.Seed)
	g.minParas = opts.MinParagraphs
	enc := json.NewEncoder(bw)
	var originals []Article
	for i := range opts.Articles {
		a, orig, kind := g.next(i, originals)
		if kind == "" {
			originals = append(originals, a)
			// Variants pick from recent stories, as re-publication does.
			if len(originals) > 5000 {
				originals = originals[len(originals)-5000:]
			}
		} else if tw != nil {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", a.ID, orig, kind)
		}
		if err := enc.Encode(a); err != nil {
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

// next returns article i: a new story, or a variant of one of originals
// with the original's id and the kind of variant.
func (g *gen) next(i int, originals []Article) (a Article, orig, kind string) {
	id := fmt.Sprintf("g%07d", i)
	src := sources[g.r.Intn(len(sources))]
	a = Article{
		ID: id, URL: "https://" + src + ".example/" + id, Source: src,
		Published: fmt.Sprintf("2024-%02d-%02dT%02d:00:00Z", 1+i%12, 1+i%28, i%24),
	}
	if len(originals) == 0 || g.r.Float64() >= 0.25 {
		paras := make([]string, g.minParas+g.r.Intn(8))
		for j := range paras {
			paras[j] = g.paragraph()
		}
		a.Title = g.sentence()
		a.Text = a.Title + "\n\n" + strings.Join(paras, "\n\n")
		return a, "", ""
	}
	o := originals[g.r.Intn(len(originals))]
	// A version of a story is published within two days of it, as copies,
	// teasers and updates of news are; the hours come from i, not from
	// the random source, so the texts are what they were.
	if t, err := time.Parse(time.RFC3339, o.Published); err == nil {
		a.Published = t.Add(time.Duration(1+i%47) * time.Hour).Format(time.RFC3339)
	}
	paras := strings.Split(o.Text, "\n\n")
	switch g.r.Intn(4) {
	case 0:
		a.Title, a.Text, kind = o.Title, o.Text, "exact"
	case 1: // syndicated: new headline, site chrome
		a.Title = g.sentence()
		out := []string{a.Title, chrome[0]}
		for j, p := range paras[1:] {
			out = append(out, p)
			if j == 2 {
				out = append(out, chrome[2])
			}
		}
		a.Text, kind = strings.Join(append(out, chrome[4]), "\n\n"), "syndicated"
	case 2: // updated: new lead, one sentence edited
		a.Title = o.Title
		out := append([]string{o.Title, g.paragraph()}, paras[1:]...)
		k := 2 + g.r.Intn(len(out)-2)
		out[k] = g.sentence() + " " + out[k]
		a.Text, kind = strings.Join(out, "\n\n"), "updated"
	default: // teaser: the first paragraphs and a navigation line
		a.Title = o.Title
		k := 2 + g.r.Intn(max(1, len(paras)/2-1))
		a.Text, kind = strings.Join(append(paras[:k:k], chrome[3]), "\n\n"), "teaser"
	}
	return a, o.ID, kind
}
