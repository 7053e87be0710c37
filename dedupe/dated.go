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
// though its text is: published further apart than p.DateWindow, or at
// least a day apart with figures that disagree. It returns "" when the
// pair stands (a date unknown, or the rules off: DateWindow 0).
func (p Params) SetAside(a, b Dated) string {
	if p.DateWindow <= 0 || a.Published.IsZero() || b.Published.IsZero() {
		return ""
	}
	gap := a.Published.Sub(b.Published).Abs()
	if gap > p.DateWindow {
		return fmt.Sprintf("published %s apart, more than the date window of %s", roundGap(gap), roundGap(p.DateWindow))
	}
	if gap >= minFiguresGap {
		if x, y := conflict(a.Figures, b.Figures); x != "" {
			return fmt.Sprintf("published %s apart with figures that disagree (%s and %s)", roundGap(gap), x, y)
		}
	}
	return ""
}

func roundGap(d time.Duration) string {
	if d >= 48*time.Hour {
		return fmt.Sprintf("%.1f days", d.Hours()/24)
	}
	return d.Round(time.Minute).String()
}

// conflict returns a figure of a that b lacks and one of b that a lacks,
// or "" when one text's figures are all in the other's: an edit that adds
// a figure does not make another event.
func conflict(a, b []string) (string, string) {
	onlyA := firstMissing(a, b)
	if onlyA == "" {
		return "", ""
	}
	onlyB := firstMissing(b, a)
	if onlyB == "" {
		return "", ""
	}
	return onlyA, onlyB
}

func firstMissing(xs, ys []string) string {
	for _, x := range xs {
		if _, found := slices.BinarySearch(ys, x); !found {
			return x
		}
	}
	return ""
}

// Figures returns the distinct numbers of text, sorted: runs of digits
// with the separators inside them ("4.5", "1,200", "2.75%" gives "2.75").
func Figures(text string) []string {
	var out []string
	for i := 0; i < len(text); {
		if text[i] < '0' || text[i] > '9' {
			i++
			continue
		}
		j := i
		for j < len(text) && (text[j] >= '0' && text[j] <= '9' ||
			(text[j] == '.' || text[j] == ',') && j+1 < len(text) && text[j+1] >= '0' && text[j+1] <= '9') {
			j++
		}
		// A number glued to letters is a name (A320, 5G), not a figure.
		glued := i > 0 && isLetterByte(text[i-1]) || j < len(text) && isLetterByte(text[j])
		if !glued {
			out = append(out, strings.ReplaceAll(text[i:j], ",", ""))
		}
		i = j
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func isLetterByte(c byte) bool {
	return c < 0x80 && unicode.IsLetter(rune(c))
}
