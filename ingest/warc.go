package ingest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/textproto"
	"slices"
	"strconv"
	"strings"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zlib"
	"github.com/klauspost/compress/zstd"
)

// A WARC file (ISO 28500) is a sequence of records, each a version line
// ("WARC/1.0" or "WARC/1.1"), named header fields up to an empty line, a
// block of Content-Length bytes and two CRLFs.
//
// github.com/nlnwa/gowarc/v3 (v3.1.0) reads the same files but fails this
// package's tests where they matter most: after a Content-Length too
// large it either drops the record it swallowed without an error or, when
// the swallowed bytes are longer than its scan, stops with "no WARC record
// found" and loses the rest of the file; it returns a record cut by a
// Content-Length too small with no error; and it drops a WARC/1.0
// Target-URI written in angle brackets. It passes the blank-line, trailer,
// LF and spacing cases, and skips a large block in bounded memory. Hence
// this reader.

// WARCRecord is one record of a WARC file.
type WARCRecord struct {
	Type        string // WARC-Type: response, request, warcinfo, metadata, resource, revisit...
	TargetURI   string // WARC-Target-URI
	Date        string // WARC-Date
	ID          string // WARC-Record-ID
	ContentType string // Content-Type of the record (e.g. "application/http; msgtype=response")
	Block       []byte // the record block (Content-Length bytes)
}

// WARCError is a record Next could not read. Offset is where the record
// starts in the (decompressed) stream and Record its number, from 1.
type WARCError struct {
	Offset int64
	Record int
	Err    error
	read   bool // the reader failed: nothing more can be read
}

func (e *WARCError) Error() string {
	return fmt.Sprintf("warc: record %d at offset %d: %v", e.Record, e.Offset, e.Err)
}

func (e *WARCError) Unwrap() error { return e.Err }

// ErrWARCRecordTooLarge is wrapped in the WARCError that Next returns for a
// record whose block is larger than its limit. Unlike other errors, Next
// may be called again after it.
var ErrWARCRecordTooLarge = errors.New("record larger than the limit")

// ErrHTTPBodyTooLarge is returned by HTTPResponse for a body that is, or
// decodes to, more than its limit.
var ErrHTTPBodyTooLarge = errors.New("HTTP body larger than the limit")

const (
	warcMaxHeader = 64 << 10 // bytes in a record's header, version line included
	warcMaxFields = 1024     // named fields in a record's header
	httpMaxHeader = 256 << 10
	httpMaxFields = 1024
	httpMaxCoding = 8 // Transfer-Encoding and Content-Encoding codings, together
)

// WARCReader reads records one by one from a WARC/1.0 or WARC/1.1 stream.
// The stream must already be decompressed: a .warc.gz made of one gzip
// member per record decompresses as a whole with a gzip reader, which reads
// multistream by default.
//
// The reader is lenient where real files vary: LF is taken for CRLF,
// field names are case-insensitive, empty lines between records are
// skipped (so a missing or doubled trailer after a block is no error,
// and a Content-Length that is wrong shows as a bad version line on the
// next record), and a WARC/1.0 Target-URI in angle brackets is unwrapped.
// After a malformed record, reading goes on at the next line that is a
// version line: a wrong Content-Length loses that one record.
type WARCReader struct {
	br  *bufio.Reader
	src *replay // what br reads
	max int
	off int64 // bytes consumed from br
	n   int   // records started
	err error // sticky: the error that stopped reading

	atLineStart bool   // the last byte consumed ends a line
	version     []byte // a version line found by resync, not yet used
	versionOff  int64  // where it starts
}

// replay reads pending bytes, put back by the WARCReader, before r.
type replay struct {
	pending []byte
	r       io.Reader
}

func (p *replay) Read(b []byte) (int, error) {
	if len(p.pending) > 0 {
		n := copy(b, p.pending)
		p.pending = p.pending[n:]
		return n, nil
	}
	return p.r.Read(b)
}

// NewWARCReader returns a reader of the records in r. A record whose
// Content-Length exceeds maxRecord is skipped: its block is discarded
// without being buffered, and Next returns the record's header fields
// with a WARCError wrapping ErrWARCRecordTooLarge.
func NewWARCReader(r io.Reader, maxRecord int) *WARCReader {
	src := &replay{r: r}
	return &WARCReader{br: bufio.NewReaderSize(src, warcMaxHeader), src: src, max: max(maxRecord, 0), atLineStart: true}
}

