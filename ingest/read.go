package ingest

import (
	"bufio"
	"bytes"
	"compress/bzip2"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// Formats Read understands.
const (
	FormatAuto  = ""
	FormatText  = "text"
	FormatJSONL = "jsonl"
	FormatCSV   = "csv"
	FormatTSV   = "tsv"
	FormatHTML  = "html"
	FormatWARC  = "warc"
)

// DefaultMaxBytes is the default limit on one article's raw size.
const DefaultMaxBytes = 8 << 20

// Options control Read and Parse.
type Options struct {
	Format   string    // FormatAuto picks by file name
	Source   string    // used when a record names none
	MaxBytes int       // larger articles are rejected; 0 means DefaultMaxBytes
	Stdin    io.Reader // read for the path "-"
	Fields   Fields    // where JSONL and CSV records keep each field
	Strict   bool      // a bad record stops the read instead of being rejected
	// Warn, when set, is told of input that is read but looks wrong: a
	// CSV or TSV row with more or fewer fields than its header.
	Warn func(Rejection)
	// Skipped, when set, is told of each input record that is read but
	// holds nothing to import, by kind: a WARC record's type (request,
	// metadata, revisit...) or one of the Skip constants. It is called
	// on the goroutine that calls Read.
	Skipped func(kind string)
	// BytesRead, when set, counts the bytes read from files and standard
	// input as they are read (compressed size), for progress reports.
	BytesRead *atomic.Int64
}

// Item is one unit of input as read, before parsing: a whole file, a line
// of JSONL, a CSV row or a WARC response. Reading is sequential I/O;
// parsing is pure CPU work that Parse does on any goroutine.
type Item struct {
	Ref    string   // FILE, FILE:LINE, or FILE#N
	Format string   // one of the Format constants
	Data   []byte   // the file, line or response body
	Row    []string // a CSV row, with Header
	Header []string
	Meta   Article // what the container already says: a WARC record's URI and date
	// Charset is the character encoding the container names for Data:
	// the charset of a WARC response's HTTP Content-Type.
	Charset string
}

// MaxBytesLimit is the largest Options.MaxBytes Validate accepts. SQLite
// refuses a value over 1e9 bytes (SQLITE_MAX_LENGTH), and an article is
// stored as its raw text and its cleaned text, which decoding a legacy
// charset to UTF-8 can make up to three times longer; memory per worker
// grows with it too.
const MaxBytesLimit = 256 << 20

// Validate reports an option Read or Parse cannot honour: a MaxBytes
// below 0 or above MaxBytesLimit, or an unknown Format. Read calls it
// first; a CLI calls it to refuse bad flags before it starts an import.
func (o Options) Validate() error {
	if o.MaxBytes < 0 || o.MaxBytes > MaxBytesLimit {
		return fmt.Errorf("max bytes %d out of range (0 to %d)", o.MaxBytes, MaxBytesLimit)
	}
	switch o.Format {
	case FormatAuto, FormatText, FormatJSONL, FormatCSV, FormatTSV, FormatHTML, FormatWARC, FormatParquet:
		return nil
	}
	return fmt.Errorf("unknown format %q (want text, jsonl, csv, tsv, html, warc or parquet)", o.Format)
}

// CheckPaths returns an error naming every path that cannot be read, so
// that an import can refuse a command line before it reads anything.
// "-" is standard input and always passes. Read calls it first.
func CheckPaths(paths []string) error {
	var errs []error
	for _, p := range paths {
		if p == "-" {
			continue
		}
		if _, err := os.Stat(p); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// CheckInputs returns an error naming every input of paths that an
// import with o cannot take, so that a command line is refused before it
// reads anything: what CheckPaths refuses, standard input named twice
// (it can be read once), and, without a Format, a file named explicitly
// whose name says no format Read knows, or an ARC file. A folder's files
// are not looked at: in a folder such files are passed over or rejected
// one by one.
func (o Options) CheckInputs(paths []string) error {
	errs := []error{CheckPaths(paths)}
	stdin := 0
	for _, p := range paths {
		if p == "-" {
			if stdin++; stdin == 2 {
				errs = append(errs, errors.New("-: standard input named twice (it can be read once)"))
			}
			continue
		}
		if o.Format != FormatAuto {
			continue
		}
		if info, err := os.Stat(p); err != nil || info.IsDir() {
			continue
		}
		switch formatOf(p) {
		case "":
			errs = append(errs, fmt.Errorf("%s: %s", p, errUnknownFormat))
		case formatARC:
			errs = append(errs, fmt.Errorf("%s: %s", p, errARC))
		}
	}
	return errors.Join(errs...)
}

// Read reads every path in order and calls fn for each item and reject for
// each input it cannot take. A folder is walked recursively in lexical
// order, taking the files whose names Read knows (.txt, .jsonl, .ndjson,
// .csv, .tsv, .html, .htm, .warc), each possibly compressed (.gz, .zst,
// .bz2; compression is recognised by content, so standard input may be
// compressed too). Symbolic links in a folder are followed; a link to a
// folder above it (a loop) and a broken link are rejected.
//
// Read first checks the options (Validate) and that every path exists
// (CheckPaths), and returns an error without reading anything if not.
// An error from fn stops reading and is returned; everything else is a
// rejection.
func Read(ctx context.Context, paths []string, opts Options, fn func(Item) error, reject func(Rejection)) error {
	if err := opts.Validate(); err != nil {
		return err
	}
	if err := CheckPaths(paths); err != nil {
		return err
	}
	opts.defaults()
	r := reader{ctx: ctx, opts: opts, fn: fn, reject: reject}
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return err
		}
		if p == "-" {
			in := opts.Stdin
			if in == nil {
				in = os.Stdin
			}
			// Without --format, the content says which (sniff).
			if err := r.stream("-", in, opts.Format); err != nil {
				return err
			}
			continue
		}
		info, err := os.Stat(p)
		if err != nil {
			return err
		}
		if !info.IsDir() {
			if err := r.file(p, true); err != nil {
				return err
			}
			continue
		}
		if err := r.walk(p, []fs.FileInfo{info}); err != nil {
			return err
		}
	}
	return nil
}

// walk reads the files under dir in lexical order, following symbolic
// links. ancestors are the folders from the root down to dir, so that a
// link back up to one of them is rejected instead of walked for ever.
func (r *reader) walk(dir string, ancestors []fs.FileInfo) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		// What ReadDir read before the error is still walked.
		r.reject(Rejection{Ref: dir, Reason: err.Error()})
	}
	for _, e := range entries {
		if err := r.ctx.Err(); err != nil {
			return err
		}
		path := filepath.Join(dir, e.Name())
		typ := e.Type()
		var info fs.FileInfo
		if typ&fs.ModeSymlink != 0 {
			if info, err = os.Stat(path); err != nil {
				reason := err.Error()
				if errors.Is(err, fs.ErrNotExist) {
					reason = "broken symlink: " + reason
				}
				r.reject(Rejection{Ref: path, Reason: reason})
				continue
			}
			typ = info.Mode().Type()
		}
		switch {
		case typ.IsDir():
			if info == nil {
				if info, err = e.Info(); err != nil {
					r.reject(Rejection{Ref: path, Reason: err.Error()})
					continue
				}
			}
			if slices.ContainsFunc(ancestors, func(a fs.FileInfo) bool { return os.SameFile(a, info) }) {
				r.reject(Rejection{Ref: path, Reason: "symlink loop: links to a folder above it; not followed"})
				continue
			}
			if err := r.walk(path, append(ancestors[:len(ancestors):len(ancestors)], info)); err != nil {
				return err
			}
		case typ.IsRegular():
			if err := r.file(path, false); err != nil {
				return err
			}
		}
	}
	return nil
}

