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

// unindexed returns how many of db's articles the search index lacks.
func unindexed(t *testing.T, path string) int64 {
	t.Helper()
	db, err := store.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n, _, err := db.Unindexed(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestSearchSaysItIndexes: the first search after an import says on
// standard error that it indexes the new articles; the next says nothing.
func TestSearchSaysItIndexes(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	mustRun(t, "--db", db, "import", "-q", smallCorpus(t))
	_, errOut, err := runCLI(t, "", "--db", db, "search", "the")
	if err != nil || !strings.Contains(errOut, "indexing 8 articles for search") || !strings.Contains(errOut, "8 of 8") {
		t.Errorf("first search: %v, stderr %q", err, errOut)
	}
	if _, errOut, err := runCLI(t, "", "--db", db, "search", "the"); err != nil || errOut != "" {
		t.Errorf("second search: %v, stderr %q", err, errOut)
	}
}

// TestImportIndexSearch: import --index-search builds the search index at
// the end, so that no search pays for it.
func TestImportIndexSearch(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	mustRun(t, "--db", db, "import", "-q", smallCorpus(t))
	if n := unindexed(t, db); n != 8 {
		t.Fatalf("%d articles unindexed after a plain import, want 8", n)
	}
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "more.txt"), strings.Join(article(71, 5), "\n\n"))
	_, errOut, err := runCLI(t, "", "--db", db, "import", "--index-search", dir)
	if err != nil || !strings.Contains(errOut, "indexing 9 articles for search") {
		t.Errorf("import --index-search: %v, stderr %q", err, errOut)
	}
	if n := unindexed(t, db); n != 0 {
		t.Errorf("%d articles unindexed after import --index-search", n)
	}
	if _, errOut, err := runCLI(t, "", "--db", db, "search", "the"); err != nil || errOut != "" {
		t.Errorf("search after import --index-search: %v, stderr %q", err, errOut)
	}
}
