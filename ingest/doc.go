// Package ingest reads raw articles and cleans them.
//
// Read walks the inputs a user names (text, JSONL, CSV/TSV, HTML and WARC
// files, compressed or not, folders of them, standard input) and yields
// one Item per article: a file, a record or a WARC response, read
// sequentially. Options.Parse turns an Item into an Article (decoding JSON
// or CSV fields, extracting the text of an HTML page) and is pure, so
// importers run it on every core. Every Article keeps its verbatim
// original and a ref that says where it came from. Bad input never stops
// a run: each unreadable file or record is reported as a Rejection naming
// the file and line (or WARC record), and reading goes on, unless
// Options.Strict asks otherwise.
//
// Normalize and Rules.Clean turn the original into the cleaned text that is
// shown, exported and fingerprinted. Both are pure, idempotent and safe for
// concurrent use.
package ingest
