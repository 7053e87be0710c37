package pipeline_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/dedupe"
	"github.com/newsdedup/newsdedup/ingest"
	"github.com/newsdedup/newsdedup/ingest/pipeline"
	"github.com/newsdedup/newsdedup/ingest/pipeline/pipelinetest"
	"github.com/newsdedup/newsdedup/store"
)

// warcRecord is one WARC/1.1 record.
func warcRecord(typ, uri, ctype string, block string) string {
	return fmt.Sprintf("WARC/1.1\r\nWARC-Type: %s\r\nWARC-Target-URI: %s\r\nWARC-Date: 2024-05-01T10:00:00Z\r\n"+
		"WARC-Record-ID: <urn:uuid:%s>\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n",
		typ, uri, uri, ctype, len(block), block)
}

func TestRunDates(t *testing.T) {
	dir := t.TempDir()
	page := `<html><head><title>Ferry timetable</title><meta property="article:published_time" content="2020-04-10T10:00:00+01:00"></head>` +
		`<body><article><p>The harbour ferry runs every hour from Monday, the operator said, after a winter of reduced sailings on the island route.</p></article></body></html>`
	warc := warcRecord("warcinfo", "", "application/warc-fields", "software: invented\r\n") +
		warcRecord("request", "https://news.example/ferry", "application/http; msgtype=request", "GET /ferry HTTP/1.1\r\n\r\n") +
		warcRecord("response", "https://news.example/ferry", "application/http; msgtype=response",
			"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"+page) +
		warcRecord("response", "https://news.example/logo.png", "application/http; msgtype=response",
			"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG") +
		warcRecord("metadata", "https://news.example/ferry", "application/warc-fields", "outlink: https://news.example/\r\n")
	jsonl := `{"id":"j1","text":"The council approved a new cycle lane along the river path after a long consultation.","published":"Tue Jan 28 10:00:00 CET 2020"}
{"id":"j2","text":"A bakery on the high street reopened this week with a larger kitchen and longer hours.","published":"sometime last spring"}
{"id":"j3","text":"Volunteers planted two hundred trees in the park on Saturday morning despite the rain.","published":"10 avril 2020"}
`
	for name, data := range map[string]string{"crawl.warc": warc, "feed.jsonl": jsonl} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	db, _ := openDB(t)
	sum, err := pipeline.New(db, defaults()).Run(t.Context(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Read != 4 || sum.UnparsedDates != 1 {
		t.Errorf("read %d, unparsed dates %d; want 4 and 1", sum.Read, sum.UnparsedDates)
	}
	if want := (store.SkippedRecords{Warcinfo: 1, Request: 1, Metadata: 1, NotHTML: 1}); sum.SkippedRecords != want {
		t.Errorf("skipped %+v, want %+v", sum.SkippedRecords, want)
	}
	ims, err := db.Imports(t.Context())
	if err != nil || len(ims) != 1 || ims[0].Counts.UnparsedDates != 1 || ims[0].Counts.SkippedRecords != sum.SkippedRecords {
		t.Errorf("recorded counts %+v, %v", ims, err)
	}

	want := map[string]store.Dates{
		"https://news.example/ferry": {Published: "2020-04-10T09:00:00Z", PublishedRaw: "2020-04-10T10:00:00+01:00", Crawled: "2024-05-01T10:00:00Z"},
		"j1":                         {Published: "2020-01-28T09:00:00Z", PublishedRaw: "Tue Jan 28 10:00:00 CET 2020"},
		"j2":                         {PublishedRaw: "sometime last spring"},
		"j3":                         {Published: "2020-04-10T00:00:00Z", PublishedRaw: "10 avril 2020"},
	}
	for id := int64(1); id <= 4; id++ {
		a, err := db.ArticleByID(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		d, err := db.ArticleDates(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		ref := a.Ref
		if strings.Contains(ref, "#") {
			ref = a.URL
		}
		if d != want[ref] {
			t.Errorf("%s: dates %+v, want %+v", a.Ref, d, want[ref])
		}
	}
}

// TestDateRulesCopies: a report, its re-send two days later (an exact
// copy) and the next report from the template, 18 hours after the re-send,
// with other figures. The pair of the re-send and the next report is
// judged by the text's first publication, so the next report stays apart
// in whatever order and split of imports the three come.
func TestDateRulesCopies(t *testing.T) {
	report := func(figure string) string {
		return "The central bank sold " + figure + " billion in seven-day reverse repos at 1.80 percent, dealers said, as money-market rates held steady.\n\n" +
			"Traders expect the operations to continue through the end of the quarter, when demand for cash usually rises."
	}
	line := func(id, published, text string) string {
		return fmt.Sprintf(`{"id":%q,"source":"wire","published":%q,"text":%q}`+"\n", id, published, text)
	}
	first := line("first", "2024-03-29T08:00:00Z", report("25.0"))
	resend := line("resend", "2024-03-31T14:00:00Z", report("25.0"))
	next := line("next", "2024-04-01T08:00:00Z", report("31.5"))
	want := []string{"first <- resend(exact)"}
	for _, parts := range [][]string{{first + resend + next}, {next + resend + first}, {next + resend, first}, {resend, next, first}} {
		dir := t.TempDir()
		db, err := store.Open(t.Context(), filepath.Join(dir, "d.db"))
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range parts {
			path := filepath.Join(dir, fmt.Sprintf("p%d.jsonl", i))
			if err := os.WriteFile(path, []byte(p), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := pipeline.New(db, pipeline.Options{Params: dedupe.DefaultParams(), Rules: ingest.DefaultRules()}).Run(t.Context(), []string{path}); err != nil {
				t.Fatal(err)
			}
		}
		got := pipelinetest.Clusters(t, db)
		db.Close()
		if len(got) != 1 || !strings.Contains(got[0], "resend(exact)") || strings.Contains(got[0], "next") {
			t.Errorf("imports %q: clusters %q, want %q", parts, got, want)
		}
	}
}
