package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/cmd/newsdedup/output"
)

func TestSimilar(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	mustRun(t, "--db", db, "import", "-q", corpusDir)
	before := mustRun(t, "--db", db, "stats", "--json")

	// A teaser that was never imported: its first paragraphs, piped in.
	full, err := os.ReadFile(filepath.Join(corpusDir, "c_v2.txt"))
	if err != nil {
		t.Fatal(err)
	}
	paras := strings.Split(string(full), "\n\n")
	teaser := strings.Join(paras[:4], "\n\n")
	out, _, err := runCLI(t, teaser, "--db", db, "similar", "--json", "-")
	if err != nil {
		t.Fatal(err)
	}
	res := jsonLines[output.Similar](t, out)
	if len(res) != 1 || len(res[0].Matches) == 0 {
		t.Fatalf("similar = %+v, want matches", res)
	}
	var found bool
	for _, m := range res[0].Matches {
		if baseName(m.Ref) == "c_v2.txt" {
			found = m.Relation == "excerpt" && m.Containment > 0.9
		}
	}
	if !found {
		t.Errorf("the teaser of c_v2 should be an excerpt of it: %+v", res[0].Matches)
	}

	// An unrelated text matches nothing, and nothing is ever stored.
	out, _, err = runCLI(t, strings.Join(article(77, 5), "\n\n"), "--db", db, "similar", "-")
	if err != nil || !strings.Contains(out, "no duplicate stored") {
		t.Errorf("unrelated text: %v %q", err, out)
	}
	if after := mustRun(t, "--db", db, "stats", "--json"); after != before {
		t.Errorf("similar changed the database:\n%s\n%s", before, after)
	}
}
