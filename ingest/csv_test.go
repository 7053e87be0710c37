package ingest

import (
	"encoding/csv"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
)

// csvRead reads data as a CSV or TSV file named name through Read, and
// returns the rows (as "field|field"), the rejections and the warnings.
func csvRead(t *testing.T, name, data string, opts Options) (rows []string, rejs, warns []Rejection) {
	t.Helper()
	opts.Warn = func(r Rejection) { warns = append(warns, r) }
	items, rejs, err := readItems(t, opts, writeTemp(t, name, []byte(data)))
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	for _, it := range items {
		rows = append(rows, it.Ref[strings.LastIndexByte(it.Ref, ':')+1:]+"="+strings.Join(it.Row, "|"))
	}
	return rows, rejs, warns
}

func TestCSVRows(t *testing.T) {
	for _, tc := range []struct {
		name, file, data string
		rows             []string // LINE=field|field
		rejs             []string // LINE: part of the reason
		warns            []string
	}{
		{name: "plain", file: "a.csv",
			data: "\ufefftext, id \nhello,1\r\n\n\"quoted, with \"\"quotes\"\"\",2\n\"two\r\nlines\",3\nlast,4",
			rows: []string{"2=hello|1", "4=quoted, with \"quotes\"|2", "5=two\nlines|3", "7=last|4"}},
		{name: "bare quote", file: "a.csv",
			data: "text,id\nfirst,1\nbad\"quote,2\nafter,3\n",
			rows: []string{"2=first|1", "4=after|3"}, rejs: []string{`3: invalid CSV: bare " in an unquoted field`}},
		{name: "quote after quoted field", file: "a.csv",
			data: "text,id\n\"ok\"junk,1\nafter,2\n",
			rows: []string{"3=after|2"}, rejs: []string{`2: invalid CSV: extraneous " in a quoted field`}},
		{name: "unclosed quote", file: "a.csv",
			data: "text,id\nfirst,1\n\"never closed,2\nthird,3\n",
			rows: []string{"2=first|1"}, rejs: []string{"3: invalid CSV: unclosed quote"}},
		{name: "ragged", file: "a.csv",
			data:  "text,id\nshifted, by a comma,1\nshort\nfine,3\n",
			rows:  []string{"2=shifted| by a comma|1", "3=short", "4=fine|3"},
			warns: []string{"2: 3 fields, the header has 2", "3: 1 fields, the header has 2"}},
		{name: "TSV has no quotes", file: "a.tsv",
			data: "text\tid\n\"starts with a quote\t1\nsecond\t2\nthird \"x\" y\t3\n",
			rows: []string{"2=\"starts with a quote|1", "3=second|2", "4=third \"x\" y|3"}},
		{name: "TSV CRLF and blank lines", file: "a.tsv",
			data: "text\tid\r\n\r\none\t1\r\n\ntwo\t2",
			rows: []string{"3=one|1", "5=two|2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, rejs, warns := csvRead(t, tc.file, tc.data, Options{})
			if strings.Join(rows, "\n") != strings.Join(tc.rows, "\n") {
				t.Errorf("rows\n%q\nwant\n%q", rows, tc.rows)
			}
			check := func(what string, got []Rejection, want []string) {
				if len(got) != len(want) {
					t.Errorf("%s %v, want %q", what, got, want)
					return
				}
				for i, r := range got {
					line, reason, _ := strings.Cut(want[i], ": ")
					if !strings.HasSuffix(r.Ref, ":"+line) || !strings.Contains(r.Reason, reason) {
						t.Errorf("%s %v, want %q", what, r, want[i])
					}
				}
			}
			check("rejections", rejs, tc.rejs)
			check("warnings", warns, tc.warns)
		})
	}
}

func TestCSVHeader(t *testing.T) {
	_, rejs, _ := csvRead(t, "a.csv", "", Options{})
	if len(rejs) != 1 || !strings.Contains(rejs[0].Reason, "no header row") {
		t.Errorf("empty file: %v", rejs)
	}
	_, rejs, _ = csvRead(t, "a.csv", strings.Repeat("x", 5000)+"\nrow\n", Options{MaxBytes: 1000})
	if len(rejs) != 1 || !strings.HasSuffix(rejs[0].Ref, ":1") || !strings.Contains(rejs[0].Reason, "header row larger than 1000 bytes") {
		t.Errorf("long header: %v", rejs)
	}
}

// lazy produces n bytes of b repeated, without holding them.
type lazy struct {
	b byte
	n int64
}

