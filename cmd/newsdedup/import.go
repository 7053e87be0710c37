package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/newsdedup/newsdedup/cmd/newsdedup/output"
	"github.com/newsdedup/newsdedup/dedupe"
	"github.com/newsdedup/newsdedup/ingest"
	"github.com/newsdedup/newsdedup/ingest/pipeline"
)

func importCommand() *cli.Command {
	d := dedupe.DefaultParams()
	return &cli.Command{
		Name:      "import",
		Usage:     "read, clean and dedupe articles into the database",
		ArgsUsage: "PATH...",
		Description: "PATH is one of:\n" +
			"  a .txt (or .text) file: one article;\n" +
			"  a .jsonl (or .ndjson) file: one object per line, text required; id, url, title,\n" +
			"    source, published optional; other names with the --*-field flags;\n" +
			"  a .csv or .tsv file with a header row: the same fields, by column name;\n" +
			"  a .parquet file: the same fields, by column (dotted paths for nested columns);\n" +
			"  an .html (or .htm) page: the article is extracted;\n" +
			"  a .warc file: HTML responses are extracted, with the record's target URI; bodies\n" +
			"    chunked or compressed with gzip, deflate, brotli or zstd are decoded;\n" +
			"  any of these compressed as .gz, .zst or .bz2 (gzip, zstd, bzip2; recognised by content);\n" +
			"  a folder: walked recursively in lexical order, taking the files whose names say\n" +
			"    one of these formats and following symbolic links (a loop is rejected);\n" +
			"  - for standard input: read in the format its content shows (WARC, JSONL, CSV/TSV\n" +
			"    by a header naming the text field, HTML, else one text), or as --format says.",
		Flags: append(thresholdFlags(), []cli.Flag{
			&cli.StringFlag{Name: "source", Usage: "source `NAME` for articles whose record names none"},
			&cli.StringFlag{Name: "format", Usage: "input `FORMAT`: text, jsonl, csv, tsv, html, warc or parquet (default: by file name; by content for -)"},
			&cli.StringFlag{Name: "text-field", Value: "text", Usage: "JSONL/CSV field holding the article text (dotted `PATH` for nested JSON)"},
			&cli.StringFlag{Name: "html-field", Usage: "JSONL/CSV field holding the page HTML, to extract the article from"},
			&cli.StringFlag{Name: "id-field", Value: "id", Usage: "JSONL/CSV field holding the record id"},
			&cli.StringFlag{Name: "url-field", Value: "url", Usage: "JSONL/CSV field holding the URL"},
			&cli.StringFlag{Name: "title-field", Value: "title", Usage: "JSONL/CSV field holding the title"},
			&cli.StringFlag{Name: "source-field", Value: "source", Usage: "JSONL/CSV field holding the source"},
			&cli.StringFlag{Name: "published-field", Value: "published", Usage: "JSONL/CSV field holding the publication date"},
			&cli.BoolFlag{Name: "strict", Usage: "stop at the first bad record instead of rejecting it and going on"},
			&cli.StringFlag{Name: "rules", Usage: "boilerplate rules `FILE` that extends the built-in rules"},
			&cli.BoolFlag{Name: "no-default-rules", Usage: "use only the rules of --rules"},
			&cli.IntFlag{Name: "max-bytes", Value: ingest.DefaultMaxBytes, Usage: "reject articles larger than `N` bytes"},
			&cli.IntFlag{Name: "shingle", Value: d.ShingleSize, Usage: "words per shingle, for a new database (default: the database's, else 3)", DefaultText: "3"},
			&cli.IntFlag{Name: "num-hash", Value: d.NumHash, Usage: "MinHash signature length"},
			&cli.Float64Flag{Name: "lsh-threshold", Value: d.LSHThreshold, Usage: "Jaccard at which LSH finds candidates"},
			&cli.IntFlag{Name: "batch", Value: 10000, Usage: "articles per transaction"},
			&cli.DurationFlag{Name: "date-window", Value: d.DateWindow, Usage: "articles published further apart (unless their figures agree), or a day apart with figures that disagree, are no duplicates, exact copies aside; 0 turns this off"},
			&cli.BoolFlag{Name: "json", Usage: "print the summary as JSON"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print nothing but errors"},
			&cli.BoolFlag{Name: "index-search", Usage: "build the search index at the end, which the first search would otherwise build"},
		}...),
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return usageError{"import: name at least one PATH (or - for standard input)"}
			}
			p := dedupe.DefaultParams()
			p.ShingleSize = c.Int("shingle")
			p.NumHash = c.Int("num-hash")
			p.LSHThreshold = c.Float64("lsh-threshold")
			p.NearJaccard = c.Float64("near")
			p.ExcerptContainment = c.Float64("excerpt")
			p.DateWindow = c.Duration("date-window")
			if err := p.Validate(); err != nil {
				return usageError{err.Error()}
			}
			rules, err := loadRules(c.String("rules"), c.Bool("no-default-rules"))
			if errors.Is(err, fs.ErrNotExist) {
				return usageError{"import: --rules: " + err.Error()}
			}
			if err != nil {
				return err
			}
			if c.Int("batch") < 1 {
				return usageError{"import: --batch must be positive"}
			}
			opts := importOptions{
				paths:  c.Args().Slice(),
				params: p,
				rules:  rules,
				read: ingest.Options{
					Format: c.String("format"), Source: c.String("source"),
					MaxBytes: c.Int("max-bytes"), Stdin: c.App.Reader, Strict: c.Bool("strict"),
					Fields: ingest.Fields{
						Text: c.String("text-field"), HTML: c.String("html-field"), ID: c.String("id-field"),
						URL: c.String("url-field"), Title: c.String("title-field"), Source: c.String("source-field"),
						Published: c.String("published-field"),
					},
				},
				batch: c.Int("batch"),
				json:  c.Bool("json"),
				quiet: c.Bool("quiet"),
				index: c.Bool("index-search"),
			}
			// Mistakes in the command line are refused before an
			// import is recorded.
			if err := opts.read.Validate(); err != nil {
				return usageError{"import: " + err.Error()}
			}
			if err := opts.read.CheckInputs(opts.paths); err != nil {
				return usageError{"import: " + strings.ReplaceAll(err.Error(), "\n", "; ")}
			}
			return runImport(c, opts)
		},
	}
}

