package store_test

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/dedupe"
	"github.com/newsdedup/newsdedup/store"
)

func TestEachCluster(t *testing.T) {
	db := MustOpenDB(t)
	seedCopy(t, db)
	var got []store.Cluster
	collect := func(c store.Cluster) error { got = append(got, c); return nil }
	if err := db.EachCluster(t.Context(), 1, collect); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != 1 || got[1].ID != 3 {
		t.Fatalf("clusters = %+v, want 1 (size 2) then 3", got)
	}
	c := got[0]
	if c.Size != 2 || c.Canonical != (store.ArticleRef{ID: 1, Ref: "a.json", Title: "Title of a.json"}) {
		t.Errorf("cluster 1 = %+v", c)
	}
	if len(c.Variants) != 1 {
		t.Fatalf("cluster 1 variants = %+v", c.Variants)
	}
	v := c.Variants[0]
	if v.ID != 2 || v.ArticleID != 2 || v.Ref != "b.json" || v.Relation != dedupe.Exact || v.Jaccard != 1 || v.Via != 0 {
		t.Errorf("variant = %+v", v)
	}
	if got[1].Size != 1 || got[1].Canonical.ID != 3 || got[1].Variants != nil {
		t.Errorf("singleton = %+v", got[1])
	}

	got = nil
	if err := db.EachCluster(t.Context(), 2, collect); err != nil || len(got) != 1 || got[0].ID != 1 {
		t.Errorf("minSize 2: %+v, %v", got, err)
	}
	stop := errors.New("stop")
	calls := 0
	err := db.EachCluster(t.Context(), 1, func(store.Cluster) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("EachCluster = %v after %d calls, want the callback's error after 1", err, calls)
	}
}

func TestEachClusterOrder(t *testing.T) {
	db := MustOpenDB(t)
	seedMerge(t, db) // cluster 1 of 5, cluster 5 of 1
	imp := mustBegin(t, db, "more")
	mustWrite(t, db, &store.Batch{
		ImportID: imp,
		Articles: []store.Article{article(7, "m1", "x", "seven", false), article(8, "m2", "x", "eight", false), article(9, "m3", "x", "nine", false)},
		Clusters: []store.ClusterUpdate{{ID: 7, CanonicalID: 7, Size: 2, Variants: []store.Variant{{ArticleID: 9, Relation: dedupe.Near, Jaccard: 0.9, Containment: 0.9}}}},
	})
	var order []string
	err := db.EachCluster(t.Context(), 1, func(c store.Cluster) error {
		order = append(order, fmt.Sprintf("%d/%d", c.ID, c.Size))
		return nil
	})
	if want := []string{"1/5", "7/2", "5/1", "8/1"}; err != nil || !slices.Equal(order, want) {
		t.Errorf("order = %v, %v; want %v (largest first, then id)", order, err, want)
	}
}

func TestArticleByID(t *testing.T) {
	db := MustOpenDB(t)
	ctx := t.Context()
	imp := seedCopy(t, db)
	a, err := db.ArticleByID(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := article(1, "a.json", "alpha", "Text one, the original. Zürich.", false)
	want.ImportID, want.ClusterID = imp, 1
	want.Signature, want.Passages = nil, nil // not read back by ArticleByID
	if a.Article.ID != want.ID || a.Ref != want.Ref || a.Source != want.Source || a.Title != want.Title ||
		a.URL != want.URL || a.Published != want.Published || a.Raw != want.Raw || a.Text != want.Text ||
		a.RawHash != want.RawHash || a.ContentHash != want.ContentHash || a.Length != want.Length ||
		a.ImportID != imp || a.ClusterID != 1 {
		t.Errorf("article 1 = %+v\nwant %+v", a.Article, want)
	}
	if a.Relation != "canonical" || a.CanonicalID != 1 || a.Jaccard != 1 || a.Containment != 1 || a.Via != 0 {
		t.Errorf("article 1 place = %q canonical %d (%v, %v) via %d", a.Relation, a.CanonicalID, a.Jaccard, a.Containment, a.Via)
	}
	b, err := db.ArticleByID(ctx, 2)
	if err != nil || b.Relation != "exact" || b.CanonicalID != 1 || b.ClusterID != 1 || b.Text != a.Text {
		t.Errorf("copy = %q canonical %d cluster %d, %v", b.Relation, b.CanonicalID, b.ClusterID, err)
	}
	if c, _ := db.ArticleByID(ctx, 3); c.Relation != "canonical" || c.CanonicalID != 3 || c.ClusterID != 3 {
		t.Errorf("singleton = %q canonical %d cluster %d", c.Relation, c.CanonicalID, c.ClusterID)
	}
	for _, id := range []int64{0, 4, -1, math.MaxInt64} {
		if _, err := db.ArticleByID(ctx, id); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("ArticleByID(%d) = %v, want ErrNotFound", id, err)
		}
		if _, err := db.Cluster(ctx, id); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Cluster(%d) = %v, want ErrNotFound", id, err)
		}
	}
	// Article 2 exists but is no cluster's id.
	if _, err := db.Cluster(ctx, 2); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Cluster(2) = %v, want ErrNotFound", err)
	}
}

