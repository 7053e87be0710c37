package ingest

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/zstd"
)

var updateWARC = flag.Bool("update-warc", false, "rewrite ingest/testdata/warc from the test's records")

// wrec is a WARC record to write in a test.
type wrec struct {
	version                   string // "1.0" or "1.1" (the default)
	typ, uri, date, id, ctype string
	fields                    []string // raw header lines, written before Content-Length
	length                    string   // Content-Length: "" computes it, "none" leaves it out
	block                     []byte
	lf                        bool // LF line endings instead of CRLF
	lower                     bool // lower-case field names
}

func (r wrec) bytes() []byte {
	eol := "\r\n"
	if r.lf {
		eol = "\n"
	}
	version := r.version
	if version == "" {
		version = "1.1"
	}
	var b bytes.Buffer
	b.WriteString("WARC/" + version + eol)
	field := func(k, v string) {
		if r.lower {
			k = strings.ToLower(k)
		}
		if v != "" {
			b.WriteString(k + ": " + v + eol)
		}
	}
	field("WARC-Type", r.typ)
	field("WARC-Target-URI", r.uri)
	field("WARC-Date", r.date)
	field("WARC-Record-ID", r.id)
	field("Content-Type", r.ctype)
	for _, f := range r.fields {
		b.WriteString(f + eol)
	}
	switch r.length {
	case "":
		field("Content-Length", strconv.Itoa(len(r.block)))
	case "none":
	default:
		field("Content-Length", r.length)
	}
	b.WriteString(eol)
	b.Write(r.block)
	b.WriteString(eol + eol)
	return b.Bytes()
}

func warcOf(recs ...wrec) []byte {
	var b []byte
	for _, r := range recs {
		b = append(b, r.bytes()...)
	}
	return b
}

