// Package dedupe finds exact and near-duplicate news articles.
//
// It turns cleaned text into word shingles ([Shingles]), signs them with
// MinHash ([Params.Sign]), finds candidate pairs with the LSH index of
// github.com/ekzhu/minhash-lsh ([Index]) and verifies every candidate on the
// real shingle sets ([Compare]), so a reported pair never rests on an
// estimate. [Params.Classify] names the relation: exact, near (Jaccard) or
// excerpt (the shorter text mostly contained in the longer, which plain
// Jaccard misses for teasers). [UnionFind] groups verified pairs into
// clusters and [Canonical] picks the most complete version of each.
//
// The package does no I/O. Every function is deterministic: the same texts
// in any order give the same signatures, pairs and clusters. Functions are
// safe for concurrent use; an [Index] is not and must be owned by one
// goroutine.
package dedupe
