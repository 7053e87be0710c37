package ingest

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestOptionsValidate(t *testing.T) {
	for _, tc := range []struct {
		opts Options
		ok   bool
	}{
		{Options{}, true},
		{Options{MaxBytes: DefaultMaxBytes}, true},
		{Options{MaxBytes: MaxBytesLimit}, true},
		{Options{MaxBytes: MaxBytesLimit + 1}, false},
		{Options{MaxBytes: 1 << 30}, false},
		{Options{MaxBytes: -1}, false},
		{Options{Format: FormatTSV}, true},
		{Options{Format: "xml"}, false},
	} {
		err := tc.opts.Validate()
		if (err == nil) != tc.ok {
			t.Errorf("%+v: Validate() = %v, want ok %v", tc.opts, err, tc.ok)
		}
	}
	// Read refuses what Validate refuses, before reading anything.
	name := writeTemp(t, "a.txt", []byte("Some text."))
	items, _, err := readItems(t, Options{MaxBytes: MaxBytesLimit + 1}, name)
	if err == nil || len(items) != 0 {
		t.Fatalf("Read with --max-bytes over the limit: %v, %d items", err, len(items))
	}
}

func TestReadChecksPathsFirst(t *testing.T) {
	good := writeTemp(t, "a.txt", []byte("Some text."))
	missing := filepath.Join(t.TempDir(), "missing.txt")
	items, _, err := readItems(t, Options{}, good, missing)
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Fatalf("Read: %v, want a not-exist error naming %s", err, missing)
	}
	if len(items) != 0 {
		t.Errorf("Read gave %d items from the paths before a missing one", len(items))
	}
	if err := CheckPaths([]string{good, "-", missing}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("CheckPaths: %v", err)
	}
	if err := CheckPaths([]string{good, "-", filepath.Dir(good)}); err != nil {
		t.Errorf("CheckPaths of good paths: %v", err)
	}
}

func TestCheckInputs(t *testing.T) {
	good := writeTemp(t, "a.txt", []byte("Some text."))
	pdf := writeTemp(t, "b.pdf", []byte("Some text."))
	arc := writeTemp(t, "c.arc.gz", []byte("Some text."))
	if err := (Options{}).CheckInputs([]string{good, "-", filepath.Dir(pdf)}); err != nil {
		t.Errorf("good inputs: %v", err)
	}
	err := (Options{}).CheckInputs([]string{"-", good, pdf, arc, "-"})
	for _, want := range []string{"standard input named twice", pdf + ": unknown format", arc + ": ARC file"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("CheckInputs: %v, want it to say %q", err, want)
		}
	}
	if err := (Options{Format: FormatText}).CheckInputs([]string{pdf, arc}); err != nil {
		t.Errorf("with a format: %v", err)
	}
}

func TestReadFolderSymlinks(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	target := filepath.Join(outside, "linked.txt")
	if err := os.WriteFile(target, []byte("Linked text."), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "plain.txt"), []byte("Plain text."), 0o644); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(outside, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sub, "deep.txt"), []byte("Deep text."), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, l := range []struct{ target, name string }{
		{target, "link.txt"},
		{sub, "linkdir"},
		{dir, "loop"}, // a link to the folder itself
		{filepath.Join(outside, "gone.txt"), "broken.txt"},
	} {
		if err := os.Symlink(l.target, filepath.Join(dir, l.name)); err != nil {
			t.Skipf("no symlinks here: %v", err)
		}
	}
	items, rejs, err := readItems(t, Options{}, dir)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, it := range items {
		got[filepath.Base(it.Ref)] = string(it.Data)
	}
	want := map[string]string{"plain.txt": "Plain text.", "link.txt": "Linked text.", "deep.txt": "Deep text."}
	if len(got) != len(want) || len(items) != len(want) {
		t.Errorf("items %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
	reasons := map[string]string{}
	for _, r := range rejs {
		reasons[filepath.Base(r.Ref)] = r.Reason
	}
	if len(rejs) != 2 || !strings.Contains(reasons["loop"], "loop") || !strings.Contains(reasons["broken.txt"], "broken symlink") {
		t.Errorf("rejections %v, want one for the loop and one for the broken link", rejs)
	}
}

func TestReadGzipErrors(t *testing.T) {
	// A bad header is reported once as gzip's, not "gzip: gzip:".
	name := writeTemp(t, "a.jsonl.gz", []byte("\x1f\x8bnot really gzip"))
	_, rejs, err := readItems(t, Options{}, name)
	if err != nil || len(rejs) != 1 || strings.Count(rejs[0].Reason, "gzip:") != 1 {
		t.Errorf("Read: %v, rejections %v, want one saying gzip: once", err, rejs)
	}

	// A truncated stream: the whole lines before are kept, the cut line is
	// reported once.
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	// The third line is long and varied, so that the cut falls in it.
	var long strings.Builder
	for i := range 2000 {
		long.WriteString(strconv.Itoa(i * 7919 % 1009))
	}
	zw.Write([]byte(`{"text":"one"}` + "\n" + `{"text":"two"}` + "\n" + `{"text":"` + long.String() + `"}` + "\n"))
	zw.Close()
	data := buf.Bytes()
	name = writeTemp(t, "b.jsonl.gz", data[:len(data)-100])
	items, rejs, err := readItems(t, Options{}, name)
	if err != nil || len(rejs) != 1 || rejs[0].Ref != name+":3" {
		t.Fatalf("Read: %v, rejections %v, want one for line 3", err, rejs)
	}
	if len(items) != 2 {
		t.Errorf("%d items, want the 2 whole lines", len(items))
	}
}
