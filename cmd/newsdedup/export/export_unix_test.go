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
