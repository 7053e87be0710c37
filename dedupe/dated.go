package dedupe

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
)

// Wire services file the same template every day or week (central-bank
// operations, auction results, price reports): the texts are near
// duplicates, sometimes identical, of different events. Two articles
// published far apart, or on different days with figures that disagree,
// are therefore not duplicates, whatever their text; re-sends of one story
// over a weekend (two days apart, the same figures) still are. Exact
// copies are not judged by dates: a re-crawl is a re-crawl.

// minFiguresGap is how far apart two publications must be for their
// figures to tell them apart: a story's write-thrus on one day update
// their figures.
const minFiguresGap = 20 * time.Hour

// Dated is what the date rules know of an article.
type Dated struct {
	Published time.Time // zero when unknown
	Figures   []string  // the numbers of its text, sorted (Figures)
}

// SetAside returns why a verified pair of a and b is not a duplicate
// though its text is: at least a day apart with figures that disagree, or
// published further apart than p.DateWindow, unless their figures agree
// (some stand in the same place in both, and none disagree: a story
// published again, where another report from the template would change
// a figure or its date). It returns "" when the pair stands (a date
// unknown, or the rules off: DateWindow 0).
func (p Params) SetAside(a, b Dated) string {
	if p.DateWindow <= 0 || a.Published.IsZero() || b.Published.IsZero() {
		return ""
	}
	gap := a.Published.Sub(b.Published).Abs()
	x, y, agree := conflict(a.Figures, b.Figures)
	if gap >= minFiguresGap && x != "" {
		return fmt.Sprintf("published %s apart with figures that disagree (%s and %s)", roundGap(gap), x, y)
	}
	if gap > p.DateWindow && agree == 0 {
		return fmt.Sprintf("published %s apart, more than the date window of %s", roundGap(gap), roundGap(p.DateWindow))
	}
	return ""
}

// NeedFigures reports whether SetAside reads the figures of two articles
// published at a and b: only when they are far enough apart.
func (p Params) NeedFigures(a, b time.Time) bool {
	return p.DateWindow > 0 && !a.IsZero() && !b.IsZero() && a.Sub(b).Abs() >= minFiguresGap
}

func roundGap(d time.Duration) string {
	if d >= 48*time.Hour {
		return fmt.Sprintf("%.1f days", d.Hours()/24)
	}
	return d.Round(time.Minute).String()
}

// conflict returns a figure of a and one of b that stand in the same
// place (after the same two words) with different values, or "" when none
// do, and how many places hold the same figure in both. A figure only one
// text has is an edit (a new lead, an added sentence), not another event;
// the same sentence with another number is.
func conflict(a, b []string) (x, y string, agree int) {
	for i, j := 0, 0; i < len(a) && j < len(b); {
		ca, cb := figureContext(a[i]), figureContext(b[j])
		switch {
		case ca < cb:
			i++
		case ca > cb:
			j++
		default:
			ei, ej := endOfContext(a, i), endOfContext(b, j)
			if shareValue(a[i:ei], b[j:ej]) {
				agree++
			} else if x == "" {
				x, y = figureValue(a[i]), figureValue(b[j])
			}
			i, j = ei, ej
		}
	}
	return x, y, agree
}

func figureContext(f string) string { return f[:strings.IndexByte(f, 0)] }
func figureValue(f string) string   { return f[strings.IndexByte(f, 0)+1:] }

func endOfContext(fs []string, i int) int {
	c := figureContext(fs[i])
	for i < len(fs) && figureContext(fs[i]) == c {
		i++
	}
	return i
}

func shareValue(xs, ys []string) bool {
	for _, x := range xs {
		for _, y := range ys {
			if figureValue(x) == figureValue(y) {
				return true
			}
		}
	}
	return false
}

