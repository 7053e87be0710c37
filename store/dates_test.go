package store_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/newsdedup/newsdedup/ingest"
	"github.com/newsdedup/newsdedup/store"
)

func TestArticleDates(t *testing.T) {
	db := MustOpenDB(t)
	id := mustBegin(t, db, "in.warc")
	a := article(1, "a", "wire", "the ferry runs every hour", false)
	a.Published, a.PublishedRaw, a.Crawled = "2020-04-10T08:00:00Z", "10 avril 2020 10:00 CEST", "2024-05-01T10:00:00Z"
	b := article(2, "b", "wire", "an undated notice from the council", false)
	b.Published, b.PublishedRaw = "", "sometime in spring"
	mustWrite(t, db, &store.Batch{ImportID: id, Articles: []store.Article{a, b}})

	for _, c := range []struct {
		id   int64
		want store.Dates
	}{
		{1, store.Dates{Published: a.Published, PublishedRaw: a.PublishedRaw, Crawled: a.Crawled}},
		{2, store.Dates{PublishedRaw: "sometime in spring"}},
	} {
		got, err := db.ArticleDates(t.Context(), c.id)
		if err != nil || got != c.want {
			t.Errorf("article %d: %+v, %v; want %+v", c.id, got, err, c.want)
		}
	}
	if _, err := db.ArticleDates(t.Context(), 9); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing article: err %v, want ErrNotFound", err)
	}
}

func TestSkippedRecords(t *testing.T) {
	var s store.SkippedRecords
	for _, k := range []string{"request", "request", "metadata", ingest.SkipNotHTML, "made-up"} {
		s.Add(k)
	}
	want := store.SkippedRecords{Request: 2, Metadata: 1, NotHTML: 1, OtherType: 1}
	if s != want {
		t.Errorf("%+v, want %+v", s, want)
	}
	var got []string
	s.Each(func(kind string, n int) { got = append(got, fmt.Sprint(kind, "=", n)) })
	if w := []string{"request=2", "metadata=1", ingest.SkipOther + "=1", ingest.SkipNotHTML + "=1"}; !slices.Equal(got, w) {
		t.Errorf("Each: %v, want %v", got, w)
	}
}
