package ingest

import (
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
	})
}
