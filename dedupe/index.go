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
// signatures into a new level, and levels of similar size are merged, so
// adding n signatures in batches costs O(n log² n) instead of O(n²) and a
// query looks at O(log n) levels.
//
// An Index is not safe for concurrent use.
type Index struct {
	numHash   int
	threshold float64
	levels    []*level
	pending   level
	size      int
}

// A level is one minhash-lsh index and the signatures it holds, kept to
// rebuild the level when it merges (minhash-lsh cannot merge indexes).
type level struct {
	lsh *minhashlsh.MinhashLSH
	ids []int64
	// sigs holds numHash values per id, cut to the 16 bits the index
	// keys on (NewMinhashLSH16), which is all a rebuild needs.
	sigs []uint16
	// sealed levels were built in parallel from one large flush (loading
	// a database) and are never merged again: rebuilding them would undo
	// the parallel build and cost as much as the load.
	sealed bool
}

// parallelMin is the smallest flush that is split into levels built on
// several cores: sorting a level's tables is most of loading an index.
const parallelMin = 50000

// NewIndex returns an empty index for signatures made with p.
func NewIndex(p Params) *Index {
	return &Index{numHash: p.NumHash, threshold: p.LSHThreshold}
}

// Len returns the number of signatures added, flushed or not.
func (ix *Index) Len() int { return ix.size + len(ix.pending.ids) }

// Add adds a signature under id. It is not searchable until Flush.
func (ix *Index) Add(id int64, sig []uint64) {
	ix.pending.ids = append(ix.pending.ids, id)
	for _, v := range sig[:ix.numHash] {
		ix.pending.sigs = append(ix.pending.sigs, uint16(v))
	}
}

// Flush makes every added signature searchable.
func (ix *Index) Flush() {
	n := len(ix.pending.ids)
	if n == 0 {
		return
	}
	ix.size += n
	if parts := min(runtime.GOMAXPROCS(0), n/parallelMin); parts > 1 {
		ix.levels = append(ix.levels, ix.buildParallel(ix.pending.ids, ix.pending.sigs, parts)...)
		ix.pending = level{}
		return
	}
	ix.levels = append(ix.levels, ix.build(ix.pending.ids, ix.pending.sigs))
	ix.pending = level{}
	// Merge while the newest level is at least half its predecessor.
	for n := len(ix.levels); n >= 2 && !ix.levels[n-2].sealed && 2*len(ix.levels[n-1].ids) >= len(ix.levels[n-2].ids); n = len(ix.levels) {
		a, b := ix.levels[n-2], ix.levels[n-1]
		ix.levels = append(ix.levels[:n-2], ix.build(append(a.ids, b.ids...), append(a.sigs, b.sigs...)))
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
	return &level{lsh: lsh, ids: ids, sigs: sigs}
}

// Query returns the ids whose signatures share at least one LSH band with
// sig, in increasing order. Only flushed signatures are found.
func (ix *Index) Query(sig []uint64) []int64 {
	var out []int64
	q := make([]uint64, ix.numHash)
	for j := range q {
		q[j] = uint64(uint16(sig[j]))
	}
	for _, l := range ix.levels {
		for _, key := range l.lsh.Query(q) {
			out = append(out, key.(int64))
		}
	}
	// minhash-lsh returns keys in map order: sort for determinism.
	slices.Sort(out)
	return slices.Compact(out)
}
