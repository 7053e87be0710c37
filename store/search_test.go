package store_test

import (
	"errors"
	"slices"
	"strconv"
	"testing"

	"github.com/newsdedup/newsdedup/store"
)

func TestSearch(t *testing.T) {
	db := MustOpenDB(t)
	ctx := t.Context()
	id, err := db.BeginImport(ctx, nil, store.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	arts := []store.Article{
		{ID: 1, ImportID: id, Ref: "a", Title: "Harbour strike ends", Text: "Dock workers returned to the harbour on Monday.", RawHash: "1", ContentHash: "1", Length: 10},
		{ID: 2, ImportID: id, Ref: "b", Title: "Flood warning", Text: "The river rose past the harbour wall; the strike was forgotten.", RawHash: "2", ContentHash: "2", Length: 10},
		{ID: 3, ImportID: id, Ref: "c", Title: "Café reopens", Text: "Zürich's oldest café reopened after the flood.", RawHash: "3", ContentHash: "3", Length: 10},
	}
	if err := db.WriteBatch(ctx, &store.Batch{ImportID: id, Articles: arts}); err != nil {
		t.Fatal(err)
	}
	hits, err := db.Search(ctx, "harbour", 10, 0)
	if errors.Is(err, store.ErrNoFTS5) {
		t.Skip("built without FTS5: run the tests with -tags sqlite_fts5")
	}
	if err != nil {
		t.Fatal(err)
	}
	ids := func(hs []store.SearchHit) []int64 {
		var out []int64
		for _, h := range hs {
			out = append(out, h.ID)
		}
		return out
	}
	// Both mention the harbour; the title match ranks first.
	if got := ids(hits); !slices.Equal(got, []int64{1, 2}) {
		t.Errorf("harbour: %v, want [1 2]", got)
	}
	if hits[0].ClusterID != 1 || hits[0].ClusterSize != 1 || hits[0].CanonicalID != 1 || hits[0].Snippet == "" {
		t.Errorf("hit %+v lacks its cluster or snippet", hits[0])
	}
	for _, c := range []struct {
		q    string
		want []int64
	}{
		{"harbour strike", []int64{1, 2}},
		{`"harbour wall"`, []int64{2}},
		{`"wall harbour"`, nil},
		{"cafe zurich", []int64{3}}, // diacritics folded
		{"FLOOD", []int64{2, 3}},    // any case
		{`flood* "`, []int64{2, 3}}, // FTS5 syntax and stray quotes are ignored
		{"flood AND cafe", nil},     // AND is a word to find, not an operator
		{"(river)^", []int64{2}},
	} {
		hs, err := db.Search(ctx, c.q, 10, 0)
		if err != nil {
			t.Errorf("Search(%q): %v", c.q, err)
			continue
		}
		got := ids(hs)
		slices.Sort(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("Search(%q) = %v, want %v", c.q, got, c.want)
		}
	}
	if _, err := db.Search(ctx, `"" !!`, 10, 0); err == nil {
		t.Errorf("a query without words should be an error")
	}
	// Articles stored after a search are found by the next one.
	more := []store.Article{{ID: 4, ImportID: id, Ref: "d", Title: "Late", Text: "A harbour crane collapsed.", RawHash: "4", ContentHash: "4", Length: 5}}
	if err := db.WriteBatch(ctx, &store.Batch{ImportID: id, Articles: more}); err != nil {
		t.Fatal(err)
	}
	if hits, _ := db.Search(ctx, "crane", 10, 0); !slices.Equal(ids(hits), []int64{4}) {
		t.Errorf("crane after a second batch: %v, want [4]", ids(hits))
	}
	if hits, _ := db.Search(ctx, "harbour", 1, 1); len(hits) != 1 {
		t.Errorf("limit 1 offset 1: %d hits", len(hits))
	}
}

// TestSearchIndexInChunks: the index is built a chunk per transaction, so
// a writer gets in between chunks without waiting, and the result is the
// same as one transaction's.
func TestSearchIndexInChunks(t *testing.T) {
	db := MustOpenDB(t)
	ctx := t.Context()
	id, err := db.BeginImport(ctx, nil, store.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	var arts []store.Article
	for i := int64(1); i <= 10; i++ {
		h := strconv.FormatInt(i, 10)
		arts = append(arts, store.Article{ID: i, ImportID: id, Ref: h, Title: "Report " + h, Text: "The harbour report number " + h + ".", RawHash: h, ContentHash: h, Length: 10})
	}
	if err := db.WriteBatch(ctx, &store.Batch{ImportID: id, Articles: arts}); err != nil {
		t.Fatal(err)
	}
	chunks := 0
	writer := store.OpenNoWait(t, db.Path())
	restore := store.SetSearchChunk(3, func() {
		chunks++
		// Another connection that does not wait for the lock: it gets
		// it, since no indexing transaction is open between chunks.
		if _, err := writer.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('probe', 'x') ON CONFLICT (key) DO UPDATE SET value = 'y'`); err != nil {
			t.Errorf("a writer between chunks: %v", err)
		}
	})
	defer restore()
	hits, err := db.Search(ctx, "harbour", 20, 0)
	if errors.Is(err, store.ErrNoFTS5) {
		t.Skip("built without FTS5")
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 10 || chunks != 4 {
		t.Errorf("%d hits in %d chunks, want 10 in 4", len(hits), chunks)
	}
}