// Figures returns the distinct numbers of text with the place each stands
// in, sorted: a number is a run of digits with the separators inside it
// ("4.5", "1,200", "2.75%" gives "2.75"), its place the two words before
// it, lower-cased, with digits as '#' and the names of months and weekdays
// as '@' (so that "on Monday, March 4" and "on Friday, March 1" stand in
// one place). Each is the place, a zero byte, then the number. Dates and
// times in short lines are left out: they are the page's date lines
// ("Updated: 2024-03-04 10:32"), which differ between the versions of one
// story, and which the date window judges from the publication dates.
func Figures(text string) []string {
	var out []string
	for line := range strings.Lines(text) {
		if strings.IndexAny(line, "0123456789") < 0 {
			continue // most lines: no figure, nothing to do
		}
		out = appendFigures(out, line, fieldCount(line) <= dateLineWords)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// dateLineWords is the most words of a line whose dates are a date line.
const dateLineWords = 10

// fieldCount is len(strings.Fields(s)) for ASCII spaces, without the slice.
func fieldCount(s string) int {
	n := 0
	in := false
	for i := 0; i < len(s); i++ {
		space := s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'
		if !space && !in {
			n++
		}
		in = !space
	}
	return n
}

// appendFigures appends the figures of one line. Words are kept as spans
// and made keys only before a figure: most words precede none.
func appendFigures(out []string, text string, dateLine bool) []string {
	const figure = -1  // a span's start when the word was a figure: '#'
	var prev [2][2]int // spans of the last two words, prev[1] the nearer
	prev[0], prev[1] = [2]int{-2, -2}, [2]int{-2, -2}
	key := func(sp [2]int) string {
		switch sp[0] {
		case figure:
			return "#"
		case -2:
			return ""
		}
		return wordKey(text[sp[0]:sp[1]])
	}
	push := func(sp [2]int) { prev[0], prev[1] = prev[1], sp }
	word := func(j int) bool {
		return j < len(text) && (isLetterByte(text[j]) || text[j] >= 0x80 || text[j] >= '0' && text[j] <= '9')
	}
	for i := 0; i < len(text); {
		c := text[i]
		if c < '0' || c > '9' {
			if !word(i) {
				i++
				continue
			}
			j := i
			for word(j) {
				j++
			}
			push([2]int{i, j})
			i = j
			continue
		}
		j := i
		for j < len(text) && (text[j] >= '0' && text[j] <= '9' ||
			(text[j] == '.' || text[j] == ',') && j+1 < len(text) && text[j+1] >= '0' && text[j+1] <= '9') {
			j++
		}
		if i > 0 && isLetterByte(text[i-1]) || j < len(text) && isLetterByte(text[j]) {
			// A number glued to letters is a name (A320, 5G), not a figure.
			for word(j) {
				j++
			}
			push([2]int{i, j})
			i = j
			continue
		}
		k0, k1 := key(prev[0]), key(prev[1])
		if !dateLine || !isDate(text, i, j, [2]string{k0, k1}) {
			out = append(out, k0+" "+k1+"\x00"+strings.ReplaceAll(text[i:j], ",", ""))
		}
		push([2]int{figure, figure})
		i = j
	}
	return out
}

// isDate reports whether the number text[i:j] is part of a date or time
// ("2024-03-04", "10:32", "Sun 10 Mar 2024 16.26", "March 4"): dates in a
// text are the page's date lines and the story's calendar, which the date
// window judges from the publication dates; as figures they would tell an
// update of a story from the story.
func isDate(text string, i, j int, prev [2]string) bool {
	joins := func(k int) bool {
		return k >= 0 && k < len(text) && (text[k] == ':' || text[k] == '-' || text[k] == '/')
	}
	digit := func(k int) bool { return k >= 0 && k < len(text) && text[k] >= '0' && text[k] <= '9' }
	if joins(j) && digit(j+1) || joins(i-1) && digit(i-2) {
		return true
	}
	if prev[0] == "@" || prev[1] == "@" {
		return true
	}
	k := j
	for k < len(text) && (text[k] == ' ' || text[k] == ',') {
		k++
	}
	e := k
	for e < len(text) && isLetterByte(text[e]) {
		e++
	}
	return calendarWords[strings.ToLower(text[k:e])]
}

// calendarWords are the English names of months and weekdays, full and
// abbreviated, as date lines write them.
var calendarWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields("january february march april may june july august september october november december " +
		"jan feb mar apr jun jul aug sep sept oct nov dec " +
		"monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun") {
		m[w] = true
	}
	return m
}()

// wordKey is a word as a figure's place: lower-cased, digits as '#',
// months and weekdays as '@', so that "on day 3" and "on day 4" stand in
// the same place.
func wordKey(w string) string {
	if calendarWords[strings.ToLower(w)] {
		return "@"
	}
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return '#'
		}
		return unicode.ToLower(r)
	}, w)
}

func isLetterByte(c byte) bool {
	return c < 0x80 && unicode.IsLetter(rune(c))
}
