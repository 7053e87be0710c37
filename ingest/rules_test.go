package ingest

import (
	"errors"
	"reflect"
	"regexp/syntax"
	"slices"
	"strings"
	"sync"
	"testing"
)

func mustParse(t testing.TB, text string) *Rules {
	t.Helper()
	r, err := ParseRules("test.rules", strings.NewReader(text))
	if err != nil {
		t.Fatalf("ParseRules: %v", err)
	}
	return r
}

func TestDefaultRules(t *testing.T) {
	r, err := ParseRules("default.rules", strings.NewReader(defaultRulesText))
	if err != nil {
		t.Fatalf("embedded default.rules: %v", err)
	}
	if r.Len() < 20 {
		t.Errorf("default.rules has %d rules, want at least 20", r.Len())
	}
	if d := DefaultRules(); d.Len() != r.Len() {
		t.Errorf("DefaultRules().Len() = %d, want %d", d.Len(), r.Len())
	}
	if DefaultRules() != DefaultRules() {
		t.Error("DefaultRules parses more than once")
	}
}

func TestParseRulesKinds(t *testing.T) {
	r := mustParse(t, `
# a comment
   # an indented comment

drop	promo   (?i)buy now
strip tag \[[a-z]+\]
cut tail The End
`)
	if r.Len() != 3 {
		t.Fatalf("Len() = %d, want 3", r.Len())
	}
	tests := []struct{ in, want string }{
		{"Buy now", ""},
		{"buy NOW", ""},
		{"Buy now and save", "Buy now and save"}, // drop is anchored
		{"A [x] b [yy]c", "A b c"},
		{"[only]", ""},
		{"one\ntwo\nThe End\nthree", "one\n\ntwo"},
		{"one\nnot The End\nthree", "one\n\nnot The End\n\nthree"}, // cut is anchored
	}
	for _, test := range tests {
		if got := r.Clean(test.in); got != test.want {
			t.Errorf("Clean(%q) = %q, want %q", test.in, got, test.want)
		}
	}
}

func TestParseRulesKeep(t *testing.T) {
	r := mustParse(t, `strip link ^LINK:[^|]*\|(?P<keep>.*)$
strip paren \((?P<keep>[a-z]+)\)
strip nokeep ^X:[A-Z]+`)
	tests := []struct{ in, want string }{
		{"LINK: some headline|The sentence stays.", "The sentence stays."},
		{"LINK: no bar here", "LINK: no bar here"},
		{"LINK: all gone|", ""},
		{"a (bc) d (EF)", "a bc d (EF)"},
		{"X:ABC rest", "rest"},
	}
	for _, test := range tests {
		if got := r.Clean(test.in); got != test.want {
			t.Errorf("Clean(%q) = %q, want %q", test.in, got, test.want)
		}
	}
}

// TestStripFixedPoint checks that rules run again after a strip, so that
// text a strip exposes is dropped now and not on a second Clean.
func TestStripFixedPoint(t *testing.T) {
	r := mustParse(t, `drop promo Buy now
strip prefix ^>>\s*
strip ab ab`)
	tests := []struct{ in, want string }{
		{">> Buy now", ""},
		{">> >> Buy now", ""},
		{"aabb c", "c"},
		{"x\n>> x", "x"}, // repeated after the strip
		{strings.Repeat(">> ", 50) + "Buy now", ""},
		{strings.Repeat("a", 30) + strings.Repeat("b", 30) + " end", "end"},
	}
	for _, test := range tests {
		got := r.Clean(test.in)
		if got != test.want {
			t.Errorf("Clean(%q) = %q, want %q", test.in, got, test.want)
		}
		if again := r.Clean(got); again != got {
			t.Errorf("Clean(%q) = %q, Clean again = %q", test.in, got, again)
		}
	}
}

