// Package migrations holds the numbered SQL files that create and upgrade the
// newsdedup database schema. The store package applies them in lexical order.
package migrations

import "embed"

// FS holds every migration, named NNNN_description.sql.
//
//go:embed *.sql
var FS embed.FS
