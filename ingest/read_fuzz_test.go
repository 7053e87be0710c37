package ingest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzRead feeds arbitrary bytes to the text, JSONL, CSV and TSV readers
// and to Parse: no panic, every item and rejection names the file, no
// article exceeds the size limit, and a record's text is valid UTF-8 once
// cleaned.
func FuzzRead(f *testing.F) {
	f.Add([]byte("Headline\n\nBody text here.\n"), uint8(0))
	f.Add([]byte(`{"id":"a","text":"hello world","meta":{"url":"u"}}`+"\n"+`{"text":`), uint8(1))
	f.Add([]byte("{\"text\":\"x\\u0000y\"}\n\n{\"text\":\"\xff\xfe\"}\n[1,2]\n\"s\"\n"), uint8(1))
	f.Add([]byte("text,id\n\"quoted, text\",1\nbad\"quote,2\n"), uint8(2))
	f.Add([]byte("text\tid\nplain\t1\n\"unterminated\t2\n"), uint8(3))
	f.Add([]byte("\x1f\x8b\x08\x00garbage"), uint8(1))
	f.Add([]byte("\x28\xb5\x2f\xfdgarbage"), uint8(0))
	f.Add([]byte("BZh9garbage"), uint8(2))
	names := []string{"in.txt", "in.jsonl", "in.csv", "in.tsv"}
	f.Fuzz(func(t *testing.T, data []byte, which uint8) {
		name := filepath.Join(t.TempDir(), names[int(which)%len(names)])
		if err := os.WriteFile(name, data, 0o644); err != nil {
			t.Fatal(err)
		}
		opts := Options{MaxBytes: 1 << 12, Fields: Fields{URL: "meta.url"}}
		var items []Item
		err := Read(context.Background(), []string{name}, opts, func(it Item) error {
			items = append(items, it)
			return nil
		}, func(r Rejection) {
			if !strings.HasPrefix(r.Ref, name) {
				t.Errorf("rejection %q does not name the file", r.Ref)
			}
		})
		if err != nil {
			t.Fatalf("Read: %v", err)
		}
		for _, it := range items {
			if !strings.HasPrefix(it.Ref, name) {
				t.Errorf("item ref %q does not name the file", it.Ref)
			}
			if len(it.Data) > 1<<12+1 {
				t.Errorf("item of %d bytes passed a 4096-byte limit", len(it.Data))
			}
			a, err := opts.Parse(it)
			if err != nil {
				if _, ok := err.(Rejection); !ok {
					t.Errorf("Parse error %T is not a Rejection", err)
				}
				continue
			}
			if clean := DefaultRules().Clean(a.Raw); !utf8.ValidString(clean) {
				t.Errorf("cleaned text is not valid UTF-8: %q", clean)
			}
		}
	})
}
