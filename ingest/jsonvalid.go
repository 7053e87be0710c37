package ingest

import "encoding/binary"

// validJSON reports whether data is one JSON value with white space
// around it, accepting exactly what gjson.ValidBytes accepts (FuzzValidJSON
// compares them). gjson's validator reads a string byte by byte, and the
// text of an article is most of a record, so that would be 5% of an
// import's CPU. validString reads eight bytes at a time instead (2.2 GB/s
// against gjson's 1.0 on generated records).
func validJSON(d []byte) bool {
	var open []byte // the '{' and '[' that enclose i
	i := skipSpace(d, 0)
	for {
		// A value starts at i.
		if i >= len(d) {
			return false
		}
		ok := true
		switch c := d[i]; c {
		case '{':
			i = skipSpace(d, i+1)
			if i < len(d) && d[i] == '}' {
				i++
				break
			}
			open = append(open, '{')
			if i, ok = validKey(d, i); !ok {
				return false
			}
			continue
		case '[':
			i = skipSpace(d, i+1)
			if i < len(d) && d[i] == ']' {
				i++
				break
			}
			open = append(open, '[')
			continue
		case '"':
			i, ok = validString(d, i+1)
		case 't':
			i, ok = validWord(d, i, "true")
		case 'f':
			i, ok = validWord(d, i, "false")
		case 'n':
			i, ok = validWord(d, i, "null")
		default:
			if c != '-' && (c < '0' || c > '9') {
				return false
			}
			i, ok = validNumber(d, i)
		}
		if !ok {
			return false
		}
		// A value ended at i: close what it closes, then find the next.
		for {
			i = skipSpace(d, i)
			if len(open) == 0 {
				return i == len(d)
			}
			if i >= len(d) {
				return false
			}
			top := open[len(open)-1]
			if d[i] == ',' {
				i = skipSpace(d, i+1)
				if top == '{' {
					if i, ok = validKey(d, i); !ok {
						return false
					}
				}
				break
			}
			if top == '{' && d[i] != '}' || top == '[' && d[i] != ']' {
				return false
			}
			open = open[:len(open)-1]
			i++
		}
	}
}

func skipSpace(d []byte, i int) int {
	for i < len(d) && (d[i] == ' ' || d[i] == '\t' || d[i] == '\n' || d[i] == '\r') {
		i++
	}
	return i
}

// validKey reads a key and its colon at i, and returns where its value
// starts.
func validKey(d []byte, i int) (int, bool) {
	if i >= len(d) || d[i] != '"' {
		return i, false
	}
	i, ok := validString(d, i+1)
	if !ok {
		return i, false
	}
	if i = skipSpace(d, i); i >= len(d) || d[i] != ':' {
		return i, false
	}
	return skipSpace(d, i+1), true
}

// validString reads the rest of a string whose opening quote is before i
// and returns where it ends, after the closing quote.
func validString(d []byte, i int) (int, bool) {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for {
		// Skip eight bytes at a time while none is a quote, a backslash
		// or a control character. Bytes of 0x80 and above pass as they
		// are, as in gjson.
		for i+8 <= len(d) {
			x := binary.LittleEndian.Uint64(d[i:])
			q, b := x^'"'*ones, x^'\\'*ones
			// Nonzero when a byte of q or b is zero or a byte of x is below
			// 0x20 (a borrow can only spread from such a byte, and bytes of
			// 0x80 and above are cleared by &^).
			special := ((q-ones)&^q | (b-ones)&^b | (x-0x20*ones)&^x) & highs
			if special != 0 {
				break
			}
			i += 8
		}
		if i >= len(d) {
			return i, false
		}
		switch c := d[i]; {
		case c == '"':
			return i + 1, true
		case c < ' ':
			return i, false
		case c == '\\':
			i++
			if i >= len(d) {
				return i, false
			}
			switch d[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if i+4 >= len(d) {
					return i, false
				}
				for _, h := range d[i+1 : i+5] {
					if !(h >= '0' && h <= '9' || h >= 'a' && h <= 'f' || h >= 'A' && h <= 'F') {
						return i, false
					}
				}
				i += 4
			default:
				return i, false
			}
		}
		i++
	}
}

// validWord reads the literal w at i.
func validWord(d []byte, i int, w string) (int, bool) {
	if len(d)-i < len(w) || string(d[i:i+len(w)]) != w {
		return i, false
	}
	return i + len(w), true
}

// validNumber reads a number at i: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func validNumber(d []byte, i int) (int, bool) {
	digits := func(i int) (int, bool) {
		j := i
		for j < len(d) && d[j] >= '0' && d[j] <= '9' {
			j++
		}
		return j, j > i
	}
	if d[i] == '-' {
		i++
	}
	if i < len(d) && d[i] == '0' {
		i++
	} else if j, ok := digits(i); ok {
		i = j
	} else {
		return i, false
	}
	if i < len(d) && d[i] == '.' {
		j, ok := digits(i + 1)
		if !ok {
			return i, false
		}
		i = j
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		j, ok := digits(i)
		if !ok {
			return i, false
		}
		i = j
	}
	return i, true
}
