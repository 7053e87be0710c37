package ingest

import (
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A page dated in its HTML keeps its date; the WARC-Date is the crawl
// time, kept beside it.
func TestWARCDateIsCrawlTime(t *testing.T) {
	page := []byte(`<html><head><title>Ferry timetable</title>
<meta property="article:published_time" content="2020-04-10T09:00:00+01:00"></head>
<body><article><p>The harbour ferry runs every hour from Monday, the operator said, after a winter of reduced sailings.</p></article></body></html>`)
	name := writeTemp(t, "d.warc", warcOf(wrec{typ: "response", uri: "https://news.example/ferry", date: "2024-05-01T10:00:00Z",
		id: "<urn:uuid:1>", ctype: httpResponseType, block: httpMsg("200 OK", []string{"Content-Type: text/html"}, page)}))
	items, rejs, err := readItems(t, Options{}, name)
	if err != nil || len(rejs) > 0 || len(items) != 1 {
		t.Fatalf("Read: %v, rejections %v, %d items", err, rejs, len(items))
	}
	a, err := Options{}.Parse(items[0])
	if err != nil {
		t.Fatal(err)
	}
	if a.Published != "2020-04-10T09:00:00+01:00" || a.Crawled != "2024-05-01T10:00:00Z" {
		t.Errorf("Published %q, Crawled %q; want the page's date and the WARC-Date", a.Published, a.Crawled)
	}
}

// Records that hold no page are told to Options.Skipped by kind.
func TestWARCSkippedByType(t *testing.T) {
	name := writeTemp(t, "x.warc", warcOf(sampleRecords()...))
	got := map[string]int{}
	items, rejs, err := readItems(t, Options{Skipped: func(kind string) { got[kind]++ }}, name)
	if err != nil || len(rejs) > 0 {
		t.Fatalf("Read: %v, rejections %v", err, rejs)
	}
	want := map[string]int{
		"warcinfo": 1, "request": 1, "metadata": 1, "revisit": 1,
		SkipNot200: 1, SkipNotHTML: 1, SkipResourceNotHTML: 1,
	}
	if !maps.Equal(got, want) {
		t.Errorf("skipped %v, want %v", got, want)
	}
	total := len(items)
	for _, n := range got {
		total += n
	}
	if total != len(sampleRecords()) {
		t.Errorf("%d items and %d skipped of %d records", len(items), total-len(items), len(sampleRecords()))
	}

	// A WARC of nothing but requests and metadata: all counted.
	got = map[string]int{}
	only := writeTemp(t, "only.warc", warcOf(
		wrec{typ: "request", uri: "https://news.example/1", id: "<urn:uuid:1>", ctype: "application/http; msgtype=request", block: []byte("GET / HTTP/1.1\r\n\r\n")},
		wrec{typ: "metadata", uri: "https://news.example/1", id: "<urn:uuid:2>", ctype: "application/warc-fields", block: []byte("via: x\r\n")},
		wrec{typ: "odd-type", uri: "https://news.example/1", id: "<urn:uuid:3>", block: []byte("?")},
		wrec{typ: "response", uri: "dns:news.example", id: "<urn:uuid:4>", ctype: "text/dns", block: []byte("news.example. 60 IN A 192.0.2.1")},
	))
	items, _, _ = readItems(t, Options{Skipped: func(kind string) { got[kind]++ }}, only)
	want = map[string]int{"request": 1, "metadata": 1, SkipOther: 1, SkipNotHTTP: 1}
	if len(items) != 0 || !maps.Equal(got, want) {
		t.Errorf("%d items, skipped %v; want none and %v", len(items), got, want)
	}
}

func TestReadARC(t *testing.T) {
	arc := []byte("filedesc://crawl.arc 0.0.0.0 20200410090000 text/plain 76\n1 0 Invented Crawler\nURL IP-address Archive-date Content-type Archive-length\n\n")
	dir := t.TempDir()
	named := filepath.Join(dir, "crawl.arc")
	asWARC := filepath.Join(dir, "sub", "mislabelled.warc")
	inFolder := filepath.Join(dir, "sub", "other.arc.gz")
	if err := os.MkdirAll(filepath.Dir(asWARC), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{named, asWARC} {
		if err := os.WriteFile(p, arc, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(inFolder, gzipped(arc), 0o644); err != nil {
		t.Fatal(err)
	}
	_, rejs, err := readItems(t, Options{}, named, filepath.Join(dir, "sub"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rejs) != 3 {
		t.Fatalf("rejections %v, want one for each ARC file", rejs)
	}
	for _, r := range rejs {
		if !strings.Contains(r.Reason, "ARC file") || !strings.Contains(r.Reason, "not supported") || strings.Contains(r.Reason, "#") {
			t.Errorf("%s: %s", r.Ref, r.Reason)
		}
	}
}
