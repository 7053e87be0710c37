package ingest

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"unicode/utf16"
)

// eachTopField calls fn with each key of the JSON object data and its
// value, both raw (a key with its quotes: see keyIs), in order. data must be valid JSON (validJSON), which the
// scan relies on: every string closes and every bracket matches.
//
// It replaces gjson's ForEach for the fields of a record: ForEach decodes
// every string of the record, byte by byte with append, and copies the
// record into a string first; the text of an article is most of the
// record, and that would be a tenth of an import's CPU. It reports false when
// data is not an object.
func eachTopField(data []byte, fn func(key, raw []byte)) bool {
	s := jsonScan{d: data}
	s.space()
	if s.i >= len(s.d) || s.d[s.i] != '{' {
		return false
	}
	s.i++
	for {
		s.space()
		if s.i >= len(s.d) || s.d[s.i] == '}' {
			return true
		}
		if s.d[s.i] == ',' {
			s.i++
			continue
		}
		key := s.str()
		s.space()
		s.i++ // ':'
		s.space()
		start := s.i
		s.skip()
		fn(key, s.d[start:s.i])
	}
}

// keyIs reports whether the raw key is name once decoded.
func keyIs(key []byte, name string) bool {
	if len(key) < 2 {
		return false
	}
	if in := key[1 : len(key)-1]; bytes.IndexByte(in, '\\') < 0 {
		return string(in) == name // compared without a copy
	}
	return jsonString(key) == name
}

// jsonValue is a raw JSON value as a field, as fieldValue makes it of a
// gjson.Result: a string's text, a number or literal as written; null is
// no value; an object or array is an error.
func jsonValue(raw []byte) (string, bool, error) {
	if len(raw) == 0 {
		return "", false, nil
	}
	switch raw[0] {
	case '"':
		return jsonString(raw), true, nil
	case 'n':
		return "", false, nil
	case '{', '[':
		return "", false, errors.New("is an object or array, not a string")
	}
	return string(raw), true, nil
}

type jsonScan struct {
	d []byte
	i int
}

func (s *jsonScan) space() {
	for s.i < len(s.d) {
		switch s.d[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// str returns the string at s.i, quotes included, and moves past it.
func (s *jsonScan) str() []byte {
	start := s.i
	j := s.i + 1
	for {
		k := bytes.IndexByte(s.d[j:], '"')
		if k < 0 {
			s.i = len(s.d)
			return s.d[start:]
		}
		end := j + k
		// A quote is escaped by an odd run of backslashes before it.
		n := 0
		for p := end - 1; p > start && s.d[p] == '\\'; p-- {
			n++
		}
		if n%2 == 0 {
			s.i = end + 1
			return s.d[start:s.i]
		}
		j = end + 1
	}
}

// skip moves past the value at s.i.
func (s *jsonScan) skip() {
	if s.i >= len(s.d) {
		return
	}
	switch s.d[s.i] {
	case '"':
		s.str()
	case '{', '[':
		depth := 0
		for s.i < len(s.d) {
			switch s.d[s.i] {
			case '"':
				s.str()
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					s.i++
					return
				}
			}
			s.i++
		}
	default: // a number or a literal
		for s.i < len(s.d) {
			switch s.d[s.i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return
			}
			s.i++
		}
	}
}

// jsonString decodes a JSON string, quotes included, as gjson does:
// escapes copied between runs of plain bytes, a \u surrogate pair joined,
// a lone surrogate U+FFFD.
func jsonString(q []byte) string {
	if len(q) < 2 {
		return ""
	}
	s := q[1 : len(q)-1]
	i := bytes.IndexByte(s, '\\')
	if i < 0 {
		return string(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for ; i >= 0; i = bytes.IndexByte(s, '\\') {
		b.Write(s[:i])
		if i+1 >= len(s) {
			return b.String()
		}
		c := s[i+1]
		s = s[i+2:]
		switch c {
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			if len(s) < 4 {
				return b.String()
			}
			r := hexRune(s)
			s = s[4:]
			if r >= 0xD800 && r < 0xDC00 && len(s) >= 6 && s[0] == '\\' && s[1] == 'u' {
				if r2 := hexRune(s[2:]); r2 >= 0xDC00 && r2 < 0xE000 {
					r = utf16.DecodeRune(r, r2)
					s = s[6:]
				}
			}
			b.WriteRune(r) // U+FFFD for a lone surrogate
		default: // \\ \/ \"
			b.WriteByte(c)
		}
	}
	b.Write(s)
	return b.String()
}

func hexRune(s []byte) rune {
	n, _ := strconv.ParseUint(string(s[:4]), 16, 32)
	return rune(n)
}
