package ingest

import (
	"strings"
)

// kindWords names each kind as a rules file spells it.
var kindWords = [...]string{kindDrop: "drop", kindStrip: "strip", kindCut: "cut"}

// Text returns the rules in the rules file format, one per line, so that
// ParseRules of it gives the same rules: an import records the rules it
// cleaned with as this text, and later commands clean with the same.
func (r *Rules) Text() string {
	var b strings.Builder
	for _, ru := range r.list() {
		b.WriteString(kindWords[ru.kind])
		b.WriteByte(' ')
		b.WriteString(ru.name)
		b.WriteByte(' ')
		b.WriteString(ru.expr)
		b.WriteByte('\n')
	}
	return b.String()
}
