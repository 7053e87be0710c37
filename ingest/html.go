package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/gogs/chardet"
	trafilatura "github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
	"golang.org/x/sync/semaphore"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// errNoHTMLText is returned when a page holds no article text.
var errNoHTMLText = errors.New("no article text found in HTML")

// htmlExtract is the extractor; a variable so that tests can make it fail.
var htmlExtract = trafilatura.ExtractDocument

// Bounds on extraction. go-trafilatura allocates some kilobytes per
// element and takes time in proportion to elements times depth, and
// cannot be stopped once started; so pages are measured first.
const (
	// htmlMaxElements is the most start tags a page may have: real
	// article pages have a few thousand, rarely 20000.
	htmlMaxElements = 50000
	// htmlMaxDepthSum bounds the sum of every element's depth, the work
	// of walks that look at ancestors: 10000 elements 400 deep exceed it.
	htmlMaxDepthSum = 4 << 20
	// htmlMaxInFlight is the most elements in extraction at once over
	// all goroutines (about a gigabyte).
	htmlMaxInFlight = 4 * htmlMaxElements
)

// htmlMaxTime is how long extracting one page may take before it is
// rejected; a variable for tests. The extractor cannot be stopped: it
// finishes on its own goroutine, still holding its elements of htmlSem,
// so memory stays bounded while the import goes on.
var htmlMaxTime = 20 * time.Second

var (
	// htmlSem holds the elements of the pages in extraction; a variable
	// so that tests can make it small.
	htmlSem = semaphore.NewWeighted(htmlMaxInFlight)
	// htmlHeld and htmlPeak count what htmlSem holds now, and the most
	// seen, for tests.
	htmlHeld, htmlPeak atomic.Int64
)

// htmlStartTags counts a page's start tags with the tokenizer, which
// builds no tree.
func htmlStartTags(page string) int {
	z := html.NewTokenizer(strings.NewReader(page))
	n := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return n
		case html.StartTagToken, html.SelfClosingTagToken:
			if n++; n > htmlMaxElements {
				return n
			}
		}
	}
}

// htmlDepthSum returns the sum of the depths of the elements of a tree.
func htmlDepthSum(doc *html.Node) int {
	type frame struct {
		n     *html.Node
		depth int
	}
	sum := 0
	stack := []frame{{doc, 0}}
	for len(stack) > 0 {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		sum += f.depth
		for c := f.n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode {
				stack = append(stack, frame{c, f.depth + 1})
			}
		}
	}
	return sum
}

// html extracts an article from a page with go-trafilatura (with its
// readability and DOM-distiller fallbacks): the main text, with paragraphs
// separated by blank lines, and the page's title, author, date, site name
// and canonical URL. Fields already set in meta (from a JSONL record)
// win over what the page says; meta.Crawled (a WARC record's date) is
// kept as the crawl time, never taken for the page's date. Raw is the
// page as given.
//
// The page is decoded to UTF-8 first (htmlDecode). Pages nested deeper
// than 512 elements are refused by the HTML parser, and pages with too many elements or too deep
// nesting overall are refused before extraction (htmlMaxElements,
// htmlMaxDepthSum). A panic in the extractor becomes an error.
func (o Options) html(ref string, page []byte, meta Article) (Article, error) {
	return o.htmlPage(ref, page, meta, "")
}