func (l *lazy) Read(p []byte) (int, error) {
	if l.n <= 0 {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), l.n)]
	for i := range p {
		p[i] = l.b
	}
	l.n -= int64(len(p))
	return len(p), nil
}

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestCSVMemoryBounded reads hostile CSV and TSV input of hundreds of
// megabytes, made on the fly: a record over --max-bytes is rejected with
// its line while being read, never held, and reading goes on.
func TestCSVMemoryBounded(t *testing.T) {
	const huge = 256 << 20
	const maxBytes = 1 << 20
	gzipStream := func(parts ...io.Reader) io.Reader {
		pr, pw := io.Pipe()
		go func() {
			zw, _ := gzip.NewWriterLevel(pw, gzip.BestSpeed)
			_, err := io.Copy(zw, io.MultiReader(parts...))
			if err == nil {
				err = zw.Close()
			}
			pw.CloseWithError(err)
		}()
		return pr
	}
	for _, tc := range []struct {
		name   string
		format string
		in     func() io.Reader
		rows   int    // good rows read
		reject string // LINE: part of the reason
	}{
		{"one line", FormatCSV, func() io.Reader { return &lazy{'x', huge} }, 0, "1: header row larger than"},
		{"long row", FormatCSV, func() io.Reader {
			return io.MultiReader(strings.NewReader("text,id\nok,1\n"), &lazy{'x', huge}, strings.NewReader(",2\nafter,3\n"))
		}, 2, "3: record larger than 1048576 bytes"},
		{"unclosed quote", FormatCSV, func() io.Reader {
			return io.MultiReader(strings.NewReader("text,id\nok,1\n\"open,2\n"), &lazy{'\n', huge})
		}, 1, "3: record larger than 1048576 bytes"},
		{"long quoted field", FormatCSV, func() io.Reader {
			return io.MultiReader(strings.NewReader("text,id\n\""), &lazy{'y', huge}, strings.NewReader("\",1\nafter,2\n"))
		}, 1, "2: record larger than 1048576 bytes"},
		{"gzip of zeros", FormatCSV, func() io.Reader {
			return gzipStream(strings.NewReader("text,id\nok,1\n"), &lazy{0, huge}, strings.NewReader(",2\nafter,3\n"))
		}, 2, "3: record larger than 1048576 bytes"},
		{"TSV long line", FormatTSV, func() io.Reader {
			return io.MultiReader(strings.NewReader("text\tid\n\"ok\t1\n"), &lazy{'x', huge}, strings.NewReader("\t2\nafter\t3\n"))
		}, 2, "3: record larger than 1048576 bytes"},
		{"many fields", FormatCSV, func() io.Reader {
			return io.MultiReader(strings.NewReader("text,id\n"), &lazy{',', maxBytes / 2}, strings.NewReader("\nafter,3\n"))
		}, 1, "2: more than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var rows int
			var rejs []Rejection
			alloc := allocated(func() {
				opts := Options{Format: tc.format, MaxBytes: maxBytes, Stdin: tc.in()}
				rejs = readCount(t, opts, &rows)
			})
			if rows != tc.rows {
				t.Errorf("%d rows, want %d", rows, tc.rows)
			}
			line, reason, _ := strings.Cut(tc.reject, ": ")
			if len(rejs) != 1 || rejs[0].Ref != "-:"+line || !strings.Contains(rejs[0].Reason, reason) {
				t.Errorf("rejections %v, want %q", rejs, tc.reject)
			}
			if alloc > 16<<20 {
				t.Errorf("reading %d hostile bytes allocated %d MiB", huge, alloc>>20)
			}
		})
	}
}

// readCount reads "-" with opts, counting the items, and returns the
// rejections.
func readCount(t *testing.T, opts Options, n *int) []Rejection {
	t.Helper()
	var rejs []Rejection
	err := Read(t.Context(), []string{"-"}, opts, func(Item) error { *n++; return nil },
		func(r Rejection) { rejs = append(rejs, r) })
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return rejs
}

// FuzzTableReader checks the CSV reader against encoding/csv: on input
// that encoding/csv reads without error, the records are the same.
func FuzzTableReader(f *testing.F) {
	f.Add("a,b\n\"q,\"\"x\"\"\",2\r\n\n\"two\r\nlines\",3\nlast,4")
	f.Add("a\r\n\r\nb\r")
	f.Add("\"\"\n,\n\",\",\n")
	f.Fuzz(func(t *testing.T, data string) {
		cr := csv.NewReader(strings.NewReader(data))
		cr.FieldsPerRecord = -1
		want, err := cr.ReadAll()
		if err != nil {
			return
		}
		tr := newTableReader(strings.NewReader(data), FormatCSV, 1<<20)
		var got [][]string
		for {
			_, fields, reason, err := tr.next()
			if err == io.EOF {
				break
			}
			if err != nil || reason != "" {
				t.Fatalf("%q: %v %s, where encoding/csv reads %q", data, err, reason, want)
			}
			got = append(got, fields)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) || len(got) != len(want) {
			t.Fatalf("%q: got %q, want %q", data, got, want)
		}
	})
}
