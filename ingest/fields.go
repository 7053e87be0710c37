package ingest

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tidwall/gjson"
)

// A file whose records lack the text field would be rejected record by
// record, each saying the same. Read looks at a CSV's header, or at a
// JSONL file's first records, and refuses such a file once, listing the
// fields it has. Each file is checked on its own with the same --*-field
// flags: a folder whose files map their fields differently is imported
// file by file, each with its flags.

// probeRecords is how many JSONL records without the text field refuse
// their file when none before them had it.
const probeRecords = 5

// maxListed bounds the field names a refusal lists.
const maxListed = 30

// wanted names the fields of which a record must have one.
func (f Fields) wanted() string {
	if f.HTML != "" && f.HTML != f.Text {
		return fmt.Sprintf("%q or %q", f.HTML, f.Text)
	}
	return fmt.Sprintf("%q", f.Text)
}

// refusal says why a file whose records have none of the wanted fields is
// skipped, listing the fields they have.
func (f Fields) refusal(where string, fields []string) string {
	listed := strings.Join(fields[:min(len(fields), maxListed)], ", ")
	if len(fields) > maxListed {
		listed += fmt.Sprintf(" and %d more", len(fields)-maxListed)
	}
	if listed == "" {
		listed = "none"
	}
	return fmt.Sprintf("no %s field %s (its fields: %s): name the field holding the text with --text-field, or the page's HTML with --html-field; the file is skipped",
		f.wanted(), where, listed)
}

// headerHas reports whether a CSV header has one of the wanted fields.
func (f Fields) headerHas(header []string) bool {
	return slices.Contains(header, f.Text) || (f.HTML != "" && slices.Contains(header, f.HTML))
}

// probe is the state of the check of a JSONL file's first records.
type probe struct {
	fields  Fields
	decided bool
	held    []Item // records read while undecided
	bytes   int    // their size
	lacking int    // of them, objects without a wanted field
	keys    []string
}

// add looks at one record. It returns true once the file is known to
// hold the field (the held records are to be passed on).
func (p *probe) add(it Item) bool {
	p.held = append(p.held, it)
	p.bytes += len(it.Data)
	rec := gjson.ParseBytes(it.Data)
	if !rec.IsObject() {
		return false // rejected on its own when parsed
	}
	for _, path := range []string{p.fields.Text, p.fields.HTML} {
		if path != "" {
			if v := rec.Get(path); v.Exists() && v.Type != gjson.Null {
				p.decided = true
				return true
			}
		}
	}
	p.lacking++
	rec.ForEach(func(k, _ gjson.Result) bool {
		if !slices.Contains(p.keys, k.Str) {
			p.keys = append(p.keys, k.Str)
		}
		return len(p.keys) <= maxListed
	})
	return false
}

// maxHeld bounds the records held while undecided, with the limit on
// their bytes: lines that are no JSON objects decide nothing.
const maxHeld = 100

// done reports whether the probe has seen enough: the file ended
// (atEnd), or the held records reach limit bytes or maxHeld.
func (p *probe) done(limit int, atEnd bool) bool {
	return atEnd || p.bytes >= limit || len(p.held) >= maxHeld
}

// refuse reports whether the held records refuse the file: probeRecords
// of them lack the field, or one at least does and the probe is done.
func (p *probe) refuse(limit int, atEnd bool) bool {
	return p.lacking >= probeRecords || (p.lacking > 0 && p.done(limit, atEnd))
}

// reason says why the file is refused.
func (p *probe) reason() string {
	slices.Sort(p.keys)
	where := "in its first record"
	if len(p.held) > 1 {
		where = fmt.Sprintf("in its first %d records", len(p.held))
	}
	return p.fields.refusal(where, p.keys)
}