// unread puts b back before what is still to be read; b is bytes just
// consumed.
func (w *WARCReader) unread(b []byte) {
	buffered, _ := w.br.Peek(w.br.Buffered())
	pending := make([]byte, 0, len(b)+len(buffered)+len(w.src.pending))
	pending = append(append(append(pending, b...), buffered...), w.src.pending...)
	w.src.pending = pending
	w.br.Reset(w.src)
	w.off -= int64(len(b))
	w.atLineStart = true
}

// isVersion reports whether a line, without its end of line, is a WARC
// version line.
func isVersion(line []byte) bool {
	v := bytes.TrimRight(line, " \t")
	return bytes.Equal(v, []byte("WARC/1.0")) || bytes.Equal(v, []byte("WARC/1.1"))
}

// resync reads up to the next version line at the start of a line and
// keeps it for next. It returns an error only if reading fails.
func (w *WARCReader) resync() error {
	for {
		start, atStart := w.off, w.atLineStart
		b, err := w.line()
		if atStart && err == nil && isVersion(trimEOL(b)) {
			w.version, w.versionOff = bytes.Clone(b), start
			return nil
		}
		switch {
		case err == io.EOF:
			return nil
		case err != nil && !errors.Is(err, bufio.ErrBufferFull):
			return err
		}
	}
}

// nextVersion finds, in a block whose Content-Length turned out wrong,
// the first line after its start that is a version line, or -1.
func nextVersion(block []byte) int {
	for i := 0; ; {
		k := bytes.Index(block[i:], []byte("\nWARC/1."))
		if k < 0 {
			return -1
		}
		i += k + 1
		if line, _, ok := cutLine(block[i:]); ok && isVersion(line) {
			return i
		}
	}
}

// Next returns the next record, or io.EOF after the last one. A record
// it cannot read is a *WARCError. After a truncated record
// (io.ErrUnexpectedEOF) or a failing reader, reading stops: Next returns
// the same error again. After a malformed record, Next goes on with the
// next line that is a version line. A record over the size limit is a
// *WARCError wrapping ErrWARCRecordTooLarge, returned with the record's
// header fields and no block, after which Next reads the following record.
func (w *WARCReader) Next() (WARCRecord, error) {
	if w.err != nil {
		return WARCRecord{}, w.err
	}
	rec, err := w.next()
	switch {
	case err == nil || err == io.EOF || errors.Is(err, ErrWARCRecordTooLarge):
	case warcFatal(err):
		w.err = err
	default:
		if rerr := w.resync(); rerr != nil {
			w.err = &WARCError{Offset: w.off, Record: w.n + 1, Err: rerr, read: true}
		}
	}
	return rec, err
}

// warcFatal reports whether err ends reading: a truncation or a failing
// reader. (Out of Next, whose every call would allocate werr.)
func warcFatal(err error) bool {
	var werr *WARCError
	return !errors.As(err, &werr) || errors.Is(err, io.ErrUnexpectedEOF) || werr.read
}

func (w *WARCReader) line() ([]byte, error) {
	b, err := w.br.ReadSlice('\n')
	w.off += int64(len(b))
	if len(b) > 0 {
		w.atLineStart = b[len(b)-1] == '\n'
	}
	return b, err
}

func trimEOL(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte("\n"))
	return bytes.TrimSuffix(b, []byte("\r"))
}

