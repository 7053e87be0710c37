package ingest

import (
	"fmt"
	"testing"
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
