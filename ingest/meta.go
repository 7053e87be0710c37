package ingest

import (
	"strings"
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