// gzipMembers compresses each record as its own gzip member, as .warc.gz
// files are written.
func gzipMembers(t testing.TB, recs ...wrec) []byte {
	var b bytes.Buffer
	for _, r := range recs {
		zw := gzip.NewWriter(&b)
		if _, err := zw.Write(r.bytes()); err != nil {
			t.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return b.Bytes()
}

// httpMsg is an HTTP response: status line, header lines, body.
func httpMsg(status string, header []string, body []byte) []byte {
	s := "HTTP/1.1 " + status + "\r\n"
	for _, h := range header {
		s += h + "\r\n"
	}
	return append([]byte(s+"\r\n"), body...)
}

func chunked(b []byte, size int) []byte {
	var out []byte
	for len(b) > 0 {
		n := min(size, len(b))
		out = fmt.Appendf(out, "%x;ext=1\r\n", n)
		out = append(out, b[:n]...)
		out = append(out, "\r\n"...)
		b = b[n:]
	}
	return append(out, "0\r\nX-Trailer: 1\r\n\r\n"...)
}

func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func zlibbed(b []byte) []byte {
	var buf bytes.Buffer
	zw := zlib.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func rawDeflated(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := flate.NewWriter(&buf, flate.BestSpeed)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func page(title string) []byte {
	return []byte("<!doctype html><html><head><title>" + title + "</title></head><body><article><h1>" + title +
		"</h1><p>Officials said on Tuesday that the bridge would reopen next week.</p></article></body></html>")
}

const (
	httpResponseType = "application/http; msgtype=response"
	date             = "2024-03-01T12:00:00Z"
)

func response(n int, block []byte) wrec {
	return wrec{typ: "response", uri: "https://news.example/" + strconv.Itoa(n), date: date,
		id: "<urn:uuid:" + strconv.Itoa(n) + ">", ctype: httpResponseType, block: block}
}

// sampleRecords is a WARC with one of each kind of record; samplePages
// are the items Read makes of it, by record number.
func sampleRecords() []wrec {
	html := []string{"Content-Type: text/html; charset=utf-8"}
	continued := response(8, httpMsg("200 OK", []string{"Content-Type: text/html;", "\tcharset=utf-8", "X-Long: a", " b"}, page("Continued")))
	continued.ctype = ""
	continued.fields = []string{"Content-Type: application/http;", "  msgtype=response", "X-Note: one", "\ttwo"}
	lf := response(9, []byte("HTTP/1.0 200 OK\nContent-Type: text/html\n\n"+string(page("LF only"))))
	lf.version, lf.lf, lf.lower = "1.0", true, true
	return []wrec{
		{version: "1.0", typ: "warcinfo", date: date, id: "<urn:uuid:1>", ctype: "application/warc-fields",
			block: []byte("software: newsdedup-test\r\nformat: WARC File Format 1.0\r\n")},
		{typ: "request", uri: "https://news.example/3", date: date, id: "<urn:uuid:2>", ctype: "application/http; msgtype=request",
			block: []byte("GET /3 HTTP/1.1\r\nHost: news.example\r\n\r\n")},
		response(3, httpMsg("200 OK", html, page("Bridge"))),
		response(4, httpMsg("404 Not Found", html, page("Not found"))),
		response(5, httpMsg("200 OK", []string{"Content-Type: image/png"}, []byte("\x89PNG\r\n\x1a\n..."))),
		response(6, httpMsg("200 OK", []string{"Content-Type: TEXT/HTML", "Transfer-Encoding: chunked"}, chunked(page("Chunked"), 17))),
		response(7, httpMsg("200 OK", []string{"Content-Type: application/xhtml+xml", "Content-Encoding: gzip"}, gzipped(page("Gzip")))),
		continued,
		lf,
		{typ: "resource", uri: "file:///saved/10.html", date: date, id: "<urn:uuid:10>", ctype: "text/html", block: page("Resource")},
		{typ: "metadata", uri: "https://news.example/3", date: date, id: "<urn:uuid:11>", ctype: "application/warc-fields",
			block: []byte("outlink: https://news.example/4\r\n")},
		{typ: "revisit", uri: "https://news.example/3", date: date, id: "<urn:uuid:12>", ctype: httpResponseType,
			block: httpMsg("200 OK", html, nil)},
		response(13, httpMsg("200 OK", []string{"Content-Type: text/html", "Content-Encoding: deflate"}, zlibbed(page("Deflate")))),
		{version: "1.0", typ: "resource", uri: "<file:///saved/14.png>", date: date, id: "<urn:uuid:14>", ctype: "image/png", block: []byte("\x89PNG")},
	}
}

var samplePages = map[int]string{
	3: "Bridge", 6: "Chunked", 7: "Gzip", 8: "Continued", 9: "LF only", 10: "Resource", 13: "Deflate",
}

// readItems reads paths with Read, collecting items and rejections.
func readItems(t testing.TB, opts Options, paths ...string) ([]Item, []Rejection, error) {
	t.Helper()
	var items []Item
	var rejs []Rejection
	err := Read(context.Background(), paths, opts, func(it Item) error {
		items = append(items, it)
		return nil
	}, func(r Rejection) { rejs = append(rejs, r) })
	return items, rejs, err
}

func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// checkSampleItems checks the items Read makes of sampleRecords.
func checkSampleItems(t *testing.T, name string, items []Item, upTo int) {
	t.Helper()
	var want []int
	for n := 1; n <= upTo; n++ {
		if _, ok := samplePages[n]; ok {
			want = append(want, n)
		}
	}
	if len(items) != len(want) {
		refs := []string{}
		for _, it := range items {
			refs = append(refs, it.Ref)
		}
		t.Fatalf("got %d items %v, want records %v", len(items), refs, want)
	}
	for i, it := range items {
		n := want[i]
		if wantRef := name + "#" + strconv.Itoa(n); it.Ref != wantRef {
			t.Errorf("item %d: Ref %q, want %q", i, it.Ref, wantRef)
		}
		if it.Format != FormatHTML {
			t.Errorf("%s: Format %q", it.Ref, it.Format)
		}
		if want := page(samplePages[n]); !bytes.Equal(it.Data, want) {
			t.Errorf("%s: Data %q, want %q", it.Ref, it.Data, want)
		}
		wantURL := "https://news.example/" + strconv.Itoa(n)
		if n == 10 {
			wantURL = "file:///saved/10.html"
		}
		// WARC-Date is the crawl time, not the article's date.
		if it.Meta.URL != wantURL || it.Meta.Crawled != date || it.Meta.Published != "" {
			t.Errorf("%s: Meta %+v, want URL %q, Crawled %q and no Published", it.Ref, it.Meta, wantURL, date)
		}
	}
}

func TestWARCReaderRecords(t *testing.T) {
	recs := sampleRecords()
	wr := NewWARCReader(bytes.NewReader(warcOf(recs...)), 1<<20)
	for i, want := range recs {
		got, err := wr.Next()
		if err != nil {
			t.Fatalf("record %d: %v", i+1, err)
		}
		wantCT, wantURI := want.ctype, strings.Trim(want.uri, "<>")
		if i == 7 {
			wantCT = httpResponseType
		}
		if got.Type != want.typ || got.TargetURI != wantURI || got.Date != want.date || got.ID != want.id || got.ContentType != wantCT {
			t.Errorf("record %d: got %+v, want %s %s %s %s %q", i+1, got, want.typ, wantURI, want.date, want.id, wantCT)
		}
		if !bytes.Equal(got.Block, want.block) {
			t.Errorf("record %d: block %q, want %q", i+1, got.Block, want.block)
		}
	}
	for range 2 {
		if _, err := wr.Next(); err != io.EOF {
			t.Fatalf("after the last record: %v, want io.EOF", err)
		}
	}
}

func TestReadWARC(t *testing.T) {
	name := writeTemp(t, "x.warc", warcOf(sampleRecords()...))
	items, rejs, err := readItems(t, Options{}, name)
	if err != nil || len(rejs) > 0 {
		t.Fatalf("Read: %v, rejections %v", err, rejs)
	}
	checkSampleItems(t, name, items, 99)
}

func TestReadWARCGzipMembers(t *testing.T) {
	recs := sampleRecords()
	data := gzipMembers(t, recs...)

	// Go's gzip reader reads the members as one stream.
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(plain, warcOf(recs...)) {
		t.Fatalf("multistream gzip: %v, %d bytes, want %d", err, len(plain), len(warcOf(recs...)))
	}

	name := writeTemp(t, "x.warc.gz", data)
	items, rejs, err := readItems(t, Options{}, name)
	if err != nil || len(rejs) > 0 {
		t.Fatalf("Read: %v, rejections %v", err, rejs)
	}
	checkSampleItems(t, name, items, 99)

	// Cut in the middle of a member: the records before are kept.
	name = writeTemp(t, "cut.warc.gz", data[:len(gzipMembers(t, recs[:7]...))+20])
	items, rejs, err = readItems(t, Options{}, name)
	if err != nil || len(rejs) != 1 || rejs[0].Ref != name+"#8" || !strings.Contains(rejs[0].Reason, "truncated") {
		t.Fatalf("Read: %v, rejections %v, want one for %s#8", err, rejs, name)
	}
	checkSampleItems(t, name, items, 7)

	// Garbage after the last member: the records are kept.
	name = writeTemp(t, "junk.warc.gz", append(data[:len(data):len(data)], "not gzip"...))
	items, rejs, err = readItems(t, Options{}, name)
	if err != nil || len(rejs) != 1 || rejs[0].Ref != name+"#15" {
		t.Fatalf("Read: %v, rejections %v, want one for %s#15", err, rejs, name)
	}
	checkSampleItems(t, name, items, 99)
}

func TestWARCTestdata(t *testing.T) {
	recs := sampleRecords()
	dir := filepath.Join("testdata", "warc")
	plain := filepath.Join(dir, "sample.warc")
	gz := filepath.Join(dir, "sample.warc.gz")
	if *updateWARC {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(plain, warcOf(recs...), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(gz, gzipMembers(t, recs...), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(plain)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, warcOf(recs...)) {
		t.Errorf("%s differs from sampleRecords; run go test -run TestWARCTestdata -update-warc", plain)
	}
	for _, name := range []string{plain, gz} {
		items, rejs, err := readItems(t, Options{}, name)
		if err != nil || len(rejs) > 0 {
			t.Fatalf("Read %s: %v, rejections %v", name, err, rejs)
		}
		checkSampleItems(t, name, items, 99)
	}
	// A folder walk takes .warc and .warc.gz files.
	items, rejs, err := readItems(t, Options{}, dir)
	if err != nil || len(rejs) > 0 || len(items) != 2*len(samplePages) {
		t.Fatalf("Read %s: %v, %d items, rejections %v", dir, err, len(items), rejs)
	}
}

// offsets returns where each record starts.
func offsets(recs ...wrec) []int64 {
	var out []int64
	var off int64
	for _, r := range recs {
		out = append(out, off)
		off += int64(len(r.bytes()))
	}
	return out
}

// expectWARCError reads n good records, then wants a WARCError for record
// n+1 at offset off wrapping target (if not nil), then the same again if
// it is a truncation, else the end of the stream.
func expectWARCError(t *testing.T, data []byte, n int, off int64, target error) *WARCError {
	t.Helper()
	wr := NewWARCReader(bytes.NewReader(data), 1<<20)
	for i := range n {
		if _, err := wr.Next(); err != nil {
			t.Fatalf("record %d: %v", i+1, err)
		}
	}
	_, err := wr.Next()
	var werr *WARCError
	if !errors.As(err, &werr) {
		t.Fatalf("record %d: got %v, want a *WARCError", n+1, err)
	}
	if werr.Record != n+1 || werr.Offset != off {
		t.Errorf("got %v, want record %d at offset %d", err, n+1, off)
	}
	if target != nil && !errors.Is(err, target) {
		t.Errorf("got %v, want it to wrap %v", err, target)
	}
	if errors.Is(err, ErrWARCRecordTooLarge) {
		t.Errorf("got %v, a fatal error wrapping ErrWARCRecordTooLarge", err)
	}
	// A truncated record ends the stream; after a malformed one, the
	// reader looks for the next record, and these streams hold none.
	want := io.EOF
	if errors.Is(err, io.ErrUnexpectedEOF) {
		want = err
	}
	if _, again := wr.Next(); again != want {
		t.Errorf("Next after %v: %v, want %v", err, again, want)
	}
	return werr
}

func TestWARCTruncated(t *testing.T) {
	recs := sampleRecords()
	data := warcOf(recs...)
	off := offsets(recs...)
	headerLen := int64(bytes.Index(recs[5].bytes(), []byte("\r\n\r\n")) + 4)
	for _, tc := range []struct {
		name string
		cut  int64
	}{
		{"in the block", off[5] + headerLen + 30},
		{"in the header", off[5] + 40},
		{"after the version line", off[5] + 10},
		{"in the version line", off[5] + 4},
		{"before the block", off[5] + headerLen},
	} {
		t.Run(tc.name, func(t *testing.T) {
			expectWARCError(t, data[:tc.cut], 5, off[5], io.ErrUnexpectedEOF)
			name := writeTemp(t, "x.warc", data[:tc.cut])
			items, rejs, err := readItems(t, Options{}, name)
			if err != nil || len(rejs) != 1 || rejs[0].Ref != name+"#6" ||
				!strings.Contains(rejs[0].Reason, "truncated") || !strings.Contains(rejs[0].Reason, "offset "+strconv.FormatInt(off[5], 10)) {
				t.Fatalf("Read: %v, rejections %v", err, rejs)
			}
			checkSampleItems(t, name, items, 5)
		})
	}
	// The last record without its trailer, or with LF LF, is whole.
	for _, end := range []string{"", "\n", "\n\n", "\r\n", "\r\n\r\n\r\n\n"} {
		b := append(bytes.TrimSuffix(data, []byte("\r\n\r\n")), end...)
		wr := NewWARCReader(bytes.NewReader(b), 1<<20)
		n := 0
		for {
			_, err := wr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("trailer %q: %v", end, err)
			}
			n++
		}
		if n != len(recs) {
			t.Errorf("trailer %q: %d records, want %d", end, n, len(recs))
		}
	}
}

func TestWARCMalformed(t *testing.T) {
	good := sampleRecords()[2]
	goodLen := int64(len(good.bytes()))
	withLength := func(l string) []byte { r := good; r.length = l; return r.bytes() }
	with := func(fields ...string) []byte { r := good; r.fields = fields; return r.bytes() }
	for _, tc := range []struct {
		name   string
		data   []byte
		reason string
	}{
		{"version 2.0", []byte("WARC/2.0\r\nContent-Length: 0\r\n\r\n\r\n\r\n"), "bad version line"},
		{"version 0.17", []byte("WARC/0.17\r\nContent-Length: 0\r\n\r\n\r\n\r\n"), "bad version line"},
		{"HTTP", httpMsg("200 OK", nil, []byte("hi")), "bad version line"},
		{"lower case", []byte("warc/1.0\r\nContent-Length: 0\r\n\r\n"), "bad version line"},
		{"HTML", []byte("<html><body>not a warc</body></html>"), "bad version line"},
		{"long line", bytes.Repeat([]byte("x"), 100<<10), "bad version line"},
		{"missing Content-Length", withLength("none"), "missing Content-Length"},
		{"negative Content-Length", withLength("-5"), "negative Content-Length"},
		{"non-numeric Content-Length", withLength("12a"), "invalid Content-Length"},
		{"empty Content-Length", withLength(" "), "invalid Content-Length"},
		{"plus Content-Length", withLength("+5"), "invalid Content-Length"},
		{"hex Content-Length", withLength("0x10"), "invalid Content-Length"},
		{"huge Content-Length", withLength("99999999999999999999"), "invalid Content-Length"},
		{"conflicting Content-Length", with("Content-Length: 1"), "conflicting Content-Length"},
		{"no colon", with("WARC-Type response"), "malformed header line"},
		{"empty name", with(": value"), "malformed header line"},
		{"space in name", with("WARC Type: response"), "malformed header line"},
		{"continuation first", []byte("WARC/1.0\r\n continued\r\nContent-Length: 0\r\n\r\n"), "continuation line before any field"},
		{"header too large", with(strings.Repeat("X-Big: "+strings.Repeat("x", 1000), 70)), "header larger than"},
		{"line too long", with("X-Big: " + strings.Repeat("x", 70<<10)), "header larger than"},
		{"too many fields", with(strings.Split(strings.Repeat("X: 1\n", 2000), "\n")[:2000]...), "more than 1024 header fields"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// As the first record, and after a good one.
			for i, data := range [][]byte{tc.data, append(good.bytes(), tc.data...)} {
				werr := expectWARCError(t, data, i, int64(i)*goodLen, nil)
				if !strings.Contains(werr.Err.Error(), tc.reason) {
					t.Errorf("got %v, want %q", werr, tc.reason)
				}
			}
			name := writeTemp(t, "x.warc", append(good.bytes(), tc.data...))
			items, rejs, err := readItems(t, Options{}, name)
			if err != nil || len(items) != 1 || len(rejs) != 1 || rejs[0].Ref != name+"#2" || !strings.Contains(rejs[0].Reason, tc.reason) {
				t.Fatalf("Read: %v, %d items, rejections %v", err, len(items), rejs)
			}
			_, _, err = readItems(t, Options{Strict: true}, name)
			if rej, ok := err.(Rejection); !ok || rej.Ref != name+"#2" {
				t.Fatalf("Read with Strict: %v, want the rejection", err)
			}
		})
	}
}

func TestWARCTooLarge(t *testing.T) {
	recs := sampleRecords()
	big := response(20, httpMsg("200 OK", []string{"Content-Type: text/html"}, bytes.Repeat([]byte("<p>big</p>"), 300)))
	recs = append(recs[:4:4], append([]wrec{big}, recs[4:]...)...)
	wr := NewWARCReader(bytes.NewReader(warcOf(recs...)), 1000)
	for i, want := range recs {
		got, err := wr.Next()
		if i == 4 {
			var werr *WARCError
			if !errors.As(err, &werr) || !errors.Is(err, ErrWARCRecordTooLarge) || werr.Record != 5 || werr.Offset != offsets(recs...)[4] {
				t.Fatalf("record 5: %v, want ErrWARCRecordTooLarge", err)
			}
			if got.TargetURI != big.uri || got.Block != nil {
				t.Errorf("record 5: %+v, want its header and no block", got)
			}
			continue
		}
		if err != nil || got.ID != want.id {
			t.Fatalf("record %d: %v, %+v", i+1, err, got)
		}
	}
	if _, err := wr.Next(); err != io.EOF {
		t.Fatalf("at the end: %v", err)
	}

	// Through Read, the block limit is twice --max-bytes, at least 1 MiB,
	// and the body limit --max-bytes.
	huge := response(21, httpMsg("200 OK", []string{"Content-Type: text/html"}, bytes.Repeat([]byte("<p>huge</p>"), 200<<10)))
	name := writeTemp(t, "x.warc", warcOf(recs[0], big, huge, recs[2]))
	items, rejs, err := readItems(t, Options{MaxBytes: 1000}, name)
	if err != nil || len(items) != 1 || items[0].Ref != name+"#4" || len(rejs) != 2 ||
		rejs[0].Ref != name+"#2" || !strings.Contains(rejs[0].Reason, "page larger than 1000 bytes") ||
		rejs[1].Ref != name+"#3" || !strings.Contains(rejs[1].Reason, "WARC record larger than 1048576 bytes") {
		t.Fatalf("Read: %v, items %v, rejections %v", err, items, rejs)
	}
}

// zeros is an endless reader of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestWARCTooLargeNotBuffered(t *testing.T) {
	const size = 512 << 20
	head := fmt.Sprintf("WARC/1.1\r\nWARC-Type: resource\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n", size)
	next := wrec{typ: "resource", ctype: "text/html", block: page("After")}
	in := io.MultiReader(strings.NewReader(head), io.LimitReader(zeros{}, size), strings.NewReader("\r\n\r\n"), bytes.NewReader(next.bytes()))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	wr := NewWARCReader(in, 1<<20)
	if _, err := wr.Next(); !errors.Is(err, ErrWARCRecordTooLarge) {
		t.Fatalf("got %v, want ErrWARCRecordTooLarge", err)
	}
	runtime.ReadMemStats(&after)
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4<<20 {
		t.Errorf("skipping a %d-byte block allocated %d bytes", size, alloc)
	}
	rec, err := wr.Next()
	if err != nil || !bytes.Equal(rec.Block, page("After")) {
		t.Fatalf("the record after: %v, %q", err, rec.Block)
	}
	// A truncated file with a large Content-Length does not allocate it.
	runtime.ReadMemStats(&before)
	wr = NewWARCReader(strings.NewReader(head+"short"), 1<<40)
	if _, err := wr.Next(); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("got %v, want io.ErrUnexpectedEOF", err)
	}
	runtime.ReadMemStats(&after)
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4<<20 {
		t.Errorf("a truncated %d-byte block allocated %d bytes", size, alloc)
	}
}

func TestWARCLeniency(t *testing.T) {
	a, b := wrec{typ: "resource", ctype: "text/html", block: page("A")}, wrec{typ: "resource", ctype: "text/html", block: page("B")}
	noTrailer := bytes.TrimSuffix(a.bytes(), []byte("\r\n\r\n"))
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"blank lines before and between", append(append([]byte("\r\n\n"), a.bytes()...), append([]byte("\r\n\n\r\n"), b.bytes()...)...)},
		{"no trailer between", append(noTrailer, b.bytes()...)},
		{"LF LF trailer", append(append(noTrailer, "\n\n"...), b.bytes()...)},
		{"blank lines at the end", append(warcOf(a, b), "\n\r\n\r"...)},
		{"spaces after the version", append(bytes.Replace(a.bytes(), []byte("WARC/1.1"), []byte("WARC/1.1 \t"), 1), b.bytes()...)},
		{"spaces around fields", append(bytes.Replace(a.bytes(), []byte("Content-Length: "), []byte("content-length :  "), 1), b.bytes()...)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wr := NewWARCReader(bytes.NewReader(tc.data), 1<<20)
			for _, want := range []wrec{a, b} {
				rec, err := wr.Next()
				if err != nil || !bytes.Equal(rec.Block, want.block) {
					t.Fatalf("got %v, %q, want %q", err, rec.Block, want.block)
				}
			}
			if _, err := wr.Next(); err != io.EOF {
				t.Fatalf("at the end: %v", err)
			}
		})
	}
	// An empty file has no records.
	if _, err := NewWARCReader(strings.NewReader(""), 10).Next(); err != io.EOF {
		t.Fatalf("empty: %v", err)
	}
}

