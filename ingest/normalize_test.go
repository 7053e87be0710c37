package ingest

import (
	"bytes"
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the want sections of testdata/normalize/*.txt")

type normalizeTest struct {
	in, want string
}

var normalizeTests = []normalizeTest{
	// Already normal.
	{"", ""},
	{"abc", "abc"},
	{"Two words.", "Two words."},
	{"One.\n\nTwo.", "One.\n\nTwo."},

	// Whitespace.
	{"   ", ""},
	{"\n\n\n", ""},
	{"  a  ", "a"},
	{"a   b\t\tc", "a b c"},
	{"a\vb\fc", "a b c"},
	{"\ta\n\tb", "a\n\nb"},
	{"a \n b", "a\n\nb"},
	{"a\n\n\n\nb", "a\n\nb"},
	{"a\u00a0b", "a b"},
	{"a\u2003\u2009b", "a b"},
	{"a\u3000b", "a b"},
	{"\u00a0a\u00a0", "a"},

	// Newlines and paragraphs.
	{"a\r\nb", "a\n\nb"},
	{"a\rb", "a\n\nb"},
	{"a\r\n\r\nb\r\n", "a\n\nb"},
	{"a\nb", "a\n\nb"},
	{"a\u2028b\u2029c\u0085d", "a\n\nb\n\nc\n\nd"},

	// Removed characters.
	{"a\u200bb", "ab"},
	{"\ufeffa", "a"},
	{"a\u200c\u200d\u2060b", "ab"},
	{"co\u00adoperate", "cooperate"},
	{"a\x00b\x07c\x1bd\x7fe", "abcde"},
	{"a\u0080b\u009fc", "abc"},
	{"\u202bright\u202c", "right"},
	{"a \u200b b", "a b"},
	{"\u200b\n\u200b\nx", "x"},

	// Quotes.
	{"\u2018a\u2019 \u201ab\u201b", "'a' 'b'"},
	{"\u201ca\u201d \u201eb\u201f", `"a" "b"`},
	{"\u00aba\u00bb", `"a"`},
	{"5\u2032 11\u2033", `5' 11"`},
	{"\u2039a\u203a", "'a'"},
	{"\uff02a\uff02", `"a"`}, // fullwidth, via NFKC

	// Dashes.
	{"a\u2013b\u2014c\u2015d\u2012e\u2212f\u2010g\u2011h", "a-b-c-d-e-f-g-h"},
	{"a \u2014 b", "a - b"},
	{"\ufe58\ufe63\uff0d", "---"},

	// Ellipsis.
	{"wait\u2026", "wait..."},

	// NFKC.
	{"\ufb01ne", "fine"},
	{"\uff21\uff22", "AB"},
	{"e\u0301", "\u00e9"},
	{"e\u200b\u0301", "\u00e9"}, // removal lets NFKC compose
	{"x\u00b2", "x2"},
	{"\u00bd", "1\u20442"},

	// Invalid UTF-8 (txtar goldens cannot hold it).
	{"a\xffb", "a\ufffdb"},
	{"\xc3", "\ufffd"},
	{"\xed\xa0\x80", "\ufffd\ufffd\ufffd"}, // encoded surrogate
	{"ok\ufffd", "ok\ufffd"},
}

func TestNormalize(t *testing.T) {
	for _, test := range normalizeTests {
		got := Normalize(test.in)
		if got != test.want {
			t.Errorf("Normalize(%q) = %q, want %q", test.in, got, test.want)
		}
		if again := Normalize(got); again != got {
			t.Errorf("Normalize(%q) = %q, not idempotent: Normalize of that = %q", test.in, got, again)
		}
	}
}

// TestNormalizeNoAlloc checks the fast path: normal text is returned as is.
func TestNormalizeNoAlloc(t *testing.T) {
	in := "Already normal.\n\nSecond paragraph, \"quoted\" - fine."
	allocs := testing.AllocsPerRun(100, func() {
		if Normalize(in) != in {
			t.Fatal("changed normal text")
		}
	})
	if allocs != 0 {
		t.Errorf("Normalize of normal text: %v allocs, want 0", allocs)
	}
}

// checkNormalForm fails if s is not in Normalize's output format.
func checkNormalForm(t *testing.T, what, s string) {
	t.Helper()
	switch {
	case !utf8.ValidString(s):
		t.Errorf("%s: invalid UTF-8: %q", what, s)
	case strings.Contains(s, "\n\n\n"):
		t.Errorf("%s: contains \\n\\n\\n: %q", what, s)
	case s != strings.TrimSpace(s):
		t.Errorf("%s: leading or trailing space: %q", what, s)
	case !norm.NFKC.IsNormalString(s):
		t.Errorf("%s: not NFKC: %q", what, s)
	}
	for _, r := range s {
		if r == '\r' || r == '\t' || (r < ' ' && r != '\n') || (r >= 0x7f && r < 0xa0) {
			t.Errorf("%s: contains control %U: %q", what, r, s)
			break
		}
	}
	for _, p := range strings.Split(s, "\n\n") {
		if s != "" && (p == "" || p != strings.TrimSpace(p) || strings.Contains(p, "  ") || strings.Contains(p, "\n")) {
			t.Errorf("%s: bad paragraph %q in %q", what, p, s)
			break
		}
	}
}

type golden struct {
	file   string
	ar     *txtar.Archive
	in     string
	want   string
	wantIx int
}

func readGoldens(t testing.TB) []golden {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "normalize", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no golden files")
	}
	var gs []golden
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		g := golden{file: file, ar: ar, wantIx: -1}
		haveIn := false
		for i, f := range ar.Files {
			switch f.Name {
			case "in":
				g.in, haveIn = string(f.Data), true
			case "want":
				g.want, g.wantIx = string(f.Data), i
			default:
				t.Fatalf("%s: unexpected section %q", file, f.Name)
			}
		}
		if !haveIn || g.wantIx < 0 {
			t.Fatalf("%s: want sections -- in -- and -- want --", file)
		}
		gs = append(gs, g)
	}
	return gs
}

// goldenText is how a cleaned text is stored in a txtar section.
func goldenText(s string) string {
	if s == "" {
		return ""
	}
	return s + "\n"
}

func TestGolden(t *testing.T) {
	rules := DefaultRules()
	for _, g := range readGoldens(t) {
		got := goldenText(rules.Clean(g.in))
		if *update {
			if got != g.want {
				g.ar.Files[g.wantIx].Data = []byte(got)
				if err := os.WriteFile(g.file, txtar.Format(g.ar), 0o666); err != nil {
					t.Fatal(err)
				}
				t.Logf("updated %s", g.file)
			}
			continue
		}
		if got != g.want {
			t.Errorf("%s: Clean(in) =\n%s\nwant\n%s", g.file, got, g.want)
		}
	}
}

func TestGoldenIdempotent(t *testing.T) {
	rules := DefaultRules()
	for _, g := range readGoldens(t) {
		once := rules.Clean(g.in)
		checkNormalForm(t, g.file, once)
		if twice := rules.Clean(once); twice != once {
			t.Errorf("%s: Clean not idempotent:\nonce:\n%s\ntwice:\n%s", g.file, once, twice)
		}
		n := Normalize(g.in)
		checkNormalForm(t, g.file+" Normalize", n)
		if Normalize(n) != n {
			t.Errorf("%s: Normalize not idempotent", g.file)
		}
		if Normalize(once) != once {
			t.Errorf("%s: Clean output is not in Normalize's format", g.file)
		}
	}
}

// benchArticle is an invented article of about 5 KB with the usual mess:
// curly quotes, NBSP, CRLF, dashes and some boilerplate.
func benchArticle() string {
	var b bytes.Buffer
	b.WriteString("Skip to content\r\nNews\r\n")
	para := "The council\u2019s finance committee met on Tuesday\u00a0to review the \u201cspring\u201d budget \u2014 its third draft this year. " +
		"Members argued over road repairs, library hours and the cost of a new  fire engine, which came in 12 percent over the estimate.\r\n\r\n"
	for b.Len() < 5000 {
		b.WriteString(para)
		b.WriteString("Plain ASCII sentences make up most of a typical article, and they should pass through quickly without any change at all.\r\n")
	}
	b.WriteString("Share this article\r\nWant to read more?\r\nSubscribe\r\n")
	return b.String()
}

func BenchmarkNormalize(b *testing.B) {
	in := benchArticle()
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		Normalize(in)
	}
}

// prose returns about n bytes of ASCII text in paragraphs, with words and
// sentences of random length: a text that repeats one sentence lets the
// branch predictor learn it, and flatters byte loops.
func prose(n int) string {
	r := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	for b.Len() < n {
		for s := 2 + r.IntN(4); s > 0; s-- {
			for w := 5 + r.IntN(20); w > 0; w-- {
				for c := 1 + r.IntN(9); c > 0; c-- {
					b.WriteByte(byte('a' + r.IntN(26)))
				}
				if r.IntN(12) == 0 {
					b.WriteByte(',')
				}
				b.WriteByte(' ')
			}
			b.WriteString("end. ")
		}
		b.WriteString("\n\n")
	}
	return b.String()
}

func TestPlain8(t *testing.T) {
	// Every string of 8 bytes over bytes at the edges of the classes.
	alphabet := []byte{0x1f, ' ', '!', '~', 0x7f, 0x80}
	var s [8]byte
	for code := 0; code < 1<<(3*8); code++ {
		c, ok := code, true
		for k := range s {
			if c%8 >= len(alphabet) {
				ok = false
				break
			}
			s[k] = alphabet[c%8]
			c /= 8
		}
		if !ok {
			continue
		}
		want := true
		for k, x := range s {
			if x < ' ' || x > '~' || x == ' ' && (k == 7 || s[k+1] == ' ') {
				want = false
			}
		}
		if got := plain8(load8(string(s[:]))); got != want {
			t.Fatalf("plain8(%q) = %v, want %v", s, got, want)
		}
	}
}

// articles splits 200 distinct articles of 5 KB of prose, normal already:
// one article processed again and again would let the branch predictor
// learn it.
func articles() (in []string, size int) {
	text := Normalize(prose(200 * 5000))
	for len(text) > 5000 {
		i := 5000 + strings.IndexByte(text[5000:], ' ')
		in = append(in, text[:i])
		size += i
		text = text[i+1:]
	}
	return in, size
}

// BenchmarkNormalizeASCII normalises articles that are normal already, as
// most are.
func BenchmarkNormalizeASCII(b *testing.B) {
	in, size := articles()
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range in {
			Normalize(s)
		}
	}
}
