package dedupe

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
)

// Run is a passage two texts share: a run of consecutive words, as
// Tokens sees them, that occurs in both.
type Run struct {
	A, B  int // index of the run's first word in a and in b
	Words int // how many words the run has
	// AStart, AEnd and BStart, BEnd are the byte offsets of the passage in
	// a and in b, from its first word's first byte to its last word's end.
	AStart, AEnd int
	BStart, BEnd int
}

// Text returns the passage as it reads in a.
func (r Run) Text(a string) string { return a[r.AStart:r.AEnd] }

// maxGramRepeats bounds how many places in b one minWords-gram is tried
// at: a passage repeated hundreds of times (a list, a chart) would
// otherwise make the search quadratic.
const maxGramRepeats = 64

// SharedRuns returns the passages a and b share of at least minWords
// consecutive words, longest first (then by position in a). Each run is
// maximal (it cannot be extended at either end), and no two runs overlap
// in a or in b: where a passage of a occurs several times in b, only its
// longest match is kept. Words are compared as Tokens compares them, so
// case and punctuation do not matter.
func SharedRuns(a, b string, minWords int) []Run {
	minWords = max(minWords, 1)
	ta, sa := tokenSpans(a)
	tb, sb := tokenSpans(b)
	if len(ta) < minWords || len(tb) < minWords {
		return nil
	}
	// Number the words so that runs compare ints, not strings.
	ids := make(map[string]int)
	num := func(toks []string) []int {
		out := make([]int, len(toks))
		for i, t := range toks {
			id, ok := ids[t]
			if !ok {
				id = len(ids)
				ids[t] = id
			}
			out[i] = id
		}
		return out
	}
	na, nb := num(ta), num(tb)

	// Where each minWords-gram of b starts.
	gram := func(s []int, i int) uint64 {
		h := uint64(fnvOffset)
		for _, w := range s[i : i+minWords] {
			h = (h ^ uint64(w)) * fnvPrime
		}
		return h
	}
	at := make(map[uint64][]int)
	for j := 0; j+minWords <= len(nb); j++ {
		g := gram(nb, j)
		if len(at[g]) < maxGramRepeats {
			at[g] = append(at[g], j)
		}
	}

	// Every maximal match: it starts where the words before differ.
	var runs []Run
	for i := 0; i+minWords <= len(na); i++ {
		for _, j := range at[gram(na, i)] {
			if i > 0 && j > 0 && na[i-1] == nb[j-1] {
				continue // inside a match found from an earlier start
			}
			n := 0
			for i+n < len(na) && j+n < len(nb) && na[i+n] == nb[j+n] {
				n++
			}
			if n >= minWords { // less on a hash collision
				runs = append(runs, Run{A: i, B: j, Words: n,
					AStart: sa[i][0], AEnd: sa[i+n-1][1], BStart: sb[j][0], BEnd: sb[j+n-1][1]})
			}
		}
	}
	slices.SortFunc(runs, func(x, y Run) int {
		if c := cmp.Compare(y.Words, x.Words); c != 0 {
			return c
		}
		if c := cmp.Compare(x.A, y.A); c != 0 {
			return c
		}
		return cmp.Compare(x.B, y.B)
	})

	// Keep the longest runs that overlap nothing kept already.
	usedA := make([]bool, len(na))
	usedB := make([]bool, len(nb))
	free := func(used []bool, from, n int) bool {
		return !slices.Contains(used[from:from+n], true)
	}
	kept := runs[:0]
	for _, r := range runs {
		if !free(usedA, r.A, r.Words) || !free(usedB, r.B, r.Words) {
			continue
		}
		for k := range r.Words {
			usedA[r.A+k], usedB[r.B+k] = true, true
		}
		kept = append(kept, r)
	}
	return kept
}

// tokenSpans returns Tokens(text) with the byte span of each token.
func tokenSpans(text string) (toks []string, spans [][2]int) {
	var sb strings.Builder
	start := -1
	for i, r := range text + " " {
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			sb.Reset()
			for _, r := range text[start:i] {
				sb.WriteRune(unicode.ToLower(r))
			}
			toks = append(toks, sb.String())
			spans = append(spans, [2]int{start, i})
			start = -1
		}
	}
	return toks, spans
}