func (w *WARCReader) next() (WARCRecord, error) {
	var rec WARCRecord
	// Skip the empty lines that end the previous record.
	var start int64
	var b []byte
	for {
		var err error
		start = w.off
		if w.version != nil {
			b, start, w.version = w.version, w.versionOff, nil
		} else {
			b, err = w.line()
		}
		if err == io.EOF && len(bytes.Trim(b, "\r\n")) == 0 {
			return rec, io.EOF
		}
		if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
			w.n++
			return rec, &WARCError{Offset: start, Record: w.n, Err: err, read: true}
		}
		if err == nil && len(trimEOL(b)) == 0 {
			continue
		}
		w.n++
		fail := func(format string, args ...any) (WARCRecord, error) {
			return rec, &WARCError{Offset: start, Record: w.n, Err: fmt.Errorf(format, args...)}
		}
		version := trimEOL(b)
		if err == io.EOF && (bytes.HasPrefix([]byte("WARC/1.0"), version) || bytes.HasPrefix([]byte("WARC/1.1"), version)) {
			return fail("truncated version line: %w", io.ErrUnexpectedEOF)
		}
		if !isVersion(version) {
			why := ""
			if w.n > 1 {
				why = "; the Content-Length of the record before may be too small"
			}
			return fail("bad version line %q (want WARC/1.0 or WARC/1.1)%s", clip(version, 40), why)
		}
		if err == io.EOF {
			return fail("truncated header: %w", io.ErrUnexpectedEOF)
		}
		break
	}
	fail := func(format string, args ...any) (WARCRecord, error) {
		return rec, &WARCError{Offset: start, Record: w.n, Err: fmt.Errorf(format, args...)}
	}

	// Named fields up to an empty line.
	size, fields := len(b), 0
	var length string
	haveLength := false
	var last *string // the field a continuation line extends, if kept
	for {
		b, err := w.line()
		size += len(b)
		switch {
		case size > warcMaxHeader || errors.Is(err, bufio.ErrBufferFull):
			return fail("header larger than %d bytes", warcMaxHeader)
		case err == io.EOF:
			return fail("truncated header: %w", io.ErrUnexpectedEOF)
		case err != nil:
			return rec, &WARCError{Offset: start, Record: w.n, Err: err, read: true}
		}
		line := trimEOL(b)
		if len(line) == 0 {
			break
		}
		if line[0] == ' ' || line[0] == '\t' {
			if fields == 0 {
				return fail("continuation line before any field")
			}
			if last != nil {
				if v := bytes.TrimSpace(line); len(v) > 0 {
					*last += " " + string(v)
				}
			}
			continue
		}
		if fields++; fields > warcMaxFields {
			return fail("more than %d header fields", warcMaxFields)
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		name = bytes.TrimSpace(name)
		if !ok || len(name) == 0 || bytes.ContainsAny(name, " \t") {
			return fail("malformed header line %q", clip(line, 40))
		}
		v := string(bytes.TrimSpace(value))
		last = nil
		switch {
		case fieldIs(name, "WARC-Type"):
			rec.Type, last = v, &rec.Type
		case fieldIs(name, "WARC-Target-URI"):
			rec.TargetURI, last = v, &rec.TargetURI
		case fieldIs(name, "WARC-Date"):
			rec.Date, last = v, &rec.Date
		case fieldIs(name, "WARC-Record-ID"):
			rec.ID, last = v, &rec.ID
		case fieldIs(name, "Content-Type"):
			rec.ContentType, last = v, &rec.ContentType
		case fieldIs(name, "Content-Length"):
			if haveLength && v != length {
				return fail("conflicting Content-Length %q and %q", clip([]byte(length), 20), clip([]byte(v), 20))
			}
			length, haveLength, last = v, true, &length
		}
	}
	if u := rec.TargetURI; len(u) >= 2 && u[0] == '<' && u[len(u)-1] == '>' {
		rec.TargetURI = u[1 : len(u)-1]
	}

	if !haveLength {
		return fail("missing Content-Length")
	}
	n, err := strconv.ParseInt(length, 10, 64)
	switch {
	case err == nil && n < 0:
		return fail("negative Content-Length %d", n)
	case err != nil || length[0] < '0' || length[0] > '9':
		return fail("invalid Content-Length %q", clip([]byte(length), 20))
	}

	if n > int64(w.max) {
		// Discard the block in pieces, never holding it.
		for left := n; left > 0; {
			k, err := w.br.Discard(int(min(left, 1<<30)))
			w.off += int64(k)
			left -= int64(k)
			if err == io.EOF {
				return fail("truncated block (%d of %d bytes): %w", n-left, n, io.ErrUnexpectedEOF)
			}
			if err != nil {
				return rec, &WARCError{Offset: start, Record: w.n, Err: err, read: true}
			}
		}
		return rec, &WARCError{Offset: start, Record: w.n,
			Err: fmt.Errorf("%w: Content-Length %d, limit %d", ErrWARCRecordTooLarge, n, w.max)}
	}
	rec.Block, err = readBlock(w.br, int(n))
	w.off += int64(len(rec.Block))
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return fail("truncated block (%d of %d bytes): %w", len(rec.Block), n, io.ErrUnexpectedEOF)
	}
	if err != nil {
		return rec, &WARCError{Offset: start, Record: w.n, Err: err, read: true}
	}
	// A block that does not end where the next record starts (after
	// blank lines) but holds a version line has a Content-Length too
	// large: it swallowed the start of the next record, which is read
	// again from there. Junk after a block, as from a Content-Length too
	// small, is reported by the next call as a bad version line.
	next, perr := w.br.Peek(16)
	if rest := bytes.TrimLeft(next, "\r\n"); len(rest) > 0 &&
		!bytes.HasPrefix(rest, []byte("WARC/")) && !(perr != nil && bytes.HasPrefix([]byte("WARC/"), rest)) {
		if i := nextVersion(rec.Block); i >= 0 {
			w.unread(rec.Block[i:])
			return fail("Content-Length %d does not end the record: the block holds the next record's header", n)
		}
	}
	return rec, nil
}

