package pipeline

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/newsdedup/newsdedup/ingest"
)

// MaxRejectionsPerFile is how many rejections of one input file an import
// records and reports; past it they are only counted, and one line says
// how many more there were. A file of random bytes read as JSONL would
// otherwise give millions of lines of the same reason.
const MaxRejectionsPerFile = 100

// rejectionLimit counts rejections by file. The zero value is ready.
type rejectionLimit struct {
	byFile map[string]int
}

// keep counts r and reports whether it is among the first of its file.
func (l *rejectionLimit) keep(r ingest.Rejection) bool {
	if l.byFile == nil {
		l.byFile = make(map[string]int)
	}
	f := fileOf(r.Ref)
	l.byFile[f]++
	return l.byFile[f] <= MaxRejectionsPerFile
}

// more returns, for each file past the limit, a rejection saying how many
// were not kept, in file order.
func (l *rejectionLimit) more() []ingest.Rejection {
	var out []ingest.Rejection
	for _, f := range slices.Sorted(maps.Keys(l.byFile)) {
		if n := l.byFile[f] - MaxRejectionsPerFile; n > 0 {
			out = append(out, ingest.Rejection{Ref: f, Reason: fmt.Sprintf("and %d more rejections (the first %d are listed)", n, MaxRejectionsPerFile)})
		}
	}
	return out
}

// fileOf returns the file of a rejection's ref: FILE, FILE:LINE (or
// FILE:ROW) or FILE#N (a WARC record).
func fileOf(ref string) string {
	if i := strings.LastIndexAny(ref, ":#"); i > 0 {
		if _, err := strconv.Atoi(ref[i+1:]); err == nil {
			return ref[:i]
		}
	}
	return ref
}
