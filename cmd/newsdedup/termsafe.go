package main

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Text outputs go to terminals, and the data they print (titles, ids,
// sources, file names, text, rejection reasons) comes from scraped files:
// an escape sequence in a title could clear the screen, set the window
// title or write the clipboard. These functions write what a terminal
// would act on as a visible Go escape (\x1b, \u009b, \xff), at the field,
// so that the status line's own sequences and exports, which go through
// neither, keep their bytes.

// termLine makes a one-line field safe to print: every control character,
// newline and tab included (a tab would also break a column), DEL, C1
// controls and bytes that are not UTF-8 are escaped.
func termLine(s string) string { return termEscape(s, false) }

// termText makes multi-line text safe to print, keeping its newlines and
// tabs.
func termText(s string) string { return termEscape(s, true) }

func termEscape(s string, keepLayout bool) string {
	if termSafe(s, keepLayout) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case keepLayout && (r == '\n' || r == '\t'):
			b.WriteRune(r)
		case r == '\a':
			b.WriteString(`\a`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r >= 0x80 && r <= 0x9f:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// termSafe reports whether s has nothing termEscape would change; most
// fields are plain text.
func termSafe(s string, keepLayout bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x80:
			// 0x80 and up: only a rune decoded tells C1 and invalid
			// bytes from other text.
			for _, r := range s[i:] {
				if r == utf8.RuneError || r >= 0x80 && r <= 0x9f || r < 0x20 && !(keepLayout && (r == '\n' || r == '\t')) || r == 0x7f {
					return false
				}
			}
			return true
		case c == '\n' || c == '\t':
			if !keepLayout {
				return false
			}
		case c < 0x20 || c == 0x7f:
			return false
		}
	}
	return true
}