func TestParseRulesErrors(t *testing.T) {
	tests := []struct {
		text, want string
	}{
		{"delete x y", `test.rules:1: unknown rule kind "delete" (want drop, strip or cut)`},
		{"# c\n\ndrop", `test.rules:3: want "drop NAME REGEXP"`},
		{"drop a b\nstrip name", `test.rules:2: want "strip NAME REGEXP"`},
		{"cut tail (unclosed", "test.rules:1: rule tail: error parsing regexp: missing closing ): `(unclosed`"},
		{"drop a x\ndrop a y", `test.rules:2: duplicate rule name "a"`},
		{"drop repeated x", `test.rules:1: rule name "repeated" is reserved`},
		{"strip s a**", "test.rules:1: rule s: error parsing regexp: invalid nested repetition operator: `**`"},
	}
	for _, test := range tests {
		r, err := ParseRules("test.rules", strings.NewReader(test.text))
		if err == nil {
			t.Errorf("ParseRules(%q) = %d rules, want error %q", test.text, r.Len(), test.want)
			continue
		}
		if err.Error() != test.want {
			t.Errorf("ParseRules(%q) error = %q, want %q", test.text, err, test.want)
		}
		var re *RuleError
		if !errors.As(err, &re) || re.File != "test.rules" || re.Line == 0 {
			t.Errorf("ParseRules(%q) error %#v is not a *RuleError with file and line", test.text, err)
		}
	}
	_, err := ParseRules("x", strings.NewReader("drop a ("))
	var serr *syntax.Error
	if !errors.As(err, &serr) {
		t.Errorf("bad regexp error %v does not wrap *syntax.Error", err)
	}
}

type failReader struct{}

