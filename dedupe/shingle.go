package dedupe

import (
	"slices"
	"sync"
	"unicode"
	"unicode/utf8"
)

// FNV-1a, fixed forever: shingle hashes feed signatures that are stored in
// databases, so they must not change between versions or runs.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// Tokens returns the lower-cased word tokens of text: maximal runs of
// Unicode letters, digits and combining marks. Everything else separates.
// Shingles hashes exactly these tokens.
func Tokens(text string) []string {
	toks, _ := tokenSpans(text)
	return toks
}

// asciiWord maps an ASCII byte to itself lower-cased when it belongs to a
// word, and to 0 when it separates words.
var asciiWord = func() (t [utf8.RuneSelf]byte) {
	for c := byte('0'); c <= '9'; c++ {
		t[c] = c
	}
	for c := byte('a'); c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = c, c
	}
	return t
}()

// tokenHashes returns the hash of every token of text, in order.
func tokenHashes(text string) []uint64 {
	hs, _ := tokenize(text, false)
	return hs
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// Shingles returns the sorted, de-duplicated hashes of the k-word shingles of
// text (k consecutive tokens), leaving out photo captions unless the text
// is a gallery (see withoutCaptions). A text with fewer than k tokens but at least
// one yields a single shingle of all its tokens, so short texts still
// compare. It returns nil for a text without tokens.
func Shingles(text string, k int) []uint64 {
	return shingles(tokenHashes(withoutCaptions(text)), k)
}

// shingles returns the shingle set of toks, in toks' own memory.
func shingles(toks []uint64, k int) []uint64 {
	return NewSet(shingleHashes(toks, k)).Sorted()
}

// shingleHashes returns the hashes of the k-word shingles of toks, in text
// order, in toks' own memory: a shingle's place is written after its
// first token is read for the last time, and the token hashes are not
// needed once the shingles are made.
func shingleHashes(toks []uint64, k int) []uint64 {
	if k < 1 {
		k = 1
	}
	if len(toks) == 0 {
		return nil
	}
	n := len(toks) - k + 1
	if n < 1 {
		n, k = 1, len(toks)
	}
	if k == 5 {
		// The default, unrolled: a loop of five multiplies a shingle kept
		// the CPU from overlapping one shingle's with the next's.
		for i := range n {
			t := toks[i : i+5 : i+5]
			h := (fnvOffset ^ t[0]) * fnvPrime
			h = (h ^ t[1]) * fnvPrime
			h = (h ^ t[2]) * fnvPrime
			h = (h ^ t[3]) * fnvPrime
			toks[i] = mix64((h ^ t[4]) * fnvPrime)
		}
		return toks[:n]
	}
	for i := range n {
		h := uint64(fnvOffset)
		for _, t := range toks[i : i+k] {
			h = (h ^ t) * fnvPrime
		}
		toks[i] = mix64(h)
	}
	return toks[:n]
}

// scratch holds buffers of shingle hashes waiting to be sorted.
var scratch = sync.Pool{New: func() any { return new([]uint64) }}

// mix64 is the splitmix64 finaliser: FNV's low bits are weak, and the
// signature takes bins and values from different bits of one hash.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// Compare returns the Jaccard similarity of two sorted shingle sets and the
// containment of the smaller set in the larger, |a∩b| / min(|a|,|b|).
func Compare(a, b []uint64) (jaccard, containment float64) {
	if len(a) == 0 || len(b) == 0 {
		return 0, 0
	}
	inter := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			inter++
			i++
			j++
		}
	}
	union := len(a) + len(b) - inter
	return float64(inter) / float64(union), float64(inter) / float64(min(len(a), len(b)))
}

// ledeParagraphs is how many of a text's first long paragraphs have their
// first MinPassageWords words as a passage too: a portal's card glues the
// lede, the first paragraphs, into one.
const ledeParagraphs = 3

// MinPassageWords is the fewest words a paragraph needs to be a passage:
// shorter ones (datelines, captions, one-line quotes) are too common to
// point at a duplicate.
const MinPassageWords = 12

// Passages returns the sorted, de-duplicated hashes of the paragraphs of a
// cleaned text that have at least MinPassageWords words, hashed by their
// lower-cased words alone, and of the first MinPassageWords words of each
// of the first three of them (a paragraph of exactly that many words has
// one hash). A teaser or a syndicated copy repeats whole paragraphs of its
// source, so a shared passage finds it however small a share of the
// longer text it is, where LSH on Jaccard would not; a portal's card
// glues the lede's paragraphs into one, which then matches no whole
// paragraph but starts as the article's first one does.
func Passages(text string) []uint64 {
	_, p := Fingerprint(text, 1)
	return p
}

// passageHash is the passage key of a whole paragraph's tokens, as
// Fingerprint makes it.
func passageHash(toks []uint64) uint64 {
	h := uint64(fnvOffset)
	for _, t := range toks {
		h = (h ^ t) * fnvPrime
	}
	return mix64(h)
}

// Fingerprint returns the shingles of text as Shingles(text, k) has them,
// unsorted until asked for, and Passages(text), from one pass over the
// text.
func Fingerprint(text string, k int) (shingleSet *Set, passages []uint64) {
	toks, breaks := tokenize(withoutCaptions(text), true)
	start, long := 0, 0
	for _, end := range append(breaks, len(toks)) {
		if end-start >= MinPassageWords {
			long++
			h := uint64(fnvOffset)
			for i, t := range toks[start:end] {
				h = (h ^ t) * fnvPrime
				if i == MinPassageWords-1 && end-start > MinPassageWords && long <= ledeParagraphs {
					passages = append(passages, mix64(h)) // the paragraph's start
				}
			}
			passages = append(passages, mix64(h))
		}
		start = end
	}
	slices.Sort(passages)
	return NewSet(shingleHashes(toks, k)), slices.Compact(passages)
}
