package ingest

import (
	"strings"
	"testing"
)

// wrap breaks text at width as a wire feed does, keeping blank lines.
func wrap(text string, width int) string {
	var out []string
	for _, para := range strings.Split(text, "\n\n") {
		var line string
		var lines []string
		for _, w := range strings.Fields(para) {
			if line != "" && len(line)+1+len(w) > width {
				lines = append(lines, line)
				line = ""
			}
			if line != "" {
				line += " "
			}
			line += w
		}
		lines = append(lines, line)
		out = append(out, strings.Join(lines, "\n"))
	}
	return strings.Join(out, "\n\n")
}

const wirePara1 = `HARBOURTON, June 3 (Meridian Wire) - The port authority of Harbourton said on Tuesday that it would close the northern quay for six weeks from July while engineers replace the sea wall, diverting container traffic to the smaller terminal at Gull Point.`
const wirePara2 = `Shipping lines were told in a letter seen by Meridian Wire that berthing slots would be cut by a third during the works, and that fees would not change. The authority expects the work to cost about 41 million crowns.`
const wirePara3 = `"We have no choice, the wall is older than any of us," harbour master Elin Brask told reporters, adding that the closure had been planned since the winter storms damaged two sections of the quay.`

func TestUnwrap(t *testing.T) {
	story := wirePara1 + "\n\n" + wirePara2 + "\n\n" + wirePara3
	wrapped := wrap(story, 70)
	if strings.Count(wrapped, "\n") < 10 {
		t.Fatalf("the test's wrapping made %d lines", strings.Count(wrapped, "\n"))
	}
	if got := Unwrap(wrapped); got != story {
		t.Errorf("Unwrap of a wrapped story:\n%s\nwant\n%s", got, story)
	}
	// Cleaned, the wrapped and the unwrapped texts are the same article.
	if a, b := DefaultRules().Clean(wrapped), DefaultRules().Clean(story); a != b {
		t.Errorf("Clean of the wrapped text:\n%s\nwant\n%s", a, b)
	}
	// CRLF line ends, and an indented line starting a paragraph.
	crlf := strings.ReplaceAll(wrap(wirePara1+" "+wirePara2, 68)+"\n  "+wrap(wirePara3, 66), "\n", "\r\n")
	if got := Unwrap(crlf); got != wirePara1+" "+wirePara2+"\n"+wirePara3 {
		t.Errorf("Unwrap with CRLF and an indented paragraph:\n%q", got)
	}
	for name, s := range map[string]string{
		"web paragraphs":   story,
		"a short list":     "Results\n\nMarrowby 2\nKestrel Bay 1\nGull Point 0\nHarbourton 3\nBrackenford 1",
		"lines that end":   "The quay will close.\nThe wall is old.\nEngineers will work in shifts.\nTraffic moves to Gull Point.\nFees stay the same.\nThe work costs 41 million.",
		"a poem of a page": "Short\nlines\nhere\nand\nthere\nagain",
	} {
		if got := Unwrap(s); got != s {
			t.Errorf("%s: changed to %q", name, got)
		}
	}
	// Clean stays idempotent on wrapped input.
	c := DefaultRules().Clean(wrapped)
	if DefaultRules().Clean(c) != c {
		t.Error("Clean is not idempotent on a hard-wrapped text")
	}
}