// TestWARCResync damages one record of a file in several ways: it is
// reported, and the records after it are read.
func TestWARCResync(t *testing.T) {
	recs := []wrec{response(1, httpMsg("200 OK", []string{"Content-Type: text/html"}, page("One")))}
	for i := 2; i <= 6; i++ {
		recs = append(recs, response(i, httpMsg("200 OK", []string{"Content-Type: text/html"}, page("Page "+strconv.Itoa(i)))))
	}
	damage := func(length func(n int) string) []wrec {
		out := slices.Clone(recs)
		out[1].length = length(len(out[1].block))
		return out
	}
	all := []int{1, 2, 3, 4, 5, 6}
	for _, tc := range []struct {
		name   string
		data   []byte
		reason string
		pages  []int
	}{
		// The page is cut short, and the rest of it reported.
		{"Content-Length short", warcOf(damage(func(n int) string { return strconv.Itoa(n - 40) })...), "Content-Length of the record before may be too small", all},
		{"Content-Length long", warcOf(damage(func(n int) string { return strconv.Itoa(n + 300) })...), "does not end the record", []int{1, 3, 4, 5, 6}},
		{"Content-Length past two records", warcOf(damage(func(n int) string { return strconv.Itoa(n + 1500) })...), "does not end the record", []int{1, 3, 4, 5, 6}},
		{"Content-Length not a number", warcOf(damage(func(int) string { return "12a" })...), "invalid Content-Length", []int{1, 3, 4, 5, 6}},
		{"junk between records", append(append(warcOf(recs[:2]...), "some junk\nWARC/1.1 bis\n"...), warcOf(recs[2:]...)...), "bad version line", all},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name := writeTemp(t, "x.warc", tc.data)
			items, rejs, err := readItems(t, Options{}, name)
			if err != nil || len(rejs) != 1 || !strings.Contains(rejs[0].Reason, tc.reason) {
				t.Fatalf("Read: %v, rejections %v, want one saying %q", err, rejs, tc.reason)
			}
			var got, want []string
			for _, n := range tc.pages {
				want = append(want, "https://news.example/"+strconv.Itoa(n))
			}
			for _, it := range items {
				got = append(got, it.Meta.URL)
			}
			if !slices.Equal(got, want) {
				t.Errorf("pages %q, want %q", got, want)
			}
			for _, it := range items {
				n := strings.TrimPrefix(it.Meta.URL, "https://news.example/")
				title := "Page " + n
				if n == "1" {
					title = "One"
				}
				if want := page(title); !bytes.Equal(it.Data, want) && !(strings.Contains(tc.name, "short") && n == "2") {
					t.Errorf("%s: %q, want %q", it.Ref, it.Data, want)
				}
			}
		})
	}
}

