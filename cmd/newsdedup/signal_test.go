package main

import (
	"database/sql"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/ingest/generate"
)

// TestSIGTERM stops an import and then an export with SIGTERM, as a
// service manager or a container runtime stops a process: each stops as
// after Ctrl-C, with exit code 143 (128 + 15); the import is recorded as
// interrupted and the export leaves no temporary file.
func TestSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 12,000 articles")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "gen.jsonl")
	f, err := os.Create(in)
	if err != nil {
		t.Fatal(err)
	}
	if err := generate.Write(f, nil, generate.Options{Articles: 12000, Seed: 3, MinParagraphs: 5}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	path := filepath.Join(dir, "t.db")
	child := func(args ...string) *exec.Cmd {
		cmd := exec.Command(os.Args[0], append([]string{"--db", path}, args...)...)
		cmd.Env = append(os.Environ(), "NEWSDEDUP_RUN_MAIN=1")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	// exited waits for the child and returns its exit code, -1 when a
	// signal killed it.
	exited := func(cmd *exec.Cmd) int {
		err := cmd.Wait()
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatal(err)
		}
		return cmd.ProcessState.ExitCode()
	}
	stored := func() int {
		db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&_busy_timeout=5000")
		if err != nil {
			return 0
		}
		defer db.Close()
		var n int
		db.QueryRow(`SELECT COUNT(*) FROM articles`).Scan(&n)
		return n
	}

	imp := child("import", "-q", "--batch", "1000", in)
	deadline := time.Now().Add(60 * time.Second)
	for stored() < 2000 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	imp.Process.Signal(syscall.SIGTERM)
	switch code := exited(imp); code {
	case 0:
		t.Skip("the import finished before SIGTERM")
	case 143:
	default:
		t.Fatalf("import stopped by SIGTERM: exit code %d, want 143", code)
	}
	ims := jsonLines[map[string]any](t, mustRun(t, "--db", path, "imports", "--json"))
	if len(ims) != 1 || ims[0]["status"] != "interrupted" {
		t.Errorf("imports after SIGTERM: %v, want one interrupted import", ims)
	}

	out := filepath.Join(dir, "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	exp := child("export", "--variants", "--format", "csv", "-o", filepath.Join(out, "corpus.csv"))
	temps := func() []string {
		var names []string
		entries, _ := os.ReadDir(out)
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".newsdedup-export-") {
				names = append(names, e.Name())
			}
		}
		return names
	}
	finished := func() bool { _, err := os.Stat(filepath.Join(out, "corpus.csv")); return err == nil }
	for len(temps()) == 0 && !finished() && time.Now().Before(deadline) {
		time.Sleep(100 * time.Microsecond)
	}
	exp.Process.Signal(syscall.SIGTERM)
	switch code := exited(exp); code {
	case 0:
		t.Skip("the export finished before SIGTERM")
	case 143:
	default:
		t.Fatalf("export stopped by SIGTERM: exit code %d, want 143", code)
	}
	if left := temps(); len(left) > 0 {
		t.Errorf("export stopped by SIGTERM left %v", left)
	}
	if finished() {
		t.Errorf("export stopped by SIGTERM wrote its output")
	}
}
