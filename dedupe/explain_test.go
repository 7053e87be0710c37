package dedupe

import (
	"slices"
	"strings"
	"testing"
)

func TestSharedRuns(t *testing.T) {
	const (
		teaser = "BREAKING: Water levels rose across the town after three days of rain. Later, the mayor spoke. Residents were moved to the school hall overnight."
		full   = "The council met on Monday. Water levels rose across the town after three days of rain, officials said. Residents were moved to the school hall."
	)
	rep := strings.Repeat("alpha beta gamma delta ", 5)
	type want struct {
		text string // as it reads in a
		a, b int    // word positions
	}
	for _, c := range []struct {
		name     string
		a, b     string
		minWords int
		want     []want
	}{
		{"teaser in full text", teaser, full, 4, []want{
			{"Water levels rose across the town after three days of rain", 1, 5},
			{"Residents were moved to the school hall", 16, 18},
		}},
		{"shorter runs left out", teaser, full, 8, []want{
			{"Water levels rose across the town after three days of rain", 1, 5},
		}},
		{"case and punctuation ignored", "ONE, two; three four!", "one two three four", 4, []want{{"ONE, two; three four", 0, 0}}},
		{"nothing shared", teaser, "nothing in common here at all", 4, nil},
		{"texts shorter than minWords", "too short", "too short", 4, nil},
		{"empty", "", full, 1, nil},
		// A repeated text is one run, not one per repetition.
		{"repetition", rep, rep, 3, []want{{strings.TrimSpace(rep), 0, 0}}},
		{"diacritics kept apart", "café au lait et croissant", "cafe au lait et croissant", 4, []want{{"au lait et croissant", 1, 1}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			runs := SharedRuns(c.a, c.b, c.minWords)
			var got []want
			for _, r := range runs {
				got = append(got, want{r.Text(c.a), r.A, r.B})
				if r.Words < c.minWords {
					t.Errorf("run %+v is shorter than %d words", r, c.minWords)
				}
				if wa, wb := Tokens(c.a[r.AStart:r.AEnd]), Tokens(c.b[r.BStart:r.BEnd]); !slices.Equal(wa, wb) || len(wa) != r.Words {
					t.Errorf("run %+v: spans hold %q and %q, want the same %d words", r, wa, wb, r.Words)
				}
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("SharedRuns(%q, %q, %d) = %+v, want %+v", c.a, c.b, c.minWords, got, c.want)
			}
		})
	}
}

// Runs never overlap, in a or in b, even where b repeats a's passage.
func TestSharedRunsNoOverlap(t *testing.T) {
	a := "one two three four five six seven eight"
	b := "one two three four xx one two three four five six seven eight yy five six seven eight"
	runs := SharedRuns(a, b, 3)
	if len(runs) != 1 || runs[0].Words != 8 || runs[0].B != 5 {
		t.Fatalf("SharedRuns = %+v, want one run of 8 words at word 5 of b", runs)
	}
}

func TestTokenSpansMatchTokens(t *testing.T) {
	for _, s := range []string{"", "Héllo, Wörld! 42x", "  a--b  ÇA\u0301 va", "日本語のテキスト と English"} {
		toks, spans := tokenSpans(s)
		if !slices.Equal(toks, Tokens(s)) {
			t.Errorf("tokenSpans(%q) = %q, Tokens = %q", s, toks, Tokens(s))
		}
		for i, sp := range spans {
			if got := Tokens(s[sp[0]:sp[1]]); len(got) != 1 || got[0] != toks[i] {
				t.Errorf("span %v of %q holds %q, want %q", sp, s, got, toks[i])
			}
		}
	}
}

func BenchmarkSharedRuns(b *testing.B) {
	text := strings.Repeat("The quick brown fox jumps over the lazy dog near the river bank today. ", 300)
	other := "Intro words here. " + text[:len(text)/2] + " and an ending of its own."
	b.SetBytes(int64(len(text) + len(other)))
	b.ReportAllocs()
	for b.Loop() {
		SharedRuns(other, text, 8)
	}
}
