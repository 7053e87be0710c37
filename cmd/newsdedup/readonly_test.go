package main

import (
	"bytes"
	"database/sql"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// nobody is the user the tests of read-only databases run newsdedup as:
// root ignores file permissions.
const nobody = 65534

// asUser runs newsdedup, the test binary itself, in a child process as a
// user that file permissions apply to: nobody when the test runs as root,
// else the test's own user. It copies the binary into a folder that user
// can reach.
type asUser struct {
	t    *testing.T
	bin  string
	root bool
}

func newAsUser(t *testing.T) asUser {
	t.Helper()
	if os.Getuid() != 0 && os.Geteuid() != 0 {
		return asUser{t: t, bin: os.Args[0]}
	}
	dir := reachable(t)
	bin := filepath.Join(dir, "newsdedup")
	src, err := os.Open(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.OpenFile(bin, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
	u := asUser{t: t, bin: bin, root: true}
	if _, _, err := u.run(dir, "--help"); err != nil {
		t.Skipf("cannot run newsdedup as uid %d: %v", nobody, err)
	}
	return u
}

// reachable returns a new temporary folder that the child's user can
// enter, with every folder above it.
func reachable(t *testing.T) string {
	dir := t.TempDir()
	for d := dir; d != filepath.Dir(d); d = filepath.Dir(d) {
		if fi, err := os.Stat(d); err == nil && fi.Mode().Perm()&0o005 != 0o005 {
			if err := os.Chmod(d, fi.Mode().Perm()|0o005); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

// own gives path and everything under it to the child's user.
func (u asUser) own(path string) {
	if !u.root {
		return
	}
	err := filepath.Walk(path, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, nobody, nobody)
	})
	if err != nil {
		u.t.Fatal(err)
	}
}

func (u asUser) run(dir string, args ...string) (stdout, stderr string, err error) {
	cmd := exec.Command(u.bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NEWSDEDUP_RUN_MAIN=1")
	if u.root {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
	}
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	return o.String(), e.String(), err
}

func chmod(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

// files lists the names in dir.
func files(t *testing.T, dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestReadOnlyDatabase reads a database in a read-only folder, and one
// whose file is read-only: every reading command works and writes
// nothing, search searches what is indexed and says how many articles
// are not, and the commands that must write say why they cannot. The
// read-only files the reading leaves then get a clear message.
func TestReadOnlyDatabase(t *testing.T) {
	u := newAsUser(t)
	base := reachable(t)
	extra := filepath.Join(base, "extra.txt")
	if err := os.WriteFile(extra, []byte(hostileBody+" A later article about the ferry, never indexed."), 0o644); err != nil {
		t.Fatal(err)
	}
	makeDB := func(name string) (dir, db string) {
		dir = filepath.Join(base, name)
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		db = filepath.Join(dir, "t.db")
		mustRun(t, "--db", db, "import", "-q", corpusDir)
		mustRun(t, "--db", db, "search", "harbour") // indexes the corpus
		mustRun(t, "--db", db, "import", "-q", extra)
		u.own(dir)
		return dir, db
	}
	reads := [][]string{{"stats"}, {"clusters"}, {"show", "1"}, {"export"}, {"imports"}, {"check"}, {"decisions"}, {"similar", extra}}

	check := func(name, dir, db string) {
		before := files(t, dir)
		for _, args := range reads {
			if _, stderr, err := u.run(dir, append([]string{"--db", db}, args...)...); err != nil {
				t.Errorf("%s: %s: %v\n%s", name, args[0], err, stderr)
			}
		}
		out, stderr, err := u.run(dir, "--db", db, "search", "ferry")
		if err != nil {
			t.Errorf("%s: search: %v\n%s", name, err, stderr)
		}
		if !strings.Contains(out, "#") || !strings.Contains(stderr, "1 article") {
			t.Errorf("%s: search should find the indexed articles and say that 1 is not indexed:\n%s\n%s", name, out, stderr)
		}
		_, stderr, err = u.run(dir, "--db", db, "import", "-q", extra)
		if err == nil || !strings.Contains(stderr, "read-only") || strings.Contains(stderr, "migrate") {
			t.Errorf("%s: import: %v, want a clear read-only error:\n%s", name, err, stderr)
		}
		if name == "folder" {
			if got := files(t, dir); strings.Join(got, " ") != strings.Join(before, " ") {
				t.Errorf("%s: the reading commands changed the folder: %v, was %v", name, got, before)
			}
		}
	}

	dir, db := makeDB("folder")
	chmod(t, dir, 0o555)
	check("folder", dir, db)
	chmod(t, dir, 0o755)

	dir, db = makeDB("file")
	chmod(t, db, 0o444)
	check("file", dir, db)

	// A read-only use in a writable folder leaves read-only -wal and -shm
	// files (SQLite gives them the database's mode): once the database is
	// writable again, a write says which file is in the way.
	for _, suffix := range []string{"-wal", "-shm"} {
		f, err := os.OpenFile(db+suffix, os.O_CREATE|os.O_WRONLY, 0o444)
		if err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	u.own(dir)
	chmod(t, db+"-shm", 0o444)
	chmod(t, db+"-wal", 0o444)
	chmod(t, db, 0o644)
	_, stderr, err := u.run(dir, "--db", db, "import", "-q", extra)
	if err == nil || !strings.Contains(stderr, "t.db-") || !strings.Contains(stderr, "read-only") {
		t.Errorf("import with a read-only -shm: %v, want a message naming it:\n%s", err, stderr)
	}
}

// TestReadOnlyOldSchema checks that a read-only database older than this
// newsdedup is refused with a message saying it needs migrating.
func TestReadOnlyOldSchema(t *testing.T) {
	u := newAsUser(t)
	dir := filepath.Join(reachable(t), "old")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "t.db")
	mustRun(t, "--db", db, "import", "-q", corpusDir)
	raw, err := sql.Open("sqlite3", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`DELETE FROM schema_migrations WHERE version = (SELECT MAX(version) FROM schema_migrations)`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	u.own(dir)
	chmod(t, dir, 0o555)
	defer chmod(t, dir, 0o755)
	_, stderr, err := u.run(dir, "--db", db, "stats")
	if err == nil || !strings.Contains(stderr, "older") || !strings.Contains(stderr, "read-only") {
		t.Errorf("stats of an old read-only database: %v, want it to say the schema needs migrating:\n%s", err, stderr)
	}
}
