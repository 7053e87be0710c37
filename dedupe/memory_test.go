package dedupe

import (
	"math/rand"
	"runtime"
	"testing"
)

// BenchmarkIndexMemory reports the heap an Index holds per indexed
// signature (metric "bytes/doc"), with the default parameters.
func BenchmarkIndexMemory(b *testing.B) {
	const n = 200000
	p := DefaultParams()
	r := rand.New(rand.NewSource(1))
	sigs := make([][]uint64, n)
	for i := range sigs {
		sigs[i] = make([]uint64, p.NumHash)
		for j := range sigs[i] {
			sigs[i][j] = uint64(r.Uint32())
		}
	}
	for i := 0; i < b.N; i++ {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		ix := NewIndex(p)
		for id, s := range sigs {
			ix.Add(int64(id), s)
			if id%5000 == 4999 {
				ix.Flush() // as an import does, batch by batch
			}
		}
		ix.Flush()
		ix.Settle()
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/n, "bytes/doc")
		runtime.KeepAlive(ix)
	}
}
