package main

import (
	"database/sql"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/store"
)

// TestImportSeenAcrossBatches imports, one article a batch into a new
// database, an article, two others, an exact copy of the first and the
// first file again: the copy and the repeat come batches after the
// first, where only the database knows of it, and must still be found.
func TestImportSeenAcrossBatches(t *testing.T) {
	dir := t.TempDir()
	one := "Story one headline\n\n" + strings.Join(article(1, 8), "\n\n")
	writeFile(t, filepath.Join(dir, "one.txt"), one)
	writeFile(t, filepath.Join(dir, "two.txt"), strings.Join(article(2, 8), "\n\n"))
	writeFile(t, filepath.Join(dir, "three.txt"), strings.Join(article(3, 8), "\n\n"))
	writeFile(t, filepath.Join(dir, "z_copy.txt"), one)
	args := []string{"--db", filepath.Join(dir, "t.db"), "import", "--json", "--batch", "1"}
	for _, f := range []string{"one.txt", "two.txt", "three.txt", "z_copy.txt", "one.txt"} {
		args = append(args, filepath.Join(dir, f))
	}
	var s summary
	if err := json.Unmarshal([]byte(mustRun(t, args...)), &s); err != nil {
		t.Fatal(err)
	}
	if s.Read != 5 || s.New != 4 || s.AlreadyStored != 1 || s.Exact != 1 {
		t.Errorf("summary = %+v, want 5 read, 4 new, 1 already stored, 1 exact duplicate", s)
	}
	want := []string{"one.txt <- z_copy.txt(exact)"}
	if got := multiClusters(t, filepath.Join(dir, "t.db")); !slices.Equal(got, want) {
		t.Errorf("clusters = %q, want %q", got, want)
	}
	// Found by its content hash, the copy is not indexed: LSH would
	// have found it too, and indexed it.
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, "t.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM signatures`).Scan(&n); err != nil || n != 3 {
		t.Errorf("%d signatures stored (%v), want 3: the copy was not found by its content hash", n, err)
	}
}

func TestSeenDigests(t *testing.T) {
	var none *seenDigests
	keys := []store.Key{{Ref: "a", RawHash: "1"}, {Ref: "a", RawHash: "2"}, {Ref: "b", RawHash: "1"}}
	hashes := []string{"1", "2"}
	if got := none.keysSeen(keys); !slices.Equal(got, keys) {
		t.Errorf("nil: keys seen %v, want all", got)
	}
	if got := none.hashesSeen(hashes); !slices.Equal(got, hashes) {
		t.Errorf("nil: hashes seen %v, want all", got)
	}
	none.add(&store.Article{Ref: "a"}) // records nothing, and does not panic

	s := newSeenDigests()
	s.add(&store.Article{Ref: "a", RawHash: "2", ContentHash: "2"})
	if got, want := s.keysSeen(keys), keys[1:2]; !slices.Equal(got, want) {
		t.Errorf("keys seen %v, want %v", got, want)
	}
	if got, want := s.hashesSeen(hashes), hashes[1:]; !slices.Equal(got, want) {
		t.Errorf("hashes seen %v, want %v", got, want)
	}
}
