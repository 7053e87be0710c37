// Package ingest reads raw articles and cleans them.
//
// Read walks the inputs a user names (text files, folders, JSONL, their
// gzip-compressed forms, standard input) and yields one Article per text,
// keeping the verbatim original and a ref that says where it came from.
// Bad input never stops a run: each unreadable file or record is reported
// as a Rejection that names the file and line, and reading goes on.
//
// Normalize and Rules.Clean turn the original into the cleaned text that is
// shown, exported and fingerprinted. Both are pure, idempotent and safe for
// concurrent use.
package ingest
