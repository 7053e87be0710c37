package dedupe

import (
	"runtime"
	"slices"
	"sync"

	minhashlsh "github.com/ekzhu/minhash-lsh"
)

// Index finds candidate near duplicates by MinHash LSH. It wraps
// minhash-lsh, whose index must be re-sorted in full after every Add, in
// levels like a log-structured merge tree: each Flush turns the pending
// signatures into a new level, and levels of similar size are merged in the
// background, so adding n signatures in batches costs O(n log² n) instead
// of O(n²) and a query looks at O(log n) levels.
//
// Each level has a Bloom filter of its band keys: most queries share no
// band with most levels, and the filter says so without the 18 binary
// searches over the level's tables, each a cache miss, that would make
// queries the largest serial cost of an import.
//
// An Index is not safe for concurrent use, except that Queries may run
// together.
type Index struct {
	numHash   int
	threshold float64
	rows      int // values per band (minhash-lsh's k)
	bands     int // bands per signature (minhash-lsh's l)
	levels    []*level
	pending   level
	stored    level // preloaded, not indexed yet (see Preload)
	size      int
	merging   *merge    // nil when no merge runs
	flushing  *building // the level FlushBackground builds; nil when none
	// parallelMin is the smallest flush that Flush splits into levels
	// built on several cores; tests lower it to cover the parallel build
	// with a small corpus.
	parallelMin int
}

// A level is one minhash-lsh index and the signatures it holds, kept to
// rebuild the level when it merges (minhash-lsh cannot merge indexes).
type level struct {
	lsh *minhashlsh.MinhashLSH
	ids []int64
	// sigs holds numHash values per id, cut to the 16 bits the index
	// keys on (NewMinhashLSH16), which is all a rebuild needs.
	sigs []uint16
	// filter holds the level's band keys (bandKeys): a query that has
	// none of them cannot find anything in the level.
	filter blockFilter
	// sealed levels were built in parallel from one large flush (loading
	// a database) and are never merged again: rebuilding them would undo
	// the parallel build and cost as much as the load.
	sealed bool
}

// defaultParallelMin is the smallest flush split into levels built on
// several cores: sorting a level's tables is most of loading an index,
// while smaller flushes come batch by batch and are better merged.
const defaultParallelMin = 50000

// NewIndex returns an empty index for signatures made with p.
func NewIndex(p Params) *Index {
	rows, bands := bandShape(p.NumHash, p.LSHThreshold)
	return &Index{numHash: p.NumHash, threshold: p.LSHThreshold, rows: rows, bands: bands, parallelMin: defaultParallelMin}
}

type shapeKey struct {
	numHash   int
	threshold float64
}

// shapes caches bandShape: minhash-lsh finds its band shape by numerical
// integration, which takes milliseconds.
var shapes sync.Map // shapeKey -> [2]int

// bandShape returns the values per band and the bands per signature that
// minhash-lsh chooses for numHash values and a threshold.
func bandShape(numHash int, threshold float64) (rows, bands int) {
	k := shapeKey{numHash, threshold}
	if v, ok := shapes.Load(k); ok {
		s := v.([2]int)
		return s[0], s[1]
	}
	rows, bands = minhashlsh.NewMinhashLSH16(numHash, threshold, 0).Params()
	shapes.Store(k, [2]int{rows, bands})
	return rows, bands
}

// filterBits is the size of a level's filter per band key. Split block
// filters (one cache line per key) of 16 bits a key answer wrongly for
// about one absent key in 1,000, so a query, which looks up 18 keys a
// level, searches about one level in 50 for nothing.
const filterBits = 16

// bandKeys appends the filter keys of the bands of sig (16-bit values, as
// the index keys on them) to dst. Two signatures have the same key for
// band b exactly when minhash-lsh puts them in the same bucket of band b.
// Keys of different bands may be equal, rarely (the band number is mixed
// in by XOR with the first value).
func (ix *Index) bandKeys(dst []uint64, sig []uint16) []uint64 {
	for b := range ix.bands {
		h := uint64(fnvOffset) ^ uint64(b)
		for _, v := range sig[b*ix.rows : (b+1)*ix.rows] {
			h = (h ^ uint64(v)) * fnvPrime
		}
		dst = append(dst, mix64(h))
	}
	return dst
}

