package dedupe

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// A word-level diff of two cleaned texts, for a side-by-side view (the
// web UI's cluster page). Texts are compared paragraph by paragraph first (cleaned text
// separates paragraphs with a blank line), and only the runs of changed
// paragraphs are diffed word by word, so the cost follows the size of the
// changes, not of the articles. Tokens keep their original spelling and
// the whitespace between them, so that the two sides read as the texts
// themselves; the caller escapes them (html/template does).

// Limits on the work one diff may do. Beyond them a run of changed
// paragraphs is shown as removed on one side and added on the other,
// without word-level detail.
const (
	// diffMaxEdits bounds the edit distance Myers' algorithm explores for
	// one sequence: its time is O((N+M)·D) and its memory O(D²).
	diffMaxEdits = 500
	// diffMaxHunkTokens bounds the tokens of one run of changed paragraphs
	// that is diffed word by word.
	diffMaxHunkTokens = 20000
	// diffMaxTokens bounds the tokens diffed word by word in one article
	// pair, over all its runs.
	diffMaxTokens = 60000
)

// DiffSpan is a piece of one side of a diff: Op is "" for text on both
// sides, "del" for text only in the left (canonical) text and "ins" for
// text only in the right (variant) text.
type DiffSpan struct {
	Op   string
	Text string
}

// DiffRow is one row of a side-by-side diff: a paragraph of each side, or
// of one side only when the other has no counterpart.
type DiffRow struct {
	Left, Right []DiffSpan
	// Changed is false for a paragraph the two texts share.
	Changed bool
}

// DiffStats counts the words that differ.
type DiffStats struct {
	Deleted, Inserted int
	// Coarse is true when a limit stopped word-level detail somewhere.
	Coarse bool
}

// WordDiff returns the side-by-side diff of a (left) and b (right).
func WordDiff(a, b string) ([]DiffRow, DiffStats) {
	d := differ{budget: diffMaxTokens}
	pa, pb := Paragraphs(a), Paragraphs(b)
	ops, ok := diffOps(pa, pb, diffMaxEdits)
	if !ok {
		d.hunk(pa, pb)
		return d.rows, d.stats
	}
	var dels, ins []string
	i, j := 0, 0
	for _, op := range ops {
		switch op {
		case opEqual:
			d.hunk(dels, ins)
			dels, ins = dels[:0], ins[:0]
			d.rows = append(d.rows, DiffRow{Left: []DiffSpan{{Text: pa[i]}}, Right: []DiffSpan{{Text: pb[j]}}})
			i++
			j++
		case opDelete:
			dels = append(dels, pa[i])
			i++
		case opInsert:
			ins = append(ins, pb[j])
			j++
		}
	}
	d.hunk(dels, ins)
	return d.rows, d.stats
}

type differ struct {
	rows   []DiffRow
	stats  DiffStats
	budget int // tokens left for word-level diffs
}

// hunk adds the rows of a run of changed paragraphs: dels only on the left,
// ins only on the right.
func (d *differ) hunk(dels, ins []string) {
	if len(dels) == 0 && len(ins) == 0 {
		return
	}
	if len(dels) > 0 && len(ins) > 0 {
		ta, tb := wordTokens(dels), wordTokens(ins)
		if n := len(ta) + len(tb); n <= diffMaxHunkTokens && n <= d.budget {
			d.budget -= n
			if ops, ok := diffOps(keys(ta), keys(tb), diffMaxEdits); ok {
				d.wordRows(ta, tb, ops)
				return
			}
		}
		d.stats.Coarse = true
	}
	for k := range max(len(dels), len(ins)) {
		row := DiffRow{Changed: true}
		if k < len(dels) {
			row.Left = []DiffSpan{{Op: "del", Text: dels[k]}}
			d.stats.Deleted += countWords(dels[k])
		}
		if k < len(ins) {
			row.Right = []DiffSpan{{Op: "ins", Text: ins[k]}}
			d.stats.Inserted += countWords(ins[k])
		}
		d.rows = append(d.rows, row)
	}
}

// segment is a run of a word-level diff: tokens both sides share (eq),
// or tokens deleted from the left (a) and inserted on the right (b).
type segment struct {
	eq   bool
	a, b []token
}

