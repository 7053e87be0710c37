// Package pipeline runs an import: ingest reads and cleans articles,
// dedupe fingerprints and matches them, and store persists each batch.
// Readers and workers prepare articles on every core; one goroutine applies
// them in input order, so ids and clusters do not depend on timing.
package pipeline

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"maps"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/semaphore"

	"github.com/newsdedup/newsdedup/dedupe"
	"github.com/newsdedup/newsdedup/ingest"
	"github.com/newsdedup/newsdedup/store"
)

// Summary is what an import reports.
type Summary struct {
	ImportID int64
	store.Counts
	Rejections []ingest.Rejection
}

// clone copies s deeply enough that later counting leaves it alone.
func (s Summary) clone() Summary {
	s.Rejections = slices.Clone(s.Rejections)
	s.Counts = s.Counts.Clone()
	return s
}

// prepared is an article with everything the workers compute for it.
type prepared struct {
	seq      int
	art      ingest.Article
	reject   *ingest.Rejection
	clean    string
	rawHash  string
	hash     string
	length   int
	shingles *dedupe.Set
	sig      []uint64
	passages []uint64
	origin   string // where the item was read: FILE or FILE:LINE
	repaired bool   // the text was not valid UTF-8
	dated    dedupe.Dated
	weight   int64 // bytes held of the read window (see importer.window)

	// publishedRaw is the article's date as written; unparsedDate says
	// that ParseDate did not understand it, so published is empty.
	publishedRaw string
	unparsedDate bool
}

// size is about the memory a prepared article holds.
func (p *prepared) size() int64 {
	return int64(len(p.art.Raw) + len(p.art.Text) + len(p.clean) + 8*(len(p.shingles.Hashes())+len(p.sig)+len(p.passages)))
}

// The memory an import holds is bounded by the bytes in flight between
// the reader and a batch, and by the bytes of a batch.
const (
	defaultWindow     = 256 << 20
	defaultBatchBytes = 256 << 20
)

// Options say how to import.
type Options struct {
	Params dedupe.Params
	Rules  *ingest.Rules // nil: no rules
	Read   ingest.Options
	// Batch is the number of articles a transaction writes (0: 10,000).
	Batch int
	// Workers prepare articles in parallel (0: GOMAXPROCS).
	Workers int
	// Window bounds the bytes read but not yet in a batch, and BatchBytes
	// the bytes of a batch (0: the defaults): a batch of large HTML pages
	// would otherwise hold gigabytes.
	Window, BatchBytes int64
	// Progress, when set, is called after every batch is written.
	Progress func(Summary)
	// Counters, when set, are kept up to date as items pass each stage.
	Counters *Counters
	// Warn, when set, is told of inputs that were imported with a caveat.
	Warn func(ref, msg string)
}

// DefaultBatch is the number of articles a transaction writes by default.
const DefaultBatch = 10000

// Importer runs one import: readers and workers prepare articles in
// parallel, and the goroutine calling Run owns the matcher and the writes.
type Importer struct {
	db                 Store
	rules              *ingest.Rules
	params             dedupe.Params
	read               ingest.Options
	batch              int
	workers            int
	window, batchBytes int64
	m                  *dedupe.Matcher
	id                 int64 // this import
	next               int64 // the id of the next new article
	sum                Summary
	progress           func(Summary)
	counters           *Counters
	warn               func(ref, msg string)
	// firstRaw remembers the raw text of every ref this import saw, by
	// hash, to notice one id used for two different texts.
	firstRaw map[uint64]string
	// seen is set when the database held no article before this import.
	seen *seenDigests
	// cands are the verified candidates of the batch in hand.
	cands []store.Candidate
	// rejections counts rejections by file, to keep the first of each.
	rejections rejectionLimit
	// touched is the set of clusters the import made or changed.
	touched touched

	// A batch is written by a goroutine of its own while the next one is
	// matched: writing is the largest serial cost of an import. flight is
	// the write in flight, and ov holds what the next batch must see of
	// it before it is committed.
	flight *flight
	ov     *overlay
	w      store.Writer
	// stored holds the shingles of stored articles that matching the
	// batch in hand computed, for scoring its clusters to use again, and
	// texts their cleaned texts, for the figures the date rules may need.
	stored map[int64][]uint64
	texts  map[int64]string
	// st is the site text, and again set while relearn places clusters
	// again. redate are stored articles a copy of which this import
	// brought: their pairs are judged again at its end.
	st     *siteText
	again  *again
	redate map[int64]bool
}