func TestHTTPResponse(t *testing.T) {
	body := page("Body")
	zst, _ := zstd.NewWriter(nil)
	zstded := zst.EncodeAll(body, nil)
	bomb := gzipped(bytes.Repeat([]byte("a"), 10<<20))
	for _, tc := range []struct {
		name   string
		block  []byte
		status int
		header map[string]string
		body   []byte
		err    string // substring of the error, "" for none
	}{
		{"plain", httpMsg("200 OK", []string{"Content-Type: text/html", "content-LENGTH: 3"}, body), 200,
			map[string]string{"Content-Type": "text/html", "Content-Length": "3"}, body, ""},
		{"no reason", httpMsg("404", nil, nil), 404, nil, []byte{}, ""},
		{"LF", []byte("HTTP/1.0 301 Moved\nLocation: /x\n\nmoved"), 301, map[string]string{"Location": "/x"}, []byte("moved"), ""},
		{"continuation", httpMsg("200 OK", []string{"Content-Type: text/html;", " charset=utf-8"}, body), 200,
			map[string]string{"Content-Type": "text/html; charset=utf-8"}, body, ""},
		{"junk header line", httpMsg("200 OK", []string{"junk", "X: 1"}, body), 200, map[string]string{"X": "1"}, body, ""},
		{"100 Continue", append(httpMsg("100 Continue", nil, nil), httpMsg("200 OK", []string{"X: 2"}, body)...), 200,
			map[string]string{"X": "2"}, body, ""},
		{"chunked", httpMsg("200 OK", []string{"Transfer-Encoding: chunked"}, chunked(body, 7)), 200, nil, body, ""},
		{"chunked LF", httpMsg("200 OK", []string{"Transfer-Encoding: chunked"}, []byte("3\nabc\n0\n")), 200, nil, []byte("abc"), ""},
		{"chunked empty", httpMsg("200 OK", []string{"Transfer-Encoding: chunked"}, []byte("0\r\n\r\n")), 200, nil, []byte{}, ""},
		{"chunked stored unchunked", httpMsg("200 OK", []string{"Transfer-Encoding: chunked"}, body), 200, nil, body, ""},
		{"chunked truncated", httpMsg("200 OK", []string{"Transfer-Encoding: chunked"}, chunked(body, 7)[:30]), 200, nil, nil, "unexpected EOF"},
		{"chunked no last chunk", httpMsg("200 OK", []string{"Transfer-Encoding: chunked"}, []byte("3\r\nabc\r\n")), 200, nil, nil, "no last chunk"},
		{"chunked bad size", httpMsg("200 OK", []string{"Transfer-Encoding: chunked"}, []byte("3\r\nabc\r\nzz\r\n")), 200, nil, nil, "bad chunk size"},
		{"chunked no CRLF", httpMsg("200 OK", []string{"Transfer-Encoding: chunked"}, []byte("3\r\nabcd\r\n0\r\n")), 200, nil, nil, "missing CRLF"},
		{"gzip", httpMsg("200 OK", []string{"Content-Encoding: gzip"}, gzipped(body)), 200, nil, body, ""},
		{"x-gzip chunked", httpMsg("200 OK", []string{"Content-Encoding: X-Gzip", "Transfer-Encoding: chunked"}, chunked(gzipped(body), 10)), 200, nil, body, ""},
		{"gzip stored decoded", httpMsg("200 OK", []string{"Content-Encoding: gzip"}, body), 200, nil, body, ""},
		{"gzip truncated", httpMsg("200 OK", []string{"Content-Encoding: gzip"}, gzipped(body)[:40]), 200, nil, nil, "gzip"},
		{"deflate zlib", httpMsg("200 OK", []string{"Content-Encoding: deflate"}, zlibbed(body)), 200, nil, body, ""},
		{"deflate raw", httpMsg("200 OK", []string{"Content-Encoding: deflate"}, rawDeflated(body)), 200, nil, body, ""},
		{"zstd", httpMsg("200 OK", []string{"Content-Encoding: zstd"}, zstded), 200, nil, body, ""},
		{"gzip then deflate", httpMsg("200 OK", []string{"Content-Encoding: gzip, deflate"}, zlibbed(gzipped(body))), 200, nil, body, ""},
		{"identity", httpMsg("200 OK", []string{"Content-Encoding: identity"}, body), 200, nil, body, ""},
		{"br", httpMsg("200 OK", []string{"Content-Encoding: br"}, brotlied(body)), 200, nil, body, ""},
		{"br chunked", httpMsg("200 OK", []string{"Content-Encoding: br", "Transfer-Encoding: chunked"}, chunked(brotlied(body), 9)), 200, nil, body, ""},
		{"br corrupt", httpMsg("200 OK", []string{"Content-Encoding: br"}, brotlied(body)[:10]), 200, nil, nil, "br:"},
		{"br bomb", httpMsg("200 OK", []string{"Content-Encoding: br"}, brotlied(bytes.Repeat([]byte("a"), 10<<20))), 200, nil, nil, "larger than the limit"},
		{"compress", httpMsg("200 OK", []string{"Content-Encoding: compress"}, body), 200, nil, nil, `unsupported encoding "compress"`},
		{"too many codings", httpMsg("200 OK", []string{"Content-Encoding: " + strings.Repeat("gzip,", 9)}, body), 200, nil, nil, "more than 8"},
		{"too large", httpMsg("200 OK", nil, bytes.Repeat([]byte("a"), 5000)), 200, nil, nil, "larger than the limit"},
		{"gzip bomb", httpMsg("200 OK", []string{"Content-Encoding: gzip"}, bomb), 200, nil, nil, "larger than the limit"},
		{"not HTTP", []byte("GET / HTTP/1.1\r\n\r\n"), 0, nil, nil, "bad HTTP status line"},
		{"bad code", []byte("HTTP/1.1 2x0 OK\r\n\r\n"), 0, nil, nil, "bad HTTP status line"},
		{"long code", []byte("HTTP/1.1 2000 OK\r\n\r\n"), 0, nil, nil, "bad HTTP status line"},
		{"code 099", []byte("HTTP/1.1 099 OK\r\n\r\n"), 0, nil, nil, "bad HTTP status line"},
		{"no status line end", []byte("HTTP/1.1 200 OK"), 0, nil, nil, "truncated HTTP status line"},
		{"truncated header", []byte("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"), 0, nil, nil, "truncated HTTP header"},
		{"empty", nil, 0, nil, nil, "truncated HTTP status line"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, header, got, err := HTTPResponse(tc.block, 4096)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("got %v, want an error with %q", err, tc.err)
				}
				if strings.Contains(tc.err, "larger than the limit") && !errors.Is(err, ErrHTTPBodyTooLarge) {
					t.Errorf("%v does not wrap ErrHTTPBodyTooLarge", err)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if status != tc.status {
				t.Errorf("status %d, want %d", status, tc.status)
			}
			for k, v := range tc.header {
				if header.Get(k) != v {
					t.Errorf("header %s: %q, want %q", k, header.Get(k), v)
				}
			}
			if tc.err == "" && !bytes.Equal(got, tc.body) {
				t.Errorf("body %q, want %q", got, tc.body)
			}
		})
	}
}

