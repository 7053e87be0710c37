package ingest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/tidwall/gjson"
)

// Article is one raw article as read.
type Article struct {
	Ref       string // where it came from: a path, FILE:LINE, or a record's id or url
	Source    string
	Title     string
	URL       string
	Published string // the article's own date, as written
	// Crawled is when a crawler fetched the page (a WARC record's
	// WARC-Date), as written; it is not the article's date.
	Crawled string
	Author  string
	Raw     string // the verbatim original: text, or the HTML page
	// Text, when set, is the article text extracted from Raw (HTML); the
	// cleaner starts from it instead of Raw.
	Text string
}

// Rejection is an input that could not become an article.
type Rejection struct {
	Ref    string // FILE or FILE:LINE
	Reason string
}

func (r Rejection) Error() string { return r.Ref + ": " + r.Reason }

// Fields name where JSONL and CSV records keep each article field. A
// JSONL name may be a dotted path into nested objects, such as "meta.url".
type Fields struct {
	Text, HTML, ID, URL, Title, Source, Published string
}

func (f *Fields) defaults() {
	set := func(p *string, v string) {
		if *p == "" {
			*p = v
		}
	}
	set(&f.Text, "text")
	set(&f.ID, "id")
	set(&f.URL, "url")
	set(&f.Title, "title")
	set(&f.Source, "source")
	set(&f.Published, "published")
}

// Parse turns an item into an article, or returns a Rejection saying why
// it cannot. It is safe for concurrent use.
func (o Options) Parse(it Item) (Article, error) {
	o.defaults()
	var a Article
	var err error
	switch it.Format {
	case FormatText:
		a = Article{Ref: it.Ref, Raw: string(it.Data)}
	case FormatHTML:
		a, err = o.htmlPage(it.Ref, it.Data, it.Meta, it.Charset)
	case FormatJSONL:
		a, err = o.jsonRecord(it)
	case FormatCSV, FormatTSV, FormatParquet:
		a, err = o.csvRecord(it)
	default:
		err = fmt.Errorf("unknown format %q", it.Format)
	}
	if err != nil {
		return a, Rejection{Ref: it.Ref, Reason: err.Error()}
	}
	body := a.Raw
	if a.Text != "" {
		body = a.Text
	}
	if reason := checkText(body); reason != "" {
		return a, Rejection{Ref: it.Ref, Reason: reason}
	}
	if a.Source == "" {
		a.Source = o.Source
	}
	return a, nil
}

// checkText returns why s cannot be an article, or "".
func checkText(s string) string {
	if strings.IndexByte(s[:min(len(s), 8<<10)], 0) >= 0 {
		return "binary data (NUL byte), not text"
	}
	if len(strings.TrimSpace(s)) == 0 {
		return "empty"
	}
	return ""
}

// jsonRecord decodes a JSONL line with the field mapping. gjson validates
// it and reads dotted paths; plain field names are read in one pass over
// the record (eachTopField), without decoding the rest of it.
func (o Options) jsonRecord(it Item) (Article, error) {
	return o.jsonFields(it, o.Fields.plain())
}

// jsonFields maps a JSON record's fields, in one pass over it when
// onePass is set (the field names must be plain keys).
func (o Options) jsonFields(it Item, onePass bool) (Article, error) {
	if !validJSON(it.Data) {
		// Rare: let encoding/json say what is wrong, and where.
		var v any
		return Article{}, fmt.Errorf("invalid JSON: %v", json.Unmarshal(it.Data, &v))
	}
	if !onePass {
		if !gjson.ParseBytes(it.Data).IsObject() {
			return Article{}, fmt.Errorf("invalid JSON: not an object")
		}
		return o.record(it, func(path string) (string, bool, error) { return jsonField(it.Data, path) })
	}
	// One pass over the record instead of one a field: each pass scanned
	// the whole text on the way to the fields after it.
	want := []string{o.Fields.Text, o.Fields.HTML, o.Fields.ID, o.Fields.URL, o.Fields.Title, o.Fields.Source, o.Fields.Published}
	var got [7][]byte
	var seen [7]bool
	isObject := eachTopField(it.Data, func(k, v []byte) {
		for i, w := range want {
			// The first of repeated keys counts, as with gjson.Get.
			if w != "" && !seen[i] && keyIs(k, w) {
				got[i], seen[i] = v, true
			}
		}
	})
	if !isObject {
		return Article{}, fmt.Errorf("invalid JSON: not an object")
	}
	get := func(path string) (string, bool, error) {
		return jsonValue(got[slices.Index(want, path)])
	}
	return o.record(it, get)
}

