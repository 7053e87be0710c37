package ingest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	trafilatura "github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
	"golang.org/x/sync/semaphore"
)

// htmlCase is an invented page in testdata/html with what its extraction
// must and must not give.
type htmlCase struct {
	file        string
	first, last string   // the main text's first and last sentences
	forbidden   []string // navigation, footer, comments, scripts, styles
	title       string
	author      string // substring
	source      string
	url         string
	published   string
}

var htmlCases = []htmlCase{
	{
		file:  "plain.html",
		first: "Councillors in Porthwen voted on Tuesday night to rebuild the sea wall that collapsed during the January storms, ending months of argument over who should pay for the work.",
		last:  "Work on the new wall is expected to begin in March and to take about eighteen months, with the harbour road remaining closed to traffic until the first section is finished.",
		forbidden: []string{"Accept all cookies", "We use cookies", "Weather outlook", "Opinion desk",
			"Share on Facebook", "Email this story", "Storm damage bill climbs", "Related articles",
			"About time too", "Nobody asked the residents", "SaltyPete", "All rights reserved", "Contact the newsroom"},
		title:  "Harbour town votes to rebuild flooded sea wall",
		author: "Miriam Okafor",
	},
	{
		file:  "scripts.html",
		first: "The city's trial of all-night bus services will run for another six months after passenger numbers beat every forecast made when the scheme began last autumn.",
		last:  "A final decision on whether the night network becomes permanent is expected when the committee publishes its budget in June.",
		forbidden: []string{"STYLE_LEAK_MARKER", "SCRIPT_LEAK_MARKER_HEAD", "JSON_CONFIG_MARKER", "ADVERT_WRITE_MARKER",
			"INLINE_SCRIPT_MARKER", "INLINE_STYLE_MARKER", "NOSCRIPT_MARKER", "FOOTER_SCRIPT_MARKER",
			"free articles", "dataLayer", "font-family", "function", "{"},
		title: "City trial of night buses extended until summer",
	},
	{
		file:      "metadata.html",
		first:     "A team of plant scientists says it has bred a wheat line that keeps most of its yield in soil that is both dry and salty, two problems that are spreading across farmland in warm regions.",
		last:      "The team plans field trials on two sites next spring and says seed could reach farmers within a decade if those trials go well.",
		forbidden: []string{"Science section", "Climate section", "weekly newsletter", "NewsArticle", "schema.org"},
		title:     "Lab grows drought-tolerant wheat in salty soil",
		author:    "Daniel Ashworth",
		source:    "Fieldnotes Science",
		url:       "https://fieldnotes.example/science/2024/05/salt-wheat",
		published: "2024-05-14T08:30:00+01:00",
	},
	{
		file:      "broken.html",
		first:     "More than a hundred volunteers spent Saturday morning pulling rubbish out of the River Hale, filling a skip and a half before lunchtime.",
		last:      "The council has promised to collect the skips on Monday and to put up new bins along the towpath before the summer.",
		forbidden: []string{"What's on this week", "Advertise with us", "About us"},
		title:     "Volunteers clear two tonnes of litter from river banks",
	},
	{
		file:      "german.html",
		first:     "Eine kleine Bäckerei in Oberzell backt seit dieser Woche wieder mit einem Sauerteig, der nach Angaben der Familie mehr als achtzig Jahre alt ist.",
		last:      "Riedl will künftig auch Kurse anbieten, in denen Interessierte lernen können, wie man einen Sauerteig über viele Jahre hinweg pflegt.",
		forbidden: []string{"Jetzt abonnieren", "Diese Website verwendet Cookies", "Datenschutzerklärung", "Endlich wieder richtiges Brot", "Leserkommentare", "Impressum"},
		title:     "Bäckerei in Oberzell rettet alte Sauerteig-Kultur",
		author:    "Lena Hofbauer",
		source:    "Tagesblatt Süd",
	},
	{
		file:      "french-latin1.html", // ISO-8859-1, declared in <meta http-equiv>
		first:     "Le marché couvert de Saint-Aubin a rouvert ses portes samedi matin, après deux années de travaux qui ont coûté près de trois millions d'euros à la commune.",
		last:      "La mairie espère que le marché attirera aussi les touristes de passage, nombreux en été sur la côte.",
		forbidden: []string{"Accueil", "Abonnez-vous", "Toute la région", "Mentions légales"},
		title:     "Le marché couvert de Saint-Aubin rouvre après deux ans de travaux",
		source:    "L'Écho du Littoral",
	},
	{
		file:  "divsoup.html", // no semantic elements at all
		first: "The only ferry linking the northern isles to the mainland will sail a reduced timetable for the rest of the winter after engineers found a serious fault in one of its two engines.",
		last:  "The repair is expected to take at least six weeks, and the full timetable will return once the vessel has passed its sea trials.",
		// The newsletter box inside the body and the "reactions" (comments
		// not marked as such) are known leaks: no extractor tried drops them.
		forbidden: []string{"Island jobs board", "Sign in to your account", "School roof repairs", "Lighthouse keeper", "Advertising enquiries"},
		title:     "Ferry operator cancels winter timetable after engine fault",
	},
	{
		file:  "tiny.html",
		first: "The coast road is closed until further notice.",
		last:  "The coast road is closed until further notice.",
		title: "Road closed",
	},
}

