package store

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/newsdedup/newsdedup/migrations"
)

// TestUpgradeKeepsSignatures makes a database with the first two
// migrations, as an older newsdedup did, stores an article with its
// signature and passages the old way, and opens it with every migration:
// the signature must have moved to its own table, the passages beside it.
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
	passages := []uint64{7, 1 << 63, 1<<64 - 1, 0x0102030405060708}
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
	for _, h := range passages {
		if _, err := db.db.ExecContext(ctx, `INSERT INTO passages (hash, article_id) VALUES (?, 1)`, int64(h)); err != nil {
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
	var got, gotPassages [][]uint64
	var ids []int64
	if err := db.EachSignature(ctx, func(id int64, s, p []uint64) error {
		ids, got = append(ids, id), append(got, slices.Clone(s))
		gotPassages = append(gotPassages, slices.Sorted(slices.Values(p)))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids, []int64{1}) || !slices.Equal(got[0], sig) {
		t.Fatalf("signatures after upgrade: ids %v, %v; want [1], %v", ids, got, sig)
	}
	if want := slices.Sorted(slices.Values(passages)); !slices.Equal(gotPassages[0], want) {
		t.Errorf("passages after upgrade: %x, want %x", gotPassages[0], want)
	}
	if ok, _ := db.IntegrityCheck(ctx); ok != "ok" {
		t.Errorf("integrity_check: %s", ok)
	}
}

// TestMarkInterrupted: an import left running by a process of this host
// that is gone is marked interrupted; one whose process lives, this
// process's own, and another host's are left alone.
func TestMarkInterrupted(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ids []int64
	for range 4 {
		id, err := db.BeginImport(ctx, nil, Settings{})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	// 1: a dead pid; 2: a live pid; 3: this process; 4: another host.
	db.db.ExecContext(ctx, `UPDATE imports SET pid = 1001 WHERE id = ?`, ids[0])
	db.db.ExecContext(ctx, `UPDATE imports SET pid = 1002 WHERE id = ?`, ids[1])
	db.db.ExecContext(ctx, `UPDATE imports SET pid = 1001, host = 'elsewhere' WHERE id = ?`, ids[3])
	n, err := db.MarkInterrupted(ctx, func(pid int) bool { return pid == 1002 })
	if err != nil || n != 1 {
		t.Fatalf("MarkInterrupted = %d, %v; want 1", n, err)
	}
	want := []string{"interrupted", "running", "running", "running"}
	for i, id := range ids {
		var status string
		db.db.QueryRowContext(ctx, `SELECT status FROM imports WHERE id = ?`, id).Scan(&status)
		if status != want[i] {
			t.Errorf("import %d: %s, want %s", i+1, status, want[i])
		}
	}
}

// TestFinishRefusedLeavesStatus: an import whose end the database refuses
// (a full disk; here a read-only connection) leaves its status beside
// the database, and the next MarkInterrupted records failed, not
// interrupted.
func TestFinishRefusedLeavesStatus(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "f.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	id, err := db.BeginImport(ctx, nil, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	db.db.ExecContext(ctx, `UPDATE imports SET pid = 1001 WHERE id = ?`, id)
	db.db.SetMaxOpenConns(1) // the query_only connection is the only one
	if _, err := db.db.ExecContext(ctx, `PRAGMA query_only = ON`); err != nil {
		t.Fatal(err)
	}
	if err := db.FinishImport(ctx, id, "failed", Counts{}); err == nil {
		t.Fatal("FinishImport on a query-only connection succeeded")
	}
	if _, err := db.db.ExecContext(ctx, `PRAGMA query_only = OFF`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.MarkInterrupted(ctx, func(int) bool { return false }); err != nil {
		t.Fatal(err)
	}
	var status string
	db.db.QueryRowContext(ctx, `SELECT status FROM imports WHERE id = ?`, id).Scan(&status)
	if status != "failed" {
		t.Errorf("status %q, want failed", status)
	}
	if _, err := os.Stat(db.finishMarker(id)); !os.IsNotExist(err) {
		t.Errorf("the marker is still there (%v)", err)
	}
}
