package dedupe

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestLearnSiteText(t *testing.T) {
	const footer1, footer2, story, nav = 1, 2, 3, 4
	var docs []Holder
	cluster := int64(0)
	add := func(src string, ps ...uint64) {
		slices.Sort(ps)
		cluster++
		docs = append(docs, Holder{Source: src, Cluster: cluster, Passages: slices.Compact(ps)})
	}
	same := func() { docs[len(docs)-1].Cluster = docs[len(docs)-2].Cluster }
	// Six short articles of one site, each with its footer and its story;
	// the fourth re-published once.
	for i := range uint64(6) {
		add("site", footer1, footer2, nav, 100+i)
	}
	add("site", footer1, footer2, nav, 103)
	// Seven versions of one story of that site, in one cluster, each with
	// a new lead; and six of another, in two clusters, each sharing a
	// paragraph with the next.
	for i := range uint64(7) {
		add("site", story, nav, 200+i)
		if i > 0 {
			same()
		}
	}
	for i := range uint64(6) {
		add("site", story+1, nav, 300+i, 301+i)
		if i > 0 && i != 3 {
			same()
		}
	}
	// Three articles of another site with one footer: too few to tell.
	for i := range uint64(3) {
		add("small", footer1, 400+i)
	}
	// A wire story syndicated by five sites, and six articles with no
	// source that share a paragraph.
	for i := range 5 {
		add(fmt.Sprint("outlet", i), 500, 501+uint64(i))
	}
	for i := range uint64(6) {
		add("", footer1, 600+i)
	}
	want := SiteText{"site": {footer1: true, footer2: true, nav: true}}
	for range 5 {
		got := LearnSiteText(docs, 96*time.Hour)
		if !got.Equal(want) {
			t.Fatalf("site text %v, want %v", got, want)
		}
		rand.Shuffle(len(docs), func(i, j int) { docs[i], docs[j] = docs[j], docs[i] })
	}
}

func TestShinglesWithout(t *testing.T) {
	footer := "Comments are welcome but are moderated; keep them civil, on topic, and free of personal attacks or links."
	story := "The ferry to the northern islands resumed on Tuesday after a week of storms kept it in port."
	text := story + "\n\n" + footer
	_, passages := Fingerprint(footer, 3)
	drop := map[uint64]bool{}
	for _, p := range passages {
		drop[p] = true
	}
	got := ShinglesWithout(text, 3, drop)
	want, _ := Fingerprint(story, 3)
	if got == nil || !slices.Equal(got.Sorted(), want.Sorted()) {
		t.Errorf("without the footer: %v, want the story's shingles %v", got, want)
	}
	if ShinglesWithout(story, 3, drop) != nil {
		t.Error("a text without site text should give nil")
	}
	if ShinglesWithout(footer, 3, drop) != nil {
		t.Error("a text that is all site text should give nil")
	}
}

func TestLeftOutOf(t *testing.T) {
	footer := "Comments are welcome but are moderated; keep them civil, on topic, and free of personal attacks or links."
	story := "The ferry to the northern islands resumed on Tuesday after a week of storms kept it in port."
	caption := "Passengers board the ferry at the harbour on Tuesday. (AP Photo/Ana Lind)"
	_, passages := Fingerprint(footer, 3)
	site := map[uint64]bool{}
	for _, p := range passages {
		site[p] = true
	}
	got := LeftOutOf(story+"\n\n"+caption+"\n\n"+footer, site)
	want := []LeftOut{{caption, "caption"}, {footer, "site text"}}
	if !slices.Equal(got, want) {
		t.Errorf("left out %q, want %q", got, want)
	}
}
