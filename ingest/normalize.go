package ingest

import (
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/unicode/norm"
)

// Normalize returns s with Unicode NFKC applied, typographic quotes folded
// to ASCII (‘ ’ ‚ ‛ ′ ‹ › → ', “ ” „ ‟ ″ « » → "), dashes (‐ ‑ ‒ – — ― −
// and friends) folded to "-", the ellipsis … spelled "...", zero-width,
// bidi-format and control characters other than \n and \t removed, invalid
// UTF-8 replaced by U+FFFD, tabs, NBSP and other Unicode spaces turned into
// ' ', and CRLF, CR, U+2028 and U+2029 turned into \n.
//
// Whitespace inside a line is collapsed to one space and lines are trimmed.
// Each non-empty line is a paragraph (scraped text separates paragraphs by a
// blank line or by a single newline, and the two cannot be told apart), and
// the paragraphs are joined by "\n\n". The result has no leading or trailing
// whitespace.
//
// Normalize is pure and idempotent: Normalize(Normalize(s)) == Normalize(s).
func Normalize(s string) string {
	out, ascii := fold(s)
	// Folding runs before NFKC because NFKC would turn ″ into ′′; it runs
	// again after it because NFKC yields dashes and quotes that need folding
	// and removing characters can leave a sequence that NFKC would
	// recompose. The loop converges at once in practice; the bound is only
	// a guard.
	for i := 0; i < 4 && !ascii && !norm.NFKC.IsNormalString(out); i++ {
		out, ascii = fold(norm.NFKC.String(out))
	}
	return out
}

// fold is the single pass of Normalize without NFKC. It reports whether the
// result is pure ASCII, which is always NFKC-normal.
func fold(s string) (string, bool) {
	f := folder{src: s, ascii: true}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c > ' ' && c < 0x7f {
				// A run of printable ASCII with single inner spaces
				// needs no change; copy it in one go.
				j := i + 1
				for j < len(s) {
					if j+8 <= len(s) && plain8(load8(s[j:])) {
						j += 8
						continue
					}
					d := s[j]
					if d > ' ' && d < 0x7f {
						j++
					} else if d == ' ' && j+1 < len(s) && s[j+1] > ' ' && s[j+1] < 0x7f {
						j += 2
					} else {
						break
					}
				}
				f.sep()
				f.put(s[i:j])
				i = j
				continue
			}
			i++
			switch c {
			case '\n', '\r':
				f.newline()
			case ' ', '\t', '\v', '\f':
				// \v and \f separate words; dropping them would glue.
				f.space = true
			}
			// Other C0 controls and DEL are dropped.
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch r {
		case '‘', '’', '‚', '‛', '′', '‵', '‹', '›':
			f.sep()
			f.put("'")
		case '“', '”', '„', '‟', '″', '‶', '«', '»':
			f.sep()
			f.put(`"`)
		case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015',
			'\u2212', '\u2e3a', '\u2e3b', '\ufe58', '\ufe63', '\uff0d':
			f.sep()
			f.put("-")
		case '…':
			f.sep()
			f.put("...")
		case '\u0085', '\u2028', '\u2029':
			f.newline()
		case '\u00ad', '\u180e', '\u200b', '\u200c', '\u200d', '\u200e', '\u200f',
			'\u202a', '\u202b', '\u202c', '\u202d', '\u202e',
			'\u2060', '\u2061', '\u2062', '\u2063', '\u2064',
			'\u2066', '\u2067', '\u2068', '\u2069', '\ufeff':
			// Zero-width and bidi format characters: invisible, and
			// they would make equal paragraphs compare unequal.
		default:
			switch {
			case r == utf8.RuneError && size == 1:
				f.sep()
				f.put("\uFFFD")
				f.ascii = false
			case unicode.IsSpace(r):
				f.space = true
			case r < 0xa0:
				// C1 control characters.
			default:
				f.sep()
				f.put(s[i-size : i])
				f.ascii = false
			}
		}
	}
	if !f.copied {
		return s[:f.n], f.ascii
	}
	// buf is not touched again, so it can back the string (as in
	// strings.Builder) and save a copy of the whole article.
	return unsafe.String(unsafe.SliceData(f.buf), len(f.buf)), f.ascii
}

// plain8 reports whether the eight bytes of x (load8), which follow a
// printable non-space byte, continue a run that fold copies unchanged:
// printable ASCII, no two spaces together, and no space last (whether the
// byte after it is printable is not known here). Eight bytes are tested
// at once because in real text a byte-by-byte loop mispredicts its branch
// at nearly every space.
func plain8(x uint64) bool {
	const ones, highs, lows uint64 = 0x0101010101010101, 0x8080808080808080, 0x7f7f7f7f7f7f7f7f
	if x&highs != 0 {
		return false // not ASCII
	}
	// With every byte below 0x80, adding to it cannot carry into the next.
	if (x+0x60*ones)&highs != highs || (x+ones)&highs != 0 {
		return false // a byte below ' ' or DEL
	}
	y := x ^ 0x20*ones
	sp := ^((y&lows + lows) | y) & highs // 0x80 where a byte is ' '
	return sp&(sp>>8) == 0 && sp>>63 == 0
}

// load8 returns the first eight bytes of s, little-endian: one load.
func load8(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// folder builds fold's output. Until the output first differs from the
// input, it only counts: the output is then src[:n], so text that is
// already normal costs no allocation.
type folder struct {
	src    string
	n      int
	copied bool // output differs from src and is in buf
	buf    []byte
	space  bool // a space is pending before the next text
	brk    bool // a paragraph break is pending before the next text
	text   bool // some text has been written
	ascii  bool
}

// sep writes the pending separator before text.
func (f *folder) sep() {
	if f.text {
		if f.brk {
			f.put("\n\n")
		} else if f.space {
			f.put(" ")
		}
	}
	f.brk, f.space, f.text = false, false, true
}

func (f *folder) newline() {
	f.brk = f.text
	f.space = false
}

func (f *folder) put(t string) {
	if !f.copied {
		if strings.HasPrefix(f.src[f.n:], t) {
			f.n += len(t)
			return
		}
		f.copied = true
		f.buf = make([]byte, f.n, len(f.src)+len(f.src)/8+8)
		copy(f.buf, f.src)
	}
	f.buf = append(f.buf, t...)
}
