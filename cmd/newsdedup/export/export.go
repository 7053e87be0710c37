// Package export writes the cleaned corpus of a database: JSON lines, CSV,
// Parquet, or a folder of text files, and beside it, on request, the
// article-to-cluster mapping as CSV. The JSON lines are output.Export; the
// CSV and Parquet columns are defined here, once.
package export

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/parquet-go/parquet-go"

	"github.com/newsdedup/newsdedup/cmd/newsdedup/output"
	"github.com/newsdedup/newsdedup/store"
)

// Options say what to export and where.
type Options struct {
	// Format is jsonl, csv, parquet or txt.
	Format string
	// Output is a file, "-" for the writer given to Write, or for txt a
	// folder.
	Output string
	// Clusters, when set, names a CSV file to write the mapping of every
	// article to its cluster and canonical to (Assignments).
	Clusters string
	Filter   store.ExportFilter
}

// Check reports options that cannot be written, before anything is.
func (o Options) Check() error {
	if _, ok := writers[o.Format]; !ok && o.Format != "txt" {
		return fmt.Errorf("unknown --format %s (want jsonl, csv, parquet or txt)", o.Format)
	}
	if o.Format == "txt" && o.Output == "-" {
		return fmt.Errorf("--format txt writes a folder: name it with -o DIR")
	}
	return nil
}

// Write exports db as o says; stdout is where Output "-" goes. A file is
// written beside its target and renamed into place (Atomically).
func Write(ctx context.Context, db *store.DB, o Options, stdout io.Writer) error {
	if err := o.Check(); err != nil {
		return err
	}
	if o.Clusters != "" {
		if err := Atomically(o.Clusters, func(w io.Writer) error { return Assignments(ctx, db, w) }); err != nil {
			return err
		}
	}
	if o.Format == "txt" {
		return Txt(ctx, db, o.Output, o.Filter)
	}
	write := writers[o.Format]
	if o.Output == "-" {
		return write(ctx, db, stdout, o.Filter)
	}
	return Atomically(o.Output, func(w io.Writer) error { return write(ctx, db, w, o.Filter) })
}

var writers = map[string]func(context.Context, *store.DB, io.Writer, store.ExportFilter) error{
	"jsonl":   JSONL,
	"csv":     CSV,
	"parquet": Parquet,
}

// tempPrefix begins the name of an export's temporary file, which goes on
// with the process's id: a later export removes those of processes that
// died (kill -9) and leaves those of exports still running.
const tempPrefix = ".newsdedup-export-"

// Atomically writes beside name and renames, so that a failed export
// never leaves half a file under its name. It first removes the
// temporary files that dead exports left beside it.
func Atomically(name string, fn func(io.Writer) error) error {
	if info, err := os.Stat(name); err == nil && !info.Mode().IsRegular() {
		// A device or a pipe (/dev/null, /dev/stdout, a fifo) is written
		// as it is: renaming a file over it would replace it.
		f, err := os.OpenFile(name, os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		if err := fn(f); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	dir := filepath.Dir(name)
	removeStale(dir)
	f, err := createTemp(dir, tempPrefix+strconv.Itoa(os.Getpid())+"-")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if info, err := os.Stat(name); err == nil {
		// A file written over keeps its mode, as with a shell's >.
		if err := f.Chmod(info.Mode().Perm()); err != nil {
			f.Close()
			return err
		}
	}
	if err := fn(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), name)
}

// createTemp creates a new file in dir whose name begins with prefix,
// mode 0666 less the umask as any tool creates files: os.CreateTemp makes
// it 0600, which the rename would have given the export.
func createTemp(dir, prefix string) (*os.File, error) {
	for try := 0; ; try++ {
		name := filepath.Join(dir, prefix+strconv.FormatUint(rand.Uint64(), 36))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, fs.ErrExist) && try < 100 {
			continue
		}
		return f, err
	}
}

// removeStale removes dir's temporary export files whose process no
// longer runs. It is best effort: a file it cannot remove is some other
// user's, and stays.
func removeStale(dir string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), tempPrefix)
		pid, _, dash := strings.Cut(rest, "-")
		n, err := strconv.Atoi(pid)
		if !ok || !dash || err != nil || n <= 0 || n == os.Getpid() || !e.Type().IsRegular() || store.ProcessAlive(n) {
			continue
		}
		os.Remove(filepath.Join(dir, e.Name()))
	}
}

// JSONL writes one output.Export per line.
func JSONL(ctx context.Context, db *store.DB, w io.Writer, f store.ExportFilter) error {
	enc := json.NewEncoder(w)
	return db.Export(ctx, f, func(r store.ExportRow) error {
		return enc.Encode(output.NewExport(r, f.Variants))
	})
}

// Columns are the CSV columns, the fields of output.Export; VariantColumns
// follow them with --variants.
var (
	Columns        = []string{"id", "ref", "source", "title", "url", "published", "text", "cluster_id", "duplicates"}
	VariantColumns = []string{"canonical_id", "relation", "jaccard", "containment"}
)