// overlay is what matching a batch needs to know of the batch before it,
// which may not be committed yet.
type overlay struct {
	keys     map[store.Key]bool
	hashes   map[string]int64
	shingles map[int64]*dedupe.Set
	dated    map[int64]dedupe.Dated
	texts    map[int64]string // cleaned, for the figures the date rules may need
}

func (ov *overlay) datedOf(id int64) (dedupe.Dated, bool) {
	if ov == nil {
		return dedupe.Dated{}, false
	}
	d, ok := ov.dated[id]
	return d, ok
}

func (ov *overlay) textOf(id int64) (string, bool) {
	if ov == nil {
		return "", false
	}
	t, ok := ov.texts[id]
	return t, ok
}

func (ov *overlay) shinglesOf(id int64) ([]uint64, bool) {
	if ov == nil {
		return nil, false
	}
	sh, ok := ov.shingles[id]
	return sh.Sorted(), ok
}

// flight is a batch being written, with what placing it again needs.
type flight struct {
	ctx    context.Context
	done   chan error
	b      *store.Batch
	byID   map[int64]*prepared
	placed placed  // what placing b counted into the summary
	tries  int     // placements refused as stale
	sum    Summary // the summary as of b
}

// placed is what placing a batch in clusters counts.
type placed struct{ clusters, exact, near, excerpts int }

func (s *Summary) add(p placed, sign int) {
	s.ClustersTouched += sign * p.clusters
	s.Exact += sign * p.exact
	s.Near += sign * p.near
	s.Excerpts += sign * p.excerpts
}

// maxReplacements bounds how often a batch is placed again because a
// person's decisions keep changing its clusters while it is written.
const maxReplacements = 20

// holdAfter is how many stale placements of a batch are tried without
// holding the write lock: decisions are rare, and holding it makes a
// person's decision wait for the placement.
const holdAfter = 3

// write starts writing b. Only one write is in flight at a time.
func (im *Importer) write(ctx context.Context, f *flight) {
	f.ctx, f.done = ctx, make(chan error, 1)
	im.flight = f
	go func() {
		err := im.w.Write(ctx, f.b)
		if err == nil && im.progress != nil {
			im.progress(f.sum)
		}
		f.done <- err
	}()
}

// wait waits for the write in flight, if any, and returns its error. A
// batch refused because clusters changed since it was placed (a person's
// decision while the import runs) is placed again from the clusters as
// they are and written again.
func (im *Importer) wait() error {
	f := im.flight
	if f == nil {
		return nil
	}
	im.flight = nil
	err := <-f.done
	for try := 0; errors.Is(err, store.ErrStaleClusters); try++ {
		if try == maxReplacements {
			return fmt.Errorf("clusters changed under every one of %d placements of a batch (decisions taken while importing): %w", try, err)
		}
		err = im.replace(f)
	}
	if err != nil {
		// The summary says what is stored: this batch is not.
		im.sum.New -= len(f.b.Articles)
		im.sum.add(f.placed, -1)
		return err
	}
	im.touched.commit()
	return nil
}

// replace places f's batch again and writes it.
func (im *Importer) replace(f *flight) error {
	im.sum.add(f.placed, -1)
	f.sum.add(f.placed, -1)
	before := im.sum
	// After a few batches placed in vain, the write lock is taken before
	// the clusters are read: then no decision can come in between.
	if f.tries++; f.tries >= holdAfter {
		if err := im.w.Hold(f.ctx); err != nil {
			return err
		}
	}
	gen, err := im.db.ClusterGeneration(f.ctx)
	if err != nil {
		return err
	}
	if f.b.Clusters, f.b.Dissolve, err = im.place(f.ctx, f.byID, f.b.Links); err != nil {
		return err
	}
	f.placed = placedSince(before, im.sum)
	f.sum.add(f.placed, 1)
	f.b.Generation, f.b.Counts = gen, f.sum.Counts
	if err := im.w.Write(f.ctx, f.b); err != nil {
		return err
	}
	if im.progress != nil {
		im.progress(f.sum)
	}
	return nil
}

// placedSince is what placing counted from before to after.
func placedSince(before, after Summary) placed {
	return placed{
		clusters: after.ClustersTouched - before.ClustersTouched, exact: after.Exact - before.Exact,
		near: after.Near - before.Near, excerpts: after.Excerpts - before.Excerpts,
	}
}

