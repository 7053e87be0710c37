package ingest

import (
	"strings"
	"unicode/utf8"
)

// Hard-wrapped text (wire archives, e-mail feeds) breaks lines at a fixed
// width, about 70 characters, so that every line would become a paragraph
// of a few words: too short for a passage key, and no paragraph matches
// the same story's web version. Unwrap joins such lines back into their
// paragraphs. The raw text is kept as it was; only cleaning sees this.
const (
	minWrapWidth   = 40  // a wrapped text's longest lines are at least this long
	maxWrapWidth   = 100 // and at most this
	wrapSlack      = 15  // a wrapped line fills its width to within this
	minInnerLines  = 4   // lines followed by another line of their block
	minFullShare   = 0.8 // of the inner lines, the share that are full
	minOpenShare   = 0.4 // of the inner lines, the share ending mid-sentence
	maxUnwrapBytes = 4 << 20
)

// Unwrap returns s with the lines of each block (lines between blank
// lines) joined by spaces when s looks hard-wrapped: most lines that
// continue in the next line fill the text's width and many end in the
// middle of a sentence. Other text comes back as it was. A line that
// starts indented begins a paragraph of its own.
func Unwrap(s string) string {
	if len(s) > maxUnwrapBytes || !wrapped(s) {
		return s
	}
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	var b strings.Builder
	b.Grow(len(s))
	joining := false
	for _, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case t == "":
			b.WriteString("\n\n")
			joining = false
		case joining && !indented(l):
			b.WriteByte(' ')
			b.WriteString(t)
		default:
			if joining {
				b.WriteByte('\n')
			}
			b.WriteString(t)
			joining = true
		}
	}
	return b.String()
}

func indented(l string) bool {
	return strings.HasPrefix(l, "  ") || strings.HasPrefix(l, "\t")
}

// wrapped reports whether s looks hard-wrapped. It stops at the first line
// too long for a wrapped text, which most articles have.
func wrapped(s string) bool {
	width := 0
	for rest := s; rest != ""; {
		l, more, _ := strings.Cut(rest, "\n")
		rest = more
		n := len(strings.TrimRight(l, " \t\r"))
		if n > maxWrapWidth {
			if n = utf8.RuneCountInString(strings.TrimRight(l, " \t\r")); n > maxWrapWidth {
				return false
			}
		}
		width = max(width, n)
	}
	if width < minWrapWidth {
		return false
	}
	inner, full, open := 0, 0, 0
	for rest := s; rest != ""; {
		l, more, _ := strings.Cut(rest, "\n")
		rest = more
		next, _, _ := strings.Cut(more, "\n")
		l = strings.TrimRight(l, " \t\r")
		if strings.TrimSpace(l) == "" || strings.TrimSpace(next) == "" || indented(next) {
			continue
		}
		inner++
		if utf8.RuneCountInString(l) >= width-wrapSlack {
			full++
		}
		if !strings.ContainsAny(l[len(l)-1:], `.!?:;"'`) {
			open++
		}
	}
	return inner >= minInnerLines && float64(full) >= minFullShare*float64(inner) && float64(open) >= minOpenShare*float64(inner)
}