func TestExport(t *testing.T) {
	db := MustOpenDB(t)
	ctx := t.Context()
	seedCopy(t, db)
	type row struct {
		ID         int64
		Relation   string
		Size       int
		Duplicates []string
	}
	export := func(variants bool) []row {
		var rows []row
		err := db.Export(ctx, store.ExportFilter{Variants: variants}, func(r store.ExportRow) error {
			if r.Text == "" || r.Raw == "" || r.Ref == "" {
				t.Errorf("export row %d lacks fields: %+v", r.ID, r)
			}
			rows = append(rows, row{r.ID, r.Relation, r.ClusterSize, r.Duplicates})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	eq := func(a, b row) bool {
		return a.ID == b.ID && a.Relation == b.Relation && a.Size == b.Size && slices.Equal(a.Duplicates, b.Duplicates)
	}
	if got, want := export(false), []row{{1, "canonical", 2, []string{"b.json"}}, {3, "canonical", 1, nil}}; !slices.EqualFunc(got, want, eq) {
		t.Errorf("Export = %+v, want %+v", got, want)
	}
	if got, want := export(true), []row{{1, "canonical", 2, nil}, {2, "exact", 2, nil}, {3, "canonical", 1, nil}}; !slices.EqualFunc(got, want, eq) {
		t.Errorf("Export(variants) = %+v, want %+v", got, want)
	}
}

func TestExportAfterMerge(t *testing.T) {
	db := MustOpenDB(t)
	seedMerge(t, db)
	var ids []int64
	var dups []string
	err := db.Export(t.Context(), store.ExportFilter{}, func(r store.ExportRow) error {
		ids = append(ids, r.ID)
		if r.ID == 6 {
			dups = r.Duplicates
		}
		return nil
	})
	if err != nil || !slices.Equal(ids, []int64{5, 6}) {
		t.Errorf("Export ids = %v, %v; want [5 6]", ids, err)
	}
	if want := []string{"one:1", "one:2", "one:3", "one:4"}; !slices.Equal(dups, want) {
		t.Errorf("duplicates of 6 = %v, want %v", dups, want)
	}
}

func TestKnownAndContentHash(t *testing.T) {
	db := MustOpenDB(t)
	ctx := t.Context()
	seedCopy(t, db)
	keys := []store.Key{
		{Ref: "a.json", RawHash: "raw-a.json"},
		{Ref: "b.json", RawHash: "raw-b.json"},
		{Ref: "a.json", RawHash: "raw-b.json"}, // stored hash, other ref
		{Ref: "z.json", RawHash: "raw-z.json"},
	}
	known, err := db.Known(ctx, keys)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []bool{true, true, false, false} {
		if known[keys[i]] != want {
			t.Errorf("Known[%v] = %v, want %v", keys[i], known[keys[i]], want)
		}
	}
	if k, err := db.Known(ctx, nil); err != nil || len(k) != 0 {
		t.Errorf("Known(nil) = %v, %v", k, err)
	}

	first, err := db.FirstByContentHash(ctx, []string{"content-Text one, the original. Zürich.", "content-Text three stands alone", "content-nope"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{"content-Text one, the original. Zürich.": 1, "content-Text three stands alone": 3}
	if !maps.Equal(first, want) {
		t.Errorf("FirstByContentHash = %v, want %v", first, want)
	}
}

// TestLookupsInChunks crosses the 500-value limit of one IN list.
func TestLookupsInChunks(t *testing.T) {
	db := MustOpenDB(t)
	ctx := t.Context()
	imp := mustBegin(t, db, "big")
	const n = 1203
	var arts []store.Article
	var keys []store.Key
	var ids []int64
	for i := int64(1); i <= n; i++ {
		a := article(i, fmt.Sprintf("big:%d", i), "big", fmt.Sprintf("text %d", i), false)
		a.Published = ""
		arts = append(arts, a)
		keys = append(keys, store.Key{Ref: a.Ref, RawHash: a.RawHash}, store.Key{Ref: a.Ref, RawHash: "other"})
		ids = append(ids, i, i+n)
	}
	mustWrite(t, db, &store.Batch{ImportID: imp, Articles: arts})
	known, err := db.Known(ctx, keys)
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, k := range keys {
		if known[k] {
			found++
			if k.RawHash == "other" {
				t.Errorf("unknown key %v reported", k)
			}
		}
	}
	if found != n {
		t.Errorf("Known found %d of %d", found, n)
	}
	texts, err := db.Texts(ctx, ids)
	if err != nil || len(texts) != n || texts[1] != "text 1" || texts[n] != fmt.Sprintf("text %d", n) {
		t.Errorf("Texts: %d texts, %v", len(texts), err)
	}
	members, err := db.Members(ctx, ids)
	if err != nil || len(members) != n {
		t.Errorf("Members: %d, %v", len(members), err)
	}
	heads, err := db.ClusterHeads(ctx, ids)
	if err != nil || len(heads) != n {
		t.Errorf("ClusterHeads: %d, %v", len(heads), err)
	}
}

func TestMembersAndClusters(t *testing.T) {
	db := MustOpenDB(t)
	ctx := t.Context()
	seedCopy(t, db)
	members, err := db.Members(ctx, []int64{1, 2, 3, 99})
	if err != nil {
		t.Fatal(err)
	}
	if len(members) != 3 {
		t.Fatalf("Members = %v, want 3", members)
	}
	m := members[2]
	want := store.Member{
		Member:      dedupe.Member{ID: 2, Length: len([]rune("Text one, the original. Zürich.")), Published: "2024-01-02T10:00:00Z", Ref: "b.json"},
		ContentHash: "content-Text one, the original. Zürich.", ClusterID: 1,
		Source: "beta", URL: "https://example.test/b.json",
	}
	if m != want {
		t.Errorf("Members[2] = %+v, want %+v", m, want)
	}
	if members[3].ClusterID != 3 || members[1].ClusterID != 1 {
		t.Errorf("cluster ids: %+v", members)
	}

	heads, err := db.ClusterHeads(ctx, []int64{1, 2, 3})
	if err != nil {
		t.Fatal(err)
	}
	wantHeads := map[int64]store.ClusterHead{1: {ID: 1, CanonicalID: 1, Size: 2}, 3: {ID: 3, CanonicalID: 3, Size: 1}}
	if !maps.Equal(heads, wantHeads) {
		t.Errorf("ClusterHeads = %v, want %v", heads, wantHeads)
	}
	for id, want := range map[int64][]int64{1: {1, 2}, 3: {3}, 2: nil} {
		if got, err := db.MemberIDs(ctx, id); err != nil || !slices.Equal(got, want) {
			t.Errorf("MemberIDs(%d) = %v, %v; want %v", id, got, err, want)
		}
	}
	byCluster, err := db.ClusterMemberIDs(ctx, []int64{3, 1, 2})
	if err != nil {
		t.Fatal(err)
	}
	if want := map[int64][]int64{1: {1, 2}, 3: {3}}; !maps.EqualFunc(byCluster, want, slices.Equal) {
		t.Errorf("ClusterMemberIDs = %v, want %v", byCluster, want)
	}
	vs, err := db.VariantsOf(ctx, []int64{1, 2, 3})
	if err != nil {
		t.Fatal(err)
	}
	wantVs := map[int64]store.Variant{2: {ArticleID: 2, Relation: dedupe.Exact, Jaccard: 1, Containment: 1}}
	if !maps.Equal(vs, wantVs) {
		t.Errorf("VariantsOf = %v, want %v", vs, wantVs)
	}
	texts, err := db.Texts(ctx, []int64{3, 1, 42})
	if err != nil {
		t.Fatal(err)
	}
	if want := map[int64]string{1: "Text one, the original. Zürich.", 3: "Text three stands alone"}; !maps.Equal(texts, want) {
		t.Errorf("Texts = %v, want %v", texts, want)
	}
}

func TestEachSignature(t *testing.T) {
	db := MustOpenDB(t)
	seedCopy(t, db)
	// An article without passages: stored as NULL, read back as none.
	none := article(4, "none", "s", "no long paragraph", false)
	none.Passages = nil
	mustWrite(t, db, &store.Batch{ImportID: mustBegin(t, db), Articles: []store.Article{none}})
	got := map[int64][]uint64{}
	gotPassages := map[int64][]uint64{}
	var order []int64
	err := db.EachSignature(t.Context(), func(id int64, sig, passages []uint64) error {
		got[id] = slices.Clone(sig)
		gotPassages[id] = slices.Clone(passages)
		order = append(order, id)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The exact copy, 2, has no signature.
	if !slices.Equal(order, []int64{1, 3, 4}) {
		t.Fatalf("ids = %v, want [1 3 4]", order)
	}
	for _, id := range order {
		if !slices.Equal(got[id], sigFor(id)) {
			t.Errorf("signature %d = %v, want %v", id, got[id], sigFor(id))
		}
		// Hashes above MaxInt64 too.
		want := article(id, "", "", "", false).Passages
		if id == 4 {
			want = nil
		}
		if !slices.Equal(gotPassages[id], want) {
			t.Errorf("passages of %d = %x, want %x", id, gotPassages[id], want)
		}
	}
	if n, err := db.SignaturesAtMost(t.Context()); err != nil || n != 4 {
		t.Errorf("SignaturesAtMost = %d, %v; want 4 (3 signatures, ids up to 4)", n, err)
	}
	stop := errors.New("stop")
	if err := db.EachSignature(t.Context(), func(int64, []uint64, []uint64) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("EachSignature = %v, want the callback's error", err)
	}
}

// TestEachSignatureRanges reads signatures in ranges much smaller than the
// ids, with gaps and empty ranges among them, on several connections: fn
// still sees every row once, in id order, and an error stops the reading.
func TestEachSignatureRanges(t *testing.T) {
	defer store.SetSignatureRange(3)()
	db := MustOpenDB(t)
	var arts []store.Article
	var want []int64
	for id := int64(1); id <= 400; id++ {
		if id%10 == 4 || id > 100 && id < 140 {
			continue // gaps, and ranges with no row at all
		}
		arts = append(arts, article(id, fmt.Sprint("r", id), "s", fmt.Sprint("text ", id), false))
		want = append(want, id)
	}
	mustWrite(t, db, &store.Batch{ImportID: mustBegin(t, db), Articles: arts})
	for range 3 {
		var order []int64
		err := db.EachSignature(t.Context(), func(id int64, sig, passages []uint64) error {
			order = append(order, id)
			if !slices.Equal(sig, sigFor(id)) || !slices.Equal(passages, article(id, "", "", "", false).Passages) {
				t.Fatalf("article %d: signature %v, passages %x", id, sig, passages)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(order, want) {
			t.Fatalf("ids = %v, want %v", order, want)
		}
	}
	stop := errors.New("stop")
	seen := 0
	err := db.EachSignature(t.Context(), func(int64, []uint64, []uint64) error {
		if seen++; seen == 50 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || seen != 50 {
		t.Errorf("EachSignature = %v after %d rows, want the callback's error after 50", err, seen)
	}
}

// TestSignatureFeedsIndex stores real signatures and loads them back into
// a dedupe index, as an importer resuming a database does.
func TestSignatureFeedsIndex(t *testing.T) {
	db := MustOpenDB(t)
	p := dedupe.DefaultParams()
	text := "one two three four five six seven eight nine ten eleven twelve thirteen"
	a := article(1, "s.json", "s", text, false)
	a.Signature = p.Sign(dedupe.Shingles(text, p.ShingleSize))
	mustWrite(t, db, &store.Batch{ImportID: mustBegin(t, db), Articles: []store.Article{a}})
	ix := dedupe.NewIndex(p)
	err := db.EachSignature(t.Context(), func(id int64, sig, _ []uint64) error {
		if !slices.Equal(sig, a.Signature) {
			t.Errorf("stored signature differs: %v vs %v", sig, a.Signature)
		}
		ix.Add(id, sig)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ix.Flush()
	if got := ix.Query(a.Signature); !slices.Equal(got, []int64{1}) {
		t.Errorf("Query = %v, want [1]", got)
	}
}

func TestStats(t *testing.T) {
	db := MustOpenDB(t)
	ctx := t.Context()
	s, err := db.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if s.Articles != 0 || s.DuplicateRate() != 0 || len(s.BySource) != 0 {
		t.Errorf("empty Stats = %+v, rate %v", s, s.DuplicateRate())
	}

	seedCopy(t, db)
	s, err = db.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := store.Stats{Articles: 3, Clusters: 2, MultiClusters: 1, Duplicates: 1, Imports: 1, Rejections: 2}
	if s.Articles != want.Articles || s.Clusters != want.Clusters || s.MultiClusters != want.MultiClusters ||
		s.Duplicates != want.Duplicates || s.Imports != want.Imports || s.Rejections != want.Rejections {
		t.Errorf("Stats = %+v, want %+v", s, want)
	}
	if !maps.Equal(s.ByRelation, map[string]int{"exact": 1}) {
		t.Errorf("ByRelation = %v", s.ByRelation)
	}
	if got := s.DuplicateRate(); got != 1.0/3 {
		t.Errorf("DuplicateRate = %v, want 1/3", got)
	}
	wantSrc := []store.SourceStats{{Source: "alpha", Articles: 2, Duplicates: 0}, {Source: "beta", Articles: 1, Duplicates: 1}}
	if !slices.Equal(s.BySource, wantSrc) {
		t.Errorf("BySource = %+v, want %+v", s.BySource, wantSrc)
	}
}

func TestStatsAfterMerge(t *testing.T) {
	db := MustOpenDB(t)
	seedMerge(t, db)
	s, err := db.Stats(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if s.Articles != 6 || s.Clusters != 2 || s.MultiClusters != 1 || s.Duplicates != 4 || s.Imports != 2 {
		t.Errorf("Stats = %+v", s)
	}
	if want := map[string]int{"exact": 1, "near": 1, "excerpt": 2}; !maps.Equal(s.ByRelation, want) {
		t.Errorf("ByRelation = %v, want %v", s.ByRelation, want)
	}
	if got := s.DuplicateRate(); got != 4.0/6 {
		t.Errorf("DuplicateRate = %v, want 4/6", got)
	}
	// alpha: 1, 3 (both variants now); beta: 2 (variant), 5; gamma: 4 (variant), 6 (canonical).
	wantSrc := []store.SourceStats{{"alpha", 2, 2}, {"beta", 2, 1}, {"gamma", 2, 1}}
	if !slices.Equal(s.BySource, wantSrc) {
		t.Errorf("BySource = %+v, want %+v", s.BySource, wantSrc)
	}
	if (store.Stats{}).DuplicateRate() != 0 {
		t.Error("DuplicateRate of no articles is not 0")
	}
}

func TestImports(t *testing.T) {
	db := MustOpenDB(t)
	ctx := t.Context()
	clock := time.Date(2025, 3, 1, 12, 0, 0, 0, time.FixedZone("CET", 3600))
	db.Now = func() time.Time { clock = clock.Add(time.Minute); return clock }

	first := seedCopy(t, db) // begins at 11:01 UTC, with 2 rejections
	if err := db.FinishImport(ctx, first, "done", store.Counts{New: 3}); err != nil {
		t.Fatal(err)
	}
	second, err := db.BeginImport(ctx, []string{"a.jsonl", "b.jsonl"}, store.Settings{ShingleSize: 5})
	if err != nil {
		t.Fatal(err)
	}
	if second <= first {
		t.Errorf("import ids %d then %d", first, second)
	}
	mustWrite(t, db, &store.Batch{ImportID: second, Rejections: []store.Rejection{{Ref: "c.jsonl:7", Reason: "bad date"}}})

	ims, err := db.Imports(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ims) != 2 || ims[0].ID != second || ims[1].ID != first {
		t.Fatalf("Imports = %+v, want newest first", ims)
	}
	running, done := ims[0], ims[1]
	if running.Status != "running" || running.FinishedAt != "" || running.StartedAt != "2025-03-01T11:03:00Z" {
		t.Errorf("running import = %+v", running)
	}
	if !slices.Equal(running.Inputs, []string{"a.jsonl", "b.jsonl"}) {
		t.Errorf("inputs = %q", running.Inputs)
	}
	if running.Settings.ShingleSize != 5 || running.Counts != (store.Counts{}) {
		t.Errorf("settings %+v counts %+v", running.Settings, running.Counts)
	}
	if !slices.Equal(running.Rejections, []store.Rejection{{Ref: "c.jsonl:7", Reason: "bad date"}}) {
		t.Errorf("rejections of the running import = %v", running.Rejections)
	}

	if done.Status != "done" || done.StartedAt != "2025-03-01T11:01:00Z" || done.FinishedAt != "2025-03-01T11:02:00Z" {
		t.Errorf("finished import = %+v", done)
	}
	if done.Counts != (store.Counts{New: 3}) {
		t.Errorf("counts = %+v", done.Counts)
	}
	wantRej := []store.Rejection{{Ref: "bad.json", Reason: "no text"}, {Ref: "worse.json", Reason: "not JSON"}}
	if !slices.Equal(done.Rejections, wantRej) {
		t.Errorf("rejections = %v, want %v", done.Rejections, wantRej)
	}
}

// TestBatchCountsStored checks that a batch's running counts replace the
// import's.
func TestBatchCountsStored(t *testing.T) {
	db := MustOpenDB(t)
	seedCopy(t, db)
	ims, err := db.Imports(t.Context())
	if err != nil || len(ims) != 1 {
		t.Fatal(ims, err)
	}
	if ims[0].Counts != (store.Counts{New: 3, Rejected: 2}) {
		t.Errorf("counts = %+v", ims[0].Counts)
	}
}

// TestTextSameAsRaw: a text that cleaning left as it was is stored once
// (migration 0007) and reads back whole wherever text is read.
func TestTextSameAsRaw(t *testing.T) {
	db := MustOpenDB(t)
	ctx := t.Context()
	same := article(1, "same.txt", "s", "Plain text that needed no cleaning.", false)
	same.Raw = same.Text
	other := article(2, "other.txt", "s", "Text that did.", false)
	mustWrite(t, db, &store.Batch{ImportID: mustBegin(t, db), Articles: []store.Article{same, other}})
	r := rawDB(t, db)
	if n := count(t, r, `SELECT COUNT(*) FROM articles WHERE text_stored = ''`); n != 1 {
		t.Errorf("%d articles stored without their text, want 1", n)
	}
	for _, want := range []store.Article{same, other} {
		a, err := db.ArticleByID(ctx, want.ID)
		if err != nil || a.Text != want.Text || a.Raw != want.Raw {
			t.Errorf("article %d: text %q raw %q (%v), want %q, %q", want.ID, a.Text, a.Raw, err, want.Text, want.Raw)
		}
	}
	texts, err := db.Texts(ctx, []int64{1, 2})
	if err != nil || texts[1] != same.Text || texts[2] != other.Text {
		t.Errorf("Texts = %v, %v", texts, err)
	}
	// No cleaned text would read back as the raw one: refused.
	empty := article(3, "empty.txt", "s", "", false)
	if err := db.WriteBatch(ctx, &store.Batch{ImportID: mustBegin(t, db), Articles: []store.Article{empty}}); err == nil {
		t.Error("an article without cleaned text was stored")
	}
	if n := count(t, r, `SELECT COUNT(*) FROM articles`); n != 2 {
		t.Errorf("%d articles after the refused batch, want 2", n)
	}
}