// hashString returns the hex of the first 16 bytes of s's SHA-256. The
// hash reads the string's bytes in place: converting it to []byte copied
// every raw and cleaned text once more.
func hashString(s string) string {
	h := sha256.Sum256(unsafe.Slice(unsafe.StringData(s), len(s)))
	return hex.EncodeToString(h[:16])
}

// runeCount is utf8.RuneCountInString, eight bytes at a time over ASCII,
// which most news text is: the standard one decodes every rune, and that
// was 2% of an import.
func runeCount(s string) int {
	n := 0
	for i := 0; i < len(s); n++ {
		if i+8 <= len(s) {
			b := s[i : i+8] // of known length: one load, not eight checked ones
			w := uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
				uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
			if w&0x8080808080808080 == 0 {
				n += 7 // and the loop's one
				i += 8
				continue
			}
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return n
}

// prepare parses, cleans, shingles and signs one item. It runs on every
// core at once.
func (im *Importer) prepare(seq int, in ingest.Item) prepared {
	a, err := im.read.Parse(in)
	if err != nil {
		rej, ok := err.(ingest.Rejection)
		if !ok {
			rej = ingest.Rejection{Ref: in.Ref, Reason: err.Error()}
		}
		return prepared{seq: seq, reject: &rej}
	}
	p := prepared{seq: seq, art: a, rawHash: hashString(a.Raw), origin: in.Ref}
	body := a.Raw
	if a.Text != "" {
		body = a.Text // extracted from HTML
	}
	// Decoders (JSON) repair invalid UTF-8 on the way: look at the input too.
	// HTML is decoded by its declared charset instead.
	p.repaired = !utf8.ValidString(body) || (in.Format != ingest.FormatHTML && !utf8.Valid(in.Data))
	p.clean = im.rules.Clean(body)
	p.shingles, p.passages = dedupe.Fingerprint(p.clean, im.params.ShingleSize)
	if len(p.shingles.Hashes()) == 0 {
		p.reject = &ingest.Rejection{Ref: a.Ref, Reason: "no words left after cleaning"}
		return p
	}
	if p.clean == a.Raw {
		p.hash = p.rawHash // most articles: cleaning changed nothing
	} else {
		p.hash = hashString(p.clean)
	}
	p.length = runeCount(p.clean)
	p.sig = im.params.Sign(p.shingles.Hashes())
	// The signature finds candidates with all the text; verification
	// leaves out the source's site text.
	if d := drop(im.st.known, p.art.Source, p.passages); d != nil {
		if s := dedupe.ShinglesWithout(p.clean, im.params.ShingleSize, d); s != nil {
			p.shingles = s
		}
	}
	if p.art.Title == "" {
		p.art.Title = ingest.GuessTitle(p.clean)
	}
	p.publishedRaw = strings.TrimSpace(p.art.Published)
	var ok bool
	p.art.Published, ok = ingest.ParseDate(p.publishedRaw)
	p.unparsedDate = !ok && p.publishedRaw != ""
	if crawled, ok := ingest.ParseDate(p.art.Crawled); ok {
		p.art.Crawled = crawled
	}
	p.dated.Published = publishedTime(p.art.Published)
	return p
}

// New returns an importer into db.
func New(db Store, opts Options) *Importer {
	return &Importer{
		db: db, rules: opts.Rules, params: opts.Params, read: opts.Read,
		batch: cmp.Or(opts.Batch, DefaultBatch), workers: opts.Workers,
		window: opts.Window, batchBytes: opts.BatchBytes,
		progress: opts.Progress, counters: opts.Counters, warn: opts.Warn,
	}
}

// Run imports paths and records the import, its settings and its
// outcome in the database. On cancellation it finishes the batch in hand
// and returns ctx's error (Summary.Interrupted is set); everything written
// is consistent, and the same import run again stores the rest.
func (im *Importer) Run(ctx context.Context, paths []string) (Summary, error) {
	// An import killed outright (kill -9) could not say so: say it now.
	if _, err := im.db.MarkInterrupted(ctx, store.ProcessAlive); err != nil {
		return im.sum, err
	}
	id, err := im.db.BeginImport(ctx, paths, store.NewSettings(im.params, im.rules))
	if err != nil {
		return im.sum, err
	}
	im.id, im.sum.ImportID = id, id
	runErr := im.run(ctx, paths)
	if more := im.rejections.more(); len(more) > 0 {
		im.sum.Rejections = append(im.sum.Rejections, more...)
		rows := make([]store.Rejection, len(more))
		for i, r := range more {
			rows[i] = store.Rejection{Ref: r.Ref, Reason: r.Reason}
		}
		if err := im.db.AddRejections(context.WithoutCancel(ctx), id, rows); err != nil && runErr == nil {
			runErr = err
		}
	}
	status := "done"
	switch {
	case im.sum.Interrupted:
		status = "interrupted"
	case runErr != nil:
		status = "failed"
	}
	// The record is finished even after Ctrl-C.
	if err := im.db.FinishImport(context.WithoutCancel(ctx), id, status, im.sum.Counts); err != nil && runErr == nil {
		runErr = err
	}
	return im.sum, runErr
}

// run imports paths into the import im.id.
func (im *Importer) run(ctx context.Context, paths []string) error {
	if im.workers <= 0 {
		im.workers = runtime.GOMAXPROCS(0)
	}
	if err := im.loadIndex(ctx); err != nil {
		return err
	}
	var err error
	if im.next, err = im.db.NextID(ctx); err != nil {
		return err
	}
	if im.next == 1 {
		im.seen = newSeenDigests()
	}
	if im.w, err = im.db.NewWriter(ctx); err != nil {
		return err
	}
	defer im.w.Close()
	gc := newGCTuner()
	gc.adjust()
	defer gc.restore()

	window := cmp.Or(im.window, defaultWindow)
	batchBytes := cmp.Or(im.batchBytes, defaultBatchBytes)
	inFlight := semaphore.NewWeighted(window)
	type item struct {
		seq    int
		in     ingest.Item
		rej    *ingest.Rejection
		weight int64
	}
	readCtx, stopReading := context.WithCancel(ctx)
	defer stopReading()
	// sent is the number of items read once all are, -1 until then: the
	// batch that ends with the last of them is the last to match.
	var sent atomic.Int64
	sent.Store(-1)
	g, gctx := errgroup.WithContext(readCtx)
	// skipped is counted by the reading goroutine alone, and added to the
	// summary once it is done.
	var skipped store.SkippedRecords
	items := make(chan item, 4*im.workers)
	// Room for a batch: the workers prepare the next batch while this
	// one is matched, instead of stopping a few items ahead.
	out := make(chan prepared, im.batch)
	g.Go(func() error {
		defer close(items)
		seq := 0
		send := func(it item) error {
			it.seq = seq
			seq++
			it.weight = min(int64(len(it.in.Data)), window)
			if err := inFlight.Acquire(gctx, it.weight); err != nil {
				return err
			}
			select {
			case items <- it:
				im.counters.countRead()
				return nil
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		read := im.read
		read.Skipped = skipped.Add
		err := ingest.Read(gctx, paths, read,
			func(in ingest.Item) error { return send(item{in: in}) },
			func(r ingest.Rejection) { send(item{rej: &r}) })
		var rej ingest.Rejection
		if errors.As(err, &rej) {
			// --strict: the bad record goes down the pipeline like any
			// other, so that everything read before it is stored first.
			err = send(item{rej: &rej})
		}
		if err == nil {
			sent.Store(int64(seq))
		}
		return err
	})
	workers, wctx := errgroup.WithContext(gctx)
	for range im.workers {
		workers.Go(func() error {
			for it := range items {
				p := prepared{seq: it.seq, reject: it.rej}
				if it.rej == nil {
					p = im.prepare(it.seq, it.in)
				}
				p.weight = it.weight
				im.counters.countPrepared()
				select {
				case out <- p:
				case <-wctx.Done():
					return wctx.Err()
				}
			}
			return nil
		})
	}
	g.Go(func() error {
		defer close(out)
		return workers.Wait()
	})

	// Apply results in input order, so ids follow the inputs whatever the
	// workers' timing.
	var collectErr error
	pending := make(map[int]prepared)
	want := 0
	var batch []prepared
	var inBatch int64 // bytes
	// The batch in hand when Ctrl-C comes is still written whole.
	wctxNoCancel := context.WithoutCancel(ctx)
	for p := range out {
		if collectErr != nil || ctx.Err() != nil {
			// Drain so the producers can stop. After Ctrl-C nothing more
			// is applied: a re-run imports the rest.
			inFlight.Release(p.weight)
			continue
		}
		pending[p.seq] = p
		for collectErr == nil {
			q, ok := pending[want]
			if !ok {
				break
			}
			delete(pending, want)
			want++
			inFlight.Release(q.weight)
			batch = append(batch, q)
			inBatch += q.size()
			if len(batch) >= im.batch || inBatch >= batchBytes {
				last := int64(want) == sent.Load()
				collectErr = im.apply(wctxNoCancel, batch, last)
				im.counters.countMatched(len(batch))
				batch, inBatch = nil, 0
				gc.adjust()
				if collectErr != nil {
					stopReading() // nothing more will be applied
				}
			}
		}
	}
	gerr := g.Wait()
	im.sum.SkippedRecords = skipped
	if collectErr == nil && len(batch) > 0 && ctx.Err() == nil {
		collectErr = im.apply(wctxNoCancel, batch, true)
		im.counters.countMatched(len(batch))
	}
	if err := im.wait(); collectErr == nil {
		collectErr = err
	}
	if collectErr != nil {
		return collectErr
	}
	if ctx.Err() != nil {
		im.sum.Interrupted = true
		return ctx.Err()
	}
	if gerr != nil {
		return gerr
	}
	return im.relearn(wctxNoCancel)
}

// loadIndex fills the matcher's index with every stored signature and
// makes sure the database's signatures were made the same way.
func (im *Importer) loadIndex(ctx context.Context) error {
	want := map[string]string{
		"signature_scheme": dedupe.Scheme,
		"shingle_size":     strconv.Itoa(im.params.ShingleSize),
		"num_hash":         strconv.Itoa(im.params.NumHash),
		"seed":             strconv.FormatUint(im.params.Seed, 10),
	}
	for _, k := range slices.Sorted(maps.Keys(want)) {
		have, ok, err := im.db.Meta(ctx, k)
		if err != nil {
			return err
		}
		if !ok {
			if err := im.db.SetMeta(ctx, k, want[k]); err != nil {
				return err
			}
			continue
		}
		if have != want[k] {
			return fmt.Errorf("the database's signatures were made with %s %s, not %s: import with the same setting into this database, or use a new one", k, have, want[k])
		}
	}
	return im.loadMatcher(ctx)
}

// loadMatcher makes the matcher, with every stored signature in its index.
// It only reads the database.
func (im *Importer) loadMatcher(ctx context.Context) error {
	im.m = dedupe.NewMatcher(im.params)
	im.m.Scored = func(p dedupe.Pair, shorter, longer int) {
		if im.sum.Candidates == nil {
			im.sum.Candidates = store.NewScoreCounts()
		}
		im.sum.Candidates.Add(p.Jaccard, p.Containment)
		if max(p.Jaccard, p.Containment) >= dedupe.CandidateFloor {
			im.cands = append(im.cands, store.Candidate{A: p.A, B: p.B, Jaccard: p.Jaccard, Containment: p.Containment, Shorter: shorter, Longer: longer})
		}
	}
	// Batches are written to the end after Ctrl-C, lookups included.
	ctx = context.WithoutCancel(ctx)
	im.m.Lookup = func(ids []int64) (map[int64][]uint64, error) {
		out := make(map[int64][]uint64, len(ids))
		var need []int64
		for _, id := range ids {
			if sh, ok := im.ov.shinglesOf(id); ok {
				out[id] = sh // the batch being written
			} else {
				need = append(need, id)
			}
		}
		texts, err := im.db.Texts(ctx, need)
		if err != nil {
			return nil, err
		}
		if im.stored == nil {
			im.stored = make(map[int64][]uint64, len(texts))
		}
		for id, sh := range shingleTexts(texts, im.params.ShingleSize, im.st.dropOf) {
			out[id] = sh
			im.stored[id] = sh
		}
		if im.params.DateWindow > 0 {
			if im.texts == nil {
				im.texts = make(map[int64]string, len(texts))
			}
			maps.Copy(im.texts, texts)
		}
		return out, nil
	}
	n, err := im.db.SignaturesAtMost(ctx)
	if err != nil {
		return err
	}
	im.m.Reserve(n)
	im.st = newSiteText()
	err = im.db.EachSignature(ctx, func(id int64, sig, passages []uint64) error {
		if len(sig) != im.params.NumHash {
			return fmt.Errorf("article %d has a signature of %d values, want %d", id, len(sig), im.params.NumHash)
		}
		im.m.Preload(id, sig, passages)
		im.st.add(id, "", passages)
		return nil
	})
	if err != nil {
		return err
	}
	return im.st.load(ctx, im.db)
}

// apply dedupes one batch against itself and everything stored, and writes
// it in one transaction. last says that no batch follows.
func (im *Importer) apply(ctx context.Context, items []prepared, last bool) error {
	im.stored, im.texts = nil, nil
	b := &store.Batch{ImportID: im.id}
	fresh := make([]prepared, 0, len(items)) // a prepared article is large: grow once
	var strictErr error
	for i, p := range items {
		if p.reject != nil && im.read.Strict {
			// Store what came before the bad record, then stop.
			strictErr = *p.reject
			items = items[:i]
			break
		}
	}
	for _, p := range items {
		if p.reject != nil {
			im.sum.Rejected++
			if im.rejections.keep(*p.reject) {
				b.Rejections = append(b.Rejections, store.Rejection{Ref: p.reject.Ref, Reason: p.reject.Reason})
				im.sum.Rejections = append(im.sum.Rejections, *p.reject)
			}
			continue
		}
		im.sum.Read++
		if p.repaired {
			im.sum.RepairedUTF8++
		}
		if p.unparsedDate {
			im.sum.UnparsedDates++
		}
		im.checkRef(p)
		fresh = append(fresh, p)
	}

	// Inputs imported before (same ref, same raw text) are skipped.
	keys := make([]store.Key, len(fresh))
	for i, p := range fresh {
		keys[i] = store.Key{Ref: p.art.Ref, RawHash: p.rawHash}
	}
	known, err := im.db.Known(ctx, im.seen.keysSeen(keys))
	if err != nil {
		return err
	}
	if im.ov != nil {
		for k := range im.ov.keys {
			known[k] = true
		}
	}
	news := make([]prepared, 0, len(fresh))
	for _, p := range fresh {
		k := store.Key{Ref: p.art.Ref, RawHash: p.rawHash}
		if known[k] {
			im.sum.AlreadyStored++
			continue
		}
		known[k] = true
		news = append(news, p)
	}

	// Exact duplicates by content hash, of stored articles or earlier ones
	// in this batch.
	hashes := make([]string, len(news))
	for i, p := range news {
		hashes[i] = p.hash
	}
	first, err := im.db.FirstByContentHash(ctx, im.seen.hashesSeen(hashes))
	if err != nil {
		return err
	}
	if im.ov != nil {
		for _, h := range hashes {
			if id, ok := im.ov.hashes[h]; ok {
				if have, ok := first[h]; !ok || id < have {
					first[h] = id
				}
			}
		}
	}
	byID := make(map[int64]*prepared, len(news))
	docs := make([]dedupe.Doc, 0, len(news))
	b.Articles = make([]store.Article, 0, len(news))
	var links []dedupe.Pair
	for i := range news {
		p := &news[i]
		id := im.next
		im.next++
		byID[id] = p
		a := store.Article{
			ID: id, Ref: p.art.Ref, Source: p.art.Source, Title: p.art.Title, URL: p.art.URL,
			Published: p.art.Published, PublishedRaw: p.publishedRaw, Crawled: p.art.Crawled, Raw: p.art.Raw, Text: p.clean, RawHash: p.rawHash,
			ContentHash: p.hash, Length: p.length,
		}
		im.seen.add(&a)
		if orig, ok := first[p.hash]; ok {
			links = append(links, dedupe.Pair{A: orig, B: id, Relation: dedupe.Exact, Jaccard: 1, Containment: 1})
			if o := byID[orig]; p.art.Published != "" && (o == nil || p.art.Published < o.art.Published) {
				// A text published again, maybe before the copy that
				// stands for it: its pairs are judged by its first
				// publication, at the import's end.
				if im.redate == nil {
					im.redate = map[int64]bool{}
				}
				im.redate[orig] = true
			}
		} else {
			first[p.hash] = id
			a.Signature, a.Passages = p.sig, p.passages
			im.st.add(id, p.art.Source, p.passages)
			docs = append(docs, dedupe.Doc{ID: id, Shingles: p.shingles, Sig: p.sig, Passages: p.passages})
		}
		b.Articles = append(b.Articles, a)
	}
	if last {
		im.m.Last()
	}
	pairs, err := im.m.Match(docs)
	if err != nil {
		return err
	}
	if pairs, err = im.versions(ctx, pairs, byID); err != nil {
		return err
	}
	if pairs, err = im.dateRules(ctx, pairs, byID, links); err != nil {
		return err
	}
	links = append(links, pairs...)
	slices.SortFunc(links, func(x, y dedupe.Pair) int {
		return cmp.Or(cmp.Compare(x.A, y.A), cmp.Compare(x.B, y.B))
	})
	b.Links = links
	b.Candidates, im.cands = im.cands, nil
	// Placing articles in clusters reads the clusters the batch before
	// changed: from here on, that batch must be in the database.
	if err := im.wait(); err != nil {
		return err
	}
	// The generation is read before the clusters: a decision taken in
	// between makes the write fail, and the batch is placed again.
	if b.Generation, err = im.db.ClusterGeneration(ctx); err != nil {
		return err
	}
	before := im.sum
	if b.Clusters, b.Dissolve, err = im.place(ctx, byID, links); err != nil {
		return err
	}
	im.sum.New += len(b.Articles)
	// The writer reads its own copy: matching the next batch goes on
	// counting into im.sum meanwhile.
	sum := im.sum.clone()
	b.Counts = sum.Counts
	im.ov = newOverlay(b, byID)
	im.write(ctx, &flight{b: b, byID: byID, placed: placedSince(before, im.sum), sum: sum})
	if strictErr != nil {
		if err := im.wait(); err != nil {
			return err
		}
	}
	return strictErr
}

// earlier makes t the date of id in dated when it is earlier.
func earlier(dated map[int64]dedupe.Dated, id int64, t time.Time) {
	if d := dated[id]; !t.IsZero() && (d.Published.IsZero() || t.Before(d.Published)) {
		d.Published = t
		dated[id] = d
	}
}

// newOverlay keeps what the next batch must see of b while it is written.
func newOverlay(b *store.Batch, byID map[int64]*prepared) *overlay {
	ov := &overlay{
		keys:     make(map[store.Key]bool, len(b.Articles)),
		hashes:   make(map[string]int64, len(b.Articles)),
		shingles: make(map[int64]*dedupe.Set, len(b.Articles)),
		dated:    make(map[int64]dedupe.Dated, len(b.Articles)),
		texts:    make(map[int64]string, len(b.Articles)),
	}
	for _, a := range b.Articles {
		ov.keys[store.Key{Ref: a.Ref, RawHash: a.RawHash}] = true
		if _, ok := ov.hashes[a.ContentHash]; !ok {
			ov.hashes[a.ContentHash] = a.ID
		}
		if p := byID[a.ID]; p != nil && a.Signature != nil {
			ov.shingles[a.ID] = p.shingles
			ov.dated[a.ID] = p.dated
			ov.texts[a.ID] = p.clean
		}
	}
	return ov
}

// checkRef warns when a ref (a record id) comes again with another text:
// both are kept, since either may be the right one, but the input is
// suspect.
func (im *Importer) checkRef(p prepared) {
	if p.art.Ref == p.origin {
		return // a file or FILE:LINE is unique by construction
	}
	if im.firstRaw == nil {
		im.firstRaw = make(map[uint64]string)
	}
	h := fnv.New64a()
	h.Write([]byte(p.art.Ref))
	k := h.Sum64()
	first, seen := im.firstRaw[k]
	if !seen {
		im.firstRaw[k] = p.rawHash
		return
	}
	if first != p.rawHash {
		im.sum.DuplicateIDs++
		if im.warn != nil {
			im.warn(p.origin, fmt.Sprintf("id %q was used before for another text; both are kept", p.art.Ref))
		}
	}
}

// scoringData is what scoring reads of stored articles.
type scoringData struct {
	shingles map[int64][]uint64
	info     map[int64]store.Member
	olds     map[int64]store.Variant
}

func (im *Importer) storedForScoring(ctx context.Context, ids []int64) (scoringData, error) {
	sd := scoringData{shingles: make(map[int64][]uint64, len(ids))}
	var need []int64 // not shingled while matching this batch
	for _, id := range ids {
		if sh, ok := im.stored[id]; ok {
			sd.shingles[id] = sh
		} else {
			need = append(need, id)
		}
	}
	texts, err := im.db.Texts(ctx, need)
	if err != nil {
		return sd, err
	}
	maps.Copy(sd.shingles, shingleTexts(texts, im.params.ShingleSize, im.st.dropOf))
	if sd.info, err = im.db.Members(ctx, ids); err != nil {
		return sd, err
	}
	sd.olds, err = im.db.VariantsOf(ctx, ids)
	return sd, err
}

// shingleTexts returns the shingles of each text, made on every core,
// without what drop says to leave out of each (site text): the stored
// articles a batch is matched against are shingled while the workers
// that prepare articles may have nothing to do (the last batch).
func shingleTexts(texts map[int64]string, k int, drop func(id int64) map[uint64]bool) map[int64][]uint64 {
	type job struct {
		id   int64
		text string
		sh   []uint64
	}
	jobs := make([]job, 0, len(texts))
	for id, t := range texts {
		jobs = append(jobs, job{id: id, text: t})
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(len(jobs), runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(jobs); i = int(next.Add(1) - 1) {
				if s := dedupe.ShinglesWithout(jobs[i].text, k, drop(jobs[i].id)); s != nil {
					jobs[i].sh = s.Sorted()
				} else {
					jobs[i].sh = dedupe.Shingles(jobs[i].text, k)
				}
			}
		})
	}
	wg.Wait()
	out := make(map[int64][]uint64, len(jobs))
	for _, j := range jobs {
		out[j.id] = j.sh
	}
	return out
}

func compact(ids []int64) []int64 {
	slices.Sort(ids)
	return slices.Compact(ids)
}

// publishedTime parses a normalised publication date, or returns zero.
func publishedTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// dateRules sets aside the verified pairs that the date rules say are
// different events (dedupe.Params.SetAside), and records why with their
// candidates.
func (im *Importer) dateRules(ctx context.Context, pairs []dedupe.Pair, batch map[int64]*prepared, exact []dedupe.Pair) ([]dedupe.Pair, error) {
	if im.params.DateWindow <= 0 || len(pairs) == 0 {
		return pairs, nil
	}
	dated := map[int64]dedupe.Dated{}
	var need []int64
	for _, p := range pairs {
		for _, id := range []int64{p.A, p.B} {
			if q := batch[id]; q != nil {
				dated[id] = q.dated
			} else if d, ok := im.ov.datedOf(id); ok {
				dated[id] = d
			} else {
				need = append(need, id)
			}
		}
	}
	if len(need) > 0 {
		ms, err := im.db.Members(ctx, compact(need))
		if err != nil {
			return nil, err
		}
		for id, m := range ms {
			dated[id] = dedupe.Dated{Published: publishedTime(m.Published)}
		}
		// A stored text's copies stored with it.
		first, err := im.db.EarliestCopies(ctx, compact(need))
		if err != nil {
			return nil, err
		}
		for id, p := range first {
			earlier(dated, id, publishedTime(p))
		}
	}
	// And its copies in this batch: a text is judged by its first
	// publication, whatever order its copies came in.
	for _, l := range exact {
		if q := batch[l.B]; q != nil && l.Relation == dedupe.Exact {
			if _, ok := dated[l.A]; ok {
				earlier(dated, l.A, q.dated.Published)
			}
		}
	}
	// Figures are found only for the pairs published far enough apart
	// for them to matter: most pairs are not.
	figured := map[int64]bool{}
	var missing []int64
	for _, p := range pairs {
		if !im.params.NeedFigures(dated[p.A].Published, dated[p.B].Published) {
			continue
		}
		for _, id := range []int64{p.A, p.B} {
			if figured[id] {
				continue
			}
			figured[id] = true
			text, ok := "", false
			if q := batch[id]; q != nil {
				text, ok = q.clean, true
			} else if t, found := im.ov.textOf(id); found {
				text, ok = t, true
			} else {
				text, ok = im.texts[id]
			}
			if !ok {
				missing = append(missing, id)
				continue
			}
			d := dated[id]
			d.Figures = dedupe.Figures(text)
			dated[id] = d
		}
	}
	if len(missing) > 0 {
		texts, err := im.db.Texts(ctx, missing)
		if err != nil {
			return nil, err
		}
		for id, t := range texts {
			d := dated[id]
			d.Figures = dedupe.Figures(t)
			dated[id] = d
		}
	}
	aside := map[[2]int64]string{}
	kept := pairs[:0]
	for _, p := range pairs {
		if why := im.params.SetAside(dated[p.A], dated[p.B]); why != "" {
			aside[[2]int64{p.A, p.B}] = why
			continue
		}
		kept = append(kept, p)
	}
	if len(aside) > 0 {
		for i, c := range im.cands {
			if why, ok := aside[[2]int64{c.A, c.B}]; ok {
				im.cands[i].SetAside = why
			}
		}
	}
	return kept, nil
}