type importOptions struct {
	paths  []string
	params dedupe.Params
	rules  *ingest.Rules
	read   ingest.Options
	batch  int
	json   bool
	quiet  bool
	index  bool // build the search index at the end
}

func loadRules(path string, noDefaults bool) (*ingest.Rules, error) {
	rules := ingest.DefaultRules()
	if noDefaults {
		rules = &ingest.Rules{}
	}
	if path == "" {
		return rules, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	more, err := ingest.ParseRules(path, f)
	if err != nil {
		return nil, err
	}
	return rules.Extend(more), nil
}

func runImport(c *cli.Context, opts importOptions) error {
	ctx := c.Context
	db, err := openDB(c)
	if err != nil {
		return err
	}
	defer db.Close()
	// A database's signatures were made with one shingle size: without
	// --shingle, an import uses it, and a new database the default.
	if !c.IsSet("shingle") {
		if v, ok, err := db.Meta(ctx, "shingle_size"); err != nil {
			return err
		} else if n, err := strconv.Atoi(v); ok && err == nil {
			opts.params.ShingleSize = n
		}
	}
	po := pipeline.Options{Params: opts.params, Rules: opts.rules, Read: opts.read, Batch: opts.batch}
	var prog *progress
	if !opts.quiet {
		prog = newProgress(c.App.ErrWriter, opts.paths)
		po.Read.BytesRead = prog.read
		po.Progress = prog.update
		po.Counters = prog.counts
		po.Warn = func(ref, msg string) {
			prog.say("newsdedup: %s: %s\n", termLine(ref), termLine(msg))
		}
		po.Read.Warn = func(r ingest.Rejection) {
			prog.say("newsdedup: warning: %s: %s\n", termLine(r.Ref), termLine(r.Reason))
		}
	}
	sum, runErr := pipeline.New(db, po).Run(ctx, opts.paths)
	if prog != nil {
		prog.finish()
	}
	if !opts.quiet && sum.ImportID != 0 {
		printSummary(c.App.Writer, c.App.ErrWriter, sum, opts.json)
	}
	if opts.quiet && sum.Rejected > 0 {
		// Rejections are errors: -q leaves them on standard error.
		printRejections(c.App.ErrWriter, sum)
		fmt.Fprintf(c.App.ErrWriter, "newsdedup: import %d: %d rejected, recorded with the import (newsdedup imports)\n", sum.ImportID, sum.Rejected)
	}
	if runErr == nil && opts.index {
		ew := c.App.ErrWriter
		if opts.quiet {
			ew = io.Discard
		}
		if err := indexForSearch(ctx, db, ew); err != nil {
			return fmt.Errorf("import: the articles are stored; --index-search: %w", err)
		}
	}
	if runErr != nil {
		if sum.Interrupted {
			return fmt.Errorf("import interrupted; %d new articles stored, run the same import again to finish: %w", sum.New, runErr)
		}
		return fmt.Errorf("import: %w", runErr)
	}
	return nil
}

func printSummary(w, ew io.Writer, s pipeline.Summary, asJSON bool) {
	if asJSON {
		output.Encode(w, output.NewImportSummary(s))
		return
	}
	fmt.Fprintf(w, "import %d: read %d, new %d, already stored %d, exact duplicates %d, near duplicates %d, excerpts %d, clusters touched %d, rejected %d\n",
		s.ImportID, s.Read, s.New, s.AlreadyStored, s.Exact, s.Near, s.Excerpts, s.ClustersTouched, s.Rejected)
	if s.Versions > 0 {
		fmt.Fprintf(w, "  versions of a page %d\n", s.Versions)
	}
	if s.RepairedUTF8 > 0 || s.DuplicateIDs > 0 {
		fmt.Fprintf(w, "  invalid UTF-8 repaired in %d, ids used for two texts %d\n", s.RepairedUTF8, s.DuplicateIDs)
	}
	if s.UnparsedDates > 0 {
		fmt.Fprintf(w, "  dates not understood %d (stored as written, without a published date)\n", s.UnparsedDates)
	}
	s.SkippedRecords.Each(func(kind string, n int) {
		fmt.Fprintf(w, "  skipped %d WARC records: %s\n", n, kind)
	})
	if len(s.Rejections) > 0 {
		printRejections(ew, s)
		reasons := map[string]int{}
		for _, r := range s.Rejections {
			reasons[reasonKind(r.Reason)]++
		}
		keys := make([]string, 0, len(reasons))
		for k := range reasons {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(w, "  rejected %d: %s\n", reasons[k], termLine(k))
		}
	}
}

// printRejections lists the rejections a summary keeps, one a line.
func printRejections(ew io.Writer, s pipeline.Summary) {
	for _, r := range s.Rejections {
		fmt.Fprintf(ew, "rejected %s\n", termLine(r.Error()))
	}
}

// reasonKind shortens a rejection reason to its kind for the summary.
func reasonKind(reason string) string {
	kind, _, _ := strings.Cut(reason, ":")
	return kind
}

// thresholdFlags are the verification thresholds, shared by the commands
// that verify pairs (import, similar).
func thresholdFlags() []cli.Flag {
	d := dedupe.DefaultParams()
	return []cli.Flag{
		&cli.Float64Flag{Name: "near", Value: d.NearJaccard, Usage: "Jaccard at or above which a pair is near"},
		&cli.Float64Flag{Name: "excerpt", Value: d.ExcerptContainment, Usage: "containment at or above which the shorter is an excerpt"},
	}
}
