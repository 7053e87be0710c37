package ingest

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
)

// sniffBytes is how much of a stream sniff looks at.
const sniffBytes = 64 << 10

// jsonStart matches the start of a JSON object with a key: plain text
// that starts with a brace rarely goes on like that.
var jsonStart = regexp.MustCompile(`^\{\s*"(?:[^"\\]|\\.)*"\s*:`)

// sniff returns the format that the start of a stream (standard input,
// where no name says it) shows: WARC (or ARC, which the WARC reader
// refuses) by its version line; JSONL when the first line is a JSON
// object, or starts like one where it is longer than head; CSV or TSV
// when the first line is a header naming the text or the HTML field of
// fields; HTML by its doctype or html tag; text otherwise.
func sniff(head []byte, fields Fields) string {
	fields.defaults()
	head = bytes.TrimPrefix(head, []byte("\ufeff"))
	start := bytes.TrimLeft(head, " \t\r\n")
	switch {
	case bytes.HasPrefix(head, []byte("PAR1")):
		return FormatParquet // which a stream cannot be read as
	case bytes.HasPrefix(start, []byte("WARC/1.")), bytes.HasPrefix(start, []byte("filedesc://")):
		return FormatWARC
	case jsonStart.Match(start):
		line, _, complete := bytes.Cut(start, []byte("\n"))
		if !complete && len(head) < sniffBytes {
			complete = true // the whole stream is one line
		}
		if !complete || json.Valid(line) {
			return FormatJSONL
		}
	case looksHTML(start):
		return FormatHTML
	}
	line, _, _ := bytes.Cut(head, []byte("\n"))
	line = bytes.TrimSuffix(line, []byte("\r"))
	names := []string{fields.Text}
	if fields.HTML != "" {
		names = append(names, fields.HTML)
	}
	has := func(header []string) bool {
		for i := range header {
			header[i] = strings.TrimSpace(header[i])
		}
		return len(header) > 1 && slices.ContainsFunc(names, func(n string) bool { return slices.Contains(header, n) })
	}
	if has(strings.Split(string(line), "\t")) {
		return FormatTSV
	}
	cr := csv.NewReader(bytes.NewReader(line))
	cr.LazyQuotes = true
	if header, err := cr.Read(); err == nil && has(header) {
		return FormatCSV
	}
	return FormatText
}

// looksHTML reports whether a stream starts as an HTML page does.
func looksHTML(start []byte) bool {
	if len(start) == 0 || start[0] != '<' {
		return false
	}
	lower := bytes.ToLower(start[:min(len(start), 1024)])
	for _, p := range []string{"<!doctype html", "<html", "<head", "<body", "<?xml"} {
		if bytes.HasPrefix(lower, []byte(p)) {
			return p != "<?xml" || bytes.Contains(lower, []byte("<html"))
		}
	}
	// A comment or a stray tag first: a page names its html tag soon.
	return bytes.Contains(lower, []byte("<html")) || bytes.Contains(lower, []byte("<body"))
}
