package dedupe

import (
	"slices"
	"sync"
	"unicode"
	"unicode/utf8"
)

// tokenClass is asciiWord for the bytes that the loop in ascii handles
// alone, and special for the rest: the first byte of a multi-byte rune,
// and '\n', which may start a paragraph break.
var tokenClass = func() (t [256]byte) {
	copy(t[:], asciiWord[:])
	for c := utf8.RuneSelf; c < len(t); c++ {
		t[c] = special
	}
	t['\n'] = special
	return t
}()

const special = 0x80

// A token's hash is FNV-1a over its lower-cased UTF-8 bytes. A loop that
// branches on each byte's class mispredicts at the end of every word (word
// lengths are random), which cost more than the hashing. The tokenizer
// steps through ASCII without branches: it stores the hash so far at
// every byte and counts it only where a word ends, and it starts a hash
// over by a conditional move.
type tokenizer struct {
	h      uint64   // the hash so far; fnvOffset between words
	in     uint64   // 1 in a word, else 0
	buf    []uint64 // room for every token and one more: ascii stores one past the last
	n      int      // tokens in buf
	breaks []int
}

// ascii tokenises text up to its first special byte and returns the
// number of bytes it took. The loop keeps its state in registers; it is
// a function of its own because Go's register allocator spills them in a
// larger one.
func (t *tokenizer) ascii(text string) int {
	h, in, n, buf := t.h, t.in, t.n, t.buf
	i := 0
	for ; i < len(text); i++ {
		w := uint64(tokenClass[text[i]])
		if w&special != 0 {
			break
		}
		buf[n] = h
		var sep uint64
		if w == 0 {
			sep = 1
		}
		n += int(in & sep)
		in = sep ^ 1
		x := (h ^ w) * fnvPrime
		if w == 0 {
			x = fnvOffset
		}
		h = x
	}
	t.h, t.in, t.n = h, in, n
	return i
}

// end ends the word in progress, if any.
func (t *tokenizer) end() {
	t.buf[t.n] = t.h
	t.n += int(t.in)
	t.h, t.in = fnvOffset, 0
}

// special handles the special byte at text[i] and the rune it starts, and
// returns the index after them.
func (t *tokenizer) special(text string, i int) int {
	if text[i] == '\n' {
		t.end()
		if i+1 < len(text) && text[i+1] == '\n' {
			t.breaks = append(t.breaks, t.n)
		}
		return i + 1
	}
	r, size := utf8.DecodeRuneInString(text[i:])
	if !isWordRune(r) {
		t.end()
		return i + size
	}
	var b [utf8.UTFMax]byte
	for _, x := range b[:utf8.EncodeRune(b[:], unicode.ToLower(r))] {
		t.h = (t.h ^ uint64(x)) * fnvPrime
	}
	t.in = 1
	return i + size
}

// maxPooledTokens bounds the buffers tokenBufs keeps: those of articles
// up to 256 KB.
const maxPooledTokens = 1 << 17

// tokenBufs holds tokenize's buffers between calls.
var tokenBufs = sync.Pool{New: func() any { return new(tokenizer) }}

// tokenize returns the hash of every token of text and, when paras is
// set, the number of tokens before each paragraph break ("\n\n").
func tokenize(text string, paras bool) (hs []uint64, breaks []int) {
	t := tokenBufs.Get().(*tokenizer)
	defer func() {
		// An enormous article's buffer is not kept for the next one.
		if cap(t.buf) > maxPooledTokens {
			t.buf = nil
		}
		tokenBufs.Put(t)
	}()
	// n bytes hold at most (n+1)/2 tokens.
	t.buf = slices.Grow(t.buf[:0], len(text)/2+2)
	t.buf = t.buf[:cap(t.buf)]
	t.h, t.in, t.n, t.breaks = fnvOffset, 0, 0, t.breaks[:0]
	for i := 0; i < len(text); {
		if i += t.ascii(text[i:]); i < len(text) {
			i = t.special(text, i)
		}
	}
	t.end()
	if paras && len(t.breaks) > 0 {
		breaks = slices.Clone(t.breaks)
	}
	return slices.Clone(t.buf[:t.n]), breaks
}
