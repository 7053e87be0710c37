package ingest

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Rules is an ordered set of boilerplate rules, see default.rules for the
// file format. The zero value, and a nil *Rules, has no rules. A Rules is
// never changed after it is built, so it is safe for concurrent use.
type Rules struct {
	rules []rule
}

type kind uint8

const (
	kindDrop  kind = iota // drop the paragraph if the whole of it matches
	kindStrip             // remove every match from the paragraph
	kindCut               // drop the paragraph and all after it if the whole of it matches
)

var kindNames = map[string]kind{"drop": kindDrop, "strip": kindStrip, "cut": kindCut}

type rule struct {
	kind kind
	name string
	expr string // as written, for Text
	re   *regexp.Regexp
	keep int // index of the "keep" group of a strip rule, or -1
	// max is the longest text, in bytes, that a drop or cut rule can
	// match, or -1 if unbounded. Most paragraphs are real sentences
	// longer than any boilerplate rule can match, and skipping the
	// regexp for them makes Clean several times faster.
	max int
	// first, if not nil, holds the bytes a match of a drop or cut rule,
	// or of a strip anchored with ^, can start with: another cheap way to
	// skip the regexp.
	first *[256]bool
	// last, if not nil, holds the bytes a match of a drop or cut rule can
	// end with.
	last *[256]bool
	// need holds sets of bytes of which every match contains one byte
	// of each (":" for a colon, "Ss\xc5" for a case-folded s): found
	// with SIMD IndexByte, a missing one skips a regexp whose matcher
	// would clear a bitmap as long as the paragraph to find out.
	need []string
}

// RepeatedRule is the Rule of a Removal for a paragraph dropped because it
// repeats an earlier paragraph of the same article.
const RepeatedRule = "repeated"

// A RuleError reports a bad line in a rules file.
type RuleError struct {
	File string
	Line int
	Err  error
}

func (e *RuleError) Error() string { return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err) }
func (e *RuleError) Unwrap() error { return e.Err }

//go:embed default.rules
var defaultRulesText string

var defaultRules = sync.OnceValue(func() *Rules {
	r, err := ParseRules("default.rules", strings.NewReader(defaultRulesText))
	if err != nil {
		// TestDefaultRules keeps this from happening; an empty set is
		// safer than a panic in a long batch run.
		return &Rules{}
	}
	return r
})

// DefaultRules returns the built-in rules, parsed once from the embedded
// file default.rules.
func DefaultRules() *Rules { return defaultRules() }

// ParseRules reads a rules file; see default.rules for the format. name is
// used in errors, which are *RuleError values reading "NAME:LINE: reason".
func ParseRules(name string, r io.Reader) (*Rules, error) {
	var rs Rules
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || text[0] == '#' {
			continue
		}
		ru, err := parseRule(text)
		if err != nil {
			return nil, &RuleError{File: name, Line: line, Err: err}
		}
		for _, old := range rs.rules {
			if old.name == ru.name {
				return nil, &RuleError{File: name, Line: line, Err: fmt.Errorf("duplicate rule name %q", ru.name)}
			}
		}
		rs.rules = append(rs.rules, ru)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("ingest: reading %s: %w", name, err)
	}
	return &rs, nil
}

func parseRule(text string) (rule, error) {
	kw, rest, _ := cutSpace(text)
	k, ok := kindNames[kw]
	if !ok {
		return rule{}, fmt.Errorf("unknown rule kind %q (want drop, strip or cut)", kw)
	}
	name, expr, _ := cutSpace(rest)
	if name == "" || expr == "" {
		return rule{}, fmt.Errorf("want %q", kw+" NAME REGEXP")
	}
	if name == RepeatedRule {
		return rule{}, fmt.Errorf("rule name %q is reserved", name)
	}
	// Compile expr alone first: errors then quote the user's text, and
	// an expr such as "a)|(b" cannot escape the anchors added below.
	re, err := regexp.Compile(expr)
	src := expr
	if err == nil && k != kindStrip {
		src = "^(?:" + expr + ")$"
		re, err = regexp.Compile(src)
	}
	if err != nil {
		return rule{}, fmt.Errorf("rule %s: %w", name, err)
	}
	ru := rule{kind: k, name: name, expr: expr, re: re, keep: -1, max: -1}
	if k == kindStrip {
		ru.keep = re.SubexpIndex("keep")
	}
	if syn, err := syntax.Parse(src, syntax.Perl); err == nil {
		if k != kindStrip {
			ru.max = maxLen(syn)
			ru.last = lastBytes(syn)
		}
		// A strip anchored at the start can only match at p[0].
		if k != kindStrip || anchored(syn) {
			ru.first = firstBytes(syn)
		}
		ru.need = rarest(requiredSets(syn), 2)
	}
	return ru, nil
}

