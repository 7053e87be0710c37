package export

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestAtomically checks that a failed write leaves neither the target nor
// its temporary file, and that a good one replaces the target whole.
func TestAtomically(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "out.csv")
	boom := errors.New("boom")
	err := Atomically(name, func(w io.Writer) error {
		io.WriteString(w, "half a file")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Atomically = %v, want the writer's error", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a failed write left %d files, want none", len(entries))
	}
	if err := os.WriteFile(name, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Atomically(name, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(name); string(b) != "new" {
		t.Errorf("target holds %q, want new", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d files after a good write, want 1", len(entries))
	}
}

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		o  Options
		ok bool
	}{
		{Options{Format: "jsonl", Output: "-"}, true},
		{Options{Format: "csv", Output: "x.csv"}, true},
		{Options{Format: "parquet", Output: "x.parquet"}, true},
		{Options{Format: "txt", Output: "dir"}, true},
		{Options{Format: "txt", Output: "-"}, false},
		{Options{Format: "xml", Output: "-"}, false},
		{Options{Format: "", Output: "-"}, false},
	} {
		if err := tc.o.Check(); (err == nil) != tc.ok {
			t.Errorf("%+v: Check() = %v, want ok=%v", tc.o, err, tc.ok)
		}
	}
}

// TestAtomicallyRemovesStale checks that a write removes the temporary
// files a killed export left, and only those: a live process's file, and
// any other file, stay.
func TestAtomicallyRemovesStale(t *testing.T) {
	dir := t.TempDir()
	// A process that has exited: its id names no live process.
	done := exec.Command(os.Args[0], "-test.run=^$")
	if err := done.Run(); err != nil {
		t.Fatal(err)
	}
	dead := done.Process.Pid
	files := map[string]bool{ // name: whether it should stay
		".newsdedup-export-" + strconv.Itoa(dead) + "-123456":        false,
		".newsdedup-export-" + strconv.Itoa(os.Getpid()) + "-654321": true,
		".newsdedup-export-notapid-1":                                true,
		"keep.csv":                                                   true,
	}
	for name := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var temp string
	err := Atomically(filepath.Join(dir, "out.csv"), func(w io.Writer) error {
		temp = filepath.Base(w.(*os.File).Name())
		_, err := io.WriteString(w, "new")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := ".newsdedup-export-" + strconv.Itoa(os.Getpid()) + "-"; !strings.HasPrefix(temp, want) {
		t.Errorf("temporary file %s: want it named %s… so that a later export can tell whether its process lives", temp, want)
	}
	for name, stay := range files {
		_, err := os.Stat(filepath.Join(dir, name))
		if stay && err != nil {
			t.Errorf("%s was removed", name)
		}
		if !stay && err == nil {
			t.Errorf("%s, left by a dead process, is still there", name)
		}
	}
}
