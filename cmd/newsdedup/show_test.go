package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/cmd/newsdedup/output"
)

// corpusIDs imports the test corpus and returns its database with each
// article's id by the base name of its ref.
func corpusIDs(t *testing.T) (db string, ids map[string]int64) {
	t.Helper()
	db = filepath.Join(t.TempDir(), "t.db")
	mustRun(t, "--db", db, "import", "-q", corpusDir)
	ids = make(map[string]int64)
	for _, a := range jsonLines[output.Export](t, mustRun(t, "--db", db, "export", "--variants")) {
		ids[baseName(a.Ref)] = a.ID
	}
	return db, ids
}

func TestShowSharedPassages(t *testing.T) {
	db, ids := corpusIDs(t)
	teaser := itoa(ids["a_teaser.txt"])

	out := mustRun(t, "--db", db, "show", "--json", teaser)
	var fields map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &fields); err != nil {
		t.Fatal(err)
	}
	// The keys show --json had before "shared" are all still there.
	for _, k := range []string{"id", "ref", "source", "title", "url", "published", "raw", "text", "cluster_id", "canonical_id", "relation", "jaccard", "containment", "shared"} {
		if _, ok := fields[k]; !ok {
			t.Errorf("show --json lacks %q", k)
		}
	}
	var a output.Article
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatal(err)
	}
	if a.Relation != "excerpt" {
		t.Fatalf("a_teaser relation = %q, want excerpt", a.Relation)
	}
	// The teaser repeats whole paragraphs of the full text.
	if len(a.Shared) == 0 || len(a.Shared) > output.SharedRuns {
		t.Fatalf("shared = %+v, want 1 to %d passages", a.Shared, output.SharedRuns)
	}
	canon := mustRun(t, "--db", db, "show", "--json", itoa(a.CanonicalID))
	var c output.Article
	if err := json.Unmarshal([]byte(canon), &c); err != nil {
		t.Fatal(err)
	}
	for i, r := range a.Shared {
		if r.Words < output.SharedMinWords || len(strings.Fields(r.Text)) < r.Words/2 {
			t.Errorf("passage %d: %+v is too short", i, r)
		}
		if !strings.Contains(a.Text, r.Text) {
			t.Errorf("passage %d %q is not in the teaser's text", i, r.Text)
		}
		if i > 0 && r.Words > a.Shared[i-1].Words {
			t.Errorf("passages not longest first: %d words after %d", r.Words, a.Shared[i-1].Words)
		}
	}
	if c.Shared == nil || len(c.Shared) != 0 {
		t.Errorf("a canonical's shared = %v, want []", c.Shared)
	}

	text := mustRun(t, "--db", db, "show", teaser)
	if !strings.Contains(text, "passages of 8 words or more with #"+itoa(a.CanonicalID)) {
		t.Errorf("show lacks the shared passages:\n%s", text)
	}
}

// TestShowRaw: show prints the cleaned text and only the size of the
// raw one, unless --raw asks for it after the cleaned text.
func TestShowRaw(t *testing.T) {
	db, ids := corpusIDs(t)
	id := itoa(ids["a_teaser.txt"])
	var a output.Article
	if err := json.Unmarshal([]byte(mustRun(t, "--db", db, "show", "--json", id)), &a); err != nil {
		t.Fatal(err)
	}
	rawLine := "\n--- raw text ("
	for _, args := range [][]string{{"show", id}, {"show", "--no-raw", id}} {
		out := mustRun(t, append([]string{"--db", db}, args...)...)
		if !strings.Contains(out, "--- cleaned text") || strings.Contains(out, rawLine) || !strings.Contains(out, "--raw") {
			t.Errorf("%q printed:\n%s\nwant the cleaned text and a hint at --raw, not the raw text", args, out)
		}
	}
	out := mustRun(t, "--db", db, "show", "--raw", id)
	cleaned, raw := strings.Index(out, "--- cleaned text"), strings.Index(out, rawLine)
	if cleaned < 0 || raw < cleaned || !strings.Contains(out[raw:], termText(a.Raw)) {
		t.Errorf("show --raw printed:\n%s\nwant the raw text after the cleaned text", out)
	}
	if _, _, err := runCLI(t, "", "--db", db, "show", "--raw", "--no-raw", id); exitCode(err) != 2 {
		t.Errorf("--raw with --no-raw: %v, want a usage error", err)
	}
}