func readHTMLPage(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "html", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestHTMLPages(t *testing.T) {
	for _, c := range htmlCases {
		t.Run(c.file, func(t *testing.T) {
			page := readHTMLPage(t, c.file)
			a, err := Options{}.html(c.file, page, Article{})
			if err != nil {
				t.Fatal(err)
			}
			checkHTMLText(t, c, a.Text)
			if a.Raw != string(page) {
				t.Error("Raw is not the page as given")
			}
			if a.Ref != c.file {
				t.Errorf("Ref = %q, want %q", a.Ref, c.file)
			}
			if a.Title != c.title {
				t.Errorf("Title = %q, want %q", a.Title, c.title)
			}
			if !strings.Contains(a.Author, c.author) || (c.author == "" && a.Author != "") {
				t.Errorf("Author = %q, want %q", a.Author, c.author)
			}
			if a.Source != c.source {
				t.Errorf("Source = %q, want %q", a.Source, c.source)
			}
			if a.URL != c.url {
				t.Errorf("URL = %q, want %q", a.URL, c.url)
			}
			if a.Published != c.published {
				t.Errorf("Published = %q, want %q", a.Published, c.published)
			}
		})
	}
}

func checkHTMLText(t *testing.T, c htmlCase, text string) {
	t.Helper()
	if !utf8.ValidString(text) {
		t.Errorf("text is not valid UTF-8")
	}
	if !strings.HasPrefix(text, c.first) && !strings.Contains(text, "\n\n"+c.first) {
		t.Errorf("text does not have the first sentence as a paragraph start %q:\n%s", c.first, text)
	}
	if !strings.Contains(text, c.last) {
		t.Errorf("text does not have the last sentence %q:\n%s", c.last, text)
	}
	for _, s := range c.forbidden {
		if strings.Contains(text, s) {
			t.Errorf("text contains %q:\n%s", s, text)
		}
	}
	if strings.Contains(text, "\n\n\n") || strings.TrimSpace(text) != text {
		t.Errorf("paragraphs not separated by single blank lines: %q", text)
	}
	if strings.ContainsAny(text, "<>") {
		t.Errorf("markup in text:\n%s", text)
	}
}

func TestHTMLParagraphs(t *testing.T) {
	a, err := Options{}.html("plain.html", readHTMLPage(t, "plain.html"), Article{})
	if err != nil {
		t.Fatal(err)
	}
	paras := strings.Split(a.Text, "\n\n")
	// The headline and the seven paragraphs of the story body.
	if len(paras) != 8 {
		t.Fatalf("%d paragraphs, want 8:\n%s", len(paras), a.Text)
	}
	if !strings.HasPrefix(paras[4], `"We cannot keep patching`) {
		t.Errorf("paragraph 5 = %q", paras[4])
	}
}

func TestHTMLMetaWins(t *testing.T) {
	page := readHTMLPage(t, "metadata.html")
	meta := Article{
		URL:       "https://mirror.example/wheat",
		Published: "Tue, 14 May 2024 09:00:00 GMT",
		Title:     "Record title",
		Source:    "Wire feed",
		Author:    "Desk",
	}
	a, err := Options{}.html("r1", page, meta)
	if err != nil {
		t.Fatal(err)
	}
	if a.URL != meta.URL || a.Published != meta.Published || a.Title != meta.Title || a.Source != meta.Source || a.Author != meta.Author {
		t.Errorf("meta did not win: %+v", a)
	}
	// With only a URL from the container, the page fills in the rest.
	a, err = Options{}.html("r2", page, Article{URL: "https://mirror.example/wheat"})
	if err != nil {
		t.Fatal(err)
	}
	if a.URL != "https://mirror.example/wheat" || a.Title != "Lab grows drought-tolerant wheat in salty soil" ||
		a.Source != "Fieldnotes Science" || a.Published != "2024-05-14T08:30:00+01:00" || a.Author != "Daniel Ashworth" {
		t.Errorf("page metadata not used: %+v", a)
	}
	// A page URL that does not parse is not passed to the extractor, and
	// is still what the container said.
	a, err = Options{}.html("r3", readHTMLPage(t, "plain.html"), Article{URL: "http://[::1"})
	if err != nil {
		t.Fatal(err)
	}
	if a.URL != "http://[::1" || a.Source != "" {
		t.Errorf("URL = %q, Source = %q", a.URL, a.Source)
	}
}

func TestHTMLHostIsNoSiteName(t *testing.T) {
	a, err := Options{}.html("r", readHTMLPage(t, "plain.html"), Article{URL: "https://www.coastal-ledger.example/news/1"})
	if err != nil {
		t.Fatal(err)
	}
	if a.Source != "" {
		t.Errorf("Source = %q, want none: the page names no site", a.Source)
	}
}

func TestHTMLEmpty(t *testing.T) {
	for _, page := range []string{
		"",
		"   \n",
		"<html><head><title>Nothing</title></head><body></body></html>",
		"<html><body><script>var x = 'only a script';</script><style>p{}</style></body></html>",
	} {
		_, err := Options{}.html("empty.html", []byte(page), Article{})
		if err == nil || !strings.Contains(err.Error(), "no article text found in HTML") {
			t.Errorf("%q: err = %v, want no article text", page, err)
		}
	}
}

func TestHTMLCharsets(t *testing.T) {
	// Declared latin-1 but stored as UTF-8 (as scrapers keep decoded
	// pages): the UTF-8 wins.
	page := `<html><head><meta charset="iso-8859-1"><title>Été</title></head><body><article><p>Le café de la gare ouvre à nouveau cet été, après des travaux.</p></article></body></html>`
	a, err := Options{}.html("u.html", []byte(page), Article{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(a.Text, "Le café de la gare ouvre à nouveau cet été") {
		t.Errorf("text = %q", a.Text)
	}
	// Undeclared and not UTF-8: windows-1252.
	page = "<html><body><p>Caf\xe9 cr\xe8me \x80 5, na\xefve fa\xe7ade.</p></body></html>"
	a, err = Options{}.html("w.html", []byte(page), Article{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Text != "Café crème € 5, naïve façade." {
		t.Errorf("text = %q", a.Text)
	}
	// Declared UTF-8 but broken: replacement characters, valid UTF-8.
	page = "<html><head><meta charset=utf-8></head><body><p>Broken \xff\xfe bytes in an otherwise plain sentence.</p></body></html>"
	a, err = Options{}.html("b.html", []byte(page), Article{})
	if err != nil {
		t.Fatal(err)
	}
	if !utf8.ValidString(a.Text) || !strings.Contains(a.Text, "otherwise plain sentence") {
		t.Errorf("text = %q", a.Text)
	}
	// A UTF-8 byte order mark.
	a, err = Options{}.html("bom.html", append([]byte("\xef\xbb\xbf"), readHTMLPage(t, "tiny.html")...), Article{})
	if err != nil || a.Text != "The coast road is closed until further notice." {
		t.Errorf("text = %q, err = %v", a.Text, err)
	}
}

func TestHTMLHostile(t *testing.T) {
	deep := strings.Repeat("<div>", 100000) + "<p>Deep text.</p>" + strings.Repeat("</div>", 100000)
	if _, err := (Options{}).html("deep.html", []byte(deep), Article{}); err == nil {
		t.Error("a page nested 100000 deep was taken")
	}
	// Nesting the parser takes is fine.
	ok := strings.Repeat("<div>", 400) + "<p>" + strings.Repeat("A sentence at the bottom of a deep page. ", 10) + "</p>" + strings.Repeat("</div>", 400)
	if a, err := (Options{}).html("deep400.html", []byte(ok), Article{}); err != nil || !strings.Contains(a.Text, "A sentence at the bottom") {
		t.Errorf("400 deep: %q, %v", a.Text, err)
	}
	for _, page := range []string{
		strings.Repeat("<b><i><a>", 5000) + "text",
		strings.Repeat("<table><tr><td>", 3000),
		"<p>" + strings.Repeat("&amp;&#0;&#xD800;", 2000),
		"\x00\x01\x02<html>\x00</html>",
		strings.Repeat("<svg><math><template>", 500),
	} {
		a, err := Options{}.html("x.html", []byte(page), Article{})
		if err == nil && !utf8.ValidString(a.Text) {
			t.Errorf("invalid UTF-8 from %.40q", page)
		}
	}
}

func TestHTMLPanic(t *testing.T) {
	old := htmlExtract
	defer func() { htmlExtract = old }()
	htmlExtract = func(*html.Node, trafilatura.Options) (*trafilatura.ExtractResult, error) {
		panic("boom")
	}
	_, err := Options{}.html("pages/x.html", readHTMLPage(t, "tiny.html"), Article{})
	if err == nil || !strings.Contains(err.Error(), "pages/x.html") || !strings.Contains(err.Error(), "boom") {
		t.Errorf("err = %v", err)
	}
	htmlExtract = func(*html.Node, trafilatura.Options) (*trafilatura.ExtractResult, error) {
		return nil, errors.New("refused")
	}
	if _, err := (Options{}).html("x", readHTMLPage(t, "tiny.html"), Article{}); err == nil {
		t.Error("an extractor error was dropped")
	}
}

func TestParseHTMLItem(t *testing.T) {
	page := readHTMLPage(t, "metadata.html")
	a, err := Options{Source: "fallback"}.Parse(Item{Ref: "in/wheat.html", Format: FormatHTML, Data: page})
	if err != nil {
		t.Fatal(err)
	}
	if a.Ref != "in/wheat.html" || a.Source != "Fieldnotes Science" || a.Raw != string(page) {
		t.Errorf("got Ref %q Source %q", a.Ref, a.Source)
	}
	checkHTMLText(t, htmlCases[2], a.Text)

	// A page that names no site gets Options.Source.
	a, err = Options{Source: "fallback"}.Parse(Item{Ref: "in/tiny.html", Format: FormatHTML, Data: readHTMLPage(t, "tiny.html")})
	if err != nil || a.Source != "fallback" {
		t.Errorf("Source = %q, err = %v", a.Source, err)
	}

	// The container's metadata wins.
	a, err = Options{}.Parse(Item{Ref: "x.warc#3", Format: FormatHTML, Data: page,
		Meta: Article{URL: "https://warc.example/w", Published: "2024-05-15T00:00:00Z"}})
	if err != nil || a.URL != "https://warc.example/w" || a.Published != "2024-05-15T00:00:00Z" {
		t.Errorf("URL %q Published %q err %v", a.URL, a.Published, err)
	}

	// An empty page is a rejection that names the ref.
	_, err = Options{}.Parse(Item{Ref: "in/empty.html", Format: FormatHTML, Data: []byte("<html><body></body></html>")})
	var rej Rejection
	if !errors.As(err, &rej) || rej.Ref != "in/empty.html" || !strings.Contains(rej.Reason, "no article text") {
		t.Errorf("err = %v", err)
	}
}

func TestParseJSONLHTML(t *testing.T) {
	page := readHTMLPage(t, "german.html")
	rec := fmt.Sprintf(`{"id":"de-1","url":"https://tagesblatt.example/baeckerei","meta":{"site":"Feed Süd"},"html":%q}`, page)
	o := Options{Fields: Fields{HTML: "html", Source: "meta.site"}}
	a, err := o.Parse(Item{Ref: "in.jsonl:1", Format: FormatJSONL, Data: []byte(rec)})
	if err != nil {
		t.Fatal(err)
	}
	if a.Ref != "de-1" || a.URL != "https://tagesblatt.example/baeckerei" || a.Source != "Feed Süd" ||
		a.Title != "Bäckerei in Oberzell rettet alte Sauerteig-Kultur" || a.Raw != string(page) {
		t.Errorf("got %+v", Article{Ref: a.Ref, URL: a.URL, Source: a.Source, Title: a.Title})
	}
	checkHTMLText(t, htmlCases[4], a.Text)

	// A record with no html field falls back to its text.
	a, err = o.Parse(Item{Ref: "in.jsonl:2", Format: FormatJSONL, Data: []byte(`{"id":"t","text":"plain words"}`)})
	if err != nil || a.Raw != "plain words" || a.Text != "" {
		t.Errorf("got %+v, %v", a, err)
	}
}

func TestHTMLConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := htmlCases[i%len(htmlCases)]
			a, err := Options{}.html(c.file, readHTMLPage(t, c.file), Article{})
			if err != nil {
				t.Error(err)
				return
			}
			if !strings.Contains(a.Text, c.first) {
				t.Errorf("%s: first sentence missing", c.file)
			}
		}()
	}
	wg.Wait()
}

func FuzzHTML(f *testing.F) {
	for _, c := range htmlCases {
		f.Add(readHTMLPage(f, c.file), "")
	}
	f.Add([]byte("<p>short</p>"), "https://example.com/a")
	f.Add([]byte("<html><head><meta charset=shift_jis></head><body><p>\x82\xa0\x82\xa2</p></body></html>"), "::")
	f.Fuzz(func(t *testing.T, page []byte, u string) {
		a, err := Options{}.html("fuzz", page, Article{URL: u})
		if err != nil {
			if strings.Contains(err.Error(), "extractor failed") {
				t.Fatalf("extractor panicked: %v", err)
			}
			return
		}
		if a.Text == "" || !utf8.ValidString(a.Text) {
			t.Fatalf("Text %q", a.Text)
		}
		if a.Raw != string(page) {
			t.Fatal("Raw is not the page")
		}
	})
}

// deepPage is a page of units of depth nested <div>s, each around a
// paragraph, of about size bytes.
func deepPage(depth, size int) []byte {
	unit := strings.Repeat("<div>", depth) + "<p>Some words of text here.</p>" + strings.Repeat("</div>", depth)
	return []byte("<html><body>" + strings.Repeat(unit, size/len(unit)+1) + "</body></html>")
}

// TestHTMLBounded gives pages under --max-bytes whose trees would take
// gigabytes and seconds to extract: they are refused, with a reason,
// before the tree is built.
func TestHTMLBounded(t *testing.T) {
	for _, tc := range []struct {
		name   string
		page   []byte
		reason string
	}{
		{"7 MB of 500-deep divs", deepPage(500, 7<<20), "more than 50000 elements"},
		{"7 MB of shallow divs", deepPage(3, 7<<20), "more than 50000 elements"},
		{"deep and wide", deepPage(500, 250<<10), "nested too deeply"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			alloc := allocated(func() { _, err = Options{}.html("x.html", tc.page, Article{}) })
			if err == nil || !strings.Contains(err.Error(), tc.reason) {
				t.Errorf("got %v, want %q", err, tc.reason)
			}
			if alloc > 64<<20 {
				t.Errorf("refusing a %d-byte page allocated %d MiB", len(tc.page), alloc>>20)
			}
		})
	}
	// What all workers hold together is bounded: many pages at once wait
	// for each other.
	page := deepPage(20, 100<<10) // about 10000 elements
	old := htmlSem
	defer func() { htmlSem = old }()
	const limit = 20000
	htmlSem = semaphore.NewWeighted(limit)
	htmlPeak.Store(0)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() { Options{}.html("x.html", page, Article{}) })
	}
	wg.Wait()
	if peak := htmlPeak.Load(); peak > limit || peak == 0 {
		t.Errorf("%d elements in extraction at once, limit %d", peak, limit)
	}
}

// TestHTMLTimeBounded: a page whose extraction takes too long is rejected
// with a reason while the extractor finishes on its own, holding its
// share of htmlSem until then.
func TestHTMLTimeBounded(t *testing.T) {
	release := make(chan struct{})
	oldExtract, oldTime := htmlExtract, htmlMaxTime
	htmlExtract = func(doc *html.Node, opts trafilatura.Options) (*trafilatura.ExtractResult, error) {
		<-release
		return oldExtract(doc, opts)
	}
	htmlMaxTime = 50 * time.Millisecond
	defer func() { htmlExtract, htmlMaxTime = oldExtract, oldTime }()
	page := []byte("<html><body><article><p>" + strings.Repeat("The harbour wall is older than any of us, the master said. ", 20) + "</p></article></body></html>")
	_, err := Options{}.html("slow.html", page, Article{})
	if err == nil || !strings.Contains(err.Error(), "took longer than") {
		t.Fatalf("err = %v, want a time-out", err)
	}
	if htmlHeld.Load() == 0 {
		t.Error("the abandoned extraction gave back its room before it finished")
	}
	close(release)
	for i := 0; htmlHeld.Load() != 0; i++ {
		if i > 1000 {
			t.Fatal("the extraction never gave back its room")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