// segments groups an edit script into alternating equal and changed runs.
func segments(ta, tb []token, ops []diffOp) []segment {
	var segs []segment
	i, j := 0, 0
	for _, op := range ops {
		eq := op == opEqual
		if len(segs) == 0 || segs[len(segs)-1].eq != eq {
			segs = append(segs, segment{eq: eq})
		}
		s := &segs[len(segs)-1]
		switch op {
		case opEqual:
			s.a = append(s.a, ta[i])
			s.b = append(s.b, tb[j])
			i++
			j++
		case opDelete:
			s.a = append(s.a, ta[i])
			i++
		case opInsert:
			s.b = append(s.b, tb[j])
			j++
		}
	}
	return segs
}

func textLen(ts []token) int {
	n := 0
	for _, t := range ts {
		n += len(t.text)
	}
	return n
}

// cleanup folds into the changes around it every equal run that is no
// longer than the changes on either side: a shortest edit script matches
// stray common words ("the", "is", a comma) inside rewritten sentences,
// which chops them into confetti. This is the semantic cleanup of
// diff-match-patch, in its simplest form.
func cleanup(segs []segment) []segment {
	for i := 1; i+1 < len(segs); {
		s, prev, next := segs[i], segs[i-1], segs[i+1]
		n := textLen(s.a)
		if !s.eq || prev.eq || next.eq ||
			n > max(textLen(prev.a), textLen(prev.b)) || n > max(textLen(next.a), textLen(next.b)) {
			i++
			continue
		}
		merged := segment{
			a: append(append(append([]token(nil), prev.a...), s.a...), next.a...),
			b: append(append(append([]token(nil), prev.b...), s.b...), next.b...),
		}
		segs = append(append(segs[:i-1], merged), segs[i+2:]...)
		i = max(i-2, 1)
	}
	return segs
}

// wordRows turns a token-level edit script into rows, pairing the k-th
// paragraph of the left run with the k-th of the right.
func (d *differ) wordRows(ta, tb []token, ops []diffOp) {
	left, right := [][]DiffSpan{nil}, [][]DiffSpan{nil}
	add := func(side *[][]DiffSpan, op string, t token) {
		if t.text == paraBreak {
			*side = append(*side, nil)
			return
		}
		p := &(*side)[len(*side)-1]
		if n := len(*p); n > 0 && (*p)[n-1].Op == op {
			(*p)[n-1].Text += t.text
			return
		}
		*p = append(*p, DiffSpan{Op: op, Text: t.text})
	}
	for _, s := range cleanup(segments(ta, tb, ops)) {
		opA, opB := "del", "ins"
		if s.eq {
			opA, opB = "", ""
		}
		for _, t := range s.a {
			if !s.eq && t.word {
				d.stats.Deleted++
			}
			add(&left, opA, t)
		}
		for _, t := range s.b {
			if !s.eq && t.word {
				d.stats.Inserted++
			}
			add(&right, opB, t)
		}
	}
	for k := range max(len(left), len(right)) {
		row := DiffRow{Changed: true}
		if k < len(left) {
			row.Left = left[k]
		}
		if k < len(right) {
			row.Right = right[k]
		}
		d.rows = append(d.rows, row)
	}
}

// Paragraphs splits cleaned text at blank lines, as cleaning separates
// paragraphs; it returns nil for the empty text.
func Paragraphs(s string) []string {
	if s == "" {
		return nil
	}
	ps := strings.Split(s, "\n\n")
	return ps
}

// paraBreak stands between paragraphs in a token sequence.
const paraBreak = "\n\n"

// token is a run of word characters (letters, digits and marks, as in
// [Tokens]), a run of whitespace, a paragraph break, or any other
// single character, in its original spelling.
type token struct {
	text string
	word bool
}

// key is what tokens are compared by: whitespace runs are all alike.
func (t token) key() string {
	if t.text != paraBreak && strings.TrimSpace(t.text) == "" {
		return " "
	}
	return t.text
}

func keys(ts []token) []string {
	ks := make([]string, len(ts))
	for i, t := range ts {
		ks[i] = t.key()
	}
	return ks
}

