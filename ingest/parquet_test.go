package ingest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
)

type parquetMeta struct {
	URL string `parquet:"url"`
}

type parquetRecord struct {
	ID        string      `parquet:"id"`
	Text      string      `parquet:"text"`
	Body      string      `parquet:"body,optional"`
	Source    string      `parquet:"source"`
	Published string      `parquet:"published"`
	Year      int64       `parquet:"year"`
	Meta      parquetMeta `parquet:"meta"`
}

// writeParquet writes records to a Parquet file, rows row groups of at
// most perGroup rows.
func writeParquet(t *testing.T, name string, recs []parquetRecord, perGroup int64) string {
	t.Helper()
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[parquetRecord](&buf, parquet.MaxRowsPerRowGroup(perGroup))
	if _, err := w.Write(recs); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return writeTemp(t, name, buf.Bytes())
}

// TestReadParquet: a Parquet file is read row group by row group, one
// item a row, with the --*-field mappings, nested columns by dotted path.
func TestReadParquet(t *testing.T) {
	var recs []parquetRecord
	for i := range 25 {
		recs = append(recs, parquetRecord{
			ID: fmt.Sprintf("p%d", i), Text: fmt.Sprintf("Invented story number %d.", i), Body: "Other words.",
			Source: "wire", Published: "2024-03-01", Year: 2024, Meta: parquetMeta{URL: fmt.Sprintf("https://news.example/%d", i)},
		})
	}
	recs[3].Text = ""
	name := writeParquet(t, "corpus.parquet", recs, 10)
	items, rejs, err := readItems(t, Options{Fields: Fields{URL: "meta.url", Title: "year"}}, name)
	if err != nil || len(rejs) != 0 {
		t.Fatalf("Read: %v, rejections %v", err, rejs)
	}
	if len(items) != 25 {
		t.Fatalf("%d items, want 25", len(items))
	}
	o := Options{Fields: Fields{URL: "meta.url", Title: "year"}}
	for i, it := range items {
		if want := fmt.Sprintf("%s:%d", name, i+1); it.Ref != want || it.Format != FormatParquet {
			t.Errorf("item %d: ref %q format %q, want %q parquet", i, it.Ref, it.Format, want)
		}
		a, err := o.Parse(it)
		if i == 3 {
			if err == nil || !strings.Contains(err.Error(), name+":4: empty") {
				t.Errorf("row 4 has no text: %v", err)
			}
			continue
		}
		if err != nil {
			t.Errorf("row %d: %v", i+1, err)
			continue
		}
		want := Article{Ref: recs[i].ID, Raw: recs[i].Text, Source: "wire", Published: "2024-03-01", URL: recs[i].Meta.URL, Title: "2024"}
		if a != want {
			t.Errorf("row %d: %+v, want %+v", i+1, a, want)
		}
	}
	// Another text column by --text-field.
	items, _, err = readItems(t, Options{Fields: Fields{Text: "body"}}, name)
	if err != nil || len(items) != 25 {
		t.Fatalf("--text-field body: %v, %d items", err, len(items))
	}
	if a, err := (Options{Fields: Fields{Text: "body"}}).Parse(items[0]); err != nil || a.Raw != "Other words." {
		t.Errorf("--text-field body: %+v, %v", a, err)
	}
	// A missing text column refuses the file once, with its columns.
	_, rejs, err = readItems(t, Options{Fields: Fields{Text: "content"}}, name)
	if err != nil || len(rejs) != 1 || !strings.Contains(rejs[0].Reason, `no "content" field`) || !strings.Contains(rejs[0].Reason, "meta.url") {
		t.Errorf("--text-field content: %v, rejections %v", err, rejs)
	}
	// A file that is no Parquet, and Parquet on standard input.
	bad := writeTemp(t, "bad.parquet", []byte("not parquet at all"))
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	_, rejs, err = readItems(t, Options{Stdin: bytes.NewReader(data)}, bad, "-")
	if err != nil || len(rejs) != 2 || !strings.Contains(rejs[0].Reason, "parquet") || !strings.Contains(rejs[1].Reason, "standard input") {
		t.Errorf("bad inputs: %v, rejections %v", err, rejs)
	}
	// A Parquet file cut short, or with its middle overwritten, is refused
	// with its name, whatever it yielded before.
	for what, broken := range map[string][]byte{
		"cut":         data[:len(data)/2],
		"overwritten": append(append(slices.Clone(data[:len(data)/3]), bytes.Repeat([]byte{0xff}, len(data)/3)...), data[2*len(data)/3:]...),
	} {
		path := writeTemp(t, what+".parquet", broken)
		if _, rejs, err := readItems(t, Options{}, path); err == nil && !slices.ContainsFunc(rejs, func(r Rejection) bool { return strings.Contains(r.Ref+r.Reason, what+".parquet") }) {
			t.Errorf("a parquet file %s: no error and no rejection naming it (%v)", what, rejs)
		}
	}
	// A row larger than --max-bytes is rejected with its row number: the
	// mapped values of rows 11 on hold 42 bytes, of the first ten 40.
	items, rejs, err = readItems(t, Options{MaxBytes: 40}, name)
	if err != nil || len(items) != 10 || len(rejs) != 15 || rejs[0].Ref != name+":11" {
		t.Errorf("--max-bytes 40: %v, %d items, rejections %v", err, len(items), rejs)
	}
	// In a folder, .parquet files are read.
	if items, _, err := readItems(t, Options{}, filepath.Dir(name)); err != nil || len(items) != 25 {
		t.Errorf("folder: %v, %d items", err, len(items))
	}
}