// Len returns the number of signatures added or preloaded, indexed or not.
func (ix *Index) Len() int { return ix.size + len(ix.pending.ids) + len(ix.stored.ids) }

// Add adds a signature under id. It is not searchable until Flush.
func (ix *Index) Add(id int64, sig []uint64) {
	ix.pending.ids = append(ix.pending.ids, id)
	for _, v := range sig[:ix.numHash] {
		ix.pending.sigs = append(ix.pending.sigs, uint16(v))
	}
}

// Flush makes every added signature searchable.
func (ix *Index) Flush() {
	p := ix.takePending()
	if len(p.ids) == 0 {
		return
	}
	if parts := min(runtime.GOMAXPROCS(0), len(p.ids)/ix.parallelMin); parts > 1 {
		ix.levels = append(ix.levels, ix.buildParallel(p.ids, p.sigs, parts)...)
		return
	}
	ix.levels = append(ix.levels, ix.build(p.ids, p.sigs))
	ix.startMerge()
}

// FlushBackground makes the added signatures searchable once their level,
// built on a goroutine of its own meanwhile, is in place: Flushed says
// when. Building a level is mostly minhash-lsh sorting its tables, a
// large serial cost that matching need not wait for. A flush in flight is
// waited for first.
func (ix *Index) FlushBackground() {
	p := ix.takePending()
	if len(p.ids) == 0 {
		return
	}
	ix.flushing = ix.buildInBackground(p.ids, p.sigs)
}

// takePending starts a flush: it waits for the one in flight, puts a
// finished merge in place, and hands over the added signatures, counted
// from then on.
func (ix *Index) takePending() level {
	ix.adoptFlush(true)
	ix.adoptMerge(false)
	p := ix.pending
	ix.pending = level{}
	ix.size += len(p.ids)
	return p
}

// Flushed reports whether every signature flushed is searchable, putting
// the level FlushBackground built in place if it is ready.
func (ix *Index) Flushed() bool {
	ix.adoptFlush(false)
	ix.adoptMerge(false)
	return ix.flushing == nil
}

// holdFlushes makes Flushed report a background flush unfinished until
// the next flush waits for it: tests use it to keep documents recent for
// longer, as a slow build would.
var holdFlushes = false

// adoptFlush puts the level FlushBackground built in place once it is
// built; with wait set it waits for it.
func (ix *Index) adoptFlush(wait bool) {
	if ix.flushing == nil || holdFlushes && !wait {
		return
	}
	l, ok := ix.flushing.take(wait)
	if !ok {
		return
	}
	ix.flushing = nil
	ix.levels = append(ix.levels, l)
	ix.startMerge()
}

// A building is a level being built on a goroutine of its own. Its done
// channel is closed rather than sent on, so that waiting for the build
// (tests do) leaves the level for the flush that puts it in place.
type building struct {
	done  chan struct{} // closed once level is set
	level *level
}

func (ix *Index) buildInBackground(ids []int64, sigs []uint16) *building {
	b := &building{done: make(chan struct{})}
	go func() {
		b.level = ix.build(ids, sigs)
		close(b.done)
	}()
	return b
}

// take returns the level once it is built: waiting for it when wait is
// set, else only if it is built already.
func (b *building) take(wait bool) (*level, bool) {
	if !wait {
		select {
		case <-b.done:
		default:
			return nil, false
		}
	}
	<-b.done
	return b.level, true
}

// A merge builds one level from a run of levels on a goroutine of its own,
// while queries go on searching the run: both answer every query alike, so
// merging, a large share of an import's work, never holds up matching.
// One merge runs at a time; the flushes put its result in place.
type merge struct {
	from   []*level // the run being merged, consecutive in levels
	merged *building
}

// startMerge merges the newest levels in the background when they have
// grown to the size of the level before them: a run that ends at the
// newest level and is at least as large as the level before it takes that
// level in too, so levels keep roughly doubling in size and a query looks
// at O(log n) of them. (Merging sooner, at half the size, rebuilds each
// signature more often and makes queries no faster.)
func (ix *Index) startMerge() {
	if ix.merging != nil {
		return
	}
	n := len(ix.levels)
	k, total := n-1, len(ix.levels[n-1].ids)
	for k > 0 && !ix.levels[k-1].sealed && total >= len(ix.levels[k-1].ids) {
		k--
		total += len(ix.levels[k].ids)
	}
	if n-k < 2 {
		return
	}
	from := slices.Clone(ix.levels[k:])
	ids := make([]int64, 0, total)
	sigs := make([]uint16, 0, total*ix.numHash)
	for _, l := range from {
		ids = append(ids, l.ids...)
		sigs = append(sigs, l.sigs...)
	}
	ix.merging = &merge{from: from, merged: ix.buildInBackground(ids, sigs)}
}