// readBlock reads n bytes, growing its buffer as data arrives, so that a
// truncated file with a large Content-Length does not allocate it all.
func readBlock(r io.Reader, n int) ([]byte, error) {
	const step = 1 << 20
	if n <= step {
		b := make([]byte, n)
		k, err := io.ReadFull(r, b)
		return b[:k], err
	}
	b := make([]byte, 0, step)
	for len(b) < n {
		if len(b) == cap(b) {
			b = slices.Grow(b, min(n-len(b), cap(b)))
		}
		k, err := io.ReadFull(r, b[len(b):min(cap(b), n)])
		b = b[:len(b)+k]
		if err != nil {
			return b, err
		}
	}
	return b, nil
}

func fieldIs(name []byte, want string) bool {
	return len(name) == len(want) && strings.EqualFold(string(name), want)
}

// clip shortens b for an error message.
func clip(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "..."
	}
	return string(b)
}

// cutLine returns the first line of b without its end of line (LF or
// CRLF) and the rest; ok is false when b holds no end of line.
func cutLine(b []byte) (line, rest []byte, ok bool) {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return b, nil, false
	}
	return trimEOL(b[:i+1]), b[i+1:], true
}

// HTTPResponse splits an "application/http; msgtype=response" block into
// its status code, header and body. Interim 1xx responses before the final
// one are passed over. The body is decoded from its Transfer-Encoding
// (chunked) and Content-Encoding (gzip, x-gzip, deflate, br, zstd);
// a body that is, or decodes to, more than maxBody bytes is an error
// wrapping ErrHTTPBodyTooLarge. On a body error the status and header are
// still returned.
//
// Leniency for what crawlers store: LF is taken for CRLF, header lines
// without a colon are ignored, a "chunked" body that does not start with a
// chunk size is taken as already unchunked, and a "gzip" body without the
// gzip magic number as already decoded.
func HTTPResponse(block []byte, maxBody int) (status int, header textproto.MIMEHeader, body []byte, err error) {
	status, header, rest, err := httpHead(block)
	if err != nil {
		return 0, nil, nil, err
	}
	body, err = httpBody(header, rest, maxBody)
	return status, header, body, err
}

// httpHead parses the status line and header of a response and returns
// them with the undecoded body.
func httpHead(block []byte) (status int, header textproto.MIMEHeader, body []byte, err error) {
	for {
		line, rest, ok := cutLine(block)
		if !ok {
			return 0, nil, nil, errors.New("truncated HTTP status line")
		}
		status, err = httpStatus(line)
		if err != nil {
			return 0, nil, nil, err
		}
		header, body, err = httpFields(rest)
		if err != nil {
			return 0, nil, nil, err
		}
		if status >= 200 || status == 101 {
			return status, header, body, nil
		}
		block = body // 100 Continue, 102, 103: the real response follows
	}
}

func httpStatus(line []byte) (int, error) {
	bad := func() (int, error) { return 0, fmt.Errorf("bad HTTP status line %q", clip(line, 40)) }
	version, rest, _ := bytes.Cut(line, []byte(" "))
	if !bytes.HasPrefix(version, []byte("HTTP/")) {
		return bad()
	}
	rest = bytes.TrimLeft(rest, " ")
	if len(rest) < 3 || (len(rest) > 3 && rest[3] != ' ' && rest[3] != '\t') {
		return bad()
	}
	code := 0
	for _, c := range rest[:3] {
		if c < '0' || c > '9' {
			return bad()
		}
		code = code*10 + int(c-'0')
	}
	if code < 100 {
		return bad()
	}
	return code, nil
}

