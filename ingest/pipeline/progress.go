package pipeline

import "sync/atomic"

// Counters are an import's running counts by stage, which the reader,
// the workers and the goroutine that matches update as items pass, so
// that a progress report can read them at any moment instead of after
// each batch. Every item counts at every stage, rejected ones too, so
// after an import the three are equal. Safe for concurrent use.
type Counters struct {
	Read     atomic.Int64 // items read from the inputs
	Prepared atomic.Int64 // items parsed, extracted (HTML pages), cleaned and signed
	Matched  atomic.Int64 // items matched and placed in clusters: their batch is written or being written
}

// The counting methods take a nil *Counters: an import without a
// progress report counts nothing.

func (c *Counters) countRead() {
	if c != nil {
		c.Read.Add(1)
	}
}

func (c *Counters) countPrepared() {
	if c != nil {
		c.Prepared.Add(1)
	}
}

func (c *Counters) countMatched(n int) {
	if c != nil {
		c.Matched.Add(int64(n))
	}
}
