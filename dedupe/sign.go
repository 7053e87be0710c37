package dedupe

import (
	"fmt"
	"math"
	"time"
)

// Scheme names the signature algorithm. It is stored with every database so
// that signatures made by different algorithms are never compared.
//
// "oph1" is one-permutation hashing with optimal densification (Shrivastava,
// ICML 2017): each shingle hash picks one of NumHash bins and the bin keeps
// its minimum, then empty bins borrow from full ones along a fixed probe
// sequence. Two signatures agree in a bin with probability equal to the
// Jaccard similarity, as with classic MinHash, but signing costs one pass
// over the shingles instead of NumHash passes (the two FNV hashes per shingle
// and hash function of the minhash-lsh package's own Minhash).
const Scheme = "oph1"

// Params are the dedupe settings. The zero value is not useful: start from
// DefaultParams.
type Params struct {
	ShingleSize  int     // words per shingle
	NumHash      int     // signature length
	Seed         uint64  // salts the signature; part of the index identity
	LSHThreshold float64 // Jaccard at which the LSH S-curve is centred
	// NearJaccard is the Jaccard at or above which a verified pair is near.
	NearJaccard float64
	// ExcerptContainment is the share of the shorter text's shingles that
	// must occur in the longer text for an excerpt.
	ExcerptContainment float64
	// MinExcerptShingles keeps tiny texts from being excerpts of everything.
	MinExcerptShingles int
	// ExcerptMaxRatio is the largest share of the longer text's shingles
	// that an excerpt may have: two texts of about the same length that
	// share much are near duplicates or different articles (two outlets'
	// reports of one event), never one an excerpt of the other.
	ExcerptMaxRatio float64
	// DateWindow is how far apart two articles may be published and still
	// be duplicates (exact copies aside), and 0 turns the date rules off;
	// see SetAside.
	DateWindow time.Duration
}

// DefaultParams returns the defaults chosen by measurement; the README
// explains the figures.
func DefaultParams() Params {
	return Params{
		ShingleSize:        3,
		NumHash:            64,
		Seed:               1,
		LSHThreshold:       0.25,
		NearJaccard:        0.5,
		ExcerptContainment: 0.6,
		MinExcerptShingles: 20,
		ExcerptMaxRatio:    0.8,
		DateWindow:         96 * time.Hour,
	}
}

// Validate reports a parameter outside its range.
func (p Params) Validate() error {
	switch {
	case p.ShingleSize < 1 || p.ShingleSize > 16:
		return fmt.Errorf("dedupe: shingle size %d out of range 1..16", p.ShingleSize)
	case p.NumHash < 8 || p.NumHash > 1024:
		return fmt.Errorf("dedupe: number of hashes %d out of range 8..1024", p.NumHash)
	// Written as negations so that NaN, which compares false, is refused.
	case !(p.LSHThreshold > 0 && p.LSHThreshold < 1):
		return fmt.Errorf("dedupe: LSH threshold %v out of range (0,1)", p.LSHThreshold)
	case !(p.NearJaccard > 0 && p.NearJaccard <= 1):
		return fmt.Errorf("dedupe: near threshold %v out of range (0,1]", p.NearJaccard)
	case !(p.ExcerptContainment > 0 && p.ExcerptContainment <= 1):
		return fmt.Errorf("dedupe: excerpt threshold %v out of range (0,1]", p.ExcerptContainment)
	case p.MinExcerptShingles < 1:
		return fmt.Errorf("dedupe: minimum excerpt shingles %d must be positive", p.MinExcerptShingles)
	case p.DateWindow < 0:
		return fmt.Errorf("dedupe: date window %v is negative", p.DateWindow)
	case !(p.ExcerptMaxRatio > 0 && p.ExcerptMaxRatio <= 1):
		return fmt.Errorf("dedupe: excerpt length ratio %v out of range (0,1]", p.ExcerptMaxRatio)
	}
	return nil
}

// Sign returns the MinHash signature of a shingle set, NumHash values long.
// It returns nil for an empty set, which has no meaningful signature.
func (p Params) Sign(shingles []uint64) []uint64 {
	if len(shingles) == 0 {
		return nil
	}
	k := uint64(p.NumHash)
	sig := make([]uint64, k)
	for i := range sig {
		sig[i] = math.MaxUint64
	}
	for _, s := range shingles {
		h := mix64(s ^ p.Seed)
		bin := (h >> 32) * k >> 32 // high bits pick the bin (Lemire's reduction)
		sig[bin] = min(sig[bin], h&0xffffffff)
	}
	// Optimal densification: an empty bin copies the first full bin on its
	// own probe sequence, so two sets with the same full bins fill the same
	// empty bins the same way.
	filled := make([]bool, k)
	full := 0
	for i, v := range sig {
		if v != math.MaxUint64 {
			filled[i] = true
			full++
		}
	}
	if full == int(k) {
		return sig
	}
	for i := range sig {
		if filled[i] {
			continue
		}
		for attempt := uint64(1); ; attempt++ {
			h := mix64(uint64(i)<<32 ^ attempt ^ p.Seed<<1)
			if j := (h >> 32) * k >> 32; filled[j] {
				sig[i] = sig[j]
				break
			}
		}
	}
	return sig
}