// has reports whether p holds a byte of each of the rule's needed sets,
// without which it cannot match.
func (ru *rule) has(p string) bool {
	for _, set := range ru.need {
		found := false
		for i := 0; i < len(set) && !found; i++ {
			found = strings.IndexByte(p, set[i]) >= 0
		}
		if !found {
			return false
		}
	}
	return true
}

// requiredSets returns sets of bytes, each as a sorted string, such that
// every text re matches contains a byte of each set.
func requiredSets(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpLiteral:
		var sets []string
		for _, r := range re.Rune {
			sets = addSet(sets, leadBytes(r, r, re.Flags&syntax.FoldCase != 0))
		}
		return sets
	case syntax.OpCharClass:
		// Only small classes: [-_] or [.], not \w.
		n, set := 0, ""
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if n += int(re.Rune[i+1]-re.Rune[i]) + 1; n > 8 {
				return nil
			}
			set = mergeBytes(set, leadBytes(re.Rune[i], re.Rune[i+1], false))
		}
		if set == "" {
			return nil
		}
		return []string{set}
	case syntax.OpCapture, syntax.OpPlus:
		return requiredSets(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return requiredSets(re.Sub[0])
		}
	case syntax.OpConcat:
		var sets []string
		for _, sub := range re.Sub {
			for _, set := range requiredSets(sub) {
				sets = addSet(sets, set)
			}
		}
		return sets
	case syntax.OpAlternate:
		// The sets that every branch needs. (The union of one set of
		// each branch would be needed too, but filters less.)
		sets := requiredSets(re.Sub[0])
		for _, sub := range re.Sub[1:] {
			other := requiredSets(sub)
			sets = slices.DeleteFunc(sets, func(s string) bool { return !slices.Contains(other, s) })
		}
		return sets
	}
	return nil
}

// leadBytes returns, sorted, the first bytes of the runes lo to hi in
// UTF-8, with their case variants if fold.
func leadBytes(lo, hi rune, fold bool) string {
	set := ""
	for r := lo; r <= hi; r++ {
		var b [utf8.UTFMax]byte
		utf8.EncodeRune(b[:], r)
		set = mergeBytes(set, string(b[:1]))
		if fold {
			for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
				utf8.EncodeRune(b[:], f)
				set = mergeBytes(set, string(b[:1]))
			}
		}
	}
	return set
}

// mergeBytes returns the sorted union of two sorted byte sets.
func mergeBytes(a, b string) string {
	out := []byte(a + b)
	slices.Sort(out)
	return string(slices.Compact(out))
}

func addSet(sets []string, set string) []string {
	if slices.Contains(sets, set) {
		return sets
	}
	return append(sets, set)
}

// rarest returns at most n of sets, those whose bytes are rarest in
// English prose: punctuation before letters, letters by frequency, a
// space never (every paragraph has one).
func rarest(sets []string, n int) []string {
	const common = " etaoinshrdlucmfwypvbgkjqxz" // most common first
	cost := func(set string) int {
		c := 0
		for i := 0; i < len(set); i++ {
			b := set[i]
			if b >= 'A' && b <= 'Z' {
				b += 'a' - 'A'
			}
			if k := strings.IndexByte(common, b); k >= 0 {
				c += 100 - k*3
			} else {
				c++ // punctuation, digits and other bytes
			}
		}
		return c
	}
	sets = slices.DeleteFunc(slices.Clone(sets), func(s string) bool { return strings.IndexByte(s, ' ') >= 0 })
	slices.SortStableFunc(sets, func(a, b string) int { return cost(a) - cost(b) })
	return sets[:min(n, len(sets))]
}

