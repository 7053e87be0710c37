package store_test

import (
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/newsdedup/newsdedup/dedupe"
	"github.com/newsdedup/newsdedup/store"
)

// sigFor returns a made-up 8-value signature of 32-bit values, with the
// extremes 0 and 2^32-1 in it.
func sigFor(id int64) []uint64 {
	sig := make([]uint64, 8)
	for j := range sig {
		sig[j] = uint64(uint32(uint64(id)*0x9e3779b9 + uint64(j)*0x85ebca6b))
	}
	sig[0], sig[7] = 0, 1<<32-1
	return sig
}

// article returns a new article; exactCopy makes it an exact copy, which
// has no signature and no passages.
func article(id int64, ref, source, text string, exactCopy bool) store.Article {
	a := store.Article{
		ID: id, Ref: ref, Source: source, Title: "Title of " + ref, URL: "https://example.test/" + ref,
		Published: fmt.Sprintf("2024-01-%02dT10:00:00Z", id), Raw: `{"text":"` + text + `"}`, Text: text,
		RawHash: "raw-" + ref, ContentHash: "content-" + text, Length: utf8.RuneCountInString(text),
	}
	if !exactCopy {
		a.Signature = sigFor(id)
		a.Passages = []uint64{uint64(id)<<8 | 1, 1<<63 | uint64(id)}
	}
	return a
}

func mustBegin(tb testing.TB, db *store.DB, inputs ...string) int64 {
	tb.Helper()
	id, err := db.BeginImport(tb.Context(), inputs, store.Settings{ShingleSize: 5})
	if err != nil {
		tb.Fatal(err)
	}
	return id
}

func mustWrite(tb testing.TB, db *store.DB, b *store.Batch) {
	tb.Helper()
	if err := db.WriteBatch(tb.Context(), b); err != nil {
		tb.Fatalf("WriteBatch: %v", err)
	}
}

// seedCopy writes the first fixture: article 2 is an exact copy of 1 and 3
// is a singleton, with two rejections.
func seedCopy(tb testing.TB, db *store.DB) int64 {
	tb.Helper()
	imp := mustBegin(tb, db, "feed.jsonl")
	mustWrite(tb, db, &store.Batch{
		ImportID: imp,
		Articles: []store.Article{
			article(1, "a.json", "alpha", "Text one, the original. Zürich.", false),
			article(2, "b.json", "beta", "Text one, the original. Zürich.", true),
			article(3, "c.json", "alpha", "Text three stands alone", false),
		},
		Links: []dedupe.Pair{{A: 1, B: 2, Relation: dedupe.Exact, Jaccard: 1, Containment: 1}},
		Clusters: []store.ClusterUpdate{{ID: 1, CanonicalID: 1, Size: 2,
			Variants: []store.Variant{{ArticleID: 2, Relation: dedupe.Exact, Jaccard: 1, Containment: 1}}}},
		Rejections: []store.Rejection{{Ref: "bad.json", Reason: "no text"}, {Ref: "worse.json", Reason: "not JSON"}},
		Counts:     store.Counts{New: 3, Rejected: 2},
	})
	return imp
}

// dump returns every row of every table, to compare a database before and
// after a failed write.
func dump(tb testing.TB, r *sql.DB) string {
	tb.Helper()
	var b strings.Builder
	for _, table := range []string{"meta", "imports", "articles", "clusters", "variants", "links", "rejections", "signatures"} {
		rows, err := r.QueryContext(tb.Context(), `SELECT * FROM `+table+` ORDER BY 1, 2`)
		if err != nil {
			tb.Fatalf("dump %s: %v", table, err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				tb.Fatal(err)
			}
			fmt.Fprintf(&b, "%s %v\n", table, vals)
		}
		rows.Close()
	}
	return b.String()
}

type linkRow struct {
	A, B        int64
	Relation    string
	Jaccard     float64
	Containment float64
	ImportID    int64
}

