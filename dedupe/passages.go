package dedupe

// passageTable maps passage hashes to the documents holding them, in
// memory: an open-addressing hash table with linear probing and one slot
// per (hash, document). A passage held by more than MaxPassageFanout
// documents is boilerplate and finds nothing, so the table keeps only
// MaxPassageFanout+1 of its holders, enough to know that: a site's
// standard paragraph cannot grow a long probe run.
//
// Kept by the matcher rather than looked up in SQLite, whose index on
// (hash, document) would take random inserts from every article: the
// largest cost of the writer, growing with the database.
type passageTable struct {
	slots []slot
	n     int
}

// A slot holds a passage and a document holding it, side by side: a
// lookup that finds the passage finds the document in the same cache
// line (in two arrays, a hit cost two misses).
type slot struct {
	key uint64 // 0 marks an empty slot
	id  int64
}

// slotKey keeps 0 free to mark empty slots. Passage hashes are mixed, so
// the low bits choose the slot; a hash of 0 sharing the slots of 1 only
// adds candidates, and every candidate is verified.
func slotKey(h uint64) uint64 { return max(h, 1) }

// reserve makes room for n more entries without growing.
func (t *passageTable) reserve(n int) {
	size := max(len(t.slots), 1024)
	for (t.n+n)*4 > size*3 {
		size *= 2
	}
	if size == len(t.slots) {
		return
	}
	old := t.slots
	t.slots, t.n = make([]slot, size), 0
	for _, s := range old {
		if s.key != 0 {
			t.add(s.key, s.id)
		}
	}
}

// add records that document id holds passage h.
func (t *passageTable) add(h uint64, id int64) {
	if (t.n+1)*4 > len(t.slots)*3 {
		t.reserve(1)
	}
	k := slotKey(h)
	mask := uint64(len(t.slots) - 1)
	held := 0
	for i := k & mask; ; i = (i + 1) & mask {
		switch t.slots[i].key {
		case 0:
			t.slots[i] = slot{k, id}
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
	mask := uint64(len(t.slots) - 1)
	for i := k & mask; t.slots[i].key != 0; i = (i + 1) & mask {
		if t.slots[i].key == k {
			dst = append(dst, t.slots[i].id)
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
	mask := uint64(len(t.slots) - 1)
	for i := k & mask; t.slots[i].key != 0; i = (i + 1) & mask {
		if t.slots[i].key == k {
			return true
		}
	}
	return false
}