func TestReadWARCHTTPErrors(t *testing.T) {
	recs := []wrec{
		response(1, httpMsg("200 OK", []string{"Content-Type: text/html", "Content-Encoding: compress"}, []byte("xx"))),
		response(2, httpMsg("200 OK", []string{"Content-Type: image/png", "Content-Encoding: compress"}, []byte("xx"))),
		response(3, []byte("garbage")),
		{typ: "response", uri: "dns:news.example", ctype: "text/dns", block: []byte("news.example. 300 IN A 192.0.2.1")},
		{typ: "response", uri: "https://news.example/5", block: httpMsg("200 OK", []string{"Content-Type: text/html"}, page("No type"))},
		response(6, httpMsg("200 OK", []string{"Content-Type: text/html"}, nil)),
	}
	name := writeTemp(t, "x.warc", warcOf(recs...))
	items, rejs, err := readItems(t, Options{}, name)
	if err != nil || len(items) != 2 || items[0].Ref != name+"#5" || !bytes.Equal(items[0].Data, page("No type")) ||
		items[1].Ref != name+"#6" || len(items[1].Data) != 0 {
		t.Fatalf("Read: %v, items %v", err, items)
	}
	if len(rejs) != 2 || rejs[0].Ref != name+"#1" || !strings.Contains(rejs[0].Reason, `unsupported encoding "compress"`) ||
		rejs[1].Ref != name+"#3" || !strings.Contains(rejs[1].Reason, "invalid HTTP response") {
		t.Fatalf("rejections %v", rejs)
	}
	// An error from fn stops reading and is returned.
	stop := errors.New("stop")
	n := 0
	err = Read(context.Background(), []string{name}, Options{}, func(Item) error { n++; return stop }, func(Rejection) {})
	if err != stop || n != 1 {
		t.Fatalf("Read with a failing fn: %v after %d items", err, n)
	}
}