// adoptMerge puts the merged level in place of its run once it is built;
// with wait set it waits for it.
func (ix *Index) adoptMerge(wait bool) {
	m := ix.merging
	if m == nil {
		return
	}
	merged, ok := m.merged.take(wait)
	if !ok {
		return
	}
	ix.merging = nil
	i := slices.Index(ix.levels, m.from[0])
	ix.levels = slices.Replace(ix.levels, i, i+len(m.from), merged)
	// The levels flushed meanwhile may call for the next merge.
	ix.startMerge()
}

// Settle waits for the merge in progress, if any, and any it leads to.
// Queries find the same either way; tests use it to see the final levels.
func (ix *Index) Settle() {
	ix.adoptFlush(true)
	for ix.merging != nil {
		ix.adoptMerge(true)
	}
}

// buildParallel builds parts sealed levels at once, one per core.
func (ix *Index) buildParallel(ids []int64, sigs []uint16, parts int) []*level {
	levels := make([]*level, parts)
	var wg sync.WaitGroup
	for p := range parts {
		lo, hi := p*len(ids)/parts, (p+1)*len(ids)/parts
		wg.Go(func() {
			levels[p] = ix.build(ids[lo:hi:hi], sigs[lo*ix.numHash:hi*ix.numHash:hi*ix.numHash])
			levels[p].sealed = true
		})
	}
	wg.Wait()
	return levels
}

func (ix *Index) build(ids []int64, sigs []uint16) *level {
	// 16-bit values keep each band's key within the tiny allocator; with
	// two or more values a band, chance collisions stay below 2^-32.
	lsh := minhashlsh.NewMinhashLSH16(ix.numHash, ix.threshold, len(ids))
	sig := make([]uint64, ix.numHash)
	for i, id := range ids {
		for j := range sig {
			sig[j] = uint64(sigs[i*ix.numHash+j])
		}
		// One boxed key shared by every band's entry.
		var key any = id
		lsh.Add(key, sig)
	}
	lsh.Index()
	filter := newBlockFilter(len(ids)*ix.bands, filterBits)
	keys := make([]uint64, 0, ix.bands)
	for i := range ids {
		keys = ix.bandKeys(keys[:0], sigs[i*ix.numHash:(i+1)*ix.numHash])
		for _, k := range keys {
			filter.insert(k)
		}
	}
	return &level{lsh: lsh, ids: ids, sigs: sigs, filter: filter}
}

// Query returns the ids whose signatures share at least one LSH band with
// sig, in increasing order. Only flushed signatures are found, and
// preloaded ones once IndexStored has indexed them.
func (ix *Index) Query(sig []uint64) []int64 {
	var out []int64
	q := make([]uint64, ix.numHash)
	q16 := make([]uint16, ix.numHash)
	for j := range q {
		q16[j] = uint16(sig[j])
		q[j] = uint64(q16[j])
	}
	keys := ix.bandKeys(make([]uint64, 0, ix.bands), q16)
	for _, l := range ix.levels {
		if !slices.ContainsFunc(keys, l.filter.check) {
			continue
		}
		for _, key := range l.lsh.Query(q) {
			out = append(out, key.(int64))
		}
	}
	// minhash-lsh returns keys in map order: sort for determinism.
	slices.Sort(out)
	return slices.Compact(out)
}

// sig16 returns the 16-bit signature the index holds for id (the values
// it keys on), nil when it holds none. Levels, the pending signatures and
// the preloaded ones each hold ids in increasing order.
func (ix *Index) sig16(id int64) []uint16 {
	find := func(l *level) []uint16 {
		if i, ok := slices.BinarySearch(l.ids, id); ok {
			return l.sigs[i*ix.numHash : (i+1)*ix.numHash]
		}
		return nil
	}
	for _, l := range ix.levels {
		if s := find(l); s != nil {
			return s
		}
	}
	if s := find(&ix.stored); s != nil {
		return s
	}
	return find(&ix.pending)
}