func links(tb testing.TB, r *sql.DB) []linkRow {
	tb.Helper()
	rows, err := r.QueryContext(tb.Context(), `SELECT a, b, relation, jaccard, containment, import_id FROM links ORDER BY a, b`)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var out []linkRow
	for rows.Next() {
		var l linkRow
		if err := rows.Scan(&l.A, &l.B, &l.Relation, &l.Jaccard, &l.Containment, &l.ImportID); err != nil {
			tb.Fatal(err)
		}
		out = append(out, l)
	}
	return out
}

func TestWriteBatchExactCopy(t *testing.T) {
	db := MustOpenDB(t)
	ctx := t.Context()
	if next, err := db.NextID(ctx); err != nil || next != 1 {
		t.Fatalf("NextID of an empty database = %d, %v", next, err)
	}
	imp := seedCopy(t, db)
	if next, err := db.NextID(ctx); err != nil || next != 4 {
		t.Errorf("NextID = %d, %v; want 4", next, err)
	}
	r := rawDB(t, db)
	for _, c := range []struct {
		query string
		want  int
	}{
		{`SELECT COUNT(*) FROM articles`, 3},
		{`SELECT COUNT(*) FROM clusters`, 2},
		{`SELECT COUNT(*) FROM clusters WHERE id = 1 AND canonical_id = 1 AND size = 2`, 1},
		{`SELECT COUNT(*) FROM clusters WHERE id = 3 AND canonical_id = 3 AND size = 1`, 1},
		{`SELECT COUNT(*) FROM articles WHERE id IN (1, 2) AND cluster_id = 1`, 2},
		{`SELECT COUNT(*) FROM articles WHERE id = 3 AND cluster_id = 3`, 1},
		{`SELECT COUNT(*) FROM articles WHERE id NOT IN (SELECT article_id FROM signatures)`, 1},
		{`SELECT COUNT(*) FROM variants`, 1},
		{`SELECT COUNT(*) FROM variants WHERE article_id = 2 AND cluster_id = 1 AND canonical_id = 1
			AND relation = 'exact' AND via_id IS NULL`, 1},
		{`SELECT COUNT(*) FROM rejections`, 2},
		{`SELECT COUNT(*) FROM signatures WHERE length(passages) = 16`, 2},
		{`SELECT COUNT(*) FROM articles WHERE import_id = ?`, 3},
	} {
		args := []any{}
		if strings.Contains(c.query, "?") {
			args = append(args, imp)
		}
		if got := count(t, r, c.query, args...); got != c.want {
			t.Errorf("%s = %d, want %d", c.query, got, c.want)
		}
	}
	want := []linkRow{{1, 2, "exact", 1, 1, imp}}
	if got := links(t, r); !slices.Equal(got, want) {
		t.Errorf("links = %v, want %v", got, want)
	}
	if s, err := db.IntegrityCheck(ctx); s != "ok" || err != nil {
		t.Errorf("IntegrityCheck = %q, %v", s, err)
	}
}