func (o *Options) defaults() {
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	o.Fields.defaults()
}

type reader struct {
	ctx    context.Context
	opts   Options
	fn     func(Item) error
	reject func(Rejection)
}

// formatOf returns the format of a file name, or "" for a file Read does
// not take. Compression suffixes are looked through.
func formatOf(name string) string {
	lower := strings.ToLower(name)
	for _, ext := range []string{".gz", ".zst", ".bz2"} {
		lower = strings.TrimSuffix(lower, ext)
	}
	switch filepath.Ext(lower) {
	case ".txt", ".text":
		return FormatText
	case ".jsonl", ".ndjson":
		return FormatJSONL
	case ".csv":
		return FormatCSV
	case ".tsv":
		return FormatTSV
	case ".html", ".htm":
		return FormatHTML
	case ".warc":
		return FormatWARC
	case ".parquet":
		return FormatParquet
	case ".arc":
		return formatARC
	}
	return ""
}

// formatARC marks a file named like an ARC file, which Read refuses.
const formatARC = "arc"

// errARC says why an ARC file is refused.
const errARC = "ARC file (the Internet Archive's format before WARC): not supported; convert it to WARC first"

// errUnknownFormat says why a file named explicitly is refused.
const errUnknownFormat = "unknown format (name a .txt, .jsonl, .csv, .tsv, .html, .warc or .parquet file, or use --format)"

