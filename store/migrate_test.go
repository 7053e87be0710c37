package store

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/newsdedup/newsdedup/migrations"
)

// TestUpgradeKeepsSignatures makes a database with the first two
// migrations, as an older newsdedup did, stores an article with its
// signature the old way, and opens it with every migration: the signature
// must have moved to its own table.
func TestUpgradeKeepsSignatures(t *testing.T) {
	ctx := context.Background()
	old := fstest.MapFS{}
	for _, name := range []string{"0001_init.sql", "0002_passages.sql"} {
		b, err := migrations.FS.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		old[name] = &fstest.MapFile{Data: b}
	}
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := open(ctx, path, old)
	if err != nil {
		t.Fatal(err)
	}
	sig := []uint64{1, 2, 3, 0xffffffff}
	for _, q := range []string{
		`INSERT INTO imports (id, started_at, inputs, params) VALUES (1, 'then', '[]', '{}')`,
		`INSERT INTO articles (id, import_id, ref, raw, text, raw_hash, content_hash, length, signature, cluster_id)
			VALUES (1, 1, 'a.txt', 'raw', 'text', 'r', 'c', 4, ?, 1)`,
		`INSERT INTO articles (id, import_id, ref, raw, text, raw_hash, content_hash, length, signature, cluster_id)
			VALUES (2, 1, 'b.txt', 'raw', 'text', 'r2', 'c', 4, NULL, 1)`,
	} {
		var args []any
		if strings.Contains(q, "?") {
			args = append(args, EncodeSignature(sig))
		}
		if _, err := db.db.ExecContext(ctx, q, args...); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	db, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	defer db.Close()
	if v, _ := db.SchemaVersion(ctx); v < 3 {
		t.Fatalf("schema version %d after upgrade", v)
	}
	var got [][]uint64
	var ids []int64
	if err := db.EachSignature(ctx, func(id int64, s []uint64) error {
		ids, got = append(ids, id), append(got, s)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids, []int64{1}) || !slices.Equal(got[0], sig) {
		t.Errorf("signatures after upgrade: ids %v, %v; want [1], %v", ids, got, sig)
	}
	if ok, _ := db.IntegrityCheck(ctx); ok != "ok" {
		t.Errorf("integrity_check: %s", ok)
	}
}
