package dedupe

import "sync"

// A Set is a document's shingle set as Fingerprint makes it: the shingle
// hashes in text order, sorted and without repeats when first asked for.
// Signing needs no order, and most articles of an import are verified
// against no other: sorting every set as it is made would be work wasted
// on most of them. A nil *Set is empty.
type Set struct {
	once   sync.Once
	hashes []uint64
}

// NewSet returns the Set of hashes, given in any order, repeats allowed.
// The Set owns hashes from then on.
func NewSet(hashes []uint64) *Set { return &Set{hashes: hashes} }

// Hashes returns the set's hashes: in no particular order and perhaps
// with repeats before Sorted is first called, which is all Params.Sign
// needs. It must not be called while Sorted may run.
func (s *Set) Hashes() []uint64 {
	if s == nil {
		return nil
	}
	return s.hashes
}

// Sorted returns the set's hashes sorted and without repeats, as Compare
// takes them. It sorts them the first time, in the set's own memory, and
// is safe for concurrent use.
func (s *Set) Sorted() []uint64 {
	if s == nil {
		return nil
	}
	s.once.Do(func() {
		buf := scratch.Get().(*[]uint64)
		unsorted := append((*buf)[:0], s.hashes...)
		s.hashes = sortHashesInto(s.hashes[:0], unsorted)
		*buf = unsorted
		scratch.Put(buf)
	})
	return s.hashes
}
