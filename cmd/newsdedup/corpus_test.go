package main

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/cmd/newsdedup/output"
)

// corpusDir holds the invented articles described in its EXPECTED.md.
var corpusDir = filepath.Join("..", "..", "testdata", "corpus")

// TestCorpus runs the CLI end to end on testdata/corpus and checks the
// clusters, relations and cleaning that EXPECTED.md describes.
func TestCorpus(t *testing.T) {
	db := filepath.Join(t.TempDir(), "corpus.db")
	out := mustRun(t, "--db", db, "import", corpusDir)
	if want := "read 15, new 15, already stored 0, exact duplicates 2, near duplicates 5, excerpts 1, clusters touched 4, rejected 0"; !strings.Contains(out, want) {
		t.Errorf("summary %q\nwant %q", out, want)
	}
	want := []string{
		// a_full and a_copy are identical: the tie goes to the smaller ref.
		"a_copy.txt <- a_full.txt(exact), a_print.txt(near), a_teaser.txt(excerpt)",
		"b_outlet.txt <- b_wire.txt(near), mw-2024-0611-kb-strike(near)",
		"c_v2.txt <- c_v1.txt(near), vt-2024-0319-nbv-preview(near)",
		"ng-2024-0502-gannet-light <- sg-2024-0503-brackenford-lighthouse(exact)",
	}
	if got := partition(t, db, baseName); !slices.Equal(got, want) {
		t.Errorf("clusters:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	exported := jsonLines[output.Export](t, mustRun(t, "--db", db, "export"))
	var refs []string
	for _, e := range exported {
		refs = append(refs, baseName(e.Ref))
	}
	slices.Sort(refs)
	wantRefs := []string{"a_copy.txt", "a_other.txt", "b_outlet.txt", "c_analysis.txt", "c_v2.txt", "d_unrelated.txt", "ng-2024-0502-gannet-light"}
	if !slices.Equal(refs, wantRefs) {
		t.Errorf("exported %q, want %q", refs, wantRefs)
	}

	texts := map[string]string{}
	for _, e := range jsonLines[output.Export](t, mustRun(t, "--db", db, "export", "--variants")) {
		texts[baseName(e.Ref)] = e.Text
	}
	gone := map[string][]string{
		"a_print.txt":  {"The Marrowby Courier / Text", "0412-floodmap", "\r", "\u00a0", "\u201c", "\u2014"},
		"a_teaser.txt": {"Previous Article", "\n\nNews\n\n"},
		"a_other.txt":  {"Leave a reply"},
		"b_outlet.txt": {"Skip to content", "Share this article", "Advertisement", "SEE ALSO", "Harbour Pilots Warn", "Want to read more", "Subscribe", "The Authors", "ports correspondent has covered"},
	}
	for ref, bad := range gone {
		for _, s := range bad {
			if strings.Contains(texts[ref], s) {
				t.Errorf("cleaned %s still contains %q", ref, s)
			}
		}
	}
	if n := strings.Count(texts["a_teaser.txt"], "Why We Wrote This"); n != 1 {
		t.Errorf("cleaned a_teaser has the box %d times, want 1", n)
	}
	if !strings.Contains(texts["b_outlet.txt"], "Union leaders said on Tuesday") {
		t.Errorf("the sentence after the glued SEE ALSO link was lost")
	}
	if !strings.Contains(texts["d_unrelated.txt"], "\u00fc") {
		t.Errorf("non-English text lost its accents")
	}
}
