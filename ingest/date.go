package ingest

import (
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/araddon/dateparse"
	dps "github.com/markusmobius/go-dateparser"
)

// ParseDate returns the date s names as RFC 3339 in UTC, so that dates
// compare as strings, and whether it understood s at all; "" and false
// when it did not. It is safe for concurrent use.
//
// RFC 3339 is read directly; other numeric and English forms (ISO 8601
// variants, RFC 1123 and 850, ANSI C, "Mar 2, 2020", 2020/04/07, epoch
// seconds or milliseconds) by github.com/araddon/dateparse, which costs
// nothing to set up. What it cannot read, or reads with a zone
// abbreviation it does not know the offset of (CET, EST), goes to
// github.com/markusmobius/go-dateparser, which knows dates in some two
// hundred languages and the zone abbreviations, and takes a moment to
// set up the first time. Dates without a day, month and year, and
// relative ones ("yesterday"), are not understood: an article's date
// must not depend on when it is imported.
func ParseDate(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 200 {
		return "", false
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return utc(t)
	}
	if t, ok := dottedDate(s); ok {
		return utc(t)
	}
	if !hasZoneName(s) && !yearOnly(s) {
		if t, err := dateparse.ParseIn(s, time.UTC); err == nil && knownZone(t) {
			return utc(t)
		}
	}
	return slowDate(s)
}

func utc(t time.Time) (string, bool) {
	if t.Year() < 1 || t.Year() > 9999 {
		return "", false
	}
	return t.UTC().Format(time.RFC3339), true
}

// dottedDate reads DD.MM.YYYY, which dateparse takes for MM.DD.YYYY:
// dots are the European way of writing a date, day first.
func dottedDate(s string) (time.Time, bool) {
	date, clock, _ := strings.Cut(s, " ")
	parts := strings.Split(date, ".")
	if len(parts) != 3 || len(parts[2]) != 4 || len(parts[0]) > 2 || len(parts[1]) > 2 {
		return time.Time{}, false
	}
	for _, layout := range []string{"2.1.2006", "2.1.2006 15:04", "2.1.2006 15:04:05"} {
		if t, err := time.Parse(layout, strings.TrimSpace(date+" "+clock)); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// knownZone reports whether t's offset is known: dateparse gives a zone
// abbreviation it cannot resolve (CET) a made-up zone of offset zero.
func knownZone(t time.Time) bool {
	name, off := t.Zone()
	if off != 0 {
		return true
	}
	switch name {
	case "", "UTC", "GMT", "Z", "UT":
		return true
	}
	return false
}

// hasZoneName reports whether s holds a word that may be a time zone's
// abbreviation (CET, EST): dateparse leaves some out, or reads them as
// UTC, instead of saying that it does not know them.
func hasZoneName(s string) bool {
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return r < 'A' || r > 'Z' }) {
		switch w {
		case "T", "Z", "AM", "PM", "UT", "UTC", "GMT":
			continue
		}
		if len(w) >= 2 && len(w) <= 5 {
			return true
		}
	}
	return false
}

// yearOnly reports whether s is a bare number too short to be epoch
// seconds, which dateparse reads as a year or a day of 1970.
func yearOnly(s string) bool {
	if _, err := strconv.ParseUint(s, 10, 64); err != nil {
		return false
	}
	return len(s) < 9 && len(s) != 8 // 20200410 is a date
}

// slow holds the go-dateparser set up on first use: its locale data
// takes a moment to load, which no command should pay before it meets a
// date that needs it.
var slow = sync.OnceValues(func() (*dps.Parser, *dps.Configuration) {
	p := &dps.Parser{ParserTypes: []dps.ParserType{dps.Timestamp, dps.CustomFormat, dps.AbsoluteTime}}
	cfg := &dps.Configuration{
		DefaultTimezone: time.UTC,
		// A day, month and year or nothing: a date without a year
		// would take the current one.
		StrictParsing: true,
	}
	return p, cfg
})

func slowDate(s string) (string, bool) {
	p, cfg := slow()
	// The parser locks itself; the configuration is only read.
	d, err := p.Parse(cfg, s)
	if err != nil || d.IsZero() {
		return "", false
	}
	return utc(d.Time)
}