// warcSeeds are the fuzz seeds: the sample, plain and gzipped, and
// variations on it.
func warcSeeds(t testing.TB) [][]byte {
	recs := sampleRecords()
	data := warcOf(recs...)
	seeds := [][]byte{data, gzipMembers(t, recs...), data[:len(data)/2],
		bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))}
	for _, r := range recs {
		seeds = append(seeds, r.bytes())
	}
	for _, f := range []string{"sample.warc", "sample.warc.gz"} {
		if b, err := os.ReadFile(filepath.Join("testdata", "warc", f)); err == nil {
			seeds = append(seeds, b)
		}
	}
	return append(seeds,
		[]byte("WARC/1.0\r\nContent-Length: 5000\r\n\r\nxx"),
		[]byte("WARC/1.1\r\nWARC-Type: response\r\nContent-Type: application/http\r\nContent-Length: 60\r\n\r\n"+
			"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n"),
	)
}

func FuzzWARC(f *testing.F) {
	for _, s := range warcSeeds(f) {
		f.Add(s)
	}
	const limit = 4096
	f.Fuzz(func(t *testing.T, data []byte) {
		wr := NewWARCReader(bytes.NewReader(data), limit)
		for calls := 0; ; calls++ {
			if calls > len(data)+1 {
				t.Fatalf("%d calls to Next on %d bytes: no end", calls, len(data))
			}
			rec, err := wr.Next()
			if err == io.EOF {
				break
			}
			if len(rec.Block) > limit {
				t.Fatalf("block of %d bytes passed a %d-byte limit", len(rec.Block), limit)
			}
			if err != nil {
				var werr *WARCError
				if !errors.As(err, &werr) || werr.Record != calls+1 || werr.Offset < 0 || werr.Offset > int64(len(data)) {
					t.Fatalf("call %d: bad error %#v", calls+1, err)
				}
				if errors.Is(err, ErrWARCRecordTooLarge) {
					continue
				}
				if errors.Is(err, io.ErrUnexpectedEOF) {
					if _, again := wr.Next(); again != err {
						t.Fatalf("Next after %v: %v", err, again)
					}
					break
				}
				continue
			}
			if _, _, body, _ := HTTPResponse(rec.Block, limit); len(body) > limit {
				t.Fatalf("body of %d bytes passed a %d-byte limit", len(body), limit)
			}
		}
		// Through Read, compressed or not.
		opts := Options{Format: FormatWARC, MaxBytes: limit, Stdin: bytes.NewReader(data)}
		items, rejs, err := readItems(t, opts, "-")
		if err != nil {
			t.Fatalf("Read: %v", err)
		}
		for _, it := range items {
			if !strings.HasPrefix(it.Ref, "-#") || len(it.Data) > limit || it.Format != FormatHTML {
				t.Fatalf("bad item %q, %d bytes", it.Ref, len(it.Data))
			}
		}
		for _, r := range rejs {
			if !strings.HasPrefix(r.Ref, "-") {
				t.Fatalf("rejection %q does not name the input", r.Ref)
			}
		}
	})
}