// maxLen returns the longest UTF-8 text in bytes that re can match, or -1
// if there is no bound.
func maxLen(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpNoMatch, syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine,
		syntax.OpBeginText, syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return 0
	case syntax.OpLiteral:
		n := 0
		for _, r := range re.Rune {
			n += runeLen(r, re.Flags&syntax.FoldCase != 0)
		}
		return n
	case syntax.OpCharClass:
		// Rune holds sorted ranges; the last high end is the largest rune.
		if len(re.Rune) == 0 {
			return 0
		}
		return runeLen(re.Rune[len(re.Rune)-1], false)
	case syntax.OpAnyCharNotNL, syntax.OpAnyChar:
		return utf8.UTFMax
	case syntax.OpCapture:
		return maxLen(re.Sub[0])
	case syntax.OpQuest:
		return maxLen(re.Sub[0])
	case syntax.OpRepeat:
		if re.Max < 0 {
			return -1
		}
		n := maxLen(re.Sub[0])
		if n < 0 {
			return -1
		}
		return n * re.Max
	case syntax.OpConcat:
		total := 0
		for _, sub := range re.Sub {
			n := maxLen(sub)
			if n < 0 {
				return -1
			}
			total += n
		}
		return total
	case syntax.OpAlternate:
		most := 0
		for _, sub := range re.Sub {
			n := maxLen(sub)
			if n < 0 {
				return -1
			}
			most = max(most, n)
		}
		return most
	}
	return -1 // OpStar, OpPlus, and anything new
}

// anchored reports whether re can only match at the start of the text.
func anchored(re *syntax.Regexp) bool {
	for re.Op == syntax.OpConcat || re.Op == syntax.OpCapture {
		if len(re.Sub) == 0 {
			return false
		}
		re = re.Sub[0]
	}
	return re.Op == syntax.OpBeginText
}

// firstBytes returns the set of bytes that a non-empty text matched by re
// can start with, or nil if it cannot tell or re can match "".
func firstBytes(re *syntax.Regexp) *[256]bool {
	prog, err := syntax.Compile(re.Simplify())
	if err != nil {
		return nil
	}
	var set [256]bool
	seen := make([]bool, len(prog.Inst))
	var walk func(pc uint32) bool
	walk = func(pc uint32) bool {
		if seen[pc] {
			return true
		}
		seen[pc] = true
		in := &prog.Inst[pc]
		switch in.Op {
		case syntax.InstFail:
			return true
		case syntax.InstAlt, syntax.InstAltMatch:
			return walk(in.Out) && walk(in.Arg)
		case syntax.InstCapture, syntax.InstNop, syntax.InstEmptyWidth:
			return walk(in.Out)
		case syntax.InstRune1:
			markRange(&set, in.Rune[0], in.Rune[0], false)
			return true
		case syntax.InstRune:
			fold := syntax.Flags(in.Arg)&syntax.FoldCase != 0
			if len(in.Rune) == 1 {
				markRange(&set, in.Rune[0], in.Rune[0], fold)
				return true
			}
			// Several ranges already include their case variants.
			for i := 0; i+1 < len(in.Rune); i += 2 {
				markRange(&set, in.Rune[i], in.Rune[i+1], false)
			}
			return true
		}
		return false // InstMatch (empty match), any-char, or unknown
	}
	if !walk(uint32(prog.Start)) {
		return nil
	}
	return &set
}

// lastBytes returns the set of bytes that a text matched by re can end
// with, or nil if it cannot tell.
func lastBytes(re *syntax.Regexp) *[256]bool {
	var set [256]bool
	if !markLast(&set, re) {
		return nil
	}
	return &set
}

// markLast adds to set the bytes that a match of re can end with. It
// reports false if it cannot tell or if re can match "".
func markLast(set *[256]bool, re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpLiteral:
		if len(re.Rune) == 0 {
			return false
		}
		r := re.Rune[len(re.Rune)-1]
		markLastRange(set, r, r, re.Flags&syntax.FoldCase != 0)
		return true
	case syntax.OpCharClass:
		if len(re.Rune) == 0 {
			return false
		}
		for i := 0; i+1 < len(re.Rune); i += 2 {
			markLastRange(set, re.Rune[i], re.Rune[i+1], false)
		}
		return true
	case syntax.OpCapture, syntax.OpPlus:
		return markLast(set, re.Sub[0])
	case syntax.OpRepeat:
		return re.Min >= 1 && markLast(set, re.Sub[0])
	case syntax.OpAlternate:
		for _, sub := range re.Sub {
			if !markLast(set, sub) {
				return false
			}
		}
		return true
	case syntax.OpConcat:
		for i := len(re.Sub) - 1; i >= 0; i-- {
			switch re.Sub[i].Op {
			case syntax.OpEndText, syntax.OpEndLine, syntax.OpEmptyMatch,
				syntax.OpWordBoundary, syntax.OpNoWordBoundary:
				continue
			}
			return markLast(set, re.Sub[i])
		}
	}
	return false
}

