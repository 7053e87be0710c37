package dedupe

// passageTable maps passage hashes to the documents holding them, in
// memory: an open-addressing hash table with linear probing and one slot
// per (hash, document). A passage held by more than MaxPassageFanout
// documents is boilerplate and finds nothing, so the table keeps only
// MaxPassageFanout+1 of its holders, enough to know that: a site's
// standard paragraph cannot grow a long probe run.
//
// Kept by the matcher rather than looked up in SQLite, whose index on
// (hash, document) took random inserts from every article: 40% of the
// writer's time at 100,000 articles, and more as the database grew.
type passageTable struct {
	keys []uint64 // 0 marks an empty slot
	ids  []int64
	n    int
}

// slotKey keeps 0 free to mark empty slots. Passage hashes are mixed, so
// the low bits choose the slot; a hash of 0 sharing the slots of 1 only
// adds candidates, and every candidate is verified.
func slotKey(h uint64) uint64 { return max(h, 1) }

// reserve makes room for n more entries without growing.
func (t *passageTable) reserve(n int) {
	size := max(len(t.keys), 1024)
	for (t.n+n)*4 > size*3 {
		size *= 2
	}
	if size == len(t.keys) {
		return
	}
	old := *t
	t.keys, t.ids, t.n = make([]uint64, size), make([]int64, size), 0
	for i, k := range old.keys {
		if k != 0 {
			t.add(k, old.ids[i])
		}
	}
}

// add records that document id holds passage h.
func (t *passageTable) add(h uint64, id int64) {
	if (t.n+1)*4 > len(t.keys)*3 {
		t.reserve(1)
	}
	k := slotKey(h)
	mask := uint64(len(t.keys) - 1)
	held := 0
	for i := k & mask; ; i = (i + 1) & mask {
		switch t.keys[i] {
		case 0:
			t.keys[i], t.ids[i] = k, id
			t.n++
			return
		case k:
			if held++; held > MaxPassageFanout {
				return // boilerplate: its holders are not needed
			}
		}
	}
}

// appendKept appends to dst the documents the table keeps for passage h:
// all its holders, or MaxPassageFanout+1 of them for boilerplate.
func (t *passageTable) appendKept(dst []int64, h uint64) []int64 {
	if t.n == 0 {
		return dst
	}
	k := slotKey(h)
	mask := uint64(len(t.keys) - 1)
	for i := k & mask; t.keys[i] != 0; i = (i + 1) & mask {
		if t.keys[i] == k {
			dst = append(dst, t.ids[i])
		}
	}
	return dst
}

// contains reports whether any document holds passage h.
func (t *passageTable) contains(h uint64) bool {
	if t.n == 0 {
		return false
	}
	k := slotKey(h)
	mask := uint64(len(t.keys) - 1)
	for i := k & mask; t.keys[i] != 0; i = (i + 1) & mask {
		if t.keys[i] == k {
			return true
		}
	}
	return false
}
