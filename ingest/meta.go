package ingest

import (
	"strings"
	"time"
	"unicode/utf8"
)

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
