package dedupe

import (
	"strings"
)

// Photo captions are wire text too: the same caption runs under the same
// photo in every story of the day that uses it, so a page that captured
// only a gallery (captions, no body) is contained in every story carrying
// those captions, and two different stories sharing a photo look alike.
// Caption paragraphs are therefore left out of the shingles that verify
// and relate texts, except on a gallery page (mostly captions), where they
// are all there is: two galleries compare by their captions, a gallery and
// a story by nothing. The cleaned text keeps its captions.

// maxCreditLen bounds the credit that ends a caption, "(Agency
// Photo/Name Name)": longer parentheses are prose.
const maxCreditLen = 80

// galleryShare is the share of a text's bytes in captions above which the
// text is a gallery and keeps them.
const galleryShare = 0.5

// creditWords name a photo in a credit, lower-cased.
var creditWords = []string{"photo", "foto", "image", "getty", "pool", "picture", "afp", "reuters", "epa"}

// IsCaption reports whether a paragraph is a photo caption: it ends with a
// photo credit, in parentheses ("(Agency Photo/Name)") or after
// "Photo:"/"Photograph:".
func IsCaption(p string) bool {
	p = strings.TrimRight(p, " ")
	if strings.HasSuffix(p, ")") {
		open := strings.LastIndexByte(p, '(')
		if open < 0 || len(p)-open > maxCreditLen || open == 0 {
			return false
		}
		return hasCreditWord(p[open:])
	}
	for _, lead := range []string{"Photo: ", "Photograph: ", "Photos: "} {
		if i := strings.LastIndex(p, lead); i > 0 && len(p)-i <= maxCreditLen {
			return true
		}
	}
	return false
}

func hasCreditWord(s string) bool {
	s = strings.ToLower(s)
	for _, w := range creditWords {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// withoutCaptions returns text (paragraphs separated by blank lines, as
// cleaned) without its caption paragraphs, unless captions are most of it.
func withoutCaptions(text string) string {
	// Most texts have no paragraph that ends with ")" or holds a
	// "Photo..." credit: they are passed on without a copy.
	if !strings.HasSuffix(text, ")") && !strings.Contains(text, ")\n\n") && !strings.Contains(text, "Photo") {
		return text
	}
	captions := 0
	for rest := text; rest != ""; {
		p, more, _ := strings.Cut(rest, "\n\n")
		rest = more
		if IsCaption(p) {
			captions += len(p)
		}
	}
	if captions == 0 || float64(captions) > galleryShare*float64(len(text)) {
		return text
	}
	var b strings.Builder
	b.Grow(len(text) - captions)
	for rest := text; rest != ""; {
		p, more, _ := strings.Cut(rest, "\n\n")
		rest = more
		if IsCaption(p) {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(p)
	}
	return b.String()
}
