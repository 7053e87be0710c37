package dedupe

import (
	"math/bits"
	"slices"
	"sync"
)

// sortHashes returns the values of a sorted and without repeats; a's
// contents are left in no particular order.
// Shingle hashes are uniform (mix64), so a counting sort on their top bits
// into about one bucket per value leaves buckets of one or two values to
// finish: linear time, where a comparison sort is n log n in one of the
// hottest loops of an import. Input that crowds a bucket, which only crafted text can do, is
// sorted by slices.Sort instead, so the worst case stays n log n.
func sortHashes(a []uint64) []uint64 {
	return sortHashesInto(nil, a)
}

// sortHashesInto is sortHashes with the result in dst's memory when it has
// room for len(a) values; dst must not overlap a.
func sortHashesInto(dst, a []uint64) []uint64 {
	if len(a) < 64 {
		slices.Sort(a)
		return append(dst[:0], slices.Compact(a)...)
	}
	b := bits.Len(uint(len(a))) // 2^b >= len(a): about one value per bucket
	shift := 64 - b
	sp := startsPool.Get().(*[]int32)
	defer startsPool.Put(sp)
	starts := slices.Grow((*sp)[:0], 1<<b)[:1<<b]
	clear(starts)
	*sp = starts
	for _, v := range a {
		starts[v>>shift]++
	}
	// Counts become starts; filling a bucket advances its start.
	sum, most := int32(0), int32(0)
	for i, c := range starts {
		starts[i] = sum
		sum += c
		most = max(most, c)
	}
	if most > 16 {
		// Crafted input crowds one bucket: insertion sort would be
		// quadratic there.
		slices.Sort(a)
		return append(dst[:0], slices.Compact(a)...)
	}
	out := slices.Grow(dst[:0], len(a))[:len(a)]
	for _, v := range a {
		k := v >> shift
		out[starts[k]] = v
		starts[k]++
	}
	// Sorted by top bits, the values are out of order only within a
	// bucket: one insertion sort over all of them finishes the job.
	insertionSort(out)
	return slices.Compact(out)
}

// startsPool holds sortHashes' bucket starts.
var startsPool = sync.Pool{New: func() any { return new([]int32) }}

func insertionSort(s []uint64) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
