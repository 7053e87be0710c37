package dedupe

import (
	"runtime"
	"slices"
	"sync"
)

// A database's signatures are loaded before an import as stored
// signatures, which are not indexed at first: indexing a million of them
// sorts 18 minhash-lsh tables of a million entries, many CPU seconds, which
// an import of a few thousand articles does not need. Instead the first
// batches scan them (ScanStored): the batch is indexed, and every stored
// signature is run through that small index, a fraction of a second for a
// million. A long import indexes them (IndexStored) once scanning would
// cost more than indexing.

// Preload adds a stored signature under id without indexing it: Query does
// not find it until IndexStored; ScanStored does.
func (ix *Index) Preload(id int64, sig []uint64) {
	ix.stored.ids = append(ix.stored.ids, id)
	for _, v := range sig[:ix.numHash] {
		ix.stored.sigs = append(ix.stored.sigs, uint16(v))
	}
}

// HasStored reports whether preloaded signatures wait to be indexed.
func (ix *Index) HasStored() bool { return len(ix.stored.ids) > 0 }

// IndexStored indexes the preloaded signatures as a Flush of them would
// (on every core when there are many).
func (ix *Index) IndexStored() {
	pending := ix.pending
	ix.pending, ix.stored = ix.stored, level{}
	ix.Flush()
	ix.pending = pending
}

// ScanStored returns, for each of sigs, the preloaded ids whose signatures
// share an LSH band with it, in increasing order: what Query finds among
// them once they are indexed.
func (ix *Index) ScanStored(sigs [][]uint64) [][]int64 {
	out := make([][]int64, len(sigs))
	if len(sigs) == 0 || !ix.HasStored() {
		return out
	}
	ids := make([]int64, len(sigs))
	qs := make([]uint16, 0, len(sigs)*ix.numHash)
	for i, s := range sigs {
		ids[i] = int64(i)
		for _, v := range s[:ix.numHash] {
			qs = append(qs, uint16(v))
		}
	}
	probe := ix.build(ids, qs)
	stored := ix.stored
	n := len(stored.ids)
	parts := max(1, min(runtime.GOMAXPROCS(0), n/10000))
	found := make([][][]int64, parts)
	var wg sync.WaitGroup
	for p := range parts {
		wg.Go(func() {
			res := make([][]int64, len(sigs))
			keys := make([]uint64, 0, ix.bands)
			q := make([]uint64, ix.numHash)
			for i := p * n / parts; i < (p+1)*n/parts; i++ {
				sig := stored.sigs[i*ix.numHash : (i+1)*ix.numHash]
				// Sharing a band is symmetric: the batch's signatures
				// that this stored one finds are those that would find
				// it.
				keys = ix.bandKeys(keys[:0], sig)
				if !slices.ContainsFunc(keys, probe.filter.Check) {
					continue
				}
				for j, v := range sig {
					q[j] = uint64(v)
				}
				for _, k := range probe.lsh.Query(q) {
					res[k.(int64)] = append(res[k.(int64)], stored.ids[i])
				}
			}
			found[p] = res
		})
	}
	wg.Wait()
	for _, res := range found {
		for k, got := range res {
			out[k] = append(out[k], got...)
		}
	}
	for _, o := range out {
		slices.Sort(o)
	}
	return out
}