// seedMerge writes articles 1..5: 2 a copy of 1 (cluster 1), 4 near 3
// (cluster 3) and 5 alone; then article 6, longer than all, which bridges
// clusters 1 and 3 and becomes the canonical of the merged cluster.
func seedMerge(tb testing.TB, db *store.DB) (imp1, imp2 int64) {
	tb.Helper()
	imp1 = mustBegin(tb, db, "one.jsonl")
	mustWrite(tb, db, &store.Batch{
		ImportID: imp1,
		Articles: []store.Article{
			article(1, "one:1", "alpha", "first story text", false),
			article(2, "one:2", "beta", "first story text", true),
			article(3, "one:3", "alpha", "third story, original version", false),
			article(4, "one:4", "gamma", "third story, edited version", false),
			article(5, "one:5", "beta", "fifth story", false),
		},
		Links: []dedupe.Pair{
			{A: 1, B: 2, Relation: dedupe.Exact, Jaccard: 1, Containment: 1},
			{A: 3, B: 4, Relation: dedupe.Near, Jaccard: 0.8, Containment: 0.9},
		},
		Clusters: []store.ClusterUpdate{
			{ID: 1, CanonicalID: 1, Size: 2, Variants: []store.Variant{{ArticleID: 2, Relation: dedupe.Exact, Jaccard: 1, Containment: 1}}},
			{ID: 3, CanonicalID: 3, Size: 2, Variants: []store.Variant{{ArticleID: 4, Relation: dedupe.Near, Jaccard: 0.8, Containment: 0.9}}},
		},
	})
	imp2 = mustBegin(tb, db, "two.jsonl")
	mustWrite(tb, db, &store.Batch{
		ImportID: imp2,
		Articles: []store.Article{article(6, "two:1", "gamma", "first story text and third story, the long version", false)},
		Links: []dedupe.Pair{
			{A: 1, B: 6, Relation: dedupe.Excerpt, Jaccard: 0.3, Containment: 1},
			{A: 3, B: 6, Relation: dedupe.Excerpt, Jaccard: 0.35, Containment: 0.7},
		},
		Clusters: []store.ClusterUpdate{{
			ID: 1, CanonicalID: 6, Size: 5, Absorbs: []int64{3},
			Variants: []store.Variant{
				{ArticleID: 1, Relation: dedupe.Excerpt, Jaccard: 0.3, Containment: 1},
				{ArticleID: 3, Relation: dedupe.Excerpt, Jaccard: 0.35, Containment: 0.7},
			},
		}},
		Counts: store.Counts{New: 1},
	})
	return imp1, imp2
}