// httpFields parses header fields up to an empty line.
func httpFields(b []byte) (textproto.MIMEHeader, []byte, error) {
	h := make(textproto.MIMEHeader)
	start, n := len(b), 0
	var last []string // the values of the field a continuation extends
	for {
		line, rest, ok := cutLine(b)
		if !ok {
			return nil, nil, errors.New("truncated HTTP header")
		}
		if start-len(rest) > httpMaxHeader {
			return nil, nil, fmt.Errorf("HTTP header larger than %d bytes", httpMaxHeader)
		}
		b = rest
		if len(line) == 0 {
			return h, b, nil
		}
		if line[0] == ' ' || line[0] == '\t' {
			if len(last) > 0 {
				if v := bytes.TrimSpace(line); len(v) > 0 {
					last[len(last)-1] += " " + string(v)
				}
			}
			continue
		}
		last = nil
		name, value, ok := bytes.Cut(line, []byte(":"))
		name = bytes.TrimSpace(name)
		if !ok || len(name) == 0 {
			continue
		}
		if n++; n > httpMaxFields {
			return nil, nil, fmt.Errorf("more than %d HTTP header fields", httpMaxFields)
		}
		key := textproto.CanonicalMIMEHeaderKey(string(name))
		h[key] = append(h[key], string(bytes.TrimSpace(value)))
		last = h[key]
	}
}

// codings returns the comma-separated codings of a header, lower-cased,
// identity left out.
func codings(h textproto.MIMEHeader, key string) []string {
	var out []string
	for _, v := range h.Values(key) {
		for _, c := range strings.Split(v, ",") {
			c = strings.ToLower(strings.TrimSpace(c))
			if c != "" && c != "identity" {
				out = append(out, c)
			}
		}
	}
	return out
}

// httpBody undoes the transfer and content codings of a body, last applied
// first.
func httpBody(h textproto.MIMEHeader, body []byte, maxBody int) ([]byte, error) {
	te, ce := codings(h, "Transfer-Encoding"), codings(h, "Content-Encoding")
	if len(te)+len(ce) > httpMaxCoding {
		return nil, fmt.Errorf("more than %d content and transfer codings", httpMaxCoding)
	}
	var err error
	for _, list := range [][]string{te, ce} {
		for i := len(list) - 1; i >= 0; i-- {
			if body, err = decode(list[i], body, maxBody); err != nil {
				return nil, err
			}
		}
	}
	if len(body) > maxBody {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrHTTPBodyTooLarge, len(body), maxBody)
	}
	return body, nil
}

func decode(coding string, b []byte, maxBody int) ([]byte, error) {
	var r io.Reader
	switch coding {
	case "chunked":
		return dechunk(b)
	case "gzip", "x-gzip":
		if !bytes.HasPrefix(b, []byte{0x1f, 0x8b}) {
			return b, nil // stored decoded
		}
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return nil, prefixed("gzip", err)
		}
		defer zr.Close()
		r = zr
	case "deflate":
		// Meant to be zlib, often raw deflate: tell by the zlib header.
		if len(b) >= 2 && b[0]&0x0f == 8 && b[0]>>4 <= 7 && (uint(b[0])<<8|uint(b[1]))%31 == 0 {
			zr, err := zlib.NewReader(bytes.NewReader(b))
			if err != nil {
				return nil, prefixed("deflate", err)
			}
			defer zr.Close()
			r = zr
		} else {
			fr := flate.NewReader(bytes.NewReader(b))
			defer fr.Close()
			r = fr
		}
	case "br":
		// Brotli's window is at most 16 MiB: the memory is bounded.
		r = brotli.NewReader(bytes.NewReader(b))
	case "zstd":
		zr, err := zstd.NewReader(bytes.NewReader(b), zstd.WithDecoderConcurrency(1),
			zstd.WithDecoderMaxMemory(uint64(maxBody)+1<<20), zstd.WithDecoderLowmem(true))
		if err != nil {
			return nil, prefixed("zstd", err)
		}
		defer zr.Close()
		r = zr
	default:
		return nil, fmt.Errorf("unsupported encoding %q", clip([]byte(coding), 20))
	}
	out, err := io.ReadAll(io.LimitReader(r, int64(maxBody)+1))
	if err != nil {
		return nil, prefixed(coding, err)
	}
	if len(out) > maxBody {
		return nil, fmt.Errorf("%w: %s body decodes to more than %d bytes", ErrHTTPBodyTooLarge, coding, maxBody)
	}
	return out, nil
}

