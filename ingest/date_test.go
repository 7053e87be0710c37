package ingest

import (
	"runtime"
	"sync"
	"testing"
)

func TestParseDate(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"2020-04-10T08:00:00Z", "2020-04-10T08:00:00Z"},
		{"2020-04-10T10:00:00.5+02:00", "2020-04-10T08:00:00Z"},
		{"  2020-04-10  ", "2020-04-10T00:00:00Z"},
		// The forms the hand-written layouts stored raw.
		{"2020-03-02T05:03-0500", "2020-03-02T10:03:00Z"},
		{"2020-03-02T05:03:00+0000", "2020-03-02T05:03:00Z"},
		{"2020-03-02 10:00:00+00:00", "2020-03-02T10:00:00Z"},
		{"2020/04/07", "2020-04-07T00:00:00Z"},
		{"Tue Jan 28 10:00:00 CET 2020", "2020-01-28T09:00:00Z"},
		{"Mar 2, 2020", "2020-03-02T00:00:00Z"},
		{"1583139600", "2020-03-02T09:00:00Z"},
		{"1583139600000", "2020-03-02T09:00:00Z"},
		// The layouts that worked before still do.
		{"Thu, 09 Apr 2020 12:00:00 GMT", "2020-04-09T12:00:00Z"},
		{"Thu, 09 Apr 2020 12:00:00 +0200", "2020-04-09T10:00:00Z"},
		{"Thursday, 09-Apr-20 12:00:00 UTC", "2020-04-09T12:00:00Z"},
		{"Thu Apr  9 12:00:00 2020", "2020-04-09T12:00:00Z"},
		{"2020-04-09 12:00:00", "2020-04-09T12:00:00Z"},
		{"9 April 2020", "2020-04-09T00:00:00Z"},
		{"April 9, 2020", "2020-04-09T00:00:00Z"},
		// Day first with dots, other languages, zone abbreviations.
		{"10.04.2020", "2020-04-10T00:00:00Z"},
		{"10.04.2020 14:30", "2020-04-10T14:30:00Z"},
		{"10 avril 2020", "2020-04-10T00:00:00Z"},
		{"10. April 2020", "2020-04-10T00:00:00Z"},
		{"April 10, 2020 10:00 AM EST", "2020-04-10T15:00:00Z"},
		{"20200410", "2020-04-10T00:00:00Z"},
	} {
		got, ok := ParseDate(c.in)
		if !ok || got != c.want {
			t.Errorf("ParseDate(%q) = %q, %v; want %q", c.in, got, ok, c.want)
		}
	}
}

func TestParseDateRefuses(t *testing.T) {
	for _, in := range []string{
		"", "   ", "soon", "yesterday", "3 hours ago", "2020", "April 10",
		"not a date at all, just words", "2020-13-45",
	} {
		if got, ok := ParseDate(in); ok || got != "" {
			t.Errorf("ParseDate(%q) = %q, %v; want \"\", false", in, got, ok)
		}
	}
}

// The importer parses dates on every core at once.
func TestParseDateConcurrent(t *testing.T) {
	ins := []string{"10 avril 2020", "Tue Jan 28 10:00:00 CET 2020", "2020/04/07", "nonsense words"}
	want := make([]string, len(ins))
	for i, in := range ins {
		want[i], _ = ParseDate(in)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for k := range 20 {
				i := (g + k) % len(ins)
				if got, _ := ParseDate(ins[i]); got != want[i] {
					t.Errorf("ParseDate(%q) = %q, want %q", ins[i], got, want[i])
				}
			}
		})
	}
	wg.Wait()
}

// startAlloc is what the program has allocated once every package it
// links is initialised, before any test has parsed a date.
var startAlloc = func() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.TotalAlloc
}()

// go-dateparser's locale data (some 80 MB of maps and compiled
// expressions) is built the first time a date needs it, not when a
// program that links it starts: every command links it, through
// ingest and go-htmldate, and most never parse a date.
func TestDateparserLocaleDataIsLazy(t *testing.T) {
	const limit = 32 << 20
	if startAlloc > limit {
		t.Errorf("packages allocated %d MB when the program started; want under %d MB (is third_party/go-dateparser's lazy loading in use?)", startAlloc>>20, limit>>20)
	}
	// And it is built when needed: a date only go-dateparser reads.
	if got, ok := ParseDate("10 avril 2020"); !ok || got != "2020-04-10T00:00:00Z" {
		t.Errorf("ParseDate(10 avril 2020) = %q, %v", got, ok)
	}
}
