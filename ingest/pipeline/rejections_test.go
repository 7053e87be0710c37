package pipeline

import "testing"

// TestFileOf: the file of a rejection is its ref less a line (CSV, JSONL,
// Parquet) or a record number (WARC), so every format's rejections are
// bounded by file.
func TestFileOf(t *testing.T) {
	for ref, want := range map[string]string{
		"feed.jsonl:12":   "feed.jsonl",
		"crawl.warc#3":    "crawl.warc",
		"crawl.warc.gz#0": "crawl.warc.gz",
		"page.html":       "page.html",
		"c:/x/a#b.txt":    "c:/x/a#b.txt",
		"notes#draft.txt": "notes#draft.txt",
		"-:7":             "-",
	} {
		if got := fileOf(ref); got != want {
			t.Errorf("fileOf(%q) = %q, want %q", ref, got, want)
		}
	}
}
