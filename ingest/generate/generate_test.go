package generate

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

func write(t *testing.T, opts Options) (corpus, truth string) {
	t.Helper()
	var c, tr bytes.Buffer
	if err := Write(&c, &tr, opts); err != nil {
		t.Fatal(err)
	}
	return c.String(), tr.String()
}

func articles(t *testing.T, corpus string) []Article {
	t.Helper()
	var out []Article
	for i, line := range strings.Split(strings.TrimSuffix(corpus, "\n"), "\n") {
		var a Article
		if err := json.Unmarshal([]byte(line), &a); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		out = append(out, a)
	}
	return out
}

// TestVariantDates: a variant is published within two days after its
// original, and the texts are those the generator made before variants
// were dated so (the SHA-256 of ids, titles and texts, pinned then).
func TestVariantDates(t *testing.T) {
	corpus, truth := write(t, Options{Articles: 300, Seed: 7, MinParagraphs: 5})
	byID := map[string]Article{}
	h := sha256.New()
	for _, a := range articles(t, corpus) {
		byID[a.ID] = a
		fmt.Fprintf(h, "%s\t%s\t%s\n", a.ID, a.Title, a.Text)
	}
	if got := fmt.Sprintf("%x", h.Sum(nil)); got != "a9b36bf0cfe75cbbc8cb4f1e3c3eee4045a7dc93db34bfcbd71a6dd5d0b73f6d" {
		t.Errorf("texts changed: SHA-256 %s", got)
	}
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(truth), "\n") {
		f := strings.Split(line, "\t")
		v, o := byID[f[0]], byID[f[1]]
		tv, err1 := time.Parse(time.RFC3339, v.Published)
		to, err2 := time.Parse(time.RFC3339, o.Published)
		if err1 != nil || err2 != nil || tv.Before(to) || tv.Sub(to) > 48*time.Hour {
			t.Errorf("%s published %s, its original %s %s", v.ID, v.Published, o.ID, o.Published)
		}
		n++
	}
	if n < 50 {
		t.Errorf("%d variants", n)
	}
}

// TestWriteUnchanged pins the bytes of a small corpus and its truth:
// benchmarks and measured figures are compared on generated corpora, so
// the same options must keep giving the same articles.
func TestWriteUnchanged(t *testing.T) {
	for _, c := range []struct {
		opts          Options
		corpus, truth string
	}{
		{Options{Articles: 300, Seed: 7, MinParagraphs: 5},
			"998b9f547f68b14fd215321b491387d8d69f2223a9997373657a809d4068c957",
			"eb84522727622396e66c6fc6a756eb512d9ad36f4e4bbdc56ef8cbec33b9dcd7"},
		{Options{Articles: 300, Seed: 7, MinParagraphs: 13},
			"0d8e1fb57b646d50b2f744856f893970cfa0f6e92b0b4eaa611d1ad0ead8d83a", ""},
	} {
		corpus, truth := write(t, c.opts)
		if got := fmt.Sprintf("%x", sha256.Sum256([]byte(corpus))); got != c.corpus {
			t.Errorf("%+v: corpus SHA-256 %s, want %s", c.opts, got, c.corpus)
		}
		if got := fmt.Sprintf("%x", sha256.Sum256([]byte(truth))); c.truth != "" && got != c.truth {
			t.Errorf("%+v: truth SHA-256 %s, want %s", c.opts, got, c.truth)
		}
	}
}

