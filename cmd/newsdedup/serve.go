package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/newsdedup/newsdedup/cmd/newsdedup/web"
	"github.com/newsdedup/newsdedup/store"
)

func serveCommand() *cli.Command {
	return &cli.Command{
		Name:  "serve",
		Usage: "browse clusters, diffs, search and similarity histograms in a web browser",
		Description: "Serves a web UI and a JSON API (under /api/) over the database, on loopback only\n" +
			"unless --public is given. It is read-only unless --allow-edits is given.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "addr", Value: "127.0.0.1:8080", Usage: "listen on `HOST:PORT` (a loopback address unless --public)"},
			&cli.BoolFlag{Name: "allow-edits", Usage: "allow curation (split, merge, set canonical) from the browser"},
			&cli.BoolFlag{Name: "public", Usage: "allow a non-loopback --addr and any host name: anyone who can reach it can read the corpus"},
			&cli.StringFlag{Name: "rules", Usage: "show what cleaning removed with the boilerplate rules of `FILE` (added to the built-in ones) instead of the rules the latest import recorded"},
			&cli.BoolFlag{Name: "no-default-rules", Usage: "with --rules: show removals by the rules of --rules alone, instead of the recorded rules"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usageError{"serve: takes no arguments"}
			}
			addr := c.String("addr")
			if err := checkServeAddr(addr, c.Bool("public")); err != nil {
				return err
			}
			opts := web.Options{AllowEdits: c.Bool("allow-edits"), Public: c.Bool("public"),
				Logf: logfTo(log.New(c.App.ErrWriter, "newsdedup: serve: ", 0))}
			// The rules the imports recorded are the default; the flags
			// override them.
			if c.IsSet("rules") || c.IsSet("no-default-rules") {
				rules, err := loadRules(c.String("rules"), c.Bool("no-default-rules"))
				if err != nil {
					return err
				}
				opts.Rules = rules
			}
			return withDB(c, func(ctx context.Context, db *store.DB) error {
				if c.Bool("public") {
					fmt.Fprintln(c.App.ErrWriter, "newsdedup: warning: --public serves the whole corpus to anyone who can reach", addr)
				}
				ws, err := web.New(db, opts)
				if err != nil {
					return err
				}
				ln, err := net.Listen("tcp", addr)
				if err != nil {
					return err
				}
				mode := "read-only"
				if c.Bool("allow-edits") {
					mode = "edits allowed"
				}
				fmt.Fprintf(c.App.Writer, "serving %s on http://%s/ (%s); Ctrl-C stops\n", db.Path(), ln.Addr(), mode)
				return serveUntilDone(ctx, ln, ws, c.App.ErrWriter)
			})
		},
	}
}

// checkServeAddr refuses an address that is not loopback unless public:
// the UI has no login.
func checkServeAddr(addr string, public bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return usageError{fmt.Sprintf("serve: --addr %q: %v", addr, err)}
	}
	if public || host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return usageError{fmt.Sprintf("serve: --addr %q is not a loopback address: the web UI has no login; give --public to serve it to the network anyway", addr)}
}

// serveUntilDone serves h on ln until ctx is cancelled, then shuts down,
// letting requests in flight finish for a few seconds.
func serveUntilDone(ctx context.Context, ln net.Listener, h http.Handler, errw io.Writer) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          log.New(errw, "newsdedup: serve: ", 0),
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		srv.Close()
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	// Ctrl-C is how a server stops: not a failure.
	return nil
}

// logfTo returns a Logf that prints to a log.Logger.
func logfTo(l *log.Logger) func(string, ...any) {
	return func(format string, args ...any) { l.Printf(format, args...) }
}
