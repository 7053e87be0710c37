package ingest

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/parquet-go/parquet-go"
)

// FormatParquet is a Parquet file, one article a row, with the same
// field mappings as JSONL (a dotted path names a nested column).
const FormatParquet = "parquet"

// errParquetStdin says why Parquet cannot come from standard input.
const errParquetStdin = "Parquet on standard input: a Parquet file is read from its end (its footer), which a stream cannot give; name the file instead"

// parquetChunk is how many rows are decoded at a time: with the pages of
// the row group being read, all that a Parquet file holds in memory.
const parquetChunk = 64

// parquet reads a Parquet file row group by row group, one item a row,
// whose Header and Row hold the mapped columns present in the file. A
// file without a column for the text (or the HTML) is refused once, with
// its columns.
func (r *reader) parquet(name string, f *os.File) error {
	info, err := f.Stat()
	if err != nil {
		return r.bad(Rejection{Ref: name, Reason: err.Error()})
	}
	var at io.ReaderAt = f
	if r.opts.BytesRead != nil {
		at = counterAt{f, r.opts.BytesRead}
	}
	pf, err := parquet.OpenFile(at, info.Size(), parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		return r.bad(Rejection{Ref: name, Reason: "not a readable Parquet file: " + err.Error()})
	}
	schema := pf.Schema()
	fields := r.opts.Fields
	var header []string
	var columns []int
	for _, path := range []string{fields.Text, fields.HTML, fields.ID, fields.URL, fields.Title, fields.Source, fields.Published} {
		if path == "" || slices.Contains(header, path) {
			continue
		}
		leaf, ok := schema.Lookup(strings.Split(path, ".")...)
		if !ok || !leaf.Node.Leaf() {
			continue
		}
		if leaf.MaxRepetitionLevel > 0 {
			return r.bad(Rejection{Ref: name, Reason: fmt.Sprintf("column %q is a list, not a value; the file is skipped", path)})
		}
		header = append(header, path)
		columns = append(columns, leaf.ColumnIndex)
	}
	if !fields.headerHas(header) {
		var names []string
		for _, c := range schema.Columns() {
			names = append(names, strings.Join(c, "."))
		}
		return r.bad(Rejection{Ref: name, Reason: fields.refusal("among its columns", names)})
	}
	n := 0 // rows read
	buf := make([]parquet.Row, parquetChunk)
	for _, rg := range pf.RowGroups() {
		rows := rg.Rows()
		err := r.parquetRows(name, rows, buf, header, columns, &n)
		rows.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// parquetRows reads the rows of one row group.
func (r *reader) parquetRows(name string, rows parquet.Rows, buf []parquet.Row, header []string, columns []int, n *int) error {
	for {
		if err := r.ctx.Err(); err != nil {
			return err
		}
		got, err := rows.ReadRows(buf)
		for _, row := range buf[:got] {
			*n++
			ref := name + ":" + strconv.Itoa(*n)
			vals := make([]string, len(columns))
			size := 0
			for _, v := range row {
				if i := slices.Index(columns, v.Column()); i >= 0 && !v.IsNull() {
					vals[i] = v.String() // a copy: the row's buffers are reused
					size += len(vals[i])
				}
			}
			if size > r.opts.MaxBytes {
				if rerr := r.bad(Rejection{Ref: ref, Reason: fmt.Sprintf("record larger than %d bytes (--max-bytes)", r.opts.MaxBytes)}); rerr != nil {
					return rerr
				}
				continue
			}
			if ferr := r.fn(Item{Ref: ref, Format: FormatParquet, Row: vals, Header: header}); ferr != nil {
				return ferr
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			// What was read before a damaged page is kept.
			return r.bad(Rejection{Ref: name + ":" + strconv.Itoa(*n+1), Reason: "read: " + err.Error() + "; the rest of the file is skipped"})
		}
	}
}

// counterAt counts the bytes read through an io.ReaderAt.
type counterAt struct {
	r io.ReaderAt
	n *atomic.Int64
}

func (c counterAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.n.Add(int64(n))
	return n, err
}
