package pipeline

import (
	"os"
	"runtime/debug"
	"runtime/metrics"
)

// gcHeadroom is how far the heap may grow past the live heap before the
// collector runs, at the least. With the default GOGC=100 an import whose
// live heap is a few hundred MB collected every few hundred MB allocated,
// and each collection scanned the whole LSH index again: a tenth of the
// import's CPU at 100,000 articles. Past gcHeadroom of live heap GOGC=100
// gives more room anyway, so peak memory of large imports is unchanged.
// 768 MiB keeps the peak of 100,000 x 5 KB well under 2 GiB with the
// prepared articles waiting for their batch; less makes the collector run
// often enough to cost CPU (docs/performance-history.md).
const gcHeadroom = 768 << 20

// gcTuner sets the collector's percentage from the live heap. It does
// nothing when the user set GOGC.
type gcTuner struct {
	off     bool
	percent int
	sample  []metrics.Sample
}

func newGCTuner() *gcTuner {
	return &gcTuner{
		off:     os.Getenv("GOGC") != "",
		percent: 100,
		sample:  []metrics.Sample{{Name: "/gc/heap/live:bytes"}},
	}
}

// adjust sets the percentage for the live heap as of the last collection.
func (t *gcTuner) adjust() {
	if t.off {
		return
	}
	metrics.Read(t.sample)
	if t.sample[0].Value.Kind() != metrics.KindUint64 {
		return
	}
	p := gcPercent(t.sample[0].Value.Uint64(), gcHeadroom)
	// Only a real change is worth a call: SetGCPercent takes the heap lock.
	if p != t.percent && (p > t.percent*11/10 || p < t.percent*9/10) {
		t.percent = p
		debug.SetGCPercent(p)
	}
}

// restore puts the default back.
func (t *gcTuner) restore() {
	if !t.off && t.percent != 100 {
		debug.SetGCPercent(100)
		t.percent = 100
	}
}

// gcPercent is the GOGC that lets a heap of live bytes grow by headroom,
// and never less than the default 100.
func gcPercent(live, headroom uint64) int {
	if live == 0 {
		live = 1
	}
	p := headroom * 100 / live
	return int(max(100, min(p, 10000)))
}