// plain reports whether every field name is a plain key, with nothing
// that gjson reads as path syntax (nesting, wildcards, queries).
// It runs for every record, so it looks bytes up in a table:
// strings.ContainsAny built its set anew each call.
func (f Fields) plain() bool {
	for _, n := range [...]string{f.Text, f.HTML, f.ID, f.URL, f.Title, f.Source, f.Published} {
		for i := range len(n) {
			if pathSyntax[n[i]] {
				return false
			}
		}
	}
	return true
}

// pathSyntax marks the bytes that gjson reads as path syntax.
var pathSyntax = func() (t [256]bool) {
	for _, c := range []byte(`.*?|#@\!%=<>[]{}()"'` + "`") {
		t[c] = true
	}
	return t
}()

// csvRecord maps a CSV row, or a Parquet row's mapped columns, by its
// header.
func (o Options) csvRecord(it Item) (Article, error) {
	get := func(name string) (string, bool, error) {
		for i, h := range it.Header {
			if h == name && i < len(it.Row) {
				return it.Row[i], true, nil
			}
		}
		return "", false, nil
	}
	return o.record(it, get)
}

// record builds an article from a record's fields. The ref is the
// record's id, else its url, else FILE:LINE.
func (o Options) record(it Item, get func(string) (string, bool, error)) (Article, error) {
	a := Article{Ref: it.Ref}
	var err error
	field := func(name string) string {
		v, _, ferr := get(name)
		if ferr != nil && err == nil {
			err = fmt.Errorf("field %q: %w", name, ferr)
		}
		return v
	}
	text, hasText, terr := get(o.Fields.Text)
	if terr != nil {
		return a, fmt.Errorf("field %q: %w", o.Fields.Text, terr)
	}
	a.URL = field(o.Fields.URL)
	a.Title = field(o.Fields.Title)
	a.Source = field(o.Fields.Source)
	a.Published = field(o.Fields.Published)
	id := field(o.Fields.ID)
	if err != nil {
		return a, err
	}
	switch {
	case id != "":
		a.Ref = id
	case a.URL != "":
		a.Ref = a.URL
	}
	if o.Fields.HTML != "" {
		page, ok, herr := get(o.Fields.HTML)
		if herr != nil {
			return a, fmt.Errorf("field %q: %w", o.Fields.HTML, herr)
		}
		if ok && page != "" {
			x, err := o.html(it.Ref, []byte(page), a)
			if err != nil {
				return a, err
			}
			x.Ref, x.Source = a.Ref, a.Source
			return x, nil
		}
	}
	if !hasText {
		return a, fmt.Errorf("no %q field", o.Fields.Text)
	}
	a.Raw = text
	return a, nil
}

// jsonField returns the string at a dotted path. Numbers and booleans are
// given as written; null and missing are ("", false).
func jsonField(data []byte, path string) (string, bool, error) {
	return fieldValue(gjson.GetBytes(data, path))
}

// fieldValue is a JSON value as a field: a string's text, a number or
// literal as written; null or absent is no value.
func fieldValue(r gjson.Result) (string, bool, error) {
	switch r.Type {
	case gjson.Null:
		return "", false, nil
	case gjson.String:
		return r.String(), true, nil
	case gjson.JSON:
		return "", false, fmt.Errorf("is an object or array, not a string")
	}
	return r.Raw, true, nil
}
