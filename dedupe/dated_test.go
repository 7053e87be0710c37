package dedupe

import (
	"strings"
	"testing"
	"time"
)

func TestSetAsideFigures(t *testing.T) {
	p := Params{DateWindow: 96 * time.Hour}
	day := time.Date(2024, 3, 4, 9, 0, 0, 0, time.UTC)
	report := func(amount, rate, weekday string, date int) string {
		return "The central bank sold " + amount + " billion in seven-day repos at " + rate + "% on " + weekday + ", March " + string(rune('0'+date)) + ".\n\nDealers said demand was steady."
	}
	story := "Flooding closed 14 roads and 3 schools in the valley.\n\nCrews worked through the night."
	update := "Rain eased by noon, the agency said, after 120 mm fell.\n\n" + story + " Two bridges reopened by 6 pm."
	cases := []struct {
		name  string
		a, b  string
		gap   time.Duration
		aside bool
	}{
		{"a report filed again with new figures", report("2.5", "1.8", "Monday", 4), report("3.1", "1.8", "Tuesday", 5), 24 * time.Hour, true},
		{"a report whose only change is its date", report("2.5", "1.8", "Monday", 4), report("2.5", "1.8", "Thursday", 7), 72 * time.Hour, true},
		{"the same report re-sent", report("2.5", "1.8", "Friday", 1), report("2.5", "1.8", "Friday", 1), 50 * time.Hour, false},
		{"new figures within a day", report("2.5", "1.8", "Monday", 4), report("3.1", "1.8", "Monday", 4), 3 * time.Hour, false},
		{"an update with a new lead and an added sentence", story, update, 30 * time.Hour, false},
		{"page date lines that differ", "Updated: 2024-03-04 10:32\n\n" + story, "Sun 10 Mar 2024 16.26\n\n" + story, 40 * time.Hour, false},
		{"further apart than the window, no figure in common", "Crews worked through the night.", "Crews worked through the night again.", 100 * time.Hour, true},
		{"a story published again, its figures the same", story, story + " More.", 10 * 24 * time.Hour, false},
		{"a template filed again a week later", report("2.5", "1.8", "Monday", 4), report("2.5", "1.8", "Monday", 1), 7 * 24 * time.Hour, true},
		{"a publication date unknown", report("2.5", "1.8", "Monday", 4), report("3.1", "2.0", "Monday", 4), 0, false},
	}
	for _, c := range cases {
		a := Dated{Published: day, Figures: Figures(c.a)}
		b := Dated{Published: day.Add(c.gap), Figures: Figures(c.b)}
		if c.gap == 0 {
			b.Published = time.Time{}
		}
		why := p.SetAside(a, b)
		if (why != "") != c.aside {
			t.Errorf("%s: SetAside = %q, want set aside %v", c.name, why, c.aside)
		}
	}
}

func TestFigures(t *testing.T) {
	got := Figures("Sales rose 4.5% to 1,200 units on the A320 line.\n\nPublished 2 January 2024, 15:04")
	var values []string
	for _, f := range got {
		values = append(values, figureContext(f)+"="+figureValue(f))
	}
	want := "# to=1200 sales rose=4.5"
	if strings.Join(values, " ") != want {
		t.Errorf("Figures = %q, want %q", values, want)
	}
}