func (failReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestParseRulesReadError(t *testing.T) {
	_, err := ParseRules("x.rules", failReader{})
	if err == nil || err.Error() != "ingest: reading x.rules: disk on fire" {
		t.Errorf("ParseRules(failing reader) error = %v", err)
	}
}

func TestZeroRules(t *testing.T) {
	in := "a\nb\na\n\u201cc\u201d"
	want := "a\n\nb\n\n\"c\""
	var nilRules *Rules
	for _, r := range []*Rules{nilRules, {}} {
		if r.Len() != 0 {
			t.Errorf("Len() = %d, want 0", r.Len())
		}
		if got := r.Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
		want := []Removal{{Paragraph: 2, Text: "a", Rule: "repeated"}}
		if got := r.Removed(in); !reflect.DeepEqual(got, want) {
			t.Errorf("Removed(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestExtend(t *testing.T) {
	a := mustParse(t, "strip a x")
	b := mustParse(t, "drop b y\ndrop c z")
	ab := a.Extend(b)
	if ab.Len() != 3 || a.Len() != 1 || b.Len() != 2 {
		t.Fatalf("Len: a.Extend(b)=%d a=%d b=%d, want 3 1 2", ab.Len(), a.Len(), b.Len())
	}
	// Order matters: a's strip runs first, but the rules rerun after a
	// strip, so "xy" loses x and then matches b.
	if got := ab.Clean("xy\nz\nq"); got != "q" {
		t.Errorf("a.Extend(b).Clean = %q, want %q", got, "q")
	}
	if got := a.Clean("xy\nz\nq"); got != "y\n\nz\n\nq" {
		t.Errorf("a.Clean changed by Extend: %q", got)
	}
	var nilRules *Rules
	if got := nilRules.Extend(b).Len(); got != 2 {
		t.Errorf("nil.Extend(b).Len() = %d, want 2", got)
	}
	if got := a.Extend(nil).Len(); got != 1 {
		t.Errorf("a.Extend(nil).Len() = %d, want 1", got)
	}
	// The first matching rule names the removal.
	if got := b.Extend(mustParse(t, "drop other y")).Removed("y"); len(got) != 1 || got[0].Rule != "b" {
		t.Errorf("Removed = %v, want rule b", got)
	}
}

func TestRemoved(t *testing.T) {
	in := "Skip to content\n" +
		"SEE ALSO: A Headline HereThe story starts.\n" +
		"The story starts.\n" +
		"Body text.\n" +
		"Want to read more?\n" +
		"Tail one.\n" +
		"Tail two."
	want := []Removal{
		{0, "Skip to content", "nav-skip"},
		{1, "SEE ALSO: A Headline HereThe story starts.", "see-also-glued"},
		{2, "The story starts.", "repeated"},
		{4, "Want to read more?", "paywall-read-more"},
		{5, "Tail one.", "paywall-read-more"},
		{6, "Tail two.", "paywall-read-more"},
	}
	r := DefaultRules()
	if got := r.Removed(in); !reflect.DeepEqual(got, want) {
		t.Errorf("Removed =\n%v\nwant\n%v", got, want)
	}
	if got, want := r.Clean(in), "The story starts.\n\nBody text."; got != want {
		t.Errorf("Clean = %q, want %q", got, want)
	}
	if got := r.Removed("Nothing to remove here."); got != nil {
		t.Errorf("Removed(clean text) = %v, want nil", got)
	}
}

// TestDefaultRulesDrop lists boilerplate paragraphs the built-in rules must
// remove, each with the rule that should do it.
func TestDefaultRulesDrop(t *testing.T) {
	tests := []struct{ in, rule string }{
		{"Previous ArticleNext Article", "nav-prev-next"},
		{"Previous Article", "nav-prev-next"},
		{"Next Article", "nav-prev-next"},
		{"Next story", "nav-prev-next"},
		{"\u00ab Previous post", "nav-prev-next"},
		{"Related articles", "nav-related"},
		{"Related Stories", "nav-related"},
		{"You may also like", "nav-related"},
		{"Most read", "nav-related"},
		{"Advertisement", "nav-ad"},
		{"ADVERTISEMENT", "nav-ad"},
		{"Story continues below advertisement", "nav-ad"},
		{"Skip to content", "nav-skip"},
		{"Skip to main content", "nav-skip"},
		{"Share this article", "nav-share"},
		{"Share on Facebook", "nav-share"},
		{"Share via Email", "nav-share"},
		{"Click here to subscribe to alerts.", "nav-click-here"},
		{"Read more:", "nav-read-more"},
		{"Read more", "nav-read-more"},
		{"Continue reading...", "nav-read-more"},
		{"Print", "nav-buttons"},
		{"Email", "nav-buttons"},
		{"Comments", "nav-buttons"},
		{"12 comments", "nav-buttons"},
		{"Back to top", "nav-buttons"},
		{"Leave a reply", "reply-prompt"},
		{"Leave a Reply Cancel reply", "reply-prompt"},
		{"Leave a comment", "reply-prompt"},
		{"Post a comment", "reply-prompt"},
		{"Join the conversation", "reply-prompt"},
		{"Join the discussion.", "reply-prompt"},
		{"Subscribe for full access.", "paywall-subscribe"},
		{"Subscribe", "paywall-subscribe"},
		{"Subscribe now", "paywall-subscribe"},
		{"Already a subscriber? Log in", "paywall-subscribe"},
		{"Already a subscriber?", "paywall-subscribe"},
		{"This article is for subscribers only.", "paywall-subscribe"},
		{"Sign up for our newsletter", "newsletter-prompt"},
		{"Sign up for our daily briefing newsletter and get the news first.", "newsletter-prompt"},
		{"SEE ALSO: A Headline With No Glue", "see-also"},
		{"READ MORE: Another Headline", "see-also"},
		{"Related: Council Votes On Budget", "see-also"},
		{"1005-afgmap", "image-slug"},
		{"0412_harbor_map", "image-slug"},
		{"IMG_2041.jpg", "image-filename"},
		{"photo-1.png", "image-filename"},
		{"1005-afgmap.jpg", "image-filename"},
		{"Harbor.WEBP", "image-filename"},
		{"IMG_2041", "image-camera"},
		{"DSC00931", "image-camera"},
		{"Photo: Jane Roe/Example Wire", "image-credit"},
		{"Image: Getty", "image-credit"},
		{"(Photo by Jane Roe)", "image-credit-paren"},
		{"The Christian Science Monitor / Text", "site-header"},
		{"The Ridgeway Observer / Print", "site-header"},
		{"Text size", "text-size"},
		{"Listen to this article", "text-size"},
		{"Listen to this article - 4 min", "text-size"},
		{"5 min read", "text-size"},
		{"News", "section-label"},
		{"World", "section-label"},
		{"Politics", "section-label"},
		{"Opinion", "section-label"},
		{"Business", "section-label"},
		{"MIDDLE EAST", "section-label"},
	}
	r := DefaultRules()
	for _, test := range tests {
		got := r.Removed(test.in)
		if len(got) != 1 || got[0].Rule != test.rule {
			t.Errorf("Removed(%q) = %v, want one removal by %s", test.in, got, test.rule)
		}
		if c := r.Clean(test.in); c != "" {
			t.Errorf("Clean(%q) = %q, want empty", test.in, c)
		}
	}
}

// TestDefaultRulesCut checks that the paywall and author-bio cuts drop
// everything after them.
func TestDefaultRulesCut(t *testing.T) {
	for _, marker := range []string{
		"Want to read more?",
		"Want to read more? Subscribe today for unlimited access.",
		"SubscribeThe Authors",
		"Subscribe The Author",
		"About the authors",
	} {
		in := "Body one.\n" + marker + "\nBio of a writer who lives in a small town.\nMore bio."
		if got, want := DefaultRules().Clean(in), "Body one."; got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestDefaultRulesStrip checks the glued SEE ALSO family.
func TestDefaultRulesStrip(t *testing.T) {
	tests := []struct{ in, want string }{
		{
			`SEE ALSO: Pakistan's Hard-Line Islamists Emboldened By Afghan Taliban's Victory"It will go against the narrative," he said.`,
			`"It will go against the narrative," he said.`,
		},
		{
			"SEE ALSO: Pakistan Confronts Growing Threat From Islamic State-KhorasanPakistan recorded at least 294 militant attacks in 2021.",
			"Pakistan recorded at least 294 militant attacks in 2021.",
		},
		{
			"SEE ALSO: Curly Quotes Fold First\u201cYes,\u201d she said.",
			`"Yes," she said.`,
		},
		{"READ MORE: Rates Rise AgainThe bank said so.", "The bank said so."},
		{"RELATED: Bridge Opens In 2024After years of delay, it opened.", "After years of delay, it opened."},
		{"ALSO READ: Is It Over?Nobody knows yet.", "Nobody knows yet."},
		{"See also: Storm (Update)Roads are closed.", "Roads are closed."},
		{`SEE ALSO: Mayor Says "No"Then the meeting ended.`, "Then the meeting ended."},
		// A headline that starts with a quote has no glue at its quotes.
		{`SEE ALSO: "Never Again" Says The Mayor`, ""},
		// Hyphen and apostrophe are not glue.
		{"SEE ALSO: Hard-Line Group's Plan", ""},
		// Nested glue, as when a scraper repeats a link box.
		{strings.Repeat("SEE ALSO: Some Headline", 20) + "Yes.", "Yes."},
	}
	r := DefaultRules()
	for _, test := range tests {
		if got := r.Clean(test.in); got != test.want {
			t.Errorf("Clean(%q) = %q, want %q", test.in, got, test.want)
		}
	}
}

// TestDefaultRulesKeep lists real sentences that contain boilerplate words
// and must survive the built-in rules unchanged.
func TestDefaultRulesKeep(t *testing.T) {
	keep := []string{
		"He said he would leave a reply to the ministry by Friday.",
		"The next article of the constitution was amended.",
		"Subscribers to the paper will get the supplement for free.",
		"Subscribe to the idea that less is more, she told the audience.",
		"(Reuters) - The central bank held rates steady on Thursday.",
		"LONDON (Reuters) -",
		"(Reuters) -",
		"World leaders met in Geneva on Friday.",
		"News of the merger spread quickly.",
		"Politics aside, the bridge needs repairs.",
		"Print runs for the novel have doubled.",
		"Email records show the contract was signed in May.",
		"Comments from the minister drew criticism.",
		"Advertisement revenue fell 4 percent in the quarter.",
		"Related charges were filed against two other men.",
		"Click here, the instructions said, but nothing happened.",
		"Share prices rose after the announcement.",
		"The photo, taken in 1998, shows the old pier.",
		"Read more about the plan on the council's website, officials said.",
		"She wants to read more books this year.",
		"Want to read more? That was the question the librarian asked every child who returned a book, and most said yes, because the library had become the heart of the town over the past decade and children went there after school almost every day of the week.",
		"The authors of the report disagree.",
		"Joining the conversation late, the senator asked for a recess.",
		"Photo ID will be required at polling stations.",
		"Text messages were sent to every resident.",
		"Listen to this: the choir sang for six hours.",
		"Previous governments tried and failed.",
		"Next year the festival moves to June.",
		"Opinion polls show a close race.",
		"Business owners say the road works hurt trade.",
		"The 2021-22 season ended early.",
		"Version 2.0 of the app launched.",
		"A / B testing showed no difference.",
		"See also the appendix, which lists every vote.",
		"The iPhone sold well.",
	}
	r := DefaultRules()
	for _, s := range keep {
		if got := r.Clean(s); got != s {
			t.Errorf("Clean(%q) = %q, want it kept (removed: %v)", s, got, r.Removed(s))
		}
	}
}

func TestCleanConcurrent(t *testing.T) {
	r := DefaultRules().Extend(mustParse(t, "drop x (?i)body one"))
	gs := readGoldens(t)
	want := make([]string, len(gs))
	for i, g := range gs {
		want[i] = r.Clean(g.in)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for i, g := range gs {
				if got := r.Clean(g.in); got != want[i] {
					t.Errorf("%s: concurrent Clean differs", g.file)
				}
				r.Removed(g.in)
			}
		})
	}
	wg.Wait()
}

func BenchmarkClean(b *testing.B) {
	in := benchArticle()
	r := DefaultRules()
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		r.Clean(in)
	}
}

// BenchmarkCleanProse cleans 200 distinct articles of prose, in which no
// rule matches: the cost of looking.
func BenchmarkCleanProse(b *testing.B) {
	in, size := articles()
	r := DefaultRules()
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range in {
			r.Clean(s)
		}
	}
}

// BenchmarkCleanUnchanged cleans an article that is clean already, as most
// articles of a corpus are.
func BenchmarkCleanUnchanged(b *testing.B) {
	r := DefaultRules()
	in := r.Clean(benchArticle())
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		r.Clean(in)
	}
}

func TestMaxLen(t *testing.T) {
	tests := []struct {
		re   string
		want int
	}{
		{"abc", 3},
		{"(?i)k", 3}, // Kelvin sign
		{"(?i)s", 2}, // long s
		{"é", 2},
		{"[a-z]", 1},
		{"[a-zé]", 2},
		{".", 4},
		{"a?b", 2},
		{"a{2,5}", 5},
		{"(?:ab|cde)f", 4},
		{"a*", -1},
		{"a+", -1},
		{"a{2,}", -1},
		{"^(?:x(?P<keep>y))$", 2},
		{`\d+`, -1},
		{`\W{0,4}`, 16}, // \W includes non-ASCII
	}
	for _, test := range tests {
		re, err := syntax.Parse(test.re, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		if got := maxLen(re); got != test.want {
			t.Errorf("maxLen(%q) = %d, want %d", test.re, got, test.want)
		}
	}
}

func TestFirstBytes(t *testing.T) {
	tests := []struct {
		re         string
		yes, no    string
		unknowable bool
	}{
		{re: "abc", yes: "a", no: "bAc"},
		{re: "(?i)abc", yes: "aA\xe2", no: "bc"},
		{re: "(?i)k", yes: "kK\xe2"}, // Kelvin sign starts with 0xE2
		{re: "[0-9]x|y", yes: "09y", no: "ax"},
		{re: "(?:a|b?)c", yes: "abc", no: "d"},
		{re: "é", yes: "\xc3", no: "e"},
		{re: "^(?:(?P<x>q)r)$", yes: "q", no: "r"},
		{re: `\W{0,4}x`, yes: " .x\xc3", no: "ay_"},
		{re: "a*", unknowable: true},
		{re: ".x", unknowable: true},
		{re: "(?s).", unknowable: true},
	}
	for _, test := range tests {
		re, err := syntax.Parse(test.re, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		set := firstBytes(re)
		if test.unknowable {
			if set != nil {
				t.Errorf("firstBytes(%q) = a set, want nil", test.re)
			}
			continue
		}
		if set == nil {
			t.Errorf("firstBytes(%q) = nil, want a set", test.re)
			continue
		}
		for _, b := range []byte(test.yes) {
			if !set[b] {
				t.Errorf("firstBytes(%q) lacks %q", test.re, b)
			}
		}
		for _, b := range []byte(test.no) {
			if set[b] {
				t.Errorf("firstBytes(%q) has %q", test.re, b)
			}
		}
	}
}

func TestLastBytes(t *testing.T) {
	tests := []struct {
		re         string
		yes, no    string
		unknowable bool
	}{
		{re: "abc", yes: "c", no: "abC"},
		{re: "(?i)abc", yes: "cC\x80", no: "ab"},
		{re: "^(?:.{1,60} / ?(?:Text|Print))$", yes: "t", no: "Tx "},
		{re: "x(?:a|bc)", yes: "ac", no: "bx"},
		{re: "[a-c]+", yes: "abc", no: "d"},
		{re: "xé", yes: "\xa9", no: "x"},
		{re: "a{1,3}", yes: "a"},
		{re: "ab?", unknowable: true},
		{re: "a.", unknowable: true},
		{re: "a\\W{0,3}", unknowable: true},
		{re: "a|b*", unknowable: true},
	}
	for _, test := range tests {
		re, err := syntax.Parse(test.re, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		set := lastBytes(re)
		if test.unknowable {
			if set != nil {
				t.Errorf("lastBytes(%q) = a set, want nil", test.re)
			}
			continue
		}
		if set == nil {
			t.Errorf("lastBytes(%q) = nil, want a set", test.re)
			continue
		}
		for _, b := range []byte(test.yes) {
			if !set[b] {
				t.Errorf("lastBytes(%q) lacks %q", test.re, b)
			}
		}
		for _, b := range []byte(test.no) {
			if set[b] {
				t.Errorf("lastBytes(%q) has %q", test.re, b)
			}
		}
	}
}

func TestRequiredSets(t *testing.T) {
	tests := []struct {
		re   string
		want []string
	}{
		{`a:b`, []string{"a", ":", "b"}},
		{`(?i)ks`, []string{"Kk\xe2", "Ss\xc5"}}, // Kelvin sign, long s
		{`x|y`, []string{"xy"}},                  // parsed as the class [xy]
		{`xa|yb`, nil},
		{`(?:a:|b:)`, []string{":"}},
		{`[-_]x?`, []string{"-_"}},
		{`\w+`, nil},
		{`(?:ab)+c*`, []string{"a", "b"}},
		{`(?:ab){0,2}`, nil},
		{`é`, []string{"\xc3"}},
	}
	for _, test := range tests {
		re, err := syntax.Parse(test.re, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		if got := requiredSets(re); !slices.Equal(got, test.want) {
			t.Errorf("requiredSets(%q) = %q, want %q", test.re, got, test.want)
		}
	}
	if got := rarest([]string{"Ee", " ", "Zz", ":"}, 2); !slices.Equal(got, []string{":", "Zz"}) {
		t.Errorf("rarest = %q, want the colon and z", got)
	}
}
