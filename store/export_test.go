package store

// SetSignatureRange sets how many ids EachSignature reads in one query,
// until the returned function restores it.
func SetSignatureRange(n int64) (restore func()) {
	old := idsPerRange
	idsPerRange = n
	return func() { idsPerRange = old }
}
