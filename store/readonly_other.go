//go:build !unix

package store

// canWrite reports true: without access(2), SQLite's own errors report a
// database that cannot be written.
func canWrite(string) bool { return true }
