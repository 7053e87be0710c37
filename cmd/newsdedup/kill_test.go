package main

import (
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"github.com/newsdedup/newsdedup/cmd/newsdedup/output"
	"github.com/newsdedup/newsdedup/ingest/generate"
)

// TestMain lets a test run this binary as newsdedup itself in a child
// process, to kill it for real.
func TestMain(m *testing.M) {
	if os.Getenv("NEWSDEDUP_RUN_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestKillDuringImport kills an import with SIGKILL while it writes: the
// database passes integrity_check and holds whole batches only, and the
// same import run again stores every article exactly once, with the same
// clusters as an import that was never interrupted.
func TestKillDuringImport(t *testing.T) {
	if testing.Short() {
		t.Skip("runs three imports")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "gen.jsonl")
	f, err := os.Create(in)
	if err != nil {
		t.Fatal(err)
	}
	// Twelve small batches: the kill after the third of them lands while
	// later ones are being written, and the imports cost seconds.
	const n, batch = 2400, 200
	if err := generate.Write(f, nil, generate.Options{Articles: n, Seed: 3, MinParagraphs: 5}); err != nil {
		t.Fatal(err)
	}
	f.Close()

	path := filepath.Join(dir, "killed.db")
	cmd := exec.Command(os.Args[0], "--db", path, "import", "-q", "--batch", itoa(batch), in)
	cmd.Env = append(os.Environ(), "NEWSDEDUP_RUN_MAIN=1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stored := func() int {
		db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&_busy_timeout=5000")
		if err != nil {
			return 0
		}
		defer db.Close()
		var c int
		db.QueryRow(`SELECT COUNT(*) FROM articles`).Scan(&c)
		return c
	}
	deadline := time.Now().Add(60 * time.Second)
	for stored() < 3*batch && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	got := stored()
	if got == n {
		t.Skip("the import finished before it could be killed")
	}
	if got%batch != 0 {
		t.Errorf("after kill -9 the database holds %d articles, not whole batches of %d", got, batch)
	}
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	var check string
	db.QueryRow(`PRAGMA integrity_check`).Scan(&check)
	db.Close()
	if check != "ok" {
		t.Fatalf("integrity_check after kill -9: %s", check)
	}

	// The killed import is listed as interrupted, not as running.
	ims := jsonLines[map[string]any](t, mustRun(t, "--db", path, "imports", "--json"))
	if len(ims) != 1 || ims[0]["status"] != "interrupted" {
		t.Errorf("imports after kill -9: %v, want one interrupted import", ims)
	}

	out := mustRun(t, "--db", path, "import", in)
	if !strings.Contains(out, "already stored "+itoa(int64(got))) {
		t.Errorf("re-run: %q, want %d already stored", out, got)
	}
	st := jsonLines[output.Stats](t, mustRun(t, "--db", path, "stats", "--json"))[0]
	if st.Articles != n {
		t.Errorf("after the re-run the database holds %d articles, want %d", st.Articles, n)
	}
	refs := map[string]bool{}
	for _, r := range jsonLines[output.Export](t, mustRun(t, "--db", path, "export", "--variants")) {
		if refs[r.Ref] {
			t.Errorf("%s stored twice", r.Ref)
		}
		refs[r.Ref] = true
	}

	clean := filepath.Join(dir, "clean.db")
	mustRun(t, "--db", clean, "import", "-q", "--batch", itoa(batch), in)
	if a, b := partition(t, path, baseName), partition(t, clean, baseName); !slices.Equal(a, b) {
		t.Errorf("clusters after kill and resume differ from an uninterrupted import (%d vs %d clusters)", len(a), len(b))
	}
}