// file reads one file. Files in a folder with a name Read does not take
// are passed over; a file named explicitly is rejected instead.
func (r *reader) file(path string, explicit bool) error {
	format := formatOf(path)
	if r.opts.Format != FormatAuto {
		format = r.opts.Format
	}
	if format == formatARC {
		// Named or in a folder: a crawl passed over in silence would
		// look imported.
		r.reject(Rejection{Ref: path, Reason: errARC})
		return nil
	}
	if format == "" {
		if explicit {
			r.reject(Rejection{Ref: path, Reason: errUnknownFormat})
		}
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		r.reject(Rejection{Ref: path, Reason: err.Error()})
		return nil
	}
	defer f.Close()
	if format == FormatParquet {
		return r.parquet(path, f) // read at offsets, not streamed
	}
	return r.stream(path, f, format)
}

// counter counts what passes through it.
type counter struct {
	r io.Reader
	n *atomic.Int64
}

func (c counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// decompress recognises gzip, zstd and bzip2 by their magic numbers.
func decompress(in io.Reader) (io.Reader, func(), error) {
	br := bufio.NewReaderSize(in, 64<<10)
	magic, _ := br.Peek(4)
	switch {
	case bytes.HasPrefix(magic, []byte{0x1f, 0x8b}):
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, nil, prefixed("gzip", err)
		}
		return zr, func() { zr.Close() }, nil
	case bytes.HasPrefix(magic, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1))
		if err != nil {
			return nil, nil, prefixed("zstd", err)
		}
		return zr, zr.Close, nil
	case bytes.HasPrefix(magic, []byte("BZh")):
		return bzip2.NewReader(br), func() {}, nil
	}
	return br, func() {}, nil
}

// prefixed wraps err as "what: err" unless its text says what already,
// as the gzip package's errors do.
func prefixed(what string, err error) error {
	if strings.HasPrefix(err.Error(), what+":") {
		return err
	}
	return fmt.Errorf("%s: %w", what, err)
}

func (r *reader) stream(name string, in io.Reader, format string) error {
	if r.opts.BytesRead != nil {
		in = counter{in, r.opts.BytesRead}
	}
	in, done, err := decompress(in)
	if err != nil {
		r.reject(Rejection{Ref: name, Reason: err.Error()})
		return nil
	}
	defer done()
	if format == FormatAuto {
		br := bufio.NewReaderSize(in, sniffBytes)
		head, _ := br.Peek(sniffBytes)
		format, in = sniff(head, r.opts.Fields), br
	}
	switch format {
	case FormatText, FormatHTML:
		return r.whole(name, in, format)
	case FormatJSONL:
		return r.jsonl(name, in)
	case FormatCSV, FormatTSV:
		return r.csv(name, in, format)
	case FormatWARC:
		return r.warc(name, in)
	case FormatParquet:
		return r.bad(Rejection{Ref: name, Reason: errParquetStdin})
	}
	return fmt.Errorf("unknown format %q (want text, jsonl, csv, tsv, html, warc or parquet)", format)
}

// whole reads a whole stream as one item.
func (r *reader) whole(name string, in io.Reader, format string) error {
	b, err := io.ReadAll(io.LimitReader(in, int64(r.opts.MaxBytes)+1))
	if err != nil {
		r.reject(Rejection{Ref: name, Reason: "read: " + err.Error()})
		return nil
	}
	if len(b) > r.opts.MaxBytes {
		r.reject(Rejection{Ref: name, Reason: fmt.Sprintf("larger than %d bytes (--max-bytes)", r.opts.MaxBytes)})
		return nil
	}
	return r.fn(Item{Ref: name, Format: format, Data: b})
}

