package ingest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadRefusesFileWithoutTextField: a CSV whose header, or a JSONL
// whose first records, lack the text field is refused once, with the
// fields it has, instead of once a record. Each file of a folder is
// checked on its own.
func TestReadRefusesFileWithoutTextField(t *testing.T) {
	var noText, lateText, csvBody strings.Builder
	csvBody.WriteString("id,body,title\n")
	for i := range 40 {
		fmt.Fprintf(&noText, "{\"id\":\"n%d\",\"body\":\"Invented story %d.\",\"meta\":{\"lang\":\"en\"}}\n", i, i)
		fmt.Fprintf(&csvBody, "c%d,Invented story %d.,Title\n", i, i)
	}
	lateText.WriteString("{\"id\":\"x\",\"note\":\"no text here\"}\n{\"id\":\"y\",\"note\":\"nor here\"}\n")
	lateText.WriteString("{\"id\":\"z\",\"text\":\"An invented story.\"}\n")
	dir := t.TempDir()
	files := map[string]string{
		"body.jsonl":       noText.String(),
		"body.csv":         csvBody.String(),
		"late.jsonl":       lateText.String(),
		"good.jsonl":       "{\"id\":\"g\",\"text\":\"A good invented story.\"}\n",
		"sub/page.jsonl":   "{\"id\":\"p\",\"page\":\"<p>An invented page.</p>\"}\n",
		"sub/nested.jsonl": "{\"doc\":{\"body\":\"An invented story.\"}}\n",
		"sub/page.tsv":     "id\tpage\np\t<p>An invented page.</p>\n",
	}
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	items, rejs, err := readItems(t, Options{}, dir)
	if err != nil {
		t.Fatal(err)
	}
	refused := map[string]string{}
	for _, r := range rejs {
		refused[filepath.ToSlash(strings.TrimPrefix(r.Ref, dir+string(filepath.Separator)))] = r.Reason
	}
	want := map[string][]string{
		"body.jsonl":       {`no "text" field`, "body, id, meta", "--text-field"},
		"body.csv":         {`no "text" field`, "id, body, title", "--text-field"},
		"sub/page.jsonl":   {`no "text" field`, "id, page", "--html-field"},
		"sub/nested.jsonl": {`no "text" field`, "doc"},
		"sub/page.tsv":     {`no "text" field`, "id, page"},
	}
	if len(refused) != len(want) || len(rejs) != len(want) {
		t.Errorf("rejections %v, want one for each of %d files", rejs, len(want))
	}
	for name, says := range want {
		for _, s := range says {
			if !strings.Contains(refused[name], s) {
				t.Errorf("%s: rejection %q, want it to say %q", name, refused[name], s)
			}
		}
	}
	// late.jsonl's first records lack the text, a later one has it: all
	// are read, the first two to be rejected one by one.
	if len(items) != 4 {
		t.Errorf("%d items, want late.jsonl's 3 and good.jsonl's 1", len(items))
	}

	// With --html-field, a file holding that field passes, and so does
	// one holding the text.
	items, rejs, err = readItems(t, Options{Fields: Fields{HTML: "page"}}, filepath.Join(dir, "sub"), filepath.Join(dir, "good.jsonl"))
	if err != nil || len(items) != 3 || len(rejs) != 1 || !strings.Contains(rejs[0].Reason, `no "page" or "text" field`) {
		t.Errorf("--html-field page: %v, %d items, rejections %v", err, len(items), rejs)
	}
	// A dotted path into nested JSON.
	items, rejs, err = readItems(t, Options{Fields: Fields{Text: "doc.body"}}, filepath.Join(dir, "sub", "nested.jsonl"))
	if err != nil || len(items) != 1 || len(rejs) != 0 {
		t.Errorf("--text-field doc.body: %v, %d items, rejections %v", err, len(items), rejs)
	}
	// Lines that are no JSON objects decide nothing: they are passed on
	// to be rejected one by one, and not held without bound.
	junk := writeTemp(t, "junk.jsonl", []byte(strings.Repeat("not json\n", 3*maxHeld)))
	items, rejs, err = readItems(t, Options{}, junk)
	if err != nil || len(items) != 3*maxHeld || len(rejs) != 0 {
		t.Errorf("junk lines: %v, %d items, rejections %v", err, len(items), rejs)
	}
	// With --strict the refusal stops the read.
	if _, _, err := readItems(t, Options{Strict: true}, filepath.Join(dir, "body.csv")); err == nil || !strings.Contains(err.Error(), "--text-field") {
		t.Errorf("--strict: %v", err)
	}
}
