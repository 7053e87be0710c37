package dedupe

import (
	"slices"
	"testing"
)

func TestPassageTable(t *testing.T) {
	var tab passageTable
	if got := tab.appendKept(nil, 5); got != nil || tab.contains(5) {
		t.Errorf("empty table: holders of 5 = %v, contains %v", got, tab.contains(5))
	}
	// Enough entries to grow the table several times; hash 0 is a hash
	// like any other.
	const n = 5000
	for id := range int64(n) {
		tab.add(uint64(id)*0x9e3779b97f4a7c15, id)
		tab.add(uint64(id)*0x9e3779b97f4a7c15, id+n)
	}
	for id := range int64(n) {
		h := uint64(id) * 0x9e3779b97f4a7c15
		got := tab.appendKept([]int64{-1}, h)
		slices.Sort(got)
		if want := []int64{-1, id, id + n}; !slices.Equal(got, want) || !tab.contains(h) {
			t.Fatalf("holders of hash %d = %v, want %v", id, got, want)
		}
	}
	if got := tab.appendKept(nil, 12345); len(got) != 0 || tab.contains(12345) {
		t.Errorf("holders of an absent hash = %v", got)
	}

	// A passage held by many documents keeps one more than the fanout:
	// enough to know it is boilerplate, however many more come.
	const common = 0xfeedfacecafebeef
	before := tab.n
	for id := range int64(1000) {
		tab.add(common, 200000+id)
	}
	if got := tab.appendKept(nil, common); len(got) != MaxPassageFanout+1 {
		t.Errorf("boilerplate passage: %d holders kept, want %d", len(got), MaxPassageFanout+1)
	}
	if tab.n != before+MaxPassageFanout+1 {
		t.Errorf("boilerplate passage took %d slots, want %d", tab.n-before, MaxPassageFanout+1)
	}
}

// TestPassageHolders: holders in the table and among scanned preloaded
// documents count together against the fanout.
func TestPassageHolders(t *testing.T) {
	var m Matcher
	for id := range int64(MaxPassageFanout / 2) {
		m.passages.add(1, id)
		m.passages.add(2, id)
	}
	scanned := map[uint64][]int64{2: make([]int64, MaxPassageFanout/2+1), 3: {77}}
	if got := m.passageHolders([]int64{-1}, 1, scanned); len(got) != 1+MaxPassageFanout/2 {
		t.Errorf("passage 1: %d holders, want %d", len(got)-1, MaxPassageFanout/2)
	}
	if got := m.passageHolders([]int64{-1}, 2, scanned); !slices.Equal(got, []int64{-1}) {
		t.Errorf("passage 2, held by %d: %d holders, want none", MaxPassageFanout+1, len(got)-1)
	}
	if got := m.passageHolders(nil, 3, scanned); !slices.Equal(got, []int64{77}) {
		t.Errorf("passage 3: holders %v, want [77]", got)
	}
}

// TestStoredPassagesScan: a scan finds what the table finds once the
// passages are loaded.
func TestStoredPassagesScan(t *testing.T) {
	var s storedPassages
	for id := range int64(30000) {
		var ps []uint64
		for j := range uint64(id % 5) { // some have none
			ps = append(ps, mix64(uint64(id)%1000*8+j))
		}
		s.add(id, ps)
	}
	var hashes []uint64
	for i := range uint64(50) {
		hashes = append(hashes, mix64(i*8+1), mix64(i*8+3))
	}
	hashes = append(hashes, 42)
	got := s.scan(hashes)
	var tab passageTable
	s.load(&tab)
	if len(s.ids) != 0 {
		t.Error("load kept the stored passages")
	}
	for _, h := range hashes {
		want := tab.appendKept(nil, h)
		slices.Sort(want)
		slices.Sort(got[h])
		if !slices.Equal(got[h], want) {
			t.Errorf("hash %x: scan found %v, table %v", h, got[h], want)
		}
	}
	if len(got) == 0 {
		t.Error("scan found nothing")
	}
	// Held by documents 4, 1004, ..., not asked for.
	if len(tab.appendKept(nil, mix64(4*8+2))) == 0 || len(got[mix64(4*8+2)]) != 0 {
		t.Error("scan returned a hash not asked for")
	}
}

// BenchmarkPassageTableLoad loads the passages of 100,000 articles (8.4
// each, as in generated corpora), as an import into such a database does.
func BenchmarkPassageTableLoad(b *testing.B) {
	const n = 840000
	hashes := make([]uint64, n)
	for i := range hashes {
		hashes[i] = mix64(uint64(i))
	}
	for b.Loop() {
		var tab passageTable
		tab.reserve(n)
		for i, h := range hashes {
			tab.add(h, int64(i/8))
		}
	}
}
