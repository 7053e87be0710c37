package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportRefusedBeforeRecord: a mistake in the command line is a usage
// error, and no import is recorded (nor a database made) for it.
func TestImportRefusedBeforeRecord(t *testing.T) {
	dir := smallCorpus(t)
	path := filepath.Join(t.TempDir(), "t.db")
	other := t.TempDir()
	pdf, arc := filepath.Join(other, "paper.pdf"), filepath.Join(other, "crawl.arc")
	for _, p := range []string{pdf, arc} {
		if err := os.WriteFile(p, []byte("invented content\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{
		{"--max-bytes", "2000000000", dir},
		{"--format", "xml", dir},
		{"--shingle", "0", dir},
		{dir, filepath.Join(dir, "missing.jsonl")},
		{"-", dir, "-"},
		{dir, pdf},
		{arc},
		{"--rules", filepath.Join(dir, "missing.rules"), dir},
	} {
		_, _, err := runCLI(t, "", append([]string{"--db", path, "import", "-q"}, args...)...)
		if err == nil || exitCode(err) != 2 {
			t.Errorf("import %q: err %v (exit %d), want a usage error", args, err, exitCode(err))
		}
		if _, err := os.Stat(path); err == nil {
			t.Fatalf("import %q made a database", args)
		}
	}
	mustRun(t, "--db", path, "import", "-q", dir)
	_, _, err := runCLI(t, "", "--db", path, "import", "-q", dir, filepath.Join(dir, "missing.jsonl"))
	if err == nil || !strings.Contains(err.Error(), "missing.jsonl") {
		t.Errorf("a missing path: %v", err)
	}
	if out := mustRun(t, "--db", path, "imports"); strings.Count(out, "import ") != 1 {
		t.Errorf("imports after refused attempts:\n%s", out)
	}
}

// TestImportFileWithoutTextField: a CSV without the text field is one
// rejection naming the file and its fields, not one a row; the folder's
// other files are imported.
func TestImportFileWithoutTextField(t *testing.T) {
	dir := t.TempDir()
	var rows strings.Builder
	rows.WriteString("id,body\n")
	for i := range 42 {
		fmt.Fprintf(&rows, "b%d,%s\n", i, strings.Join(article(int64(50+i), 3), " "))
	}
	writeFile(t, filepath.Join(dir, "body.csv"), rows.String())
	writeFile(t, filepath.Join(dir, "good.txt"), strings.Join(article(49, 5), "\n\n"))
	db := filepath.Join(t.TempDir(), "t.db")
	out, errOut, err := runCLI(t, "", "--db", db, "import", dir)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "new 1,") || !strings.Contains(out, "rejected 1") {
		t.Errorf("summary %q, want 1 new, 1 rejected", out)
	}
	want := filepath.Join(dir, "body.csv") + `: no "text" field in the header (its fields: id, body)`
	if strings.Count(errOut, "rejected ") != 1 || !strings.Contains(errOut, want) || !strings.Contains(errOut, "--text-field") {
		t.Errorf("stderr:\n%s\nwant one rejection saying %q", errOut, want)
	}
	out = mustRun(t, "--db", db, "import", "--text-field", "body", filepath.Join(dir, "body.csv"))
	if !strings.Contains(out, "new 42,") {
		t.Errorf("with --text-field body: %q", out)
	}
}

// TestImportQuietShowsRejections: -q hides progress and the summary, not
// the rejections, which are errors.
func TestImportQuietShowsRejections(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "good.txt"), strings.Join(article(61, 5), "\n\n"))
	writeFile(t, filepath.Join(dir, "empty.txt"), " \n")
	db := filepath.Join(t.TempDir(), "t.db")
	out, errOut, err := runCLI(t, "", "--db", db, "import", "-q", dir)
	if err != nil {
		t.Fatal(err)
	}
	if out != "" {
		t.Errorf("stdout under -q: %q", out)
	}
	for _, want := range []string{"rejected " + filepath.Join(dir, "empty.txt") + ": empty", "1 rejected", "newsdedup imports"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr under -q lacks %q:\n%s", want, errOut)
		}
	}
	// Nothing is said of an import without rejections.
	writeFile(t, filepath.Join(dir, "more.txt"), strings.Join(article(62, 5), "\n\n"))
	if out, errOut, err := runCLI(t, "", "--db", db, "import", "-q", filepath.Join(dir, "more.txt")); err != nil || out != "" || errOut != "" {
		t.Errorf("a clean import under -q: %v, %q, %q", err, out, errOut)
	}
}

// TestImportParquet: a Parquet export imports again, row by row, with the
// field mappings (here --id-field ref, as export keeps the ref there).
func TestImportParquet(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	mustRun(t, "--db", db, "import", "-q", smallCorpus(t))
	out := filepath.Join(t.TempDir(), "corpus.parquet")
	mustRun(t, "--db", db, "export", "--variants", "--format", "parquet", "-o", out)
	again := filepath.Join(t.TempDir(), "again.db")
	sum := mustRun(t, "--db", again, "import", "--id-field", "ref", out)
	if !strings.Contains(sum, "read 8, new 8,") || !strings.Contains(sum, "exact duplicates 1, near duplicates 1, excerpts 1") {
		t.Errorf("import of the Parquet export: %q", sum)
	}
}