func TestWriteBatchMergesClusters(t *testing.T) {
	db := MustOpenDB(t)
	ctx := t.Context()
	_, imp2 := seedMerge(t, db)

	if _, err := db.Cluster(ctx, 3); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("absorbed cluster 3: Cluster = %v, want ErrNotFound", err)
	}
	ids, err := db.MemberIDs(ctx, 1)
	if err != nil || !slices.Equal(ids, []int64{1, 2, 3, 4, 6}) {
		t.Errorf("MemberIDs(1) = %v, %v; want [1 2 3 4 6]", ids, err)
	}
	if ids, _ := db.MemberIDs(ctx, 3); len(ids) != 0 {
		t.Errorf("MemberIDs(3) = %v, want none", ids)
	}
	c, err := db.Cluster(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if c.Size != 5 || c.Canonical.ID != 6 || c.Canonical.Ref != "two:1" {
		t.Errorf("merged cluster = %+v, want size 5, canonical 6", c)
	}
	var got []string
	for _, v := range c.Variants {
		got = append(got, fmt.Sprintf("%d:%s", v.ID, v.Relation))
	}
	// 2 and 4 keep the relation they had; 4 moved with cluster 3.
	if want := []string{"1:excerpt", "2:exact", "3:excerpt", "4:near"}; !slices.Equal(got, want) {
		t.Errorf("variants = %v, want %v", got, want)
	}
	for _, id := range []int64{1, 2, 3, 4} {
		a, err := db.ArticleByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if a.ClusterID != 1 || a.CanonicalID != 6 || a.Relation == "canonical" {
			t.Errorf("article %d: cluster %d canonical %d relation %q; want 1, 6, a variant", id, a.ClusterID, a.CanonicalID, a.Relation)
		}
	}
	if a, _ := db.ArticleByID(ctx, 6); a.Relation != "canonical" || a.ClusterID != 1 || a.CanonicalID != 6 {
		t.Errorf("article 6 = %q in %d, want canonical of 1", a.Relation, a.ClusterID)
	}
	r := rawDB(t, db)
	if n := count(t, r, `SELECT COUNT(*) FROM variants WHERE cluster_id = 1 AND canonical_id = 6`); n != 4 {
		t.Errorf("%d variant rows point at cluster 1 and canonical 6, want 4", n)
	}
	if n := count(t, r, `SELECT COUNT(*) FROM clusters WHERE id = 1 AND updated_import = ?`, imp2); n != 1 {
		t.Errorf("merged cluster not stamped with import %d", imp2)
	}
	if n := count(t, r, `SELECT COUNT(*) FROM clusters`); n != 2 {
		t.Errorf("%d clusters, want 2 (1 and 5)", n)
	}
	if s, _ := db.IntegrityCheck(ctx); s != "ok" {
		t.Errorf("IntegrityCheck = %q", s)
	}
	if n := count(t, r, `SELECT COUNT(*) FROM pragma_foreign_key_check`); n != 0 {
		t.Errorf("%d foreign key violations", n)
	}

	// Back to article 1 as canonical: its variant row goes.
	imp3 := mustBegin(t, db, "three.jsonl")
	mustWrite(t, db, &store.Batch{
		ImportID: imp3,
		Articles: []store.Article{article(7, "three:1", "alpha", "first story", false)},
		Clusters: []store.ClusterUpdate{{ID: 1, CanonicalID: 1, Size: 6, Variants: []store.Variant{
			{ArticleID: 6, Relation: dedupe.Excerpt, Jaccard: 0.3, Containment: 1},
			{ArticleID: 7, Relation: dedupe.Excerpt, Jaccard: 0.5, Containment: 1, Via: 6},
		}}},
	})
	if a, _ := db.ArticleByID(ctx, 1); a.Relation != "canonical" || a.CanonicalID != 1 {
		t.Errorf("article 1 after batch 3: %q, canonical %d", a.Relation, a.CanonicalID)
	}
	if a, _ := db.ArticleByID(ctx, 7); a.Relation != "excerpt" || a.Via != 6 || a.ClusterID != 1 {
		t.Errorf("article 7: %q via %d in %d, want excerpt via 6 in 1", a.Relation, a.Via, a.ClusterID)
	}
	if n := count(t, r, `SELECT COUNT(*) FROM variants WHERE cluster_id = 1 AND canonical_id = 1`); n != 5 {
		t.Errorf("%d variant rows point at canonical 1, want 5", n)
	}
	if n := count(t, r, `SELECT COUNT(*) FROM variants WHERE article_id = 1`); n != 0 {
		t.Errorf("the canonical kept its variant row")
	}
}