// markLastRange adds to set the last bytes of the runes lo to hi, with
// their case variants if fold.
func markLastRange(set *[256]bool, lo, hi rune, fold bool) {
	markRange(set, lo, hi, fold)
	if hi >= utf8.RuneSelf || fold {
		for b := 0x80; b < 0xC0; b++ {
			set[b] = true // continuation bytes end multi-byte runes
		}
	}
}

// markRange adds to set the first bytes of the runes lo to hi, with their
// case variants if fold.
func markRange(set *[256]bool, lo, hi rune, fold bool) {
	for r := lo; r <= hi && r < utf8.RuneSelf; r++ {
		set[r] = true
		if fold {
			for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
				if f < utf8.RuneSelf {
					set[f] = true
				}
			}
		}
	}
	if hi >= utf8.RuneSelf || fold {
		// Any lead byte: coarse, but non-ASCII starts are rare in
		// boilerplate rules, and fold reaches the Kelvin sign and such.
		for b := 0xC0; b < 0x100; b++ {
			set[b] = true
		}
	}
}

// runeLen is the UTF-8 length of r, or with fold of its longest case variant
// (the Kelvin sign K is three bytes where k is one).
func runeLen(r rune, fold bool) int {
	n := utf8.RuneLen(r)
	if fold {
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			n = max(n, utf8.RuneLen(f))
		}
	}
	if n < 0 {
		return utf8.UTFMax
	}
	return n
}

// cutSpace splits s at its first run of spaces or tabs.
func cutSpace(s string) (before, after string, found bool) {
	i := strings.IndexAny(s, " \t")
	if i < 0 {
		return s, "", false
	}
	return s[:i], strings.TrimLeft(s[i:], " \t"), true
}

// Extend returns a new Rules with r's rules followed by more's.
func (r *Rules) Extend(more *Rules) *Rules {
	n := &Rules{}
	n.rules = append(n.rules, r.list()...)
	n.rules = append(n.rules, more.list()...)
	return n
}

// Len returns the number of rules.
func (r *Rules) Len() int { return len(r.list()) }

func (r *Rules) list() []rule {
	if r == nil {
		return nil
	}
	return r.rules
}

// Clean returns the cleaned text of a raw article: Normalize(raw), then the
// rules applied paragraph by paragraph, then every paragraph that repeats an
// earlier paragraph of the article dropped (scraped pages often print a
// teaser box twice). The result is in Normalize's format, and Clean is
// idempotent: Clean(Clean(x)) == Clean(x).
func (r *Rules) Clean(raw string) string {
	n := Normalize(Unwrap(raw))
	// Most articles lose nothing: while the kept paragraphs are n's own,
	// the result is a prefix of n, and a copy is made only from the first
	// paragraph that differs.
	same, building := 0, false
	var b strings.Builder
	r.apply(n, func(p string) {
		if !building {
			at := same
			if same > 0 {
				at += len("\n\n")
			}
			if at+len(p) <= len(n) && n[same:at] == "\n\n"[:at-same] && n[at:at+len(p)] == p {
				same = at + len(p)
				return
			}
			building = true
			b.Grow(len(n))
			b.WriteString(n[:same])
		}
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(p)
	}, nil)
	if !building {
		return n[:same]
	}
	return b.String()
}

// A Removal is a paragraph of Normalize(raw) that Clean dropped or changed.
type Removal struct {
	Paragraph int    // index of the paragraph in Normalize(raw), from 0
	Text      string // the paragraph as it was before Clean
	Rule      string // the rule's name, or RepeatedRule
}

