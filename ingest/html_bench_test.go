package ingest

import (
	"fmt"
	"strings"
	"testing"
)

// htmlLongPage is plain.html grown to about 50 KB by adding paragraphs to
// the story body.
func htmlLongPage(tb testing.TB) []byte {
	s := string(readHTMLPage(tb, "plain.html"))
	i := strings.Index(s, "    <p>Work on the new wall")
	if i < 0 {
		tb.Fatal("plain.html changed")
	}
	paras := []string{
		"Residents of the upper town, who live well above the reach of the tides, questioned whether they should share the cost equally with the seafront streets that stand to gain the most.",
		"The council's finance officer told the meeting that borrowing for the project would add a modest sum to the annual charge for a typical household for about twenty years.",
		"Several speakers asked whether natural defences, such as restored salt marsh or shingle banks, could protect the harbour for less money than concrete and steel.",
		"A representative of the fishing co-operative said boats had been forced to land their catch at a neighbouring port since the storms, adding hours to every trip.",
	}
	var b strings.Builder
	b.WriteString(s[:i])
	for n := 0; b.Len() < 50<<10; n++ {
		fmt.Fprintf(&b, "    <p>Update %d. %s</p>\n", n, paras[n%len(paras)])
	}
	b.WriteString(s[i:])
	return []byte(b.String())
}

// BenchmarkHTML measures extraction of a 50 KB page; run it with -cpu 1
// for pages per second on one core.
func BenchmarkHTML(b *testing.B) {
	page := htmlLongPage(b)
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		a, err := Options{}.html("long.html", page, Article{URL: "https://news.example/a"})
		if err != nil || !strings.Contains(a.Text, "Update 100.") {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}

// BenchmarkHTMLSmall measures extraction of the small test pages.
func BenchmarkHTMLSmall(b *testing.B) {
	var pages [][]byte
	n := 0
	for _, c := range htmlCases {
		p := readHTMLPage(b, c.file)
		pages = append(pages, p)
		n += len(p)
	}
	b.SetBytes(int64(n / len(pages)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := (Options{}).html("p", pages[i%len(pages)], Article{}); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}
