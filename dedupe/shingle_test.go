package dedupe

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestTokens(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"empty", "", nil},
		{"only separators", " ,.;!?-\t\n\u00a0—", nil},
		{"lower-cases ASCII", "Hello WORLD", []string{"hello", "world"}},
		{"punctuation separates", "Hello,World!foo-bar_baz", []string{"hello", "world", "foo", "bar", "baz"}},
		{"apostrophe separates", "don't", []string{"don", "t"}},
		{"digits are word runes", "COVID-19 in 2024: 3.14", []string{"covid", "19", "in", "2024", "3", "14"}},
		{"letters and digits join", "A4 mp3 x86_64", []string{"a4", "mp3", "x86", "64"}},
		{"Latin with diaeresis", "Zürich ZÜRICH", []string{"zürich", "zürich"}},
		{"sharp s", "Straße", []string{"straße"}},
		{"Greek", "Ελλάδα, ΑΘΗΝΑ", []string{"ελλάδα", "αθηνα"}},
		{"Cyrillic", "Москва Kyiv", []string{"москва", "kyiv"}},
		{"Chinese runs are one token", "北京欢迎你 上海", []string{"北京欢迎你", "上海"}},
		{"combining mark stays in the word", "Zu\u0308rich", []string{"zu\u0308rich"}},
		{"leading combining mark", "\u0301abc", []string{"\u0301abc"}},
		{"non-ASCII digits", "٣٤ ٥", []string{"٣٤", "٥"}},
		{"em dash and NBSP separate", "alpha—beta\u00a0gamma", []string{"alpha", "beta", "gamma"}},
		{"emoji separates", "good🙂news", []string{"good", "news"}},
		{"invalid UTF-8 separates", "ab\xffcd", []string{"ab", "cd"}},
		{"Kelvin sign lowers to ASCII k", "\u212Aelvin", []string{"kelvin"}},
		{"title-case digraph", "ǅemal", []string{"ǆemal"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Tokens(tc.text)
			if !slices.Equal(got, tc.want) {
				t.Errorf("Tokens(%q) = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

func TestShinglesBasics(t *testing.T) {
	text := "one two three four five six seven one two three four five"
	sh := Shingles(text, 3)
	if !slices.IsSorted(sh) {
		t.Errorf("shingles not sorted: %v", sh)
	}
	if len(slices.Compact(slices.Clone(sh))) != len(sh) {
		t.Errorf("shingles have duplicates: %v", sh)
	}
	// 12 tokens give 10 3-shingles; "one two three", "two three four" and
	// "three four five" occur twice.
	if len(sh) != 7 {
		t.Errorf("got %d unique 3-shingles, want 7", len(sh))
	}
	if got := Shingles("alpha beta gamma", 1); len(got) != 3 {
		t.Errorf("k=1 over 3 distinct tokens gives %d shingles, want 3", len(got))
	}
	// k < 1 is treated as 1.
	if a, b := Shingles("alpha beta gamma", 0), Shingles("alpha beta gamma", 1); !slices.Equal(a, b) {
		t.Errorf("k=0 gives %v, k=1 gives %v", a, b)
	}
}

func TestShinglesShortText(t *testing.T) {
	for _, k := range []int{3, 5, 16} {
		sh := Shingles("only two", k)
		if len(sh) != 1 {
			t.Fatalf("k=%d, 2 tokens: got %d shingles, want 1", k, len(sh))
		}
		// The single shingle is of all the tokens: it equals the 2-shingle.
		if want := Shingles("only two", 2); !slices.Equal(sh, want) {
			t.Errorf("k=%d: short-text shingle %v, want the 2-shingle %v", k, sh, want)
		}
	}
	if a, b := Shingles("only two", 5), Shingles("two only", 5); slices.Equal(a, b) {
		t.Errorf("token order is ignored in the short-text shingle")
	}
	// Exactly k tokens: one shingle too.
	if got := Shingles("a b c d e", 5); len(got) != 1 {
		t.Errorf("k tokens give %d shingles, want 1", len(got))
	}
}

func TestShinglesEmpty(t *testing.T) {
	for _, text := range []string{"", "   ", "...,;!", "\n\n\t", "🙂🙂"} {
		if got := Shingles(text, 5); got != nil {
			t.Errorf("Shingles(%q) = %v, want nil", text, got)
		}
	}
}

func TestShinglesDeterministic(t *testing.T) {
	text := strings.Repeat("Die Straße nach Zürich ist 12 km lang; 北京 ελλάδα. ", 20)
	a := Shingles(text, 5)
	b := Shingles(text, 5)
	if len(a) == 0 || !slices.Equal(a, b) {
		t.Fatalf("two calls differ or are empty: %d vs %d shingles", len(a), len(b))
	}
	// The hashes are stored in databases: pin one value so that a change
	// of hash function is noticed.
	if got := Shingles("hello world", 5); len(got) != 1 {
		t.Fatalf("got %d shingles, want 1", len(got))
	}
	const fnv = 14695981039346656037
	h := uint64(fnv)
	for _, w := range []string{"hello", "world"} {
		th := uint64(fnv)
		for i := range len(w) {
			th = (th ^ uint64(w[i])) * 1099511628211
		}
		h = (h ^ th) * 1099511628211
	}
	if got := Shingles("hello world", 5)[0]; got != mix64(h) {
		t.Errorf("hash of \"hello world\" = %#x, want %#x (FNV-1a of token hashes, splitmix64)", got, mix64(h))
	}
}

func TestShinglesIgnoreCaseAndPunctuation(t *testing.T) {
	pairs := [][2]string{
		{"Hello, World", "hello world"},
		{"HELLO!!! world???", "hello world"},
		{"Zürich — the CITY of banks.", "zürich the city of banks"},
		{"ΑΘΗΝΑ: Ελλάδα", "αθηνα ελλάδα"},
		{"one\ttwo\n\nthree   four,five", "one two three four five"},
	}
	for _, p := range pairs {
		for _, k := range []int{1, 2, 5} {
			a, b := Shingles(p[0], k), Shingles(p[1], k)
			if len(a) == 0 || !slices.Equal(a, b) {
				t.Errorf("k=%d: Shingles(%q) = %v, Shingles(%q) = %v; want equal and non-empty", k, p[0], a, p[1], b)
			}
		}
	}
	if slices.Equal(Shingles("hello world", 2), Shingles("hello words", 2)) {
		t.Errorf("different words give the same shingles")
	}
}

// runePool mixes the cases the two paths of tokenHashes must agree on:
// ASCII letters of both cases, digits, separators, multi-byte letters whose
// lower case has another length (Kelvin sign, İ), combining marks, CJK,
// non-ASCII digits and separators, emoji, U+FFFD and an invalid byte.
var runePool = []string{
	"a", "b", "z", "A", "Q", "Z", "0", "7", "9", " ", " ", " ", ",", ".", "-", "_", "'", "\n", "\t", "@",
	"ü", "Ü", "ß", "é", "É", "ø", "Σ", "ς", "λ", "Ж", "ж", "\u0301", "\u0308", "北", "京", "ひ", "한",
	"٣", "\u00a0", "—", "🙂", "\u212A", "\u0130", "ǅ", "ﬁ", "\uFFFD", "\xff", "\xc3", "Ⅻ", "²",
}

func randomMixed(r *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		b.WriteString(runePool[r.IntN(len(runePool))])
	}
	return b.String()
}

// shinglesRef is the shingle set of token hashes as Shingles documents
// it: FNV-1a over k token hashes (all of them when there are fewer),
// mixed by splitmix64, sorted, without repeats.
func shinglesRef(toks []uint64, k int) []uint64 {
	var out []uint64
	for i := 0; i == 0 || i+k <= len(toks); i++ {
		if len(toks) == 0 {
			return nil
		}
		h := uint64(fnvOffset)
		for _, t := range toks[i:min(i+k, len(toks))] {
			h = (h ^ t) * fnvPrime
		}
		out = append(out, mix64(h))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// tokenHashesOfTokens hashes the tokens that Tokens returns, as Shingles
// documents that it does.
func tokenHashesOfTokens(text string) []uint64 {
	var hs []uint64
	for _, tok := range Tokens(text) {
		h := uint64(fnvOffset)
		for i := range len(tok) {
			h = (h ^ uint64(tok[i])) * fnvPrime
		}
		hs = append(hs, h)
	}
	return hs
}

func checkTokensAgree(t *testing.T, text string) {
	t.Helper()
	hs, breaks := tokenize(text, true)
	if rhs, rbreaks := tokenizeRef(text, true); !slices.Equal(hs, rhs) || !slices.Equal(breaks, rbreaks) {
		t.Errorf("text %q: tokenize gives %d hashes and breaks %v, the reference %d hashes and breaks %v",
			text, len(hs), breaks, len(rhs), rbreaks)
		return
	}
	if got, want := tokenHashes(text), tokenHashesOfTokens(text); !slices.Equal(got, want) {
		t.Errorf("text %q: tokenHashes gives %d hashes, hashing Tokens (%q) gives %d; they differ",
			text, len(got), Tokens(text), len(want))
		return
	}
	joined := strings.Join(Tokens(text), " ")
	for _, k := range []int{1, 2, 5, 7} {
		a := Shingles(text, k)
		if b := Shingles(joined, k); !slices.Equal(a, b) {
			t.Errorf("k=%d: Shingles(%q) differs from Shingles of its joined tokens %q", k, text, joined)
		}
		if want := shinglesRef(tokenHashesOfTokens(text), k); !slices.Equal(a, want) {
			t.Errorf("k=%d: Shingles(%q) differs from the shingles of its token hashes", k, text)
		}
	}
}

func TestTokensAndShinglesAgree(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 3000 {
		checkTokensAgree(t, randomMixed(r, 1+i%60))
		if t.Failed() {
			return
		}
	}
	// Long ASCII runs, where tokenize goes branch-free, with paragraph
	// breaks and now and then a rune of another script.
	for i := range 200 {
		var b strings.Builder
		for b.Len() < 40*i {
			for w := 1 + r.IntN(30); w > 0; w-- {
				b.WriteString(strings.Repeat("Ab9"[r.IntN(3):], 1+r.IntN(4)))
				b.WriteString([]string{" ", " ", ", ", ".\n\n", "\n", "\n\n\n", "-", runePool[r.IntN(len(runePool))]}[r.IntN(8)])
			}
		}
		checkTokensAgree(t, b.String())
		if t.Failed() {
			return
		}
	}
}

func FuzzTokensAndShinglesAgree(f *testing.F) {
	for _, s := range []string{"", "Hello, World", "Zu\u0308rich ZÜRICH", "\u212Aelvin \u0130stanbul", "北京 ab\xffcd", "ǅ ﬁ Ⅻ²"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkTokensAgree(t, s) })
}

func TestCompare(t *testing.T) {
	abc := []uint64{1, 2, 3}
	tests := []struct {
		name          string
		a, b          []uint64
		jac, contains float64
	}{
		{"identical", abc, []uint64{1, 2, 3}, 1, 1},
		{"disjoint", abc, []uint64{4, 5, 6}, 0, 0},
		{"subset", []uint64{2, 3}, []uint64{1, 2, 3, 4}, 0.5, 1},
		{"superset", []uint64{1, 2, 3, 4}, []uint64{2, 3}, 0.5, 1},
		{"one of five", []uint64{5}, []uint64{1, 2, 3, 4, 5}, 0.2, 1},
		{"partial", []uint64{1, 2, 3, 4}, []uint64{3, 4, 5, 6, 7, 8}, 2.0 / 8, 2.0 / 4},
		{"interleaved", []uint64{1, 3, 5, 7}, []uint64{2, 3, 4, 7}, 2.0 / 6, 2.0 / 4},
		{"large values", []uint64{1 << 63, 1<<64 - 1}, []uint64{1<<64 - 1}, 0.5, 1},
		{"empty a", nil, abc, 0, 0},
		{"empty b", abc, []uint64{}, 0, 0},
		{"both empty", nil, nil, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			j, c := Compare(tc.a, tc.b)
			if j != tc.jac || c != tc.contains {
				t.Errorf("Compare(%v, %v) = (%v, %v), want (%v, %v)", tc.a, tc.b, j, c, tc.jac, tc.contains)
			}
		})
	}
}

func TestCompareOnShingles(t *testing.T) {
	long := "the quick brown fox jumps over the lazy dog while the cat sleeps on the warm mat"
	short := "the quick brown fox jumps over the lazy dog"
	a, b := Shingles(short, 3), Shingles(long, 3)
	j, c := Compare(a, b)
	if c != 1 {
		t.Errorf("prefix containment = %v, want 1", c)
	}
	if want := float64(len(a)) / float64(len(b)); j != want {
		t.Errorf("prefix Jaccard = %v, want |a|/|b| = %v", j, want)
	}
}

func TestPassages(t *testing.T) {
	long1 := "one two three four five six seven eight nine ten eleven twelve"
	long2 := "Alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu"
	short := "a dateline of five words"
	text := long1 + "\n\n" + short + "\n\n" + long2 + "\n\n" + long1
	ps := Passages(text)
	// long1 (12 words), long2 (13) and long2's first 12 words; the short
	// paragraph is dropped, the repeat merged.
	if len(ps) != 3 {
		t.Fatalf("got %d passages, want 3", len(ps))
	}
	if !slices.IsSorted(ps) {
		t.Errorf("passages not sorted: %v", ps)
	}
	// Case and punctuation do not matter; paragraphs are what counts.
	if got := Passages(strings.ToUpper(long2) + ", !\n\n" + long1 + "."); !slices.Equal(got, ps) {
		t.Errorf("case/punctuation changed passages: %v vs %v", got, ps)
	}
	// Paragraphs glued into one, as a portal's card glues a lede: a new
	// whole passage, and a start that is long1's passage.
	glued := Passages(long1 + " " + long2)
	if len(glued) != 2 || slices.Contains(ps, glued[0]) == slices.Contains(ps, glued[1]) {
		t.Errorf("a glued paragraph gives %v: want one new passage and long1's", glued)
	}
	if got := Passages(short); got != nil {
		t.Errorf("short text gives passages %v", got)
	}
}

// tokenizeRef is tokenize as a plain loop that branches on every byte,
// as it was before it went branch-free: the reference it must agree with.
func tokenizeRef(text string, paras bool) (hs []uint64, breaks []int) {
	hs = make([]uint64, 0, len(text)/5)
	in := false
	var h uint64
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			if w := asciiWord[c]; w != 0 {
				if !in {
					in, h = true, fnvOffset
				}
				h = (h ^ uint64(w)) * fnvPrime
				// The rest of an ASCII run of the word in a tight loop:
				// most bytes of most news text are here.
				for i++; i < len(text) && text[i] < utf8.RuneSelf; i++ {
					w = asciiWord[text[i]]
					if w == 0 {
						break
					}
					h = (h ^ uint64(w)) * fnvPrime
				}
				continue
			} else {
				if in {
					hs = append(hs, h)
					in = false
				}
				if paras && c == '\n' && i+1 < len(text) && text[i+1] == '\n' {
					breaks = append(breaks, len(hs))
				}
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if isWordRune(r) {
			if !in {
				in, h = true, fnvOffset
			}
			var b [utf8.UTFMax]byte
			n := utf8.EncodeRune(b[:], unicode.ToLower(r))
			for _, x := range b[:n] {
				h = (h ^ uint64(x)) * fnvPrime
			}
		} else if in {
			hs = append(hs, h)
			in = false
		}
		i += size
	}
	if in {
		hs = append(hs, h)
	}
	return hs, breaks
}