func TestWriteBatchConcurrentImport(t *testing.T) {
	db := MustOpenDB(t)
	ctx := t.Context()
	imp := seedCopy(t, db)
	r := rawDB(t, db)
	before := dump(t, r)
	for _, first := range []int64{3, 5, 1} { // taken, gap, taken
		err := db.WriteBatch(ctx, &store.Batch{
			ImportID:   imp,
			Articles:   []store.Article{article(first, fmt.Sprintf("x%d.json", first), "alpha", "another text", false)},
			Rejections: []store.Rejection{{Ref: "r", Reason: "x"}},
			Counts:     store.Counts{New: 99},
		})
		if !errors.Is(err, store.ErrConcurrentImport) {
			t.Errorf("first id %d with NextID 4: err = %v, want ErrConcurrentImport", first, err)
		}
	}
	if after := dump(t, r); after != before {
		t.Errorf("a refused batch changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	// A batch without articles is not checked.
	mustWrite(t, db, &store.Batch{ImportID: imp, Rejections: []store.Rejection{{Ref: "late.json", Reason: "empty"}}})
	if n := count(t, r, `SELECT COUNT(*) FROM rejections`); n != 3 {
		t.Errorf("rejections = %d, want 3", n)
	}
}

func TestWriteBatchAllOrNothing(t *testing.T) {
	tests := []struct {
		name  string
		batch func(imp int64) *store.Batch
	}{
		{"duplicate ref and raw hash in the batch", func(imp int64) *store.Batch {
			a, b := article(4, "same.json", "alpha", "text four", false), article(5, "same.json", "alpha", "text five", false)
			return &store.Batch{
				ImportID: imp,
				Articles: []store.Article{a, b},
			}
		}},
		{"ref and raw hash already stored", func(imp int64) *store.Batch {
			return &store.Batch{ImportID: imp, Articles: []store.Article{
				article(4, "new.json", "alpha", "text four", false),
				article(5, "a.json", "alpha", "text five", false), // raw-a.json stored as article 1
			}}
		}},
		{"invalid variant relation after absorbing", func(imp int64) *store.Batch {
			// Everything up to the last variant is valid: articles,
			// passages, links, the absorbed cluster and a first variant.
			return &store.Batch{
				ImportID: imp,
				Articles: []store.Article{article(4, "d.json", "gamma", "text four", false), article(5, "e.json", "gamma", "text five", false)},
				Links:    []dedupe.Pair{{A: 1, B: 4, Relation: dedupe.Near, Jaccard: 0.6, Containment: 0.7}},
				Clusters: []store.ClusterUpdate{{ID: 1, CanonicalID: 4, Size: 5, Absorbs: []int64{3}, Variants: []store.Variant{
					{ArticleID: 1, Relation: dedupe.Near, Jaccard: 0.6, Containment: 0.7},
					{ArticleID: 3, Relation: "bogus", Jaccard: 0.6, Containment: 0.7},
				}}},
				Rejections: []store.Rejection{{Ref: "r.json", Reason: "bad"}},
				Counts:     store.Counts{New: 5},
			}
		}},
		{"cluster with an unknown canonical", func(imp int64) *store.Batch {
			return &store.Batch{
				ImportID: imp,
				Articles: []store.Article{article(4, "d.json", "gamma", "text four", false)},
				Clusters: []store.ClusterUpdate{{ID: 4, CanonicalID: 999, Size: 1}},
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db := MustOpenDB(t)
			ctx := t.Context()
			imp := seedCopy(t, db)
			r := rawDB(t, db)
			before := dump(t, r)
			if err := db.WriteBatch(ctx, tc.batch(imp)); err == nil {
				t.Fatal("WriteBatch succeeded")
			}
			if after := dump(t, r); after != before {
				t.Errorf("a failed batch changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
			}
			if s, err := db.IntegrityCheck(ctx); s != "ok" || err != nil {
				t.Errorf("IntegrityCheck = %q, %v", s, err)
			}
			// The store is still usable: the next batch goes in.
			mustWrite(t, db, &store.Batch{ImportID: imp, Articles: []store.Article{article(4, "d.json", "gamma", "text four", false)}})
			if n := count(t, r, `SELECT COUNT(*) FROM articles`); n != 4 {
				t.Errorf("articles = %d after a good batch, want 4", n)
			}
		})
	}
}

func TestSignatureEncoding(t *testing.T) {
	for _, sig := range [][]uint64{nil, {0}, {1, 2, 3}, {1<<32 - 1, 0, 0x8000_0000}, sigFor(42)} {
		b := store.EncodeSignature(sig)
		if len(b) != 4*len(sig) {
			t.Errorf("len(EncodeSignature(%v)) = %d", sig, len(b))
		}
		if got := store.DecodeSignature(b); !slices.Equal(got, sig) && len(sig) > 0 {
			t.Errorf("round trip of %v gives %v", sig, got)
		}
	}
	// Little-endian, 4 bytes a value.
	if got := store.EncodeSignature([]uint64{0x01020304}); string(got) != "\x04\x03\x02\x01" {
		t.Errorf("EncodeSignature(0x01020304) = %x", got)
	}
	// Values are 32 bits wide: higher bits are dropped.
	if got := store.DecodeSignature(store.EncodeSignature([]uint64{0xffff_0000_0000_0005})); !slices.Equal(got, []uint64{5}) {
		t.Errorf("high bits kept: %v", got)
	}
}
