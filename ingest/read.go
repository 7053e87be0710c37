package ingest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Article is one raw article as read.
type Article struct {
	Ref       string // where it came from: a path, FILE:LINE, or a record's id or url
	Source    string
	Title     string
	URL       string
	Published string
	Raw       string // the verbatim original text
}

// Rejection is an input that could not become an article.
type Rejection struct {
	Ref    string // FILE or FILE:LINE
	Reason string
}

func (r Rejection) Error() string { return r.Ref + ": " + r.Reason }

// Formats Read understands.
const (
	FormatAuto  = ""
	FormatText  = "text"
	FormatJSONL = "jsonl"
)

// DefaultMaxBytes is the default limit on one article's raw size.
const DefaultMaxBytes = 8 << 20

// Options control Read.
type Options struct {
	Format   string    // FormatAuto picks by file name
	Source   string    // used when a record names none
	MaxBytes int       // larger articles are rejected; 0 means DefaultMaxBytes
	Stdin    io.Reader // read for the path "-"
}

// Read reads every path in order and calls fn for each article and reject
// for each input it cannot take. A folder is walked recursively in lexical
// order, taking .txt, .jsonl and .ndjson files and their .gz forms. An
// error from fn stops reading and is returned, as is a path that does not
// exist; everything else is a rejection.
func Read(ctx context.Context, paths []string, opts Options, fn func(Article) error, reject func(Rejection)) error {
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	r := reader{opts: opts, fn: fn, reject: reject}
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return err
		}
		if p == "-" {
			in := opts.Stdin
			if in == nil {
				in = os.Stdin
			}
			format := opts.Format
			if format == FormatAuto {
				format = FormatText
			}
			if err := r.stream("-", in, format); err != nil {
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
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				reject(Rejection{Ref: path, Reason: err.Error()})
				return nil
			}
			if d.IsDir() || !d.Type().IsRegular() {
				return nil
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			return r.file(path, false)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

type reader struct {
	opts   Options
	fn     func(Article) error
	reject func(Rejection)
}

// formatOf returns the format of a file name and whether it is gzipped, or
// "" for a file Read does not take.
func formatOf(name string) (format string, gz bool) {
	lower := strings.ToLower(name)
	if strings.HasSuffix(lower, ".gz") {
		gz = true
		lower = strings.TrimSuffix(lower, ".gz")
	}
	switch filepath.Ext(lower) {
	case ".txt", ".text":
		return FormatText, gz
	case ".jsonl", ".ndjson":
		return FormatJSONL, gz
	}
	return "", gz
}

// file reads one file. Files in a folder with a name Read does not take
// are passed over; a file named explicitly is rejected instead.
func (r *reader) file(path string, explicit bool) error {
	format, gz := formatOf(path)
	if r.opts.Format != FormatAuto {
		format = r.opts.Format
	}
	if format == "" {
		if explicit {
			r.reject(Rejection{Ref: path, Reason: "unknown format (name a .txt, .jsonl or .gz file, or use --format)"})
		}
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		r.reject(Rejection{Ref: path, Reason: err.Error()})
		return nil
	}
	defer f.Close()
	var in io.Reader = f
	if gz {
		zr, err := gzip.NewReader(f)
		if err != nil {
			r.reject(Rejection{Ref: path, Reason: "gzip: " + err.Error()})
			return nil
		}
		defer zr.Close()
		in = zr
	}
	return r.stream(path, in, format)
}

func (r *reader) stream(name string, in io.Reader, format string) error {
	switch format {
	case FormatText:
		return r.text(name, in)
	case FormatJSONL:
		return r.jsonl(name, in)
	}
	return fmt.Errorf("unknown format %q (want text or jsonl)", format)
}

// text reads a whole stream as one article.
func (r *reader) text(name string, in io.Reader) error {
	b, err := io.ReadAll(io.LimitReader(in, int64(r.opts.MaxBytes)+1))
	if err != nil {
		// A truncated file still gives what was read, reported.
		r.reject(Rejection{Ref: name, Reason: "read: " + err.Error()})
		return nil
	}
	if len(b) > r.opts.MaxBytes {
		r.reject(Rejection{Ref: name, Reason: fmt.Sprintf("larger than %d bytes (--max-bytes)", r.opts.MaxBytes)})
		return nil
	}
	if reason := checkText(b); reason != "" {
		r.reject(Rejection{Ref: name, Reason: reason})
		return nil
	}
	return r.fn(Article{Ref: name, Source: r.opts.Source, Raw: string(b)})
}

// checkText returns why b cannot be an article, or "".
func checkText(b []byte) string {
	if bytes.IndexByte(b[:min(len(b), 8<<10)], 0) >= 0 {
		return "binary data (NUL byte), not text"
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return "empty"
	}
	return ""
}

// record is a JSONL article. Fields other than text are optional.
type record struct {
	ID        json.RawMessage `json:"id"`
	Text      *string         `json:"text"`
	URL       string          `json:"url"`
	Title     string          `json:"title"`
	Source    string          `json:"source"`
	Published string          `json:"published"`
}

// jsonl reads one article per line.
func (r *reader) jsonl(name string, in io.Reader) error {
	br := bufio.NewReaderSize(in, 64<<10)
	for line := 1; ; line++ {
		b, tooLong, err := readLine(br, r.opts.MaxBytes)
		ref := name + ":" + strconv.Itoa(line)
		if len(b) > 0 || tooLong {
			if tooLong {
				r.reject(Rejection{Ref: ref, Reason: fmt.Sprintf("record larger than %d bytes (--max-bytes)", r.opts.MaxBytes)})
			} else if ferr := r.record(ref, b); ferr != nil {
				return ferr
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			r.reject(Rejection{Ref: ref, Reason: "read: " + err.Error()})
			return nil
		}
	}
}

func (r *reader) record(ref string, b []byte) error {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	var rec record
	if err := json.Unmarshal(b, &rec); err != nil {
		r.reject(Rejection{Ref: ref, Reason: "invalid JSON: " + err.Error()})
		return nil
	}
	if rec.Text == nil {
		r.reject(Rejection{Ref: ref, Reason: `no "text" field`})
		return nil
	}
	if reason := checkText([]byte(*rec.Text)); reason != "" {
		r.reject(Rejection{Ref: ref, Reason: reason})
		return nil
	}
	a := Article{Ref: ref, Source: rec.Source, Title: rec.Title, URL: rec.URL, Published: rec.Published, Raw: *rec.Text}
	if id := idString(rec.ID); id != "" {
		a.Ref = id
	} else if rec.URL != "" {
		a.Ref = rec.URL
	}
	if a.Source == "" {
		a.Source = r.opts.Source
	}
	return r.fn(a)
}

// idString accepts an id given as a JSON string or number.
func idString(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
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

// GuessTitle returns the first paragraph of a cleaned text when it reads
// like a headline: short, with more text after it, and not ending like a
// sentence. It returns "" otherwise.
func GuessTitle(clean string) string {
	first, rest, ok := strings.Cut(clean, "\n\n")
	if !ok || rest == "" || utf8.RuneCountInString(first) > 200 {
		return ""
	}
	if strings.HasSuffix(first, ".") || strings.HasSuffix(first, ":") {
		return ""
	}
	return first
}

// dateLayouts are the publication date forms NormalizeDate understands.
var dateLayouts = []string{
	time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04",
	time.RFC1123Z, time.RFC1123, time.RFC850, time.ANSIC, "2006-01-02", "2 January 2006", "January 2, 2006",
}

// NormalizeDate returns a publication date in RFC 3339 (UTC) when it parses,
// so that dates compare as strings, and the trimmed input otherwise.
func NormalizeDate(s string) string {
	s = strings.TrimSpace(s)
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC().Format(time.RFC3339)
		}
	}
	return s
}
