package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strings"
	"time"

	"github.com/newsdedup/newsdedup/dedupe"
)

// Article is a stored article.
type Article struct {
	ID          int64
	ImportID    int64
	Ref         string
	Source      string
	Title       string
	URL         string
	Published   string
	Raw         string
	Text        string
	RawHash     string
	ContentHash string
	Length      int
	Signature   []uint64 // nil for an exact copy, which is not indexed
	Passages    []uint64 // hashes of long paragraphs; nil for an exact copy
	ClusterID   int64

	// Published is RFC 3339 UTC, or '' when the input's date was not
	// understood; PublishedRaw is the date as the input wrote it, and
	// Crawled when a crawler fetched the page (RFC 3339 UTC), or ''.
	PublishedRaw, Crawled string
}

// Variant is how a non-canonical member relates to its canonical.
type Variant struct {
	ArticleID   int64
	Relation    dedupe.Relation
	Jaccard     float64
	Containment float64
	Via         int64 // the member it was matched with, 0 when the canonical
}

// Candidate is a verified candidate pair, A < B, duplicate or not, with
// the shingle counts of its smaller and larger text.
type Candidate struct {
	A, B        int64
	Jaccard     float64
	Containment float64
	Shorter     int
	Longer      int
	// SetAside says why the pair is no duplicate though its scores say it
	// is (the date rules), "" when it is what its scores say.
	SetAside string
}

// ClusterUpdate is the new state of one cluster after a batch.
type ClusterUpdate struct {
	ID          int64 // the smallest member id
	CanonicalID int64
	Size        int
	// Absorbs are clusters merged into this one; their members move here.
	Absorbs []int64
	// Variants are the members whose relation to the canonical is new or
	// changed. The canonical's own variant row, if any, is removed.
	Variants []Variant
}

// Rejection is an input an import could not take.
type Rejection struct {
	Ref    string
	Reason string
}

// Batch is what one transaction of an import writes.
type Batch struct {
	ImportID   int64
	Articles   []Article // new, with ids from NextID onwards, in order
	Links      []dedupe.Pair
	Candidates []Candidate     // verified candidate pairs kept as evidence
	Clusters   []ClusterUpdate // every cluster a new article joined or that merged
	// Dissolve are stored clusters placed again: their rows and variant
	// rows go first, and Clusters hold every one of their members.
	Dissolve   []int64
	Rejections []Rejection
	Counts     Counts // the import's running counts
	// Generation is the ClusterGeneration that Clusters were computed
	// from; the write fails with ErrStaleClusters if it changed since.
	// 0 skips the check.
	Generation int64
	// Replace are pairs whose candidate and link rows go first: Candidates
	// and Links hold them again, scored anew.
	Replace [][2]int64
	// SiteText, when not nil, replaces the stored site text.
	SiteText dedupe.SiteText
}

