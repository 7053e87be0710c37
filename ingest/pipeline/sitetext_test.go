package pipeline_test

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/dedupe"
	"github.com/newsdedup/newsdedup/ingest"
	"github.com/newsdedup/newsdedup/ingest/pipeline"
	"github.com/newsdedup/newsdedup/ingest/pipeline/pipelinetest"
	"github.com/newsdedup/newsdedup/store"
)

// TestSiteTextFooter: 120 different short articles of one site end with
// the same long comment-policy footer, longer than each story. They stay
// 120 stories, and a re-publication of one of them, days later under
// another headline with the same footer, is still found; in one import
// or in shuffled parts.
func TestSiteTextFooter(t *testing.T) {
	footer := pipelinetest.Article(9999, 4)
	footer[0] = "Comment policy. " + footer[0]
	day := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	var lines []string
	add := func(id string, at time.Time, title string, story []string) {
		text := title + "\n\n" + strings.Join(story, "\n\n") + "\n\n" + strings.Join(footer, "\n\n")
		b, _ := json.Marshal(map[string]string{"id": id, "source": "ledger", "published": at.Format(time.RFC3339), "text": text})
		lines = append(lines, string(b)+"\n")
	}
	for i := range 120 {
		add(fmt.Sprintf("brief%03d", i), day.Add(time.Duration(i)*11*time.Hour), fmt.Sprintf("Brief number %d", i), pipelinetest.Article(int64(i), 1))
	}
	add("again", day.Add(7*11*time.Hour+72*time.Hour), "A new headline for an old story", pipelinetest.Article(7, 1))
	want := []string{"again <- brief007(near)"}

	run := func(parts ...[]string) []string {
		dir := t.TempDir()
		db, err := store.Open(t.Context(), filepath.Join(dir, "f.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		for i, p := range parts {
			path := filepath.Join(dir, fmt.Sprintf("part%d.jsonl", i))
			pipelinetest.WriteFile(t, path, strings.Join(p, ""))
			opts := pipeline.Options{Params: dedupe.DefaultParams(), Rules: ingest.DefaultRules(), Batch: 50}
			if _, err := pipeline.New(db, opts).Run(t.Context(), []string{path}); err != nil {
				t.Fatal(err)
			}
		}
		if ps, err := db.Check(t.Context()); err != nil || len(ps) > 0 {
			t.Errorf("check: %v %v", ps, err)
		}
		// similar leaves the site's footer out too: a new brief of the
		// site duplicates none of them.
		probe, err := pipeline.NewProbe(t.Context(), db, dedupe.DefaultParams(), ingest.DefaultRules())
		if err != nil {
			t.Fatal(err)
		}
		fresh := "A brief never seen\n\n" + strings.Join(pipelinetest.Article(500, 1), "\n\n") + "\n\n" + strings.Join(footer, "\n\n")
		if ms, err := probe.Similar(t.Context(), ingest.Article{Ref: "fresh", Source: "ledger", Raw: fresh}); err != nil || len(ms) > 0 {
			t.Errorf("similar of a new brief: %d matches (%v), want none", len(ms), err)
		}
		again := "Brief 9, published again\n\n" + strings.Join(pipelinetest.Article(9, 1), "\n\n") + "\n\n" + strings.Join(footer, "\n\n")
		ms, err := probe.Similar(t.Context(), ingest.Article{Ref: "again9", Source: "ledger", Raw: again})
		if err != nil || len(ms) != 1 || ms[0].Ref != "brief009" || ms[0].Relation != dedupe.Near {
			t.Errorf("similar of brief 9 again: %+v (%v), want brief009 near", ms, err)
		}
		return pipelinetest.Clusters(t, db)
	}
	if got := run(lines); !slices.Equal(got, want) {
		t.Errorf("one import: clusters %q, want %q", got, want)
	}
	shuffled := slices.Clone(lines)
	rand.New(rand.NewSource(3)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	if got := run(shuffled[:20], shuffled[20:70], shuffled[70:]); !slices.Equal(got, want) {
		t.Errorf("three imports: clusters %q, want %q", got, want)
	}
}
