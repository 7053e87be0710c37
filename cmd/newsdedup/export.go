package main

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/newsdedup/newsdedup/cmd/newsdedup/export"
	"github.com/newsdedup/newsdedup/ingest"
	"github.com/newsdedup/newsdedup/store"
)

func exportCommand() *cli.Command {
	return &cli.Command{
		Name:  "export",
		Usage: "write the cleaned corpus: one canonical article per cluster plus every singleton",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Value: "jsonl", Usage: "output `FORMAT`: jsonl, csv, parquet, or txt (a folder of .txt files named by id)"},
			&cli.BoolFlag{Name: "variants", Usage: "export every article with its cluster and relation"},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Value: "-", Usage: "write to `FILE` (- for standard output; a folder for txt)"},
			&cli.StringFlag{Name: "source", Usage: "only articles of this `SOURCE`"},
			&cli.StringFlag{Name: "since", Usage: "only articles published on or after `DATE` (2024-03-01, 2024-3-1, 2024-03, RFC 3339, yesterday, 7 days ago)"},
			&cli.StringFlag{Name: "until", Usage: "only articles published on or before `DATE` (its whole day when it has no time)"},
			&cli.IntFlag{Name: "min-cluster-size", Usage: "only articles of clusters of at least `N` articles"},
			&cli.StringFlag{Name: "clusters", Usage: "also write every article's cluster and canonical to this CSV `FILE`"},
		},
		Action: func(c *cli.Context) error {
			now := time.Now()
			since, err := dateBound("--since", c.String("since"), now)
			if err != nil {
				return err
			}
			until, err := dateBound("--until", c.String("until"), now)
			if err != nil {
				return err
			}
			f := store.ExportFilter{
				Variants: c.Bool("variants"), Source: c.String("source"),
				Since: since, Until: until,
				MinClusterSize: c.Int("min-cluster-size"),
			}
			o := export.Options{Format: c.String("format"), Output: c.String("output"), Clusters: c.String("clusters"), Filter: f}
			if err := o.Check(); err != nil {
				return usageError{"export: " + err.Error()}
			}
			return withDB(c, func(ctx context.Context, db *store.DB) error {
				return export.Write(ctx, db, o, c.App.Writer)
			})
		},
	}
}

// dateBound turns a --since or --until value into what the store
// compares published dates with: a date without a time becomes a day
// (2024-03-01), a year or a month a prefix (2024, 2024-03), which the
// store compares as prefixes so that --until takes in the whole of its
// last day or month; a date with a time becomes RFC 3339 UTC, as stored.
// Relative days (today, yesterday, 7 days ago) count back from now, in
// UTC as the stored dates are. What does not parse is a usage error: a
// bound compared as a string matches the wrong articles and says nothing.
func dateBound(flag, s string, now time.Time) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	if m := datePrefix.FindStringSubmatch(s); m != nil {
		if d, ok := prefixBound(m[1], m[2], m[3]); ok {
			return d, nil
		}
	} else if d, ok := relativeDay(s, now); ok {
		return d, nil
	} else if d, ok := ingest.ParseDate(s); ok {
		if !strings.ContainsRune(s, ':') && strings.HasSuffix(d, "T00:00:00Z") {
			// "Mar 2, 2020" names a day, not its first second.
			return d[:len("2006-01-02")], nil
		}
		return d, nil
	}
	return "", usageError{fmt.Sprintf("export: %s %q is not a date (want 2024-03-01, 2024-3-1, 2024-03, RFC 3339, today, yesterday or N days ago)", flag, s)}
}

// datePrefix matches a year, a year and month, or a date, with one- or
// two-digit months and days.
var datePrefix = regexp.MustCompile(`^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$`)

// prefixBound writes a year, month and day (month and day may be empty)
// with two-digit months and days; false when there is no such date.
func prefixBound(year, month, day string) (string, bool) {
	in, layout, out := year+"-"+month+"-"+day, "2006-1-2", "2006-01-02"
	switch {
	case month == "":
		return year, true
	case day == "":
		in, layout, out = year+"-"+month, "2006-1", "2006-01"
	}
	t, err := time.Parse(layout, in)
	if err != nil {
		return "", false
	}
	return t.Format(out), true
}

// relativeDay reads today, yesterday and "N days ago" (or weeks,
// months, years) as the UTC day that many back from now.
func relativeDay(s string, now time.Time) (string, bool) {
	now = now.UTC()
	day := func(t time.Time) (string, bool) { return t.Format("2006-01-02"), true }
	switch strings.ToLower(s) {
	case "today":
		return day(now)
	case "yesterday":
		return day(now.AddDate(0, 0, -1))
	}
	f := strings.Fields(strings.ToLower(s))
	if len(f) != 3 || f[2] != "ago" {
		return "", false
	}
	n, err := strconv.Atoi(f[0])
	if err != nil || n < 0 || n > 100000 {
		return "", false
	}
	switch strings.TrimSuffix(f[1], "s") {
	case "day":
		return day(now.AddDate(0, 0, -n))
	case "week":
		return day(now.AddDate(0, 0, -7*n))
	case "month":
		return day(now.AddDate(0, -n, 0))
	case "year":
		return day(now.AddDate(-n, 0, 0))
	}
	return "", false
}
