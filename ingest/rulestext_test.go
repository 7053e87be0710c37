package ingest

import (
	"strings"
	"testing"
)

// TestRulesTextRoundTrip checks that the recorded form of a rule set
// parses back into rules that clean exactly as the original.
func TestRulesTextRoundTrip(t *testing.T) {
	extra, err := ParseRules("extra.rules", strings.NewReader("drop promo (?i)promo  code .{0,20}\nstrip tag \\[(?P<keep>[a-z]+)\\]\ncut tail (?i)about the author\n"))
	if err != nil {
		t.Fatal(err)
	}
	for name, rs := range map[string]*Rules{"default": DefaultRules(), "extended": DefaultRules().Extend(extra), "none": {}, "nil": nil} {
		text := rs.Text()
		back, err := ParseRules("recorded", strings.NewReader(text))
		if err != nil {
			t.Fatalf("%s: %v\n%s", name, err, text)
		}
		if back.Len() != rs.Len() || back.Text() != text {
			t.Errorf("%s: %d rules came back as %d", name, rs.Len(), back.Len())
		}
		raw := "Promo code SAVE10\n\nThe council [met] on Tuesday to vote on the budget.\n\nRead more\n\nAbout the author\n\nShe writes about towns."
		if got, want := back.Clean(raw), rs.Clean(raw); got != want {
			t.Errorf("%s: recorded rules clean to %q, the originals to %q", name, got, want)
		}
	}
	if got := extra.Text(); !strings.Contains(got, "drop promo (?i)promo  code .{0,20}\n") {
		t.Errorf("Text keeps a rule's expression as written; got\n%s", got)
	}
}