// htmlPage is html for a page whose container names its charset.
func (o Options) htmlPage(ref string, page []byte, meta Article, pageCharset string) (a Article, err error) {
	defer func() {
		if r := recover(); r != nil {
			a, err = Article{}, fmt.Errorf("%s: HTML extractor failed: %v", ref, r)
		}
	}()
	decoded := htmlDecode(page, pageCharset)
	// Extraction takes memory and time in proportion to the elements
	// (some kilobytes each), and to their depth: a page is counted
	// before its tree is built, and waits until the pages in extraction
	// on other goroutines leave room for it.
	elements := htmlStartTags(decoded)
	if elements > htmlMaxElements {
		return Article{}, fmt.Errorf("HTML page with more than %d elements; not extracted", htmlMaxElements)
	}
	weight := int64(max(elements, 1))
	if err := htmlSem.Acquire(context.Background(), weight); err != nil {
		return Article{}, err
	}
	if n := htmlHeld.Add(weight); n > htmlPeak.Load() {
		htmlPeak.Store(n) // racy max, for tests; never above the true peak
	}
	type result struct {
		a   Article
		err error
	}
	done := make(chan result, 1)
	go func() {
		defer htmlSem.Release(weight)
		defer htmlHeld.Add(-weight)
		defer func() {
			if r := recover(); r != nil {
				done <- result{err: fmt.Errorf("%s: HTML extractor failed: %v", ref, r)}
			}
		}()
		a, err := o.extractPage(ref, page, decoded, meta)
		done <- result{a, err}
	}()
	timer := time.NewTimer(htmlMaxTime)
	defer timer.Stop()
	select {
	case r := <-done:
		return r.a, r.err
	case <-timer.C:
		return Article{}, fmt.Errorf("HTML extraction took longer than %s; not extracted", htmlMaxTime)
	}
}

// extractPage parses and extracts a decoded page that htmlSem holds room
// for.
func (o Options) extractPage(ref string, page []byte, decoded string, meta Article) (a Article, err error) {

	doc, err := html.Parse(strings.NewReader(decoded))
	if err != nil {
		return Article{}, fmt.Errorf("invalid HTML: %v", err)
	}
	if d := htmlDepthSum(doc); d > htmlMaxDepthSum {
		return Article{}, fmt.Errorf("HTML nested too deeply (%d ancestors over all elements, limit %d); not extracted", d, htmlMaxDepthSum)
	}
	opts := trafilatura.Options{
		OriginalURL:     htmlPageURL(meta.URL),
		EnableFallback:  true,
		ExcludeComments: true,
		// The publication date is taken from the page's metadata below,
		// as written; htmldate's guesses from the body text (a copyright
		// year, say) would be worse than nothing.
		HtmlDateMode: trafilatura.Disabled,
	}
	// ExtractDocument works on copies, so doc can be read afterwards.
	res, err := htmlExtract(doc, opts)
	if err != nil {
		// Trafilatura's errors all say that it found too little text.
		return Article{}, fmt.Errorf("%w: %v", errNoHTMLText, err)
	}
	if res == nil {
		return Article{}, errNoHTMLText
	}
	md := res.Metadata
	text := htmlNodeText(res.ContentNode, htmlOneLine(md.Title))
	if text == "" {
		return Article{}, errNoHTMLText
	}
	a = Article{
		Ref:       ref,
		Raw:       string(page),
		Text:      text,
		Title:     htmlOneLine(md.Title),
		Author:    htmlOneLine(md.Author),
		Published: htmlPublished(doc),
		Source:    htmlSiteName(md),
		URL:       md.URL,
		Crawled:   meta.Crawled,
	}
	for _, f := range []struct {
		dst *string
		v   string
	}{
		{&a.URL, meta.URL},
		{&a.Published, meta.Published},
		{&a.Title, meta.Title},
		{&a.Source, meta.Source},
		{&a.Author, meta.Author},
	} {
		if f.v != "" {
			*f.dst = f.v
		}
	}
	return a, nil
}

// pageURL parses an absolute http(s) URL, or returns nil.
func htmlPageURL(s string) *url.URL {
	if s == "" {
		return nil
	}
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil
	}
	return u
}