// BeginImport records the start of an import and returns its id.
//
// It records the import's settings with it, and its rules' text once by
// digest.
func (db *DB) BeginImport(ctx context.Context, inputs []string, s Settings) (int64, error) {
	in, _ := json.Marshal(nonNilStrings(inputs))
	p, _ := json.Marshal(s)
	host, _ := os.Hostname()
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("begin import: %w", err)
	}
	defer tx.Rollback()
	if s.RulesDigest != "" {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO rule_sets (digest, text) VALUES (?, ?)`, s.RulesDigest, s.Rules); err != nil {
			return 0, fmt.Errorf("begin import: record rules: %w", err)
		}
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO imports (started_at, inputs, params, host, pid) VALUES (?, ?, ?, ?, ?)`,
		db.now(), string(in), string(p), host, os.Getpid())
	if err != nil {
		return 0, fmt.Errorf("begin import: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	return id, tx.Commit()
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// MarkInterrupted records as interrupted every import still marked running
// that was started on this host by a process that is gone (alive says
// whether a process id still runs), and returns how many it marked.
// Imports of other hosts are left alone: their processes cannot be seen.
func (db *DB) MarkInterrupted(ctx context.Context, alive func(pid int) bool) (int, error) {
	host, _ := os.Hostname()
	rows, err := db.db.QueryContext(ctx, `SELECT id, pid FROM imports WHERE status = 'running' AND host = ? AND pid > 0`, host)
	if err != nil {
		return 0, fmt.Errorf("stale imports: %w", err)
	}
	var dead []int64
	for rows.Next() {
		var id int64
		var pid int
		if err := rows.Scan(&id, &pid); err != nil {
			rows.Close()
			return 0, err
		}
		if pid != os.Getpid() && !alive(pid) {
			dead = append(dead, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, id := range dead {
		// An import that could not record its end (a full disk) left
		// its status in a marker file instead.
		status := "interrupted"
		marker := db.finishMarker(id)
		if b, err := os.ReadFile(marker); err == nil && (string(b) == "failed" || string(b) == "done") {
			status = string(b)
		}
		if _, err := db.db.ExecContext(ctx, `UPDATE imports SET status = ? WHERE id = ? AND status = 'running'`, status, id); err != nil {
			return 0, fmt.Errorf("stale imports: %w", err)
		}
		os.Remove(marker)
	}
	return len(dead), nil
}

// finishMarker is the file an import that cannot write its end to the
// database writes its status into, beside the database.
func (db *DB) finishMarker(id int64) string {
	return fmt.Sprintf("%s-import-%d-end", db.path, id)
}

// FinishImport records the end of an import with its status (done,
// failed or interrupted) and summary counts. When the database refuses
// the update, the status goes into a marker file that MarkInterrupted
// reads once the import's process is gone.
func (db *DB) FinishImport(ctx context.Context, id int64, status string, counts Counts) error {
	c, _ := json.Marshal(counts)
	_, err := db.db.ExecContext(ctx, `UPDATE imports SET finished_at = ?, status = ?, counts = ? WHERE id = ?`,
		db.now(), status, string(c), id)
	if err != nil {
		// A full disk refuses the update too: a file of a few bytes
		// beside the database usually still fits, and the next command
		// that finds this import's process gone records the status.
		os.WriteFile(db.finishMarker(id), []byte(status), 0o644)
		return fmt.Errorf("finish import %d: %w", id, err)
	}
	return nil
}

// AddRejections records more rejections of import id.
func (db *DB) AddRejections(ctx context.Context, id int64, rs []Rejection) error {
	for _, r := range rs {
		if _, err := db.db.ExecContext(ctx, `INSERT INTO rejections (import_id, ref, reason) VALUES (?, ?, ?)`, id, r.Ref, r.Reason); err != nil {
			return fmt.Errorf("record rejections of import %d: %w", id, err)
		}
	}
	return nil
}

// ClusterGeneration returns the counter that every change to clusters
// increments: read it before reading the cluster state a batch is placed
// from, and give it as Batch.Generation.
func (db *DB) ClusterGeneration(ctx context.Context) (int64, error) {
	var n int64
	if err := db.db.QueryRowContext(ctx, `SELECT n FROM cluster_generation`).Scan(&n); err != nil {
		return 0, fmt.Errorf("cluster generation: %w", err)
	}
	return n, nil
}

// nextGeneration increments the cluster generation in tx, after checking
// that it is still want (unless want is 0).
func nextGeneration(ctx context.Context, tx *sql.Tx, want int64) error {
	var n int64
	if err := tx.QueryRowContext(ctx, `UPDATE cluster_generation SET n = n + 1 RETURNING n - 1`).Scan(&n); err != nil {
		return fmt.Errorf("cluster generation: %w", err)
	}
	if want != 0 && n != want {
		return fmt.Errorf("generation %d, placed at %d: %w", n, want, ErrStaleClusters)
	}
	return nil
}

func (db *DB) now() string { return db.Now().UTC().Format(time.RFC3339Nano) }

// NextID returns the id the next new article gets. Ids are assigned by the
// importer so that articles can be indexed before they are written.
func (db *DB) NextID(ctx context.Context) (int64, error) {
	var id int64
	err := db.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM articles`).Scan(&id)
	return id, err
}

// WriteBatch writes a batch in one transaction: all of it or none.
func (db *DB) WriteBatch(ctx context.Context, b *Batch) error {
	tx, err := db.db.BeginTx(ctx, nil)
	return commitBatch(ctx, b, tx, err)
}

// commitBatch writes b in tx, just begun (or failed to begin with err),
// and commits it.
func commitBatch(ctx context.Context, b *Batch, tx *sql.Tx, err error) error {
	if err != nil {
		return fmt.Errorf("write batch: %w", err)
	}
	defer tx.Rollback()
	if err := writeBatch(ctx, tx, b); err != nil {
		return fmt.Errorf("write batch: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("write batch: %w", err)
	}
	return nil
}

func writeBatch(ctx context.Context, tx *sql.Tx, b *Batch) error {
	stmts := txStmts{tx: tx, byQuery: map[string]*sql.Stmt{}}
	defer stmts.close()
	if len(b.Articles) > 0 {
		var next int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM articles`).Scan(&next); err != nil {
			return err
		}
		if next != b.Articles[0].ID {
			return ErrConcurrentImport
		}
	}
	if len(b.Clusters) > 0 {
		if err := nextGeneration(ctx, tx, b.Generation); err != nil {
			return err
		}
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO articles
		(id, import_id, ref, source, title, url, published, published_raw, crawled, raw, text_stored, raw_hash, content_hash, length, cluster_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer ins.Close()
	// New articles are inserted in the cluster they end the batch in,
	// rather than updated after: most of a batch's cluster moves.
	clusterOf := make(map[int64]int64)
	for _, c := range b.Clusters {
		for _, v := range c.Variants {
			clusterOf[v.ArticleID] = c.ID
		}
		clusterOf[c.CanonicalID] = c.ID
	}
	var firstNew int64 = math.MaxInt64
	if len(b.Articles) > 0 {
		firstNew = b.Articles[0].ID
	}
	var sigs [][]any
	for _, a := range b.Articles {
		cluster, ok := clusterOf[a.ID]
		if !ok {
			cluster = a.ID // a singleton
		}
		text := a.Text
		if text == "" {
			// '' is how text_stored says "the raw text" (migration 0007).
			return fmt.Errorf("insert %s: no cleaned text", a.Ref)
		}
		if text == a.Raw {
			text = ""
		}
		if _, err := ins.ExecContext(ctx, a.ID, b.ImportID, a.Ref, a.Source, a.Title, a.URL, a.Published, a.PublishedRaw, a.Crawled,
			a.Raw, text, a.RawHash, a.ContentHash, a.Length, cluster); err != nil {
			return fmt.Errorf("insert %s: %w", a.Ref, err)
		}
		if a.Signature != nil {
			var passages any // NULL when none
			if len(a.Passages) > 0 {
				passages = EncodePassages(a.Passages)
			}
			sigs = append(sigs, []any{a.ID, EncodeSignature(a.Signature), passages})
		}
	}
	if err := insertRows(ctx, tx, `INSERT INTO signatures (article_id, signature, passages) VALUES `, sigs); err != nil {
		return err
	}

	if err := replacePairs(ctx, tx, b.Replace); err != nil {
		return err
	}
	if b.SiteText != nil {
		if err := writeSiteText(ctx, tx, b.SiteText); err != nil {
			return err
		}
	}
	var cands [][]any
	for _, c := range b.Candidates {
		cands = append(cands, []any{c.A, c.B, c.Jaccard, c.Containment, c.Shorter, c.Longer, c.SetAside, b.ImportID})
	}
	if err := insertRows(ctx, tx, `INSERT OR IGNORE INTO candidates (a, b, jaccard, containment, shorter, longer, set_aside, import_id) VALUES `, cands); err != nil {
		return err
	}

	var links [][]any
	for _, p := range b.Links {
		links = append(links, []any{p.A, p.B, string(p.Relation), p.Jaccard, p.Containment, b.ImportID})
	}
	if err := insertRows(ctx, tx, `INSERT OR IGNORE INTO links (a, b, relation, jaccard, containment, import_id) VALUES `, links); err != nil {
		return err
	}

	// Clusters of this batch's articles alone (each article is in one
	// cluster's final state) are new rows with new variants: they are
	// inserted in bulk with the singletons. Only clusters that touch
	// stored articles need statements of their own.
	for _, old := range b.Dissolve {
		for _, q := range []string{`DELETE FROM variants WHERE cluster_id = ?`, `DELETE FROM clusters WHERE id = ?`} {
			if _, err := stmts.exec(ctx, q, old); err != nil {
				return err
			}
		}
	}
	var newClusters, newVariants [][]any
	for _, c := range b.Clusters {
		if c.ID >= firstNew && len(c.Absorbs) == 0 {
			newClusters = append(newClusters, []any{c.ID, c.CanonicalID, c.Size, b.ImportID})
			for _, v := range c.Variants {
				newVariants = append(newVariants, variantRow(c, v))
			}
			continue
		}
		if err := updateCluster(ctx, &stmts, c, firstNew, b.ImportID); err != nil {
			return err
		}
	}
	// Every new article not placed in a cluster above is a singleton.
	for _, a := range b.Articles {
		if _, ok := clusterOf[a.ID]; !ok {
			newClusters = append(newClusters, []any{a.ID, a.ID, 1, b.ImportID})
		}
	}
	if err := insertRows(ctx, tx, `INSERT INTO clusters (id, canonical_id, size, updated_import) VALUES `, newClusters); err != nil {
		return err
	}
	if err := insertRows(ctx, tx, `INSERT INTO variants (article_id, cluster_id, canonical_id, relation, jaccard, containment, via_id) VALUES `, newVariants); err != nil {
		return err
	}

	for _, r := range b.Rejections {
		if _, err := stmts.exec(ctx, `INSERT INTO rejections (import_id, ref, reason) VALUES (?, ?, ?)`,
			b.ImportID, r.Ref, r.Reason); err != nil {
			return err
		}
	}
	{
		c, _ := json.Marshal(b.Counts)
		if _, err := stmts.exec(ctx, `UPDATE imports SET counts = ? WHERE id = ?`, string(c), b.ImportID); err != nil {
			return err
		}
	}
	return nil
}

// updateCluster writes the new state of a cluster that holds stored
// articles or absorbs stored clusters.
func updateCluster(ctx context.Context, stmts *txStmts, c ClusterUpdate, firstNew, importID int64) error {
	for _, old := range c.Absorbs {
		for _, q := range []string{
			`UPDATE articles SET cluster_id = ? WHERE cluster_id = ?`,
			`UPDATE variants SET cluster_id = ? WHERE cluster_id = ?`,
		} {
			if _, err := stmts.exec(ctx, q, c.ID, old); err != nil {
				return err
			}
		}
		if _, err := stmts.exec(ctx, `DELETE FROM clusters WHERE id = ?`, old); err != nil {
			return err
		}
	}
	if _, err := stmts.exec(ctx, `INSERT INTO clusters (id, canonical_id, size, updated_import) VALUES (?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET canonical_id = excluded.canonical_id, size = excluded.size,
		updated_import = excluded.updated_import`, c.ID, c.CanonicalID, c.Size, importID); err != nil {
		return err
	}
	if _, err := stmts.exec(ctx, `DELETE FROM variants WHERE article_id = ?`, c.CanonicalID); err != nil {
		return err
	}
	for _, v := range c.Variants {
		if v.ArticleID < firstNew {
			if _, err := stmts.exec(ctx, `UPDATE articles SET cluster_id = ? WHERE id = ?`, c.ID, v.ArticleID); err != nil {
				return err
			}
		}
		if _, err := stmts.exec(ctx, `INSERT INTO variants (article_id, cluster_id, canonical_id, relation, jaccard, containment, via_id)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (article_id) DO UPDATE SET cluster_id = excluded.cluster_id,
			canonical_id = excluded.canonical_id, relation = excluded.relation, jaccard = excluded.jaccard,
			containment = excluded.containment, via_id = excluded.via_id`, variantRow(c, v)...); err != nil {
			return err
		}
	}
	if c.CanonicalID < firstNew {
		if _, err := stmts.exec(ctx, `UPDATE articles SET cluster_id = ? WHERE id = ?`, c.ID, c.CanonicalID); err != nil {
			return err
		}
	}
	// Members whose relation did not change keep their row but may have a
	// new canonical.
	_, err := stmts.exec(ctx, `UPDATE variants SET canonical_id = ? WHERE cluster_id = ?`, c.CanonicalID, c.ID)
	return err
}

// variantRow is the variants row of v, a member of c.
func variantRow(c ClusterUpdate, v Variant) []any {
	var via any // NULL when matched with the canonical
	if v.Via != 0 {
		via = v.Via
	}
	return []any{v.ArticleID, c.ID, c.CanonicalID, string(v.Relation), v.Jaccard, v.Containment, via}
}

// txStmts prepares each statement of a transaction once: a batch runs the
// same few statements thousands of times.
type txStmts struct {
	tx      *sql.Tx
	byQuery map[string]*sql.Stmt
}

func (t *txStmts) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, ok := t.byQuery[query]
	if !ok {
		var err error
		if st, err = t.tx.PrepareContext(ctx, query); err != nil {
			return nil, err
		}
		t.byQuery[query] = st
	}
	return st.ExecContext(ctx, args...)
}

func (t *txStmts) close() {
	for _, st := range t.byQuery {
		st.Close()
	}
}

// EncodeSignature packs a signature as little-endian uint32 values: the
// scheme's values are 32 bits wide.
func EncodeSignature(sig []uint64) []byte {
	b := make([]byte, 4*len(sig))
	for i, v := range sig {
		binary.LittleEndian.PutUint32(b[4*i:], uint32(v))
	}
	return b
}

// DecodeSignature reverses EncodeSignature.
func DecodeSignature(b []byte) []uint64 {
	return appendSignature(make([]uint64, 0, len(b)/4), b)
}

// appendSignature appends the values of encoded signature b to dst.
func appendSignature(dst []uint64, b []byte) []uint64 {
	for i := 0; i+4 <= len(b); i += 4 {
		dst = append(dst, uint64(binary.LittleEndian.Uint32(b[i:])))
	}
	return dst
}

// EncodePassages encodes passage hashes as little-endian 64-bit values.
func EncodePassages(hashes []uint64) []byte {
	b := make([]byte, 0, 8*len(hashes))
	for _, h := range hashes {
		b = binary.LittleEndian.AppendUint64(b, h)
	}
	return b
}

// appendPassages appends the hashes of encoded passages b to dst.
func appendPassages(dst []uint64, b []byte) []uint64 {
	for i := 0; i+8 <= len(b); i += 8 {
		dst = append(dst, binary.LittleEndian.Uint64(b[i:]))
	}
	return dst
}

// maxVars stays under SQLite's limit on bound parameters per statement.
const maxVars = 30000

// insertRows inserts rows, all of the same width, with multi-row VALUES
// statements: one cgo call per few thousand rows instead of one per row.
func insertRows(ctx context.Context, tx *sql.Tx, prefix string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	width := len(rows[0])
	tuple := "(" + placeholders(width) + ")"
	per := maxVars / width
	for len(rows) > 0 {
		n := min(per, len(rows))
		args := make([]any, 0, n*width)
		for _, r := range rows[:n] {
			args = append(args, r...)
		}
		q := prefix + strings.TrimSuffix(strings.Repeat(tuple+", ", n), ", ")
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

// placeholders returns "?, ?, ?" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
