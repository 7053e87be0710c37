package ingest

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// charsetCases are invented articles in legacy encodings, each a few
// sentences long, as pages that detection has to go on.
var charsetCases = []struct {
	label string
	enc   encoding.Encoding
	text  []string // paragraphs
}{
	// GB2312 pages are EUC-CN, which GBK (and GB18030) extend.
	{"gb2312", simplifiedchinese.GBK, []string{
		"本市今天宣布，新的公共图书馆将于明年春天开放。图书馆位于河边，设有儿童阅览室和社区活动中心。",
		"市长表示，这个项目得到了许多居民的支持。工程将在秋天开始，旁边还会建设停车场和自行车停放处。",
	}},
	{"shift_jis", japanese.ShiftJIS, []string{
		"市は今日、新しい図書館が来年の春に開館すると発表しました。図書館は川沿いにあり、子ども向けの読書室と地域の集会所があります。",
		"市長は多くの住民がこの計画を支持していると述べました。工事は秋に始まり、駐車場と自転車置き場も整備される予定です。",
	}},
	{"windows-1251", charmap.Windows1251, []string{
		"Сегодня городской совет объявил, что новая библиотека откроется следующей весной. Библиотека находится у реки, в ней будет детский читальный зал и общественный центр.",
		"Мэр сказал, что проект поддержали многие жители. Строительство начнётся осенью, рядом появятся парковка и стоянка для велосипедов.",
	}},
	{"iso-8859-1", charmap.ISO8859_1, []string{
		"Le conseil municipal a annoncé aujourd'hui que la nouvelle bibliothèque ouvrira au printemps prochain. Elle se trouve près de la rivière, avec une salle de lecture pour les enfants.",
		"Le maire a déclaré que de nombreux habitants soutiennent le projet. Les travaux commenceront à l'automne, et un parking à vélos sera aménagé à côté.",
	}},
}

// legacyPage builds a page in enc whose head holds, after more than a
// kilobyte of script, the given declaration (none if "").
func legacyPage(t *testing.T, enc encoding.Encoding, decl string, paras []string) []byte {
	t.Helper()
	var b strings.Builder
	b.WriteString("<!DOCTYPE html><html><head><title>Library</title>\n<script>\n")
	for range 40 {
		b.WriteString("// analytics and consent settings, set before anything else\n")
	}
	b.WriteString("</script>\n")
	if decl != "" {
		b.WriteString(decl + "\n")
	}
	b.WriteString("</head><body><article>")
	for _, p := range paras {
		b.WriteString("<p>" + p + "</p>")
	}
	b.WriteString("</article></body></html>")
	if strings.Index(b.String(), "<meta") >= 0 && strings.Index(b.String(), "<meta") < 1024 {
		t.Fatal("the declaration must sit past the first kilobyte")
	}
	page, err := enc.NewEncoder().Bytes([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	return page
}

func checkCharsetText(t *testing.T, what string, got string, paras []string) {
	t.Helper()
	for _, p := range paras {
		if !strings.Contains(got, p) {
			t.Errorf("%s: text %q lacks %q", what, clip([]byte(got), 120), clip([]byte(p), 40))
		}
	}
}

func TestHTMLCharsetLegacy(t *testing.T) {
	for _, c := range charsetCases {
		decls := map[string]string{
			"meta charset past 1 KiB": `<meta charset="` + c.label + `">`,
			"http-equiv past 1 KiB":   `<meta http-equiv="Content-Type" content="text/html; charset=` + c.label + `">`,
			"undeclared (detected)":   "",
		}
		for what, decl := range decls {
			page := legacyPage(t, c.enc, decl, c.text)
			a, err := Options{}.Parse(Item{Ref: c.label + ".html", Format: FormatHTML, Data: page})
			if err != nil {
				t.Errorf("%s, %s: %v", c.label, what, err)
				continue
			}
			checkCharsetText(t, c.label+", "+what, a.Text, c.text)
		}
	}
}

// In a WARC the HTTP header's charset is used, and wins over a wrong
// declaration in the page.
func TestWARCHTTPCharset(t *testing.T) {
	for _, c := range charsetCases {
		for what, decl := range map[string]string{
			"no declaration":    "",
			"wrong declaration": `<meta charset="windows-1252">`,
		} {
			page := legacyPage(t, c.enc, decl, c.text)
			ctype := "Content-Type: text/html; charset=" + strings.ToUpper(c.label)
			name := writeTemp(t, "c.warc", warcOf(wrec{typ: "response", uri: "https://news.example/lib", date: "2024-05-01T10:00:00Z",
				id: "<urn:uuid:1>", ctype: httpResponseType, block: httpMsg("200 OK", []string{ctype}, page)}))
			items, rejs, err := readItems(t, Options{}, name)
			if err != nil || len(rejs) > 0 || len(items) != 1 {
				t.Fatalf("Read: %v, rejections %v, %d items", err, rejs, len(items))
			}
			if items[0].Charset != strings.ToUpper(c.label) {
				t.Errorf("%s: Charset %q", c.label, items[0].Charset)
			}
			a, err := Options{}.Parse(items[0])
			if err != nil {
				t.Fatalf("%s, %s: %v", c.label, what, err)
			}
			checkCharsetText(t, c.label+", "+what, a.Text, c.text)
		}
	}
}

func TestHTMLCharsetParam(t *testing.T) {
	for in, want := range map[string]string{
		"text/html; charset=gb2312":      "gb2312",
		`text/html; Charset="Shift_JIS"`: "Shift_JIS",
		"text/html;charset=utf-8;":       "utf-8",
		"text/html":                      "",
		"":                               "",
	} {
		if got := htmlCharsetParam(in); got != want {
			t.Errorf("htmlCharsetParam(%q) = %q, want %q", in, got, want)
		}
	}
}
