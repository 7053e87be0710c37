package ingest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// csvMaxFields is the most fields a CSV or TSV record may have: a line of
// commas would otherwise make millions of empty strings.
const csvMaxFields = 1 << 14

// tableReader reads the records of a CSV (RFC 4180) or TSV file with a
// limit on each record's size, applied while it is read: encoding/csv
// holds a whole line or quoted field before any check, so one long line
// or unclosed quote takes memory in proportion to the file.
//
// CSV fields may be quoted, with "" for a quote, and a quoted field may
// hold commas and line breaks (CRLF in it becomes LF). TSV, as IANA's
// text/tab-separated-values, has no quoting: each line is a record and a
// quote is an ordinary character. An end of line is LF or CRLF, and empty
// lines are skipped.
//
// A bad record is reported with its first line, and reading goes on: a
// bare quote in an unquoted CSV field or text after a closing quote ends
// the record at the end of that line; a record over the limit is read to
// its end without being held. Only an unclosed quote takes the rest of the
// file, since nothing tells where the field was meant to end.
type tableReader struct {
	br    *bufio.Reader
	comma byte
	quote bool   // CSV: fields may be quoted
	limit int    // bytes in a record, fields end to end
	line  int    // lines consumed
	buf   []byte // the record's fields, end to end
	ends  []int  // where each field ends in buf
}

func newTableReader(in io.Reader, format string, limit int) *tableReader {
	t := &tableReader{br: bufio.NewReaderSize(in, 64<<10), comma: ',', quote: true, limit: limit}
	if format == FormatTSV {
		t.comma, t.quote = '\t', false
	}
	return t
}

type tableState int

const (
	fieldStart tableState = iota
	unquoted              // in an unquoted field
	quoted                // in a quoted field
	quoteSeen             // a quote in a quoted field: an escape or the end
	skipLine              // a bad record, up to the end of its line
)

// next returns the next record and the line it starts on. A record that
// cannot be taken comes with the reason, and no fields. err is io.EOF
// after the last record, or the error that stopped reading.
func (t *tableReader) next() (line int, fields []string, reason string, err error) {
	var state tableState
	// empty: nothing read since the record's start; quotes: a field was
	// quoted, so that `""` is a record and not an empty line.
	var empty, quotes, tooLarge, tooMany bool
	reset := func() {
		t.buf, t.ends = t.buf[:0], t.ends[:0]
		state, line, empty, quotes, tooLarge, tooMany = fieldStart, t.line+1, true, false, false, false
	}
	reset()
	// trimCR drops a CR that ends the current field, before an LF.
	trimCR := func() {
		if !tooLarge && len(t.buf) > 0 && t.buf[len(t.buf)-1] == '\r' &&
			(len(t.ends) == 0 || t.ends[len(t.ends)-1] < len(t.buf)) {
			t.buf = t.buf[:len(t.buf)-1]
		}
	}
	add := func(b []byte) {
		if tooLarge || tooMany {
			return
		}
		if len(t.buf)+len(b) > t.limit {
			tooLarge, t.buf = true, t.buf[:0]
			return
		}
		t.buf = append(t.buf, b...)
	}
	endField := func() {
		if tooLarge || tooMany {
			return
		}
		if len(t.ends) == csvMaxFields {
			tooMany = true
			return
		}
		t.ends = append(t.ends, len(t.buf))
	}
	// done returns the record at its end; ok is false for an empty line,
	// which is no record.
	done := func() (ok bool) {
		switch {
		case tooMany:
			reason = fmt.Sprintf("more than %d fields", csvMaxFields)
		case tooLarge:
			reason = fmt.Sprintf("record larger than %d bytes (--max-bytes)", t.limit)
		case reason != "":
		case len(t.ends) == 1 && t.ends[0] == 0 && !quotes:
			return false
		default:
			s := string(t.buf)
			fields = make([]string, len(t.ends))
			start := 0
			for i, end := range t.ends {
				fields[i], start = s[start:end], end
			}
		}
		return true
	}
	for {
		chunk, rerr := t.br.ReadSlice('\n')
		if len(chunk) > 0 {
			empty = false
		}
		for i := 0; i < len(chunk); i++ {
			c := chunk[i]
			switch state {
			case fieldStart:
				if t.quote && c == '"' {
					state, quotes = quoted, true
					continue
				}
				state = unquoted
				fallthrough
			case unquoted:
				// Take the run of plain bytes at once.
				j := i
				for j < len(chunk) && chunk[j] != t.comma && chunk[j] != '\n' && (!t.quote || chunk[j] != '"') {
					j++
				}
				if j > i {
					add(chunk[i:j])
				}
				if i = j; i == len(chunk) {
					continue
				}
				switch chunk[i] {
				case t.comma:
					endField()
					state = fieldStart
				case '\n':
					// ReadSlice ends a chunk at its first LF, so this is the
					// chunk's last byte.
					trimCR()
					endField()
					t.line++
					if done() {
						return line, fields, reason, nil
					}
					reset()
				case '"':
					reason, state = `invalid CSV: bare " in an unquoted field`, skipLine
				}
			case quoted:
				j := i
				for j < len(chunk) && chunk[j] != '"' && chunk[j] != '\n' {
					j++
				}
				if j > i {
					add(chunk[i:j])
				}
				if i = j; i == len(chunk) {
					continue
				}
				if chunk[i] == '"' {
					state = quoteSeen
					continue
				}
				// A line break in the field: CRLF becomes LF.
				t.line++
				trimCR()
				add([]byte{'\n'})
			case quoteSeen:
				switch c {
				case '"':
					add([]byte{'"'})
					state = quoted
				case t.comma:
					endField()
					state = fieldStart
				case '\r':
					if i+1 < len(chunk) && chunk[i+1] == '\n' {
						continue
					}
					if i+1 == len(chunk) {
						// The LF, if any, is in the next chunk; a CR at the
						// end of the input ends the line too, as in
						// encoding/csv.
						if b, err := t.br.Peek(1); err != nil || b[0] == '\n' {
							continue
						}
					}
					reason, state = `invalid CSV: extraneous " in a quoted field`, skipLine
				case '\n':
					endField()
					t.line++
					done()
					return line, fields, reason, nil
				default:
					reason, state = `invalid CSV: extraneous " in a quoted field`, skipLine
				}
			case skipLine:
				if chunk[len(chunk)-1] == '\n' {
					t.line++
					return line, nil, reason, nil
				}
				i = len(chunk)
			}
		}
		switch {
		case errors.Is(rerr, bufio.ErrBufferFull):
			continue
		case rerr == nil:
			continue
		case rerr != io.EOF:
			return line, nil, "", rerr
		}
		// The end of the input.
		switch {
		case empty && state == fieldStart && len(t.ends) == 0:
			return line, nil, "", io.EOF
		case state == quoted:
			why := "invalid CSV: unclosed quote: the field runs to the end of the file, line " + strconv.Itoa(t.line+1)
			if tooLarge {
				why = fmt.Sprintf("record larger than %d bytes (--max-bytes); %s", t.limit, why)
			}
			return line, nil, why, nil
		case state == skipLine:
			return line, nil, reason, nil
		}
		if state == unquoted {
			trimCR()
		}
		endField()
		if !done() {
			return line, nil, "", io.EOF
		}
		return line, fields, reason, nil
	}
}
