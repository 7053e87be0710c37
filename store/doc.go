// Package store keeps articles, their duplicate clusters and the record of
// every import in SQLite (github.com/mattn/go-sqlite3, so it needs cgo).
//
// Open creates the database or upgrades it with the numbered SQL files of
// package migrations, each in its own transaction; a database made by a
// newer newsdedup is refused. Imports compute clusters themselves and
// write each batch with WriteBatch, in one transaction, so an interrupted
// import leaves every batch either fully stored or absent, and running it
// again completes it. A person's decisions (SplitCluster, MergeClusters,
// SetCanonical) rebuild the clusters they change here, scoring members with
// package dedupe, and are recorded for later imports to respect. Search
// keeps an FTS5 index, filled before each search.
//
// A DB is safe for concurrent use by readers; writes must come from one
// goroutine, and WriteBatch refuses a batch when another process has added
// articles since the caller read NextID.
package store