// TestWriteTruth checks the truth against the corpus: every variant
// names an earlier story, exact copies repeat it, teasers begin like it,
// every kind occurs, and a quarter of the articles or so are variants.
func TestWriteTruth(t *testing.T) {
	corpus, truth := write(t, Options{Articles: 1000, Seed: 3, MinParagraphs: 5})
	arts := articles(t, corpus)
	if len(arts) != 1000 {
		t.Fatalf("%d articles, want 1000", len(arts))
	}
	byID := map[string]Article{}
	order := map[string]int{}
	for i, a := range arts {
		if want := fmt.Sprintf("g%07d", i); a.ID != want {
			t.Fatalf("article %d has id %s, want %s", i, a.ID, want)
		}
		if a.Title == "" || !strings.HasPrefix(a.Text, a.Title+"\n\n") {
			t.Errorf("%s: text does not begin with a headline", a.ID)
		}
		byID[a.ID], order[a.ID] = a, i
	}
	kinds := map[string]int{}
	variants := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSuffix(truth, "\n"), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			t.Fatalf("truth line %q: want 3 fields", line)
		}
		v, o, kind := byID[f[0]], byID[f[1]], f[2]
		if order[f[1]] >= order[f[0]] || variants[f[1]] {
			t.Errorf("%s: original %s is not an earlier story", f[0], f[1])
		}
		variants[f[0]] = true
		kinds[kind]++
		switch kind {
		case "exact":
			if v.Text != o.Text || v.Title != o.Title {
				t.Errorf("%s: exact copy of %s differs", f[0], f[1])
			}
		case "teaser":
			first, _, _ := strings.Cut(strings.TrimPrefix(o.Text, o.Title+"\n\n"), "\n\n")
			if !strings.Contains(v.Text, first) || len(v.Text) >= len(o.Text) {
				t.Errorf("%s: teaser of %s does not hold its first paragraph or is not shorter", f[0], f[1])
			}
		case "syndicated", "updated":
			if v.Text == o.Text {
				t.Errorf("%s: %s copy of %s unchanged", f[0], kind, f[1])
			}
		default:
			t.Errorf("%s: unknown kind %q", f[0], kind)
		}
	}
	for _, k := range []string{"exact", "syndicated", "updated", "teaser"} {
		if kinds[k] == 0 {
			t.Errorf("no %s variant among %d: %v", k, len(variants), kinds)
		}
	}
	if n := len(variants); n < 180 || n > 320 {
		t.Errorf("%d variants of 1000, want about a quarter", n)
	}
	// The same options give the same corpus; another seed another one.
	if again, _ := write(t, Options{Articles: 1000, Seed: 3, MinParagraphs: 5}); again != corpus {
		t.Error("the same options gave another corpus")
	}
	if other, _ := write(t, Options{Articles: 1000, Seed: 4, MinParagraphs: 5}); other == corpus {
		t.Error("another seed gave the same corpus")
	}
	// Without a truth writer the corpus is the same.
	var c bytes.Buffer
	if err := Write(&c, nil, Options{Articles: 1000, Seed: 3, MinParagraphs: 5}); err != nil || c.String() != corpus {
		t.Errorf("without truth: err %v, same corpus %v", err, c.String() == corpus)
	}
}

// TestWriteParagraphs checks that MinParagraphs sets the length of the
// stories, which BenchmarkImport uses for articles of the size the targets
// name (500 MB for 100,000).
func TestWriteParagraphs(t *testing.T) {
	corpus, truth := write(t, Options{Articles: 300, Seed: 7, MinParagraphs: 13})
	variant := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(truth), "\n") {
		id, _, _ := strings.Cut(line, "\t")
		variant[id] = true
	}
	arts := articles(t, corpus)
	stories := 0
	for _, a := range arts {
		if variant[a.ID] {
			continue
		}
		stories++
		// The headline, then 13 to 20 paragraphs.
		if n := strings.Count(a.Text, "\n\n"); n < 13 || n > 20 {
			t.Errorf("%s has %d paragraphs after its headline, want 13 to 20", a.ID, n)
		}
	}
	if stories == 0 || stories == len(arts) {
		t.Fatalf("%d stories among %d articles", stories, len(arts))
	}
	if size := len(corpus) / len(arts); size < 4000 || size > 6500 {
		t.Errorf("%d bytes an article, want about 5,000", size)
	}
}

func TestWriteBadOptions(t *testing.T) {
	for _, opts := range []Options{
		{Articles: 1, MinParagraphs: 0},
		{Articles: 1, MinParagraphs: MaxParagraphs + 1},
		{Articles: -1, MinParagraphs: 5},
	} {
		var c bytes.Buffer
		if err := Write(&c, nil, opts); err == nil || c.Len() != 0 {
			t.Errorf("%+v: err %v, %d bytes written; want an error and nothing", opts, err, c.Len())
		}
	}
}
