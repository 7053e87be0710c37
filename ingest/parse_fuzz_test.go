package ingest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tidwall/gjson"
)

// FuzzJSONOnePass checks that reading a JSON record's fields in one pass
// gives what looking each field up on its own gives.
func FuzzJSONOnePass(f *testing.F) {
	for _, s := range []string{
		`{"text":"Body","id":"a1","url":"https://x.test/1","title":"T","source":"S","published":"2024-01-02"}`,
		`{"id":null,"id":"second","text":"first \u0074ext","te\u0078t":"again"}`,
		`{"text":"x","url":7,"title":true,"source":{"a":1}}`,
		`{"text":["a"]}`,
		`{"url":"u"}`,
		`{}`,
		`[1,2]`,
		`{"text":"a",}`,
		`{"text":"a\nb \"q\" \\ \/ \u00e9 \ud83d\ude00 \ud800 x \udc00 \ud800\u0041 \b\f\r\t","id":"i\u0064"}`,
		`{"meta":{"text":"no","a":["]","}"]},"text":"yes\\","id":1e5}`,
		` { "text" : "t" , "id" : -0.5 , "url" : false , "title" : null } `,
		`{"text":"\\\"","source":"\\"}`,
	} {
		f.Add([]byte(s))
	}
	var o Options
	o.Fields.defaults()
	f.Fuzz(func(t *testing.T, data []byte) {
		it := Item{Ref: "f.jsonl:1", Format: FormatJSONL, Data: data}
		a1, e1 := o.jsonFields(it, true)
		a2, e2 := o.jsonFields(it, false)
		if fmt.Sprint(e1) != fmt.Sprint(e2) || a1 != a2 {
			t.Errorf("%q:\none pass %+v, %v\nby field %+v, %v", data, a1, e1, a2, e2)
		}
	})
}

// FuzzValidJSON checks that validJSON accepts exactly what gjson's
// validator, which it replaces, accepts.
func FuzzValidJSON(f *testing.F) {
	for _, s := range []string{
		`{"text":"Body","id":"a1"}`, `{"a":[1,-2.5e+3,true,false,null,{"b":[]}],"c":{}}`,
		`"s"`, `0`, `-0`, `01`, `1.`, `.5`, `1e`, `1E-2`, `-`, `tru`, `nulll`, `[1,]`, `[,1]`, `{"a"}`,
		`{"a":1,}`, `{"a":1 "b":2}`, `{"a" : 1}`, ` [ ] `, `[1] [2]`, `"\u00e9\ud83d"`, `"\x"`,
		`"\u12g4"`, "\"tab\there\"", "\"line\nbreak\"", "\"\x7f\xff\"", `"\"`, `[[[[[[[[]]]]]]]]`, `[[]`,
		`{"a":{"b":{"c":"\"}"}}}`, `"\u123`, `"\u1234`, `"a\"b\\\/\b\f\n\r\t"`, "",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if got, want := validJSON(data), gjson.ValidBytes(data); got != want {
			t.Errorf("validJSON(%q) = %v, gjson says %v", data, got, want)
		}
	})
}

// BenchmarkJSONRecord reads the fields of a news-like JSONL record: an
// article of 2,700 bytes with paragraph breaks and quotes escaped.
func BenchmarkJSONRecord(b *testing.B) {
	para := strings.Repeat(`Officials said the \"plan\" would take years, and critics said so too. `, 12)
	line := []byte(`{"id":"a1","url":"https://news.example/a1","title":"A headline","source":"herald","published":"2024-05-09T16:00:00Z","text":"` +
		strings.Repeat(para+`\n\n`, 3) + `"}`)
	var o Options
	o.Fields.defaults()
	b.SetBytes(int64(len(line)))
	for b.Loop() {
		if _, err := o.jsonRecord(Item{Ref: "b.jsonl:1", Format: FormatJSONL, Data: line}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestFieldsPlain(t *testing.T) {
	var f Fields
	f.defaults()
	if !f.plain() {
		t.Fatalf("the default fields %+v are not plain", f)
	}
	for _, c := range `.*?|#@\!%=<>[]{}()"'` + "`" {
		g := f
		g.URL = "meta" + string(c) + "url"
		if g.plain() {
			t.Errorf("field %q is plain, but gjson reads %q as path syntax", g.URL, c)
		}
	}
	g := f
	g.Published = "date_published-2"
	if !g.plain() {
		t.Errorf("field %q is not plain", g.Published)
	}
}
