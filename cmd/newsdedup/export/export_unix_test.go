//go:build unix

package export

import (
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestAtomicallyDevice: an export to a device or a pipe writes to it and
// leaves it what it was; renaming a file over /dev/null replaced the
// device with a file.
func TestAtomicallyDevice(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no fifos here:", err)
	}
	got := make(chan string, 1)
	go func() {
		b, _ := os.ReadFile(fifo)
		got <- string(b)
	}()
	if err := Atomically(fifo, func(w io.Writer) error { _, err := io.WriteString(w, "rows\n"); return err }); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "rows\n" {
		t.Errorf("the pipe read %q", s)
	}
	if info, err := os.Lstat(fifo); err != nil || info.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("after the export the pipe is %v (%v)", info.Mode(), err)
	}
	entries, _ := os.ReadDir(filepath.Dir(fifo))
	if len(entries) != 1 {
		t.Errorf("files left beside the pipe: %v", entries)
	}
}

// TestAtomicallyMode: an export is created 0666 less the umask, as any
// tool creates files (os.CreateTemp made it 0600 whatever the umask), and
// one written over keeps its mode. The umask is the process's: this test
// is not parallel, and restores it.
func TestAtomicallyMode(t *testing.T) {
	dir := t.TempDir()
	write := func(w io.Writer) error { _, err := io.WriteString(w, "rows\n"); return err }
	for _, tc := range []struct{ umask, want os.FileMode }{{0o022, 0o644}, {0o027, 0o640}, {0o002, 0o664}} {
		old := syscall.Umask(int(tc.umask))
		name := filepath.Join(dir, "out-"+tc.want.String()+".jsonl")
		err := Atomically(name, write)
		syscall.Umask(old)
		if err != nil {
			t.Fatal(err)
		}
		if info, err := os.Stat(name); err != nil || info.Mode().Perm() != tc.want {
			t.Errorf("umask %o: mode %v (%v), want %v", tc.umask, info.Mode().Perm(), err, tc.want)
		}
	}
	name := filepath.Join(dir, "kept.jsonl")
	if err := os.WriteFile(name, []byte("old\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(name, 0o604); err != nil {
		t.Fatal(err)
	}
	if err := Atomically(name, write); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(name); err != nil || info.Mode().Perm() != 0o604 {
		t.Errorf("written over: mode %v (%v), want its own 0604", info.Mode().Perm(), err)
	}
}