// dechunk undoes chunked transfer coding. The output is never longer than
// the input. A body that does not start with a chunk size is returned as
// is: some tools store the body unchunked but keep the header.
func dechunk(b []byte) ([]byte, error) {
	var out []byte
	for first := true; ; first = false {
		line, rest, ok := cutLine(b)
		size, valid := chunkSize(line)
		if !ok || !valid {
			if first {
				return b, nil
			}
			if !ok && len(line) == 0 {
				return nil, fmt.Errorf("chunked: %w (no last chunk)", io.ErrUnexpectedEOF)
			}
			return nil, fmt.Errorf("chunked: bad chunk size line %q", clip(line, 20))
		}
		if size == 0 {
			if out == nil {
				out = []byte{}
			}
			return out, nil // trailers, if any, are ignored
		}
		if size > len(rest) {
			return nil, fmt.Errorf("chunked: %w (chunk of %d bytes, %d left)", io.ErrUnexpectedEOF, size, len(rest))
		}
		if out == nil {
			out = make([]byte, 0, len(b))
		}
		out = append(out, rest[:size]...)
		b = rest[size:]
		switch {
		case bytes.HasPrefix(b, []byte("\r\n")):
			b = b[2:]
		case bytes.HasPrefix(b, []byte("\n")):
			b = b[1:]
		case len(b) == 0:
			return nil, fmt.Errorf("chunked: %w (no last chunk)", io.ErrUnexpectedEOF)
		default:
			return nil, errors.New("chunked: missing CRLF after chunk data")
		}
	}
}

// chunkSize parses a chunk size line: hex digits, optionally followed by
// ";extensions" or spaces.
func chunkSize(line []byte) (int, bool) {
	size, digits := 0, 0
	for _, c := range line {
		var d int
		switch {
		case '0' <= c && c <= '9':
			d = int(c - '0')
		case 'a' <= c && c <= 'f':
			d = int(c-'a') + 10
		case 'A' <= c && c <= 'F':
			d = int(c-'A') + 10
		case c == ';' || c == ' ' || c == '\t':
			return size, digits > 0
		default:
			return 0, false
		}
		if digits++; digits > 12 {
			return 0, false
		}
		size = size<<4 | d
	}
	return size, digits > 0
}

// mediaTypeIs reports whether a Content-Type value, parameters aside, is
// one of the given media types (ignoring case).
func mediaTypeIs(contentType string, types ...string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.TrimSpace(mt)
	for _, t := range types {
		if strings.EqualFold(mt, t) {
			return true
		}
	}
	return false
}

// warcBlockLimit is the cap on a WARC record's block for a --max-bytes of
// maxBytes: twice maxBytes, and at least 1 MiB, since the block holds the
// HTTP header and possibly a chunked or compressed body, whose decoded
// size is checked against maxBytes itself.
func warcBlockLimit(maxBytes int) int {
	if maxBytes > (1<<62)/2 {
		return 1 << 62
	}
	return max(2*maxBytes, 1<<20)
}