// wordTokens tokenizes paragraphs, with a paraBreak token between them.
func wordTokens(paras []string) []token {
	var ts []token
	for i, p := range paras {
		if i > 0 {
			ts = append(ts, token{text: paraBreak})
		}
		ts = appendTokens(ts, p)
	}
	return ts
}

func appendTokens(ts []token, s string) []token {
	for s != "" {
		r, size := utf8.DecodeRuneInString(s)
		n := size
		switch {
		case isWordChar(r):
			for n < len(s) {
				r, sz := utf8.DecodeRuneInString(s[n:])
				if !isWordChar(r) {
					break
				}
				n += sz
			}
			ts = append(ts, token{text: s[:n], word: true})
		case unicode.IsSpace(r):
			for n < len(s) {
				r, sz := utf8.DecodeRuneInString(s[n:])
				if !unicode.IsSpace(r) {
					break
				}
				n += sz
			}
			ts = append(ts, token{text: s[:n]})
		default:
			ts = append(ts, token{text: s[:n]})
		}
		s = s[n:]
	}
	return ts
}

func isWordChar(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

func countWords(s string) int {
	n := 0
	for _, t := range appendTokens(nil, s) {
		if t.word {
			n++
		}
	}
	return n
}

// diffOp is one step of an edit script.
type diffOp uint8

const (
	opEqual  diffOp = iota // a[i] == b[j]: advance both
	opDelete               // a[i] only: advance a
	opInsert               // b[j] only: advance b
)

// diffOps returns a shortest edit script turning a into b, or false when
// it needs more than maxEdits insertions and deletions.
func diffOps[T comparable](a, b []T, maxEdits int) ([]diffOp, bool) {
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	mid, ok := myers(a[pre:len(a)-suf], b[pre:len(b)-suf], maxEdits)
	if !ok {
		return nil, false
	}
	ops := make([]diffOp, 0, pre+len(mid)+suf)
	for range pre {
		ops = append(ops, opEqual)
	}
	ops = append(ops, mid...)
	for range suf {
		ops = append(ops, opEqual)
	}
	return ops, true
}

// myers is Myers' O((N+M)·D) shortest edit script ("An O(ND) Difference
// Algorithm and Its Variations", 1986), keeping the frontier of every step
// for the backtrack, and giving up beyond maxEdits steps.
func myers[T comparable](a, b []T, maxEdits int) ([]diffOp, bool) {
	n, m := len(a), len(b)
	if n == 0 || m == 0 {
		ops := make([]diffOp, 0, n+m)
		if n+m > maxEdits {
			return nil, false
		}
		for range n {
			ops = append(ops, opDelete)
		}
		for range m {
			ops = append(ops, opInsert)
		}
		return ops, true
	}
	limit := min(n+m, maxEdits)
	off := limit + 1
	v := make([]int, 2*limit+3)
	// trace[d] holds v[-d..d] as it was before step d.
	var trace [][]int
	for d := 0; d <= limit; d++ {
		trace = append(trace, append([]int(nil), v[off-d:off+d+1]...))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = v[off+k+1]
			} else {
				x = v[off+k-1] + 1
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x++
				y++
			}
			v[off+k] = x
			if x >= n && y >= m {
				return backtrack(trace, n, m), true
			}
		}
	}
	return nil, false
}

func backtrack(trace [][]int, n, m int) []diffOp {
	var ops []diffOp
	x, y := n, m
	for d := len(trace) - 1; d >= 0; d-- {
		v := trace[d]
		at := func(k int) int { return v[k+d] }
		k := x - y
		var prevK int
		if k == -d || (k != d && at(k-1) < at(k+1)) {
			prevK = k + 1
		} else {
			prevK = k - 1
		}
		var prevX int
		if d > 0 {
			prevX = at(prevK)
		}
		prevY := prevX - prevK
		for x > prevX && y > prevY {
			ops = append(ops, opEqual)
			x--
			y--
		}
		if d > 0 {
			if x == prevX {
				ops = append(ops, opInsert)
			} else {
				ops = append(ops, opDelete)
			}
		}
		x, y = prevX, prevY
	}
	for i, j := 0, len(ops)-1; i < j; i, j = i+1, j-1 {
		ops[i], ops[j] = ops[j], ops[i]
	}
	return ops
}
