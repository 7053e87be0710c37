package main

import (
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