// warcItems reads a WARC file for Read, one item per HTML page: a
// "response" record whose HTTP status is 200 and Content-Type text/html or
// application/xhtml+xml, or a "resource" record of that Content-Type.
// Other records are passed over, and Options.Skipped is told of each. Items are named FILE#N, N counting every
// record from 1. A record over the size limit is rejected and reading goes
// on; so is a malformed record, reading going on at the next record
// header. A truncated record is rejected and ends the file, the items
// before it kept.
func (r *reader) warcItems(name string, in io.Reader) error {
	wr := NewWARCReader(in, warcBlockLimit(r.opts.MaxBytes))
	for n := 1; ; n++ {
		if err := r.ctx.Err(); err != nil {
			return err
		}
		rec, err := wr.Next()
		if err == io.EOF {
			return nil
		}
		ref := name + "#" + strconv.Itoa(n)
		if err != nil {
			var werr *WARCError
			if !errors.As(err, &werr) {
				return r.bad(Rejection{Ref: ref, Reason: "read: " + err.Error()})
			}
			if errors.Is(err, ErrWARCRecordTooLarge) {
				if rerr := r.bad(Rejection{Ref: ref, Reason: fmt.Sprintf("WARC record larger than %d bytes (twice --max-bytes, at least 1 MiB); skipped", wr.max)}); rerr != nil {
					return rerr
				}
				continue
			}
			if errors.Is(err, io.ErrUnexpectedEOF) || werr.read {
				what := "truncated"
				if !errors.Is(err, io.ErrUnexpectedEOF) {
					what = "unreadable"
				}
				return r.bad(Rejection{Ref: ref, Reason: fmt.Sprintf("%s WARC record at offset %d: %v; the rest of the file is skipped", what, werr.Offset, werr.Err)})
			}
			if rerr := r.bad(Rejection{Ref: ref, Reason: fmt.Sprintf("invalid WARC record at offset %d: %v; skipped to the next record", werr.Offset, werr.Err)}); rerr != nil {
				return rerr
			}
			continue
		}
		body, charset, skip, reason := warcPage(rec, r.opts.MaxBytes)
		if reason != "" {
			if rerr := r.bad(Rejection{Ref: ref, Reason: reason}); rerr != nil {
				return rerr
			}
			continue
		}
		if body == nil {
			if r.opts.Skipped != nil {
				r.opts.Skipped(skip)
			}
			continue
		}
		// WARC-Date is when the page was crawled, not when it was
		// published: the page says that, if anything does.
		it := Item{Ref: ref, Format: FormatHTML, Data: body, Charset: charset,
			Meta: Article{URL: rec.TargetURI, Crawled: rec.Date}}
		if err := r.fn(it); err != nil {
			return err
		}
	}
}

// warcPage returns the HTML page a record holds with the charset its
// HTTP header names, or why it cannot be taken (reason), or, for a record
// that holds no page, what kind of record it is (skip).
func warcPage(rec WARCRecord, maxBytes int) (page []byte, charset, skip, reason string) {
	tooLarge := func() string { return fmt.Sprintf("page larger than %d bytes (--max-bytes)", maxBytes) }
	switch {
	case strings.EqualFold(rec.Type, "response"):
		if !mediaTypeIs(rec.ContentType, "application/http") &&
			(rec.ContentType != "" || !bytes.HasPrefix(rec.Block, []byte("HTTP/"))) {
			return nil, "", SkipNotHTTP, "" // dns:, or another protocol
		}
		status, h, rest, err := httpHead(rec.Block)
		if err != nil {
			return nil, "", "", "invalid HTTP response: " + err.Error()
		}
		if status != 200 {
			return nil, "", SkipNot200, ""
		}
		if !mediaTypeIs(h.Get("Content-Type"), "text/html", "application/xhtml+xml") {
			return nil, "", SkipNotHTML, ""
		}
		body, err := httpBody(h, rest, maxBytes)
		switch {
		case errors.Is(err, ErrHTTPBodyTooLarge):
			return nil, "", "", tooLarge()
		case err != nil:
			return nil, "", "", "HTTP body: " + err.Error()
		}
		if body == nil {
			body = []byte{}
		}
		return body, htmlCharsetParam(h.Get("Content-Type")), "", ""
	case strings.EqualFold(rec.Type, "resource"):
		if !mediaTypeIs(rec.ContentType, "text/html", "application/xhtml+xml") {
			return nil, "", SkipResourceNotHTML, ""
		}
		if len(rec.Block) > maxBytes {
			return nil, "", "", tooLarge()
		}
		if rec.Block == nil {
			return []byte{}, htmlCharsetParam(rec.ContentType), "", ""
		}
		return rec.Block, htmlCharsetParam(rec.ContentType), "", ""
	}
	return nil, "", warcSkipType(rec.Type), ""
}

// What Options.Skipped is told of WARC records that hold no page to
// import, besides the record types of ISO 28500 (warcinfo, request,
// metadata, revisit, conversion, continuation).
const (
	SkipNotHTTP         = "response (not HTTP)"
	SkipNot200          = "response (HTTP status not 200)"
	SkipNotHTML         = "response (not HTML)"
	SkipResourceNotHTML = "resource (not HTML)"
	SkipOther           = "other record type"
)

// warcSkipType names a record type for Options.Skipped: one of the
// standard's, or SkipOther, so that a file cannot make the counts grow
// without bound.
func warcSkipType(typ string) string {
	typ = strings.ToLower(typ)
	switch typ {
	case "warcinfo", "request", "metadata", "revisit", "conversion", "continuation":
		return typ
	}
	return SkipOther
}
