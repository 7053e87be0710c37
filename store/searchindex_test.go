package store_test

import (
	"errors"
	"slices"
	"strconv"
	"testing"

	"github.com/newsdedup/newsdedup/store"
)

// TestIndexSearch: IndexSearch indexes what an import stored, chunk by
// chunk, telling its progress, and then there is nothing left to index.
func TestIndexSearch(t *testing.T) {
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
	defer store.SetSearchChunk(4, nil)()
	var told [][2]int64
	err = db.IndexSearch(ctx, func(done, total int64) { told = append(told, [2]int64{done, total}) })
	if errors.Is(err, store.ErrNoFTS5) {
		t.Skip("built without FTS5")
	}
	if err != nil {
		t.Fatal(err)
	}
	if want := [][2]int64{{4, 10}, {8, 10}, {10, 10}}; !slices.Equal(told, want) {
		t.Errorf("progress %v, want %v", told, want)
	}
	if n, indexed, err := db.Unindexed(ctx); err != nil || !indexed || n != 0 {
		t.Errorf("after IndexSearch: %d unindexed, indexed %v, %v", n, indexed, err)
	}
	told = nil
	if err := db.IndexSearch(ctx, func(done, total int64) { told = append(told, [2]int64{done, total}) }); err != nil || told != nil {
		t.Errorf("again: %v, progress %v", err, told)
	}
	if hits, err := db.Search(ctx, "harbour", 20, 0); err != nil || len(hits) != 10 {
		t.Errorf("search: %d hits, %v", len(hits), err)
	}
}
