package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/newsdedup/newsdedup/cmd/newsdedup/output"
	"github.com/newsdedup/newsdedup/store"
)

func searchCommand() *cli.Command {
	return &cli.Command{
		Name:      "search",
		Usage:     "full-text search over the cleaned articles, best first, with each hit's cluster",
		ArgsUsage: "QUERY...",
		Description: "Every word must occur; \"quoted words\" must occur as a phrase. The first search\n" +
			"after an import indexes the new articles (SQLite FTS5).",
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "limit", Value: 20, Usage: "show at most `N` hits"},
			&cli.IntFlag{Name: "offset", Usage: "skip the first `N` hits"},
			&cli.BoolFlag{Name: "json", Usage: "one JSON object per hit"},
		},
		Action: func(c *cli.Context) error {
			query := strings.Join(c.Args().Slice(), " ")
			if strings.TrimSpace(query) == "" {
				return usageError{"search: give the words to look for"}
			}
			if c.Int("limit") < 1 || c.Int("offset") < 0 {
				return usageError{"search: --limit must be positive and --offset not negative"}
			}
			return withDB(c, func(ctx context.Context, db *store.DB) error {
				if !db.ReadOnly() {
					if err := indexForSearch(ctx, db, c.App.ErrWriter); err != nil {
						return fmt.Errorf("search index: %w", err)
					}
				}
				hits, err := db.Search(ctx, query, c.Int("limit"), c.Int("offset"))
				if err != nil {
					return err
				}
				if db.ReadOnly() {
					if n, _, err := db.Unindexed(ctx); err == nil && n > 0 {
						fmt.Fprintf(c.App.ErrWriter, "newsdedup: warning: %s is read-only, so the search index cannot be updated: "+
							"not searched: %s imported since the last search\n", termLine(db.Path()), articles(n))
					}
				}
				return printHits(c.App.Writer, hits, c.Bool("json"))
			})
		},
	}
}

func printHits(w io.Writer, hits []store.SearchHit, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		for _, h := range output.NewSearchHits(hits) {
			if err := enc.Encode(h); err != nil {
				return err
			}
		}
		return nil
	}
	if len(hits) == 0 {
		fmt.Fprintln(w, "no articles found")
	}
	for _, h := range hits {
		place := "canonical"
		if h.CanonicalID != h.ID {
			place = fmt.Sprintf("duplicate of #%d", h.CanonicalID)
		}
		title := h.Title
		if title == "" {
			title = h.Ref
		}
		fmt.Fprintf(w, "#%d  %s\n     %s · cluster %d (%d articles), %s\n     %s\n", h.ID, termLine(title), termLine(h.Ref), h.ClusterID, h.ClusterSize, place, termText(h.Snippet))
	}
	return nil
}

// indexForSearch brings the search index up to date, saying so on ew
// with progress when there is work: after a large import it takes tens
// of seconds, which a search or an import --index-search spent silently.
func indexForSearch(ctx context.Context, db *store.DB, ew io.Writer) error {
	n, _, err := db.Unindexed(ctx)
	if err != nil || n == 0 {
		return err
	}
	tty := false
	if f, ok := ew.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		tty = true
	}
	fmt.Fprintf(ew, "newsdedup: indexing %s for search (once, after each import)\n", articles(n))
	var done, total int64
	err = db.IndexSearch(ctx, func(d, t int64) {
		done, total = d, t
		if tty {
			fmt.Fprintf(ew, "\r\033[Knewsdedup: search index: %d of %d", d, t)
		}
	})
	if tty {
		fmt.Fprint(ew, "\r\033[K")
	}
	if err == nil {
		fmt.Fprintf(ew, "newsdedup: search index: %d of %d indexed\n", done, total)
	}
	return err
}

// articles says "1 article" or "N articles".
func articles(n int64) string {
	if n == 1 {
		return "1 article"
	}
	return fmt.Sprintf("%d articles", n)
}
