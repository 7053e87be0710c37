package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/parquet-go/parquet-go"
	"github.com/urfave/cli/v2"

	"github.com/newsdedup/newsdedup/ingest"
	"github.com/newsdedup/newsdedup/store"
)

func exportCommand() *cli.Command {
	return &cli.Command{
		Name:  "export",
		Usage: "write the cleaned corpus: one canonical article per cluster plus every singleton",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Value: "jsonl", Usage: "output `FORMAT`: jsonl, csv, parquet, or txt (a folder of .txt files named by id)"},
			&cli.BoolFlag{Name: "variants", Usage: "export every article with its cluster and relation"},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Value: "-", Usage: "write to `FILE` (- for standard output; a folder for txt)"},
			&cli.StringFlag{Name: "source", Usage: "only articles of this `SOURCE`"},
			&cli.StringFlag{Name: "since", Usage: "only articles published on or after `DATE` (2024-03-01 or RFC 3339)"},
			&cli.StringFlag{Name: "until", Usage: "only articles published on or before `DATE`"},
			&cli.IntFlag{Name: "min-cluster-size", Usage: "only articles of clusters of at least `N` articles"},
			&cli.StringFlag{Name: "clusters", Usage: "also write every article's cluster and canonical to this CSV `FILE`"},
		},
		Action: func(c *cli.Context) error {
			f := store.ExportFilter{
				Variants: c.Bool("variants"), Source: c.String("source"),
				Since: dateBound(c.String("since")), Until: dateBound(c.String("until")),
				MinClusterSize: c.Int("min-cluster-size"),
			}
			format, out := c.String("format"), c.String("output")
			write, ok := exporters[format]
			if !ok {
				return usageError{"export: unknown --format " + format + " (want jsonl, csv, parquet or txt)"}
			}
			if format == "txt" && out == "-" {
				return usageError{"export: --format txt writes a folder: name it with -o DIR"}
			}
			return withDB(c, func(ctx context.Context, db *store.DB) error {
				if name := c.String("clusters"); name != "" {
					if err := writeAtomically(name, func(w io.Writer) error { return exportAssignments(ctx, db, w) }); err != nil {
						return err
					}
				}
				switch {
				case format == "txt":
					return exportTxt(ctx, db, out, f)
				case out == "-":
					return write(ctx, db, c.App.Writer, f)
				}
				return writeAtomically(out, func(w io.Writer) error { return write(ctx, db, w, f) })
			})
		},
	}
}

// dateBound normalises a --since or --until value: a full date and time
// becomes RFC 3339 UTC, as stored; a shorter prefix (2024-03) is kept.
func dateBound(s string) string {
	if len(s) > len("2006-01-02") {
		return ingest.NormalizeDate(s)
	}
	return s
}

// writeAtomically writes beside name and renames, so that a failed export
// never leaves half a file under its name.
func writeAtomically(name string, fn func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(name), ".newsdedup-export-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if err := fn(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), name)
}

var exporters = map[string]func(context.Context, *store.DB, io.Writer, store.ExportFilter) error{
	"jsonl":   exportJSONL,
	"csv":     exportCSV,
	"parquet": exportParquet,
	"txt":     nil, // a folder, see exportTxt
}

type jsonExport struct {
	ID          int64    `json:"id"`
	Ref         string   `json:"ref"`
	Source      string   `json:"source"`
	Title       string   `json:"title"`
	URL         string   `json:"url"`
	Published   string   `json:"published"`
	Text        string   `json:"text"`
	ClusterID   int64    `json:"cluster_id"`
	Duplicates  []string `json:"duplicates"`
	CanonicalID int64    `json:"canonical_id,omitempty"`
	Relation    string   `json:"relation,omitempty"`
	Jaccard     *float64 `json:"jaccard,omitempty"`
	Containment *float64 `json:"containment,omitempty"`
}

func toJSONExport(r store.ExportRow, variants bool) jsonExport {
	e := jsonExport{ID: r.ID, Ref: r.Ref, Source: r.Source, Title: r.Title, URL: r.URL, Published: r.Published,
		Text: r.Text, ClusterID: r.ClusterID, Duplicates: r.Duplicates}
	if e.Duplicates == nil {
		e.Duplicates = []string{}
	}
	if variants {
		j, ct := round3(r.Jaccard), round3(r.Containment)
		e.CanonicalID, e.Relation, e.Jaccard, e.Containment = r.CanonicalID, r.Relation, &j, &ct
	}
	return e
}

func exportJSONL(ctx context.Context, db *store.DB, w io.Writer, f store.ExportFilter) error {
	enc := json.NewEncoder(w)
	return db.Export(ctx, f, func(r store.ExportRow) error {
		return enc.Encode(toJSONExport(r, f.Variants))
	})
}

// exportCSV writes the JSONL fields as columns; duplicates is a JSON array.
func exportCSV(ctx context.Context, db *store.DB, w io.Writer, f store.ExportFilter) error {
	cw := csv.NewWriter(w)
	header := []string{"id", "ref", "source", "title", "url", "published", "text", "cluster_id", "duplicates"}
	if f.Variants {
		header = append(header, "canonical_id", "relation", "jaccard", "containment")
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	err := db.Export(ctx, f, func(r store.ExportRow) error {
		e := toJSONExport(r, f.Variants)
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

// parquetRow is one exported article in Parquet.
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

// exportParquet streams rows into row groups of parquetGroup rows.
func exportParquet(ctx context.Context, db *store.DB, w io.Writer, f store.ExportFilter) error {
	const parquetGroup = 10000
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
		e := toJSONExport(r, true)
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

// exportTxt writes one ID.txt file of cleaned text per article into dir.
func exportTxt(ctx context.Context, db *store.DB, dir string, f store.ExportFilter) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return db.Export(ctx, f, func(r store.ExportRow) error {
		name := filepath.Join(dir, strconv.FormatInt(r.ID, 10)+".txt")
		if err := os.WriteFile(name, []byte(r.Text+"\n"), 0o644); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		return nil
	})
}

// exportAssignments writes the article-to-cluster mapping as CSV.
func exportAssignments(ctx context.Context, db *store.DB, w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"article_id", "ref", "cluster_id", "canonical_id", "canonical_ref", "relation", "jaccard", "containment"})
	err := db.EachAssignment(ctx, func(a store.Assignment) error {
		return cw.Write([]string{strconv.FormatInt(a.ArticleID, 10), a.Ref, strconv.FormatInt(a.ClusterID, 10),
			strconv.FormatInt(a.CanonicalID, 10), a.CanonicalRef, a.Relation,
			strconv.FormatFloat(round3(a.Jaccard), 'f', -1, 64), strconv.FormatFloat(round3(a.Containment), 'f', -1, 64)})
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}
