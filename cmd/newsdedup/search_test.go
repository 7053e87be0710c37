package main

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/cmd/newsdedup/output"
	"github.com/newsdedup/newsdedup/store"
)

func TestSearchCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	mustRun(t, "--db", db, "import", "-q", corpusDir)
	out, _, err := runCLI(t, "", "--db", db, "search", "--json", "Kestrel", "dockers")
	if errors.Is(err, store.ErrNoFTS5) {
		t.Skip("built without FTS5: run the tests with -tags sqlite_fts5")
	}
	if err != nil {
		t.Fatal(err)
	}
	hits := jsonLines[output.SearchHit](t, out)
	if len(hits) == 0 {
		t.Fatal("no hits for the port strike")
	}
	for _, h := range hits {
		if !strings.HasPrefix(baseName(h.Ref), "b_") && !strings.HasPrefix(h.Ref, "mw-") {
			t.Errorf("hit %s is not the port strike story", h.Ref)
		}
		if h.ClusterSize != 3 || h.Snippet == "" {
			t.Errorf("hit %+v: want its cluster of 3 and a snippet", h)
		}
	}
	text := mustRun(t, "--db", db, "search", "museum")
	if !strings.Contains(text, "d_unrelated.txt") || !strings.Contains(text, "canonical") {
		t.Errorf("search museum:\n%s", text)
	}
	if out := mustRun(t, "--db", db, "search", "zzzyxw"); !strings.Contains(out, "no articles found") {
		t.Errorf("search for nothing: %q", out)
	}
	if _, _, err := runCLI(t, "", "--db", db, "search", "--", "!!"); exitCode(err) != 1 || err == nil {
		t.Errorf("a query without words: %v", err)
	}
}