// htmlDecode returns the page as UTF-8 text. A page that is valid UTF-8
// (after a BOM) is taken as such: scrapers often store decoded pages with
// their original <meta charset>. Otherwise the encoding is the first
// known of: a BOM, the charset the container gives (a WARC response's HTTP
// Content-Type), the page's own <meta charset> or http-equiv
// Content-Type (anywhere in its head, not only in its first kilobyte),
// and the one github.com/gogs/chardet detects with some confidence;
// windows-1252 when none is.
func htmlDecode(page []byte, containerCharset string) string {
	if rest, ok := bytes.CutPrefix(page, []byte("\xef\xbb\xbf")); ok {
		page = rest
	}
	if utf8.Valid(page) {
		return string(page)
	}
	enc := htmlBOMEncoding(page)
	if enc == nil {
		enc = htmlEncoding(containerCharset)
	}
	if enc == nil {
		enc = htmlEncoding(htmlMetaCharset(page))
	}
	if enc == nil {
		enc = htmlDetect(page)
	}
	if enc == nil {
		enc = charmap.Windows1252
	}
	if enc == encoding.Nop {
		return strings.ToValidUTF8(string(page), "\uFFFD")
	}
	out, err := enc.NewDecoder().Bytes(page)
	if err != nil {
		return strings.ToValidUTF8(string(page), "\uFFFD")
	}
	return strings.ToValidUTF8(string(out), "\uFFFD")
}

// htmlBOMEncoding returns the encoding a UTF-16 byte order mark names, or
// nil.
func htmlBOMEncoding(page []byte) encoding.Encoding {
	if bytes.HasPrefix(page, []byte("\xfe\xff")) || bytes.HasPrefix(page, []byte("\xff\xfe")) {
		enc, _, _ := charset.DetermineEncoding(page[:2], "")
		return enc
	}
	return nil
}

// htmlEncoding returns the encoding a charset label names, or nil when
// it names none. UTF-8 (or UTF-16, which a page that declares it in
// ASCII cannot be) is encoding.Nop: the page is not valid UTF-8, so its
// bad bytes become U+FFFD.
func htmlEncoding(label string) encoding.Encoding {
	label = strings.Trim(strings.TrimSpace(label), `"'`)
	if label == "" {
		return nil
	}
	enc, name := charset.Lookup(label)
	if enc == nil {
		return nil
	}
	if name == "utf-8" || strings.HasPrefix(name, "utf-16") {
		return encoding.Nop
	}
	return enc
}

// htmlCharsetParam returns the charset parameter of a Content-Type value.
func htmlCharsetParam(contentType string) string {
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		// Loose values like "text/html; charset=gb2312;" still say it.
		for _, p := range strings.Split(contentType, ";") {
			if k, v, ok := strings.Cut(p, "="); ok && strings.EqualFold(strings.TrimSpace(k), "charset") {
				return strings.Trim(strings.TrimSpace(v), `"'`)
			}
		}
		return ""
	}
	return params["charset"]
}

// htmlMetaScan is how much of a page htmlMetaCharset reads: pages put
// scripts, styles and comments before their <meta charset>, past the
// first kilobyte that browsers prescan.
const htmlMetaScan = 64 << 10

// htmlMetaCharset returns the charset a page's head declares in a <meta
// charset> or <meta http-equiv="Content-Type">, or "". It stops at the
// body.
func htmlMetaCharset(page []byte) string {
	z := html.NewTokenizer(bytes.NewReader(page[:min(len(page), htmlMetaScan)]))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch atom.Lookup(name) {
			case atom.Body:
				return ""
			case atom.Meta:
				var cs, equiv, content string
				for hasAttr {
					var k, v []byte
					k, v, hasAttr = z.TagAttr()
					switch string(k) {
					case "charset":
						cs = string(v)
					case "http-equiv":
						equiv = string(v)
					case "content":
						content = string(v)
					}
				}
				if cs != "" {
					return cs
				}
				if strings.EqualFold(strings.TrimSpace(equiv), "content-type") {
					if cs := htmlCharsetParam(content); cs != "" {
						return cs
					}
				}
			}
		}
	}
}

// htmlDetectMin is the confidence (1 to 100) below which chardet's guess
// is not taken.
const htmlDetectMin = 30

// htmlDetect returns the encoding chardet finds in the page's text, or
// nil. It is given the text alone: the markup, scripts and styles are
// ASCII, mostly English, and would outweigh the text.
func htmlDetect(page []byte) encoding.Encoding {
	r, err := chardet.NewTextDetector().DetectBest(htmlRawText(page, htmlMetaScan))
	if err != nil || r.Confidence < htmlDetectMin {
		return nil
	}
	enc := htmlEncoding(r.Charset)
	if enc == encoding.Nop {
		return nil // not UTF-8: it was checked first
	}
	return enc
}