// Removed reports, for explanation in a UI, which paragraphs of
// Normalize(raw) Clean dropped or changed, and by which rule. A paragraph
// appears once: under the rule that dropped it, or else under the first
// rule that changed it.
func (r *Rules) Removed(raw string) []Removal {
	var out []Removal
	r.apply(Normalize(Unwrap(raw)), func(string) {}, func(rm Removal) { out = append(out, rm) })
	return out
}

type fate uint8

const (
	kept fate = iota
	changed
	dropped
	cut
)

// apply runs the rules over the paragraphs of the normalised text n, calling
// keep with each paragraph of the result and, if removed is not nil,
// removed with each paragraph dropped or changed.
func (r *Rules) apply(n string, keep func(string), removed func(Removal)) {
	var seen map[string]struct{}
	for i := 0; n != ""; i++ {
		p, rest, _ := strings.Cut(n, "\n\n")
		n = rest
		q, name, f := r.paragraph(p)
		switch f {
		case cut:
			if removed != nil {
				removed(Removal{Paragraph: i, Text: p, Rule: name})
				for n != "" {
					i++
					p, n, _ = strings.Cut(n, "\n\n")
					removed(Removal{Paragraph: i, Text: p, Rule: name})
				}
			}
			return
		case dropped:
			if removed != nil {
				removed(Removal{Paragraph: i, Text: p, Rule: name})
			}
			continue
		}
		if seen == nil {
			// Sized for the paragraphs left, one in 256 bytes or more
			// as in news (counting them took a pass over the text):
			// growing the map, and looking a paragraph up before adding
			// it, hashed each one three times on average.
			seen = make(map[string]struct{}, 1+len(n)/256)
		}
		k := len(seen)
		if seen[q] = struct{}{}; len(seen) == k {
			if removed != nil {
				removed(Removal{Paragraph: i, Text: p, Rule: RepeatedRule})
			}
			continue
		}
		if f == changed && removed != nil {
			removed(Removal{Paragraph: i, Text: p, Rule: name})
		}
		keep(q)
	}
}

// paragraph applies the rules to one normalised paragraph p. It returns the
// new text, the deciding rule's name, and what happened.
func (r *Rules) paragraph(p string) (string, string, fate) {
	rules := r.list()
	first := ""
	// A strip can expose text that an earlier rule (or itself) matches, so
	// the rules run until the paragraph stops changing; that is what makes
	// Clean idempotent. A change removes text, so len(p) bounds the passes.
	for range len(p) + 1 {
		again := false
		for i := range rules {
			ru := &rules[i]
			if ru.kind != kindStrip {
				if (ru.max < 0 || len(p) <= ru.max) &&
					(ru.first == nil || ru.first[p[0]]) &&
					(ru.last == nil || ru.last[p[len(p)-1]]) &&
					ru.has(p) && ru.re.MatchString(p) {
					if ru.kind == kindCut {
						return "", ru.name, cut
					}
					return "", ru.name, dropped
				}
				continue
			}
			// Strip to a fixed point before later rules look: a
			// scraper may repeat a glued link box.
			q := p
			for range len(p) + 1 {
				next := ru.strip(q)
				if next == q {
					break
				}
				if q = next; q == "" {
					break
				}
			}
			if q == p {
				continue
			}
			if first == "" {
				first = ru.name
			}
			if q == "" {
				return "", ru.name, dropped
			}
			p, again = q, true
		}
		if !again {
			break
		}
	}
	if first != "" {
		return p, first, changed
	}
	return p, "", kept
}

// strip removes every match of a strip rule from p, keeping the text of the
// "keep" group in place of a match, and normalises the result.
func (ru *rule) strip(p string) string {
	if ru.first != nil && !ru.first[p[0]] || !ru.has(p) {
		return p
	}
	locs := ru.re.FindAllStringSubmatchIndex(p, -1)
	if locs == nil {
		return p
	}
	var b strings.Builder
	last := 0
	for _, loc := range locs {
		b.WriteString(p[last:loc[0]])
		if k := 2 * ru.keep; k >= 0 && loc[k] >= 0 {
			b.WriteString(p[loc[k]:loc[k+1]])
		}
		last = loc[1]
	}
	b.WriteString(p[last:])
	// Removing text leaves doubled or edge spaces, and may bring together
	// characters that NFKC composes.
	return Normalize(b.String())
}
