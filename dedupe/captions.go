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
	if !strings.Contains(text, ")") && !strings.Contains(text, "Photo") {
		return text // most texts: no credit at all
	}
	var keep []string
	captions, dropped := 0, false
	for _, p := range strings.Split(text, "\n\n") {
		if IsCaption(p) {
			captions += len(p)
			dropped = true
			continue
		}
		keep = append(keep, p)
	}
	if !dropped || float64(captions) > galleryShare*float64(len(text)) {
		return text
	}
	return strings.Join(keep, "\n\n")
}