// htmlRawText returns about the first limit bytes of the page's text
// outside scripts and styles, undecoded, runs separated by a space.
func htmlRawText(page []byte, limit int) []byte {
	var text []byte
	z := html.NewTokenizer(bytes.NewReader(page))
	skip := false
	for len(text) < limit {
		switch z.Next() {
		case html.ErrorToken:
			return text
		case html.StartTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			skip = a == atom.Script || a == atom.Style
		case html.EndTagToken:
			skip = false
		case html.TextToken:
			if !skip {
				text = append(append(text, z.Raw()...), ' ')
			}
		}
	}
	return text
}

// blocks are the elements that end a paragraph of the extracted text.
var htmlBlocks = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.H1: true, atom.H2: true, atom.H3: true,
	atom.H4: true, atom.H5: true, atom.H6: true, atom.Li: true, atom.Ul: true,
	atom.Ol: true, atom.Dl: true, atom.Dt: true, atom.Dd: true,
	atom.Blockquote: true, atom.Pre: true, atom.Table: true, atom.Tr: true,
	atom.Section: true, atom.Article: true, atom.Figure: true,
	atom.Figcaption: true, atom.Hr: true, atom.Body: true, atom.Main: true,
	atom.Header: true, atom.Footer: true, atom.Aside: true, atom.Details: true,
	atom.Summary: true, atom.Caption: true,
}

// htmlNodeText renders an extracted content tree as plain text: one
// paragraph per block element, separated by blank lines, with runs of white
// space inside a paragraph collapsed to one space (a <br> gives a line
// break). A paragraph that repeats an earlier one, possibly after the
// title (as trafilatura's whole-body fallback gives for short pages), is
// dropped, and so is a text that is nothing but the title.
func htmlNodeText(n *html.Node, title string) string {
	if n == nil {
		return ""
	}
	var paras []string
	seen := map[string]bool{}
	flush := func(p string) {
		p = htmlCleanText(p)
		if p == "" || seen[p] {
			return
		}
		if rest, ok := strings.CutPrefix(p, title+" "); ok && title != "" && seen[rest] {
			return
		}
		seen[p] = true
		paras = append(paras, p)
	}
	var cur strings.Builder
	flushCur := func() {
		flush(cur.String())
		cur.Reset()
	}
	// Iterative walk: no recursion on the tree.
	type frame struct {
		n     *html.Node
		leave bool
	}
	stack := []frame{{n: n}}
	for len(stack) > 0 {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		c := f.n
		if f.leave {
			flushCur()
			continue
		}
		switch c.Type {
		case html.TextNode:
			cur.WriteString(c.Data)
			continue
		case html.ElementNode:
			tag := c.DataAtom
			if tag == 0 {
				// Trafilatura makes its elements without atoms.
				tag = atom.Lookup([]byte(strings.ToLower(c.Data)))
			}
			switch tag {
			case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Iframe, atom.Svg, atom.Head:
				continue
			case atom.Br:
				cur.WriteString("\n")
				continue
			case atom.Td, atom.Th:
				cur.WriteString(" ")
			}
			if htmlBlocks[tag] {
				flushCur()
				stack = append(stack, frame{n: c, leave: true})
			}
		case html.DocumentNode:
		default:
			continue
		}
		for k := c.LastChild; k != nil; k = k.PrevSibling {
			stack = append(stack, frame{n: k})
		}
	}
	flushCur()
	if len(paras) == 1 && paras[0] == title {
		return ""
	}
	return strings.Join(paras, "\n\n")
}

// cleanText collapses white space (keeping single line breaks), removes
// soft hyphens and NULs, and puts the text in Unicode NFC form.
func htmlCleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.NewReplacer("\u00ad", "", "\x00", "", "\u00a0", " ").Replace(s)
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			out = append(out, l)
		}
	}
	return norm.NFC.String(strings.Join(out, "\n"))
}

