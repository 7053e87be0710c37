package store_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/store"
)

// TestBatchWriterConnection checks that the writer's connection, which
// checks no foreign keys, does not go back to the pool.
func TestBatchWriterConnection(t *testing.T) {
	db := MustOpenDB(t)
	db.SetMaxOpenConns(1) // the writer's connection is the pool's only one
	w, err := db.NewBatchWriter(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if on, err := db.ForeignKeys(t.Context()); !on || err != nil {
		t.Errorf("after the writer closed, a connection from the pool has foreign_keys = %v (%v)", on, err)
	}
}

// TestBatchWriter checks that batches written by a BatchWriter are stored
// whole and that its own checkpoints, not the commits, copy them into the
// database file.
func TestBatchWriter(t *testing.T) {
	db := MustOpenDB(t)
	ctx := t.Context()
	imp := mustBegin(t, db, "big.jsonl")
	before, err := os.Stat(db.Path())
	if err != nil {
		t.Fatal(err)
	}
	w, err := db.NewBatchWriter(ctx)
	if err != nil {
		t.Fatal(err)
	}
	id := int64(1)
	for range 3 {
		var arts []store.Article
		for range 50 {
			text := fmt.Sprintf("article %d ", id) + strings.Repeat("many words of text ", 1000)
			arts = append(arts, article(id, fmt.Sprintf("a%d", id), "src", text, false))
			id++
		}
		if err := w.Write(ctx, &store.Batch{ImportID: imp, Articles: arts}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r := rawDB(t, db)
	if n := count(t, r, `SELECT COUNT(*) FROM articles`); n != 150 {
		t.Errorf("%d articles stored, want 150", n)
	}
	if n := count(t, r, `SELECT COUNT(*) FROM clusters`); n != 150 {
		t.Errorf("%d clusters stored, want 150", n)
	}
	after, err := os.Stat(db.Path())
	if err != nil {
		t.Fatal(err)
	}
	// 50 articles of 19 KB: the first batch alone is about 1 MB, twice
	// (raw and cleaned text).
	if grown := after.Size() - before.Size(); grown < 1<<20 {
		t.Errorf("database file grew by %d bytes: the batches were not checkpointed into it", grown)
	}
	var ok string
	if err := r.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Errorf("integrity_check: %q, %v", ok, err)
	}
	// Writes go on through the pool after Close.
	if err := db.WriteBatch(ctx, &store.Batch{ImportID: imp, Articles: []store.Article{article(id, "last", "src", "the last one", false)}}); err != nil {
		t.Fatal(err)
	}
}