// benchWARC is a WARC of 1000 small HTML responses.
func benchWARC() []byte {
	var recs []wrec
	for i := range 1000 {
		body := page("Story " + strconv.Itoa(i) + strings.Repeat(" and more words", 50))
		recs = append(recs, response(i, httpMsg("200 OK", []string{"Content-Type: text/html; charset=utf-8", "Server: test",
			"Content-Length: " + strconv.Itoa(len(body))}, body)))
	}
	return warcOf(recs...)
}

func BenchmarkWARC(b *testing.B) {
	data := benchWARC()
	b.Run("Next+HTTPResponse", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			wr := NewWARCReader(bytes.NewReader(data), 1<<20)
			n := 0
			for {
				rec, err := wr.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
				if _, _, _, err := HTTPResponse(rec.Block, 1<<20); err != nil {
					b.Fatal(err)
				}
				n++
			}
			if n != 1000 {
				b.Fatalf("%d records", n)
			}
		}
	})
	b.Run("Read", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			n := 0
			err := Read(context.Background(), []string{"-"}, Options{Format: FormatWARC, Stdin: bytes.NewReader(data)},
				func(Item) error { n++; return nil }, func(r Rejection) { b.Fatal(r) })
			if err != nil || n != 1000 {
				b.Fatalf("%v, %d items", err, n)
			}
		}
	})
}

func brotlied(b []byte) []byte {
	var buf bytes.Buffer
	w := brotli.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}
