package ingest

import (
	"strings"
	"testing"
)

// addSeeds seeds f with the golden inputs and the Normalize table.
func addSeeds(f *testing.F) {
	for _, g := range readGoldens(f) {
		f.Add(g.in)
	}
	for _, test := range normalizeTests {
		f.Add(test.in)
	}
	// Rule edge cases: a strip that exposes a drop, glue inside quotes,
	// a cut in the middle, combining marks left behind by a strip.
	f.Add("SEE ALSO: A \"B\"CAdvertisement\nx\nSEE ALSO: XyZ\nx")
	f.Add("a\nSubscribeThe Authors\nb")
	f.Add("READ MORE: e\u0301\u200bE\u0301\nRELATED: Q1Print")
}

func FuzzNormalize(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		once := Normalize(s)
		checkNormalForm(t, "Normalize", once)
		if twice := Normalize(once); twice != once {
			t.Errorf("Normalize(%q) = %q, Normalize again = %q", s, once, twice)
		}
	})
}

// FuzzRuleFilters checks that the cheap tests that skip a rule's regexp
// (length, first and last byte, needed bytes) never skip a match.
func FuzzRuleFilters(f *testing.F) {
	addSeeds(f)
	f.Add("Photo: Kelvin \u212a")
	f.Add("SEE ALSO: the ſtory")
	rules := DefaultRules().rules
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range strings.Split(Normalize(s), "\n\n") {
			if p == "" {
				continue
			}
			for i := range rules {
				ru := &rules[i]
				if ru.kind == kindStrip {
					if ru.re.MatchString(p) && !ru.has(p) {
						t.Errorf("rule %s matches %q, which lacks one of %q", ru.name, p, ru.need)
					}
					continue
				}
				if !ru.re.MatchString(p) {
					continue
				}
				if ru.max >= 0 && len(p) > ru.max {
					t.Errorf("rule %s matches %q, longer than its bound %d", ru.name, p, ru.max)
				}
				if ru.first != nil && !ru.first[p[0]] || ru.last != nil && !ru.last[p[len(p)-1]] {
					t.Errorf("rule %s matches %q, whose first or last byte it rules out", ru.name, p)
				}
				if !ru.has(p) {
					t.Errorf("rule %s matches %q, which lacks one of %q", ru.name, p, ru.need)
				}
			}
		}
	})
}

func FuzzClean(f *testing.F) {
	addSeeds(f)
	rules := DefaultRules()
	f.Fuzz(func(t *testing.T, s string) {
		once := rules.Clean(s)
		checkNormalForm(t, "Clean", once)
		if twice := rules.Clean(once); twice != once {
			t.Errorf("Clean(%q) = %q, Clean again = %q", s, once, twice)
		}
		if n := Normalize(once); n != once {
			t.Errorf("Clean(%q) = %q, not in Normalize's format (%q)", s, once, n)
		}
		if joined := joinKept(rules, s); joined != once {
			t.Errorf("Clean(%q) = %q, its kept paragraphs joined = %q", s, once, joined)
		}
	})
}

// joinKept is Clean by its definition, without Clean's shortcut of
// returning the normalised text when no paragraph changed.
func joinKept(r *Rules, raw string) string {
	var kept []string
	r.apply(Normalize(raw), func(p string) { kept = append(kept, p) }, nil)
	return strings.Join(kept, "\n\n")
}
