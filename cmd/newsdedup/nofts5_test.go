//go:build !sqlite_fts5

package main

// builtWithFTS5 is what the build tag says, for the version test to
// compare with what SQLite reports.
const builtWithFTS5 = false