// CSV writes the JSONL fields as Columns; duplicates is a JSON array.
func CSV(ctx context.Context, db *store.DB, w io.Writer, f store.ExportFilter) error {
	cw := csv.NewWriter(w)
	header := Columns
	if f.Variants {
		header = append(header[:len(header):len(header)], VariantColumns...)
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	err := db.Export(ctx, f, func(r store.ExportRow) error {
		e := output.NewExport(r, f.Variants)
		dups, _ := json.Marshal(e.Duplicates)
		rec := []string{strconv.FormatInt(e.ID, 10), e.Ref, e.Source, e.Title, e.URL, e.Published, e.Text,
			strconv.FormatInt(e.ClusterID, 10), string(dups)}
		if f.Variants {
			rec = append(rec, strconv.FormatInt(e.CanonicalID, 10), e.Relation,
				strconv.FormatFloat(*e.Jaccard, 'f', -1, 64), strconv.FormatFloat(*e.Containment, 'f', -1, 64))
		}
		return cw.Write(rec)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// parquetRow is one exported article in Parquet: the JSONL fields and
// the variant columns, whatever the filter. The schema takes the type's
// name, which every file's footer holds.
type parquetRow struct {
	ID          int64    `parquet:"id"`
	Ref         string   `parquet:"ref"`
	Source      string   `parquet:"source"`
	Title       string   `parquet:"title"`
	URL         string   `parquet:"url"`
	Published   string   `parquet:"published"`
	Text        string   `parquet:"text,zstd"`
	ClusterID   int64    `parquet:"cluster_id"`
	Duplicates  []string `parquet:"duplicates,list"`
	CanonicalID int64    `parquet:"canonical_id"`
	Relation    string   `parquet:"relation"`
	Jaccard     float64  `parquet:"jaccard"`
	Containment float64  `parquet:"containment"`
}

// parquetGroup is the rows of a row group: a reader holds one group's
// columns in memory at a time.
const parquetGroup = 10000

// Parquet streams rows into row groups of parquetGroup rows.
func Parquet(ctx context.Context, db *store.DB, w io.Writer, f store.ExportFilter) error {
	pw := parquet.NewGenericWriter[parquetRow](w)
	buf := make([]parquetRow, 0, 256)
	rowsInGroup := 0
	flush := func() error {
		if _, err := pw.Write(buf); err != nil {
			return err
		}
		rowsInGroup += len(buf)
		buf = buf[:0]
		if rowsInGroup >= parquetGroup {
			rowsInGroup = 0
			return pw.Flush()
		}
		return nil
	}
	err := db.Export(ctx, f, func(r store.ExportRow) error {
		e := output.NewExport(r, true)
		buf = append(buf, parquetRow{ID: e.ID, Ref: e.Ref, Source: e.Source, Title: e.Title, URL: e.URL,
			Published: e.Published, Text: e.Text, ClusterID: e.ClusterID, Duplicates: e.Duplicates,
			CanonicalID: e.CanonicalID, Relation: e.Relation, Jaccard: *e.Jaccard, Containment: *e.Containment})
		if len(buf) == cap(buf) {
			return flush()
		}
		return nil
	})
	if err == nil && len(buf) > 0 {
		err = flush()
	}
	if err != nil {
		return err
	}
	return pw.Close()
}

// Txt writes one ID.txt file of cleaned text per article into dir.
func Txt(ctx context.Context, db *store.DB, dir string, f store.ExportFilter) error {
	if err := os.MkdirAll(dir, 0o777); err != nil { // less the umask, as mkdir
		return err
	}
	return db.Export(ctx, f, func(r store.ExportRow) error {
		name := filepath.Join(dir, strconv.FormatInt(r.ID, 10)+".txt")
		if err := os.WriteFile(name, []byte(r.Text+"\n"), 0o666); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		return nil
	})
}

// AssignmentColumns are the columns of Assignments.
var AssignmentColumns = []string{"article_id", "ref", "cluster_id", "canonical_id", "canonical_ref", "relation", "jaccard", "containment"}

// Assignments writes the article-to-cluster mapping as CSV: every article
// with its cluster and the canonical that stands for it.
func Assignments(ctx context.Context, db *store.DB, w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write(AssignmentColumns)
	err := db.EachAssignment(ctx, func(a store.Assignment) error {
		return cw.Write([]string{strconv.FormatInt(a.ArticleID, 10), a.Ref, strconv.FormatInt(a.ClusterID, 10),
			strconv.FormatInt(a.CanonicalID, 10), a.CanonicalRef, a.Relation,
			strconv.FormatFloat(output.Round3(a.Jaccard), 'f', -1, 64), strconv.FormatFloat(output.Round3(a.Containment), 'f', -1, 64)})
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}