// jsonl reads one item per line. A file whose first records lack the
// text field is refused whole (probe).
func (r *reader) jsonl(name string, in io.Reader) error {
	br := bufio.NewReaderSize(in, 64<<10)
	pr := probe{fields: r.opts.Fields}
	// settle passes the held records on, or refuses the file; it tells
	// whether the file is refused.
	settle := func(atEnd bool) (bool, error) {
		if !pr.decided && pr.refuse(r.opts.MaxBytes, atEnd) {
			return true, r.bad(Rejection{Ref: name, Reason: pr.reason()})
		}
		if !pr.decided && !pr.done(r.opts.MaxBytes, atEnd) {
			return false, nil
		}
		pr.decided = true
		for i, it := range pr.held {
			pr.held[i] = Item{}
			if err := r.fn(it); err != nil {
				return false, err
			}
		}
		pr.held = nil
		return false, nil
	}
	for line := 1; ; line++ {
		b, tooLong, err := readLine(br, r.opts.MaxBytes)
		if line == 1 {
			b = bytes.TrimPrefix(b, []byte("\ufeff")) // as editors on Windows write
		}
		ref := name + ":" + strconv.Itoa(line)
		switch {
		case tooLong:
			if rerr := r.bad(Rejection{Ref: ref, Reason: fmt.Sprintf("record larger than %d bytes (--max-bytes)", r.opts.MaxBytes)}); rerr != nil {
				return rerr
			}
		case err != nil && err != io.EOF:
			// A line cut by a truncated or corrupt stream is reported
			// once, below, not passed on as a record too.
		case len(bytes.TrimSpace(b)) > 0:
			it := Item{Ref: ref, Format: FormatJSONL, Data: b}
			if pr.decided {
				if ferr := r.fn(it); ferr != nil {
					return ferr
				}
				break
			}
			pr.add(it)
			if refused, serr := settle(false); refused || serr != nil {
				return serr
			}
		}
		if err != nil {
			if refused, serr := settle(true); refused || serr != nil {
				return serr
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			// What was read before a truncated or corrupt stream is kept.
			return r.bad(Rejection{Ref: ref, Reason: "read: " + err.Error()})
		}
	}
}

// bad reports a rejection, or returns it as an error with Options.Strict.
func (r *reader) bad(rej Rejection) error {
	if r.opts.Strict {
		return rej
	}
	r.reject(rej)
	return nil
}

// readLine returns the next line without its newline. A line longer than
// limit is consumed and reported with tooLong set. err is io.EOF after the
// last line.
func readLine(br *bufio.Reader, limit int) (line []byte, tooLong bool, err error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if len(buf)+len(chunk) > limit+1 {
				tooLong, buf = true, nil
			} else {
				buf = append(buf, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		buf = bytes.TrimRight(buf, "\r\n")
		return buf, tooLong, err
	}
}

// csv reads a CSV or TSV file with a header row, one item per row. A
// row that cannot be read is rejected with its line, and reading goes on;
// a row with more or fewer fields than the header is taken, with a
// warning (Options.Warn), since its fields may not be where the header
// says.
func (r *reader) csv(name string, in io.Reader, format string) error {
	tr := newTableReader(in, format, r.opts.MaxBytes)
	line, header, reason, err := tr.next()
	switch {
	case err == io.EOF:
		return r.bad(Rejection{Ref: name, Reason: "no header row: empty file"})
	case err != nil:
		return r.bad(Rejection{Ref: name + ":" + strconv.Itoa(line), Reason: "no header row: read: " + err.Error()})
	case reason != "":
		reason = strings.Replace(reason, "record larger", "header row larger", 1)
		return r.bad(Rejection{Ref: name + ":" + strconv.Itoa(line), Reason: reason + "; the file is skipped"})
	}
	for i := range header {
		header[i] = strings.TrimSpace(strings.TrimPrefix(header[i], "\ufeff"))
	}
	if !r.opts.Fields.headerHas(header) {
		return r.bad(Rejection{Ref: name, Reason: r.opts.Fields.refusal("in the header", header)})
	}
	for {
		if err := r.ctx.Err(); err != nil {
			return err
		}
		line, row, reason, err := tr.next()
		if err == io.EOF {
			return nil
		}
		ref := name + ":" + strconv.Itoa(line)
		if err != nil {
			// What was read before a truncated or corrupt stream is kept.
			return r.bad(Rejection{Ref: ref, Reason: "read: " + err.Error()})
		}
		if reason != "" {
			if rerr := r.bad(Rejection{Ref: ref, Reason: reason}); rerr != nil {
				return rerr
			}
			continue
		}
		if len(row) != len(header) && r.opts.Warn != nil {
			r.opts.Warn(Rejection{Ref: ref, Reason: fmt.Sprintf("%d fields, the header has %d: fields may be misplaced", len(row), len(header))})
		}
		if ferr := r.fn(Item{Ref: ref, Format: format, Row: row, Header: header}); ferr != nil {
			return ferr
		}
	}
}

// warc reads a WARC file, one item per HTML response. An ARC file
// (which starts with its "filedesc://" record) is refused whole instead
// of failing on every record.
func (r *reader) warc(name string, in io.Reader) error {
	br := bufio.NewReader(in)
	if start, _ := br.Peek(len("filedesc://")); string(start) == "filedesc://" {
		return r.bad(Rejection{Ref: name, Reason: errARC})
	}
	return r.warcItems(name, br)
}
