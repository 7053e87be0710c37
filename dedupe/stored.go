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
// cost more than indexing. Their passages are kept and scanned the same
// way (storedPassages), until they go into the matcher's passage table.

// Preload adds a stored signature under id without indexing it: Query does
// not find it until IndexStored; ScanStored does.
func (ix *Index) Preload(id int64, sig []uint64) {
	ix.stored.ids = append(ix.stored.ids, id)
	for _, v := range sig[:ix.numHash] {
		ix.stored.sigs = append(ix.stored.sigs, uint16(v))
	}
}

// reserveStored makes room for n preloaded signatures, so that loading a
// million does not copy them again and again as the slices grow.
func (ix *Index) reserveStored(n int) {
	ix.stored.ids = slices.Grow(ix.stored.ids, n)
	ix.stored.sigs = slices.Grow(ix.stored.sigs, n*ix.numHash)
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
				if !slices.ContainsFunc(keys, probe.filter.check) {
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

// storedPassages are the passages of preloaded documents, in the order
// the documents came.
type storedPassages struct {
	ids    []int64
	ends   []int // where each document's passages end in hashes
	hashes []uint64
}

func (s *storedPassages) add(id int64, passages []uint64) {
	if len(passages) == 0 {
		return
	}
	if len(s.hashes)+len(passages) > cap(s.hashes) {
		// Doubling: append grows a large slice by a quarter, which
		// would copy the hashes of a million articles many times over.
		s.hashes = slices.Grow(s.hashes, max(len(s.hashes), 1<<16))
	}
	s.hashes = append(s.hashes, passages...)
	s.ids = append(s.ids, id)
	s.ends = append(s.ends, len(s.hashes))
}

// scan returns, for each of the given passage hashes, the documents
// holding it.
func (s *storedPassages) scan(hashes []uint64) map[uint64][]int64 {
	if len(hashes) == 0 || len(s.ids) == 0 {
		return nil
	}
	var want passageTable
	want.reserve(len(hashes))
	for _, h := range hashes {
		if !want.contains(h) {
			want.add(h, 0)
		}
	}
	n := len(s.ids)
	parts := max(1, min(runtime.GOMAXPROCS(0), n/10000))
	found := make([][]int, parts) // positions in hashes
	var wg sync.WaitGroup
	for p := range parts {
		wg.Go(func() {
			from, to := 0, s.ends[(p+1)*n/parts-1]
			if p > 0 {
				from = s.ends[p*n/parts-1]
			}
			for i, h := range s.hashes[from:to] {
				if want.contains(h) {
					found[p] = append(found[p], from+i)
				}
			}
		})
	}
	wg.Wait()
	out := make(map[uint64][]int64)
	for _, pos := range found {
		for _, i := range pos {
			d, _ := slices.BinarySearch(s.ends, i+1)
			out[s.hashes[i]] = append(out[s.hashes[i]], s.ids[d])
		}
	}
	return out
}

// load moves the passages into t and forgets them.
func (s *storedPassages) load(t *passageTable) {
	t.reserve(len(s.hashes))
	start := 0
	for d, end := range s.ends {
		for _, h := range s.hashes[start:end] {
			t.add(h, s.ids[d])
		}
		start = end
	}
	*s = storedPassages{}
}
