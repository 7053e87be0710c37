package ingest

import (
	"bytes"
	"strings"
	"testing"
)

// TestReadStdinByContent: standard input without --format is read in the
// format its content shows, compressed or not.
func TestReadStdinByContent(t *testing.T) {
	jsonl := "{\"id\":\"a\",\"text\":\"First invented story.\"}\n{\"id\":\"b\",\"text\":\"Second invented story.\"}\n"
	long := "{\"id\":\"a\",\"text\":\"" + strings.Repeat("Invented words go on. ", 20000) + "\"}\n{\"id\":\"b\",\"text\":\"Short.\"}\n"
	warc := "WARC/1.0\r\nWARC-Type: warcinfo\r\nWARC-Record-ID: <urn:uuid:1>\r\nContent-Length: 0\r\n\r\n\r\n\r\n"
	for _, tc := range []struct {
		name, in string
		fields   Fields
		format   string
		items    int
	}{
		{"jsonl", jsonl, Fields{}, FormatJSONL, 2},
		{"jsonl with a BOM and a blank first line", "\ufeff\n" + jsonl, Fields{}, FormatJSONL, 2},
		{"jsonl with a line longer than a peek", long, Fields{}, FormatJSONL, 2},
		{"gzipped jsonl", string(gzipped([]byte(jsonl))), Fields{}, FormatJSONL, 2},
		{"csv", "id,title,text\na,One,First invented story.\nb,Two,\"Second, invented\"\n", Fields{}, FormatCSV, 2},
		{"csv quoted header", "\"id\",\"text\"\na,First invented story.\n", Fields{}, FormatCSV, 1},
		{"tsv", "id\ttext\na\tFirst invented story.\n", Fields{}, FormatTSV, 1},
		{"csv with --text-field", "key,body\na,First invented story.\n", Fields{Text: "body"}, FormatCSV, 1},
		{"csv with --html-field", "key,page\na,<p>First</p>\n", Fields{HTML: "page"}, FormatCSV, 1},
		{"html", "<!DOCTYPE html>\n<html><body><p>An invented page.</p></body></html>", Fields{}, FormatHTML, 1},
		{"warc", warc, Fields{}, FormatWARC, 0},
		{"text", "An invented story, told plainly.\n\nIts second paragraph.", Fields{}, FormatText, 1},
		{"text that starts with a brace", "{Editor's note} An invented story.\n", Fields{}, FormatText, 1},
		{"text with commas, no text field", "one,two,three\nfour,five,six\n", Fields{}, FormatText, 1},
		{"empty", "", Fields{}, FormatText, 1},
	} {
		items, rejs, err := readItems(t, Options{Stdin: bytes.NewReader([]byte(tc.in)), Fields: tc.fields}, "-")
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if len(items) != tc.items {
			t.Errorf("%s: %d items, want %d (rejections %v)", tc.name, len(items), tc.items, rejs)
			continue
		}
		for _, it := range items {
			if it.Format != tc.format {
				t.Errorf("%s: %s read as %s, want %s", tc.name, it.Ref, it.Format, tc.format)
			}
		}
	}
	// --format still decides.
	items, _, err := readItems(t, Options{Format: FormatText, Stdin: strings.NewReader(jsonl)}, "-")
	if err != nil || len(items) != 1 || items[0].Format != FormatText {
		t.Errorf("--format text: %v, %d items", err, len(items))
	}
}