func htmlOneLine(s string) string {
	return norm.NFC.String(strings.Join(strings.Fields(strings.ToValidUTF8(s, "\uFFFD")), " "))
}

// siteName returns the site name the page gives, not the host name that
// trafilatura falls back to when it finds none.
func htmlSiteName(md trafilatura.Metadata) string {
	name := htmlOneLine(md.Sitename)
	if name == "" || md.URL == "" {
		return name
	}
	if u, err := url.Parse(md.URL); err == nil {
		host := strings.ToLower(u.Host)
		for _, p := range []string{"www.", "www1.", "www2.", "www3."} {
			host = strings.TrimPrefix(host, p)
		}
		if strings.EqualFold(name, host) || strings.EqualFold(name, u.Host) {
			return ""
		}
	}
	return name
}

// publishedDate returns the publication date as the page writes it: from
// the first of the usual <meta> tags, JSON-LD datePublished, or a <time>
// element marked as the publication date. "" when the page gives none.
func htmlPublished(doc *html.Node) string {
	metaKeys := []string{
		"article:published_time", "og:published_time", "datepublished",
		"publishdate", "publish-date", "pubdate", "parsely-pub-date",
		"sailthru.date", "dc.date.issued", "dcterms.issued", "dc.date",
		"dcterms.date", "date", "article.published", "published_time",
	}
	found := map[string]string{}
	var ld []string
	var timeEl string
	htmlWalk(doc, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		switch n.DataAtom {
		case atom.Meta:
			content := htmlAttr(n, "content")
			if content == "" {
				return false
			}
			for _, k := range []string{"property", "name", "itemprop"} {
				if v := strings.ToLower(strings.TrimSpace(htmlAttr(n, k))); v != "" {
					if _, ok := found[v]; !ok {
						found[v] = strings.TrimSpace(content)
					}
				}
			}
			return false
		case atom.Script:
			if strings.EqualFold(strings.TrimSpace(htmlAttr(n, "type")), "application/ld+json") && n.FirstChild != nil {
				ld = append(ld, n.FirstChild.Data)
			}
			return false
		case atom.Time:
			if timeEl == "" {
				_, pub := htmlAttrOK(n, "pubdate")
				if pub || strings.EqualFold(htmlAttr(n, "itemprop"), "datePublished") {
					timeEl = strings.TrimSpace(htmlAttr(n, "datetime"))
				}
			}
		}
		return true
	})
	for _, k := range metaKeys {
		if v := found[k]; v != "" {
			return htmlOneLine(v)
		}
	}
	for _, s := range ld {
		var v any
		if json.Unmarshal([]byte(s), &v) == nil {
			if d := htmlJSONLDDate(v, 0); d != "" {
				return htmlOneLine(d)
			}
		}
	}
	return htmlOneLine(timeEl)
}

// jsonLDDate finds the first datePublished in a JSON-LD value.
func htmlJSONLDDate(v any, depth int) string {
	if depth > 32 {
		return ""
	}
	switch v := v.(type) {
	case map[string]any:
		if d, ok := v["datePublished"].(string); ok && strings.TrimSpace(d) != "" {
			return d
		}
		for _, k := range []string{"@graph", "mainEntity", "mainEntityOfPage"} {
			if d := htmlJSONLDDate(v[k], depth+1); d != "" {
				return d
			}
		}
	case []any:
		for _, e := range v {
			if d := htmlJSONLDDate(e, depth+1); d != "" {
				return d
			}
		}
	}
	return ""
}

// walk visits the tree in document order without recursion; fn returns
// whether to visit a node's children.
func htmlWalk(root *html.Node, fn func(*html.Node) bool) {
	stack := []*html.Node{root}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if !fn(n) {
			continue
		}
		for c := n.LastChild; c != nil; c = c.PrevSibling {
			stack = append(stack, c)
		}
	}
}

func htmlAttr(n *html.Node, key string) string {
	v, _ := htmlAttrOK(n, key)
	return v
}

func htmlAttrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return a.Val, true
		}
	}
	return "", false
}
