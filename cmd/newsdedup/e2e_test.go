package main

import (
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/newsdedup/newsdedup/cmd/newsdedup/output"
	"github.com/newsdedup/newsdedup/cmd/newsdedup/web"
	"github.com/newsdedup/newsdedup/store"
)

// End-to-end tests of the web UI in headless Chromium (Debian's chromium
// package). They skip where /usr/bin/chromium is absent. With
// NEWSDEDUP_SCREENSHOTS=DIR they save full-page screenshots of the cluster
// and overview pages to DIR/newsdedup-cluster.png and
// DIR/newsdedup-overview.png.

const chromiumPath = "/usr/bin/chromium"

// browser starts headless Chromium with a fresh profile and returns a
// context for chromedp actions in one tab.
func browser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skip("no " + chromiumPath + " (apt-get install chromium)")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1400, 1000),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	ctx, cancelTime := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() {
		cancelTime()
		cancelTab()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// serveLoopback serves the fixture on 127.0.0.1 at a free port, as
// newsdedup serve does, and returns its base URL.
func serveLoopback(t *testing.T, f webFixture) string {
	t.Helper()
	db, err := store.Open(t.Context(), f.db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ws, err := web.New(db, web.Options{Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serveUntilDone(ctx, ln, ws, os.Stderr) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return "http://" + ln.Addr().String()
}

// e2eFixture imports testdata/corpus, the hostile articles and, where
// present, the seeds, and returns the cluster to look at: the seeds' one,
// else the corpus's Marrowby cluster with its teaser.
func e2eFixture(t *testing.T) (webFixture, int64) {
	t.Helper()
	var extra []string
	seeds := filepath.Join("..", "..", "..", "shared", "seeds")
	if _, err := os.Stat(seeds); err == nil {
		extra = append(extra, seeds)
	}
	f := newWebFixture(t, extra...)
	var id int64
	for _, c := range jsonLines[output.Cluster](t, mustRun(t, "--db", f.db, "clusters", "--json")) {
		base := filepath.Base(c.Canonical.Ref)
		if strings.HasPrefix(base, "001_") || (id == 0 && base == "a_copy.txt") {
			id = c.ID
		}
	}
	if id == 0 {
		t.Fatal("no cluster to look at")
	}
	return f, id
}

// do runs browser actions and fails the test on an error.
func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// run runs one browser action and returns its value.
func run[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("NEWSDEDUP_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100: PNG
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s", path)
}

func TestE2EBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end browser test")
	}
	ctx := browser(t)
	f, clusterID := e2eFixture(t)
	base := serveLoopback(t, f)

	t.Run("cluster diff", func(t *testing.T) {
		do(t, ctx,
			chromedp.Navigate(base+"/clusters/"+strconv.FormatInt(clusterID, 10)),
			chromedp.WaitVisible(chromedp.CSS("section.variant .diff")),
		)
		heading := run(t, ctx, chromedp.Text(chromedp.CSS("h1")))
		variants := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("section.variant").length`))
		marks := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll(".diff mark.kept, .diff mark.variant-only").length`))
		canon := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll(".diff-row .side.left").length`))
		if !strings.Contains(heading, "Cluster #"+strconv.FormatInt(clusterID, 10)) || variants < 1 || marks == 0 || canon == 0 {
			t.Errorf("cluster page: heading %q, %d variants, %d diff marks, %d canonical cells", heading, variants, marks, canon)
		}
		// Our own script runs (the CSP allows /static/app.js): the
		// checkbox hides the paragraphs the two texts share.
		const visibleSame = `[...document.querySelectorAll(".diff-row.same")].filter(e => e.offsetParent !== null).length`
		before := run(t, ctx, chromedp.Evaluate[int](visibleSame))
		do(t, ctx, chromedp.Click(chromedp.ID("only-changes")))
		after := run(t, ctx, chromedp.Evaluate[int](visibleSame))
		if before == 0 || after != 0 {
			t.Errorf("only-changes toggle: %d shared rows visible before, %d after", before, after)
		}
		do(t, ctx, chromedp.Click(chromedp.ID("only-changes")))
		screenshot(t, ctx, "newsdedup-cluster.png")
	})

	t.Run("overview histogram", func(t *testing.T) {
		do(t, ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS("figure.chart svg")))
		bars := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("svg rect.bar-links, svg rect.bar-variants").length`))
		thresholds := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("svg line.threshold").length`))
		if bars < 4 || thresholds != 2 {
			t.Errorf("overview: %d bars, %d threshold lines", bars, thresholds)
		}
		screenshot(t, ctx, "newsdedup-overview.png")
	})

	t.Run("search", func(t *testing.T) {
		resp, err := http.Get(base + "/api/search?q=x")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusNotImplemented {
			t.Skip("search is not available in this build")
		}
		do(t, ctx,
			chromedp.Navigate(base+"/search"),
			chromedp.WaitVisible(chromedp.CSS(`form.search input[name="q"]`)),
			chromedp.SendKeys(chromedp.CSS(`form.search input[name="q"]`), "Brackenford lighthouse"),
			chromedp.Submit(chromedp.CSS(`form.search input[name="q"]`)),
			chromedp.WaitVisible(chromedp.CSS("li.hit")),
		)
		hits := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("li.hit").length`))
		// Read in the page, not by node ids: those of a document that a
		// navigation replaced are gone (chromedp's "No node with given id").
		first := run(t, ctx, chromedp.Evaluate[string](`document.querySelector("li.hit .hit-title").textContent`))
		if hits == 0 || !strings.Contains(strings.ToLower(first), "lighthouse") {
			t.Errorf("search: %d hits, first %q", hits, first)
		}
	})

	t.Run("hostile article", func(t *testing.T) {
		for _, path := range []string{"/articles/" + strconv.FormatInt(f.evil[0], 10), "/clusters/" + strconv.FormatInt(f.evil[0], 10)} {
			do(t, ctx,
				chromedp.Navigate(base+path),
				chromedp.WaitReady(chromedp.CSS("main")),
				chromedp.Sleep(200*time.Millisecond), // time for any script that got through
			)
			pwned := run(t, ctx, chromedp.Evaluate[bool](`window.__pwned !== undefined`))
			title := run(t, ctx, chromedp.Title())
			text := run(t, ctx, chromedp.Text(chromedp.CSS("main")))
			imgs := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("main img, main script").length`))
			if pwned || strings.Contains(title, "pwned") || imgs != 0 {
				t.Errorf("%s: a script in the article ran or became markup (window.__pwned set: %v, title %q, %d img/script elements)", path, pwned, title, imgs)
			}
			for _, s := range []string{"<script>alert(1)</script>", "<img src=x onerror=alert(2)>", `<script>window.__pwned = 1; document.title = "pwned"</script>`} {
				if !strings.Contains(text, s) {
					t.Errorf("%s: the page does not show %q as text", path, s)
				}
			}
		}
	})
}

// TestE2EServeCommand runs newsdedup serve itself on a free loopback port
// and stops it as Ctrl-C does.
func TestE2EServeCommand(t *testing.T) {
	f := newWebFixture(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, _, err := runCLIContext(ctx, t, "", "--db", f.db, "serve", "--addr", addr)
		done <- err
	}()
	var resp *http.Response
	for range 100 {
		if resp, err = http.Get("http://" + addr + "/api/stats"); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		cancel()
		t.Fatalf("serve never answered: %v (%v)", err, <-done)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Security-Policy") == "" {
		t.Errorf("GET /api/stats: %d, CSP %q", resp.StatusCode, resp.Header.Get("Content-Security-Policy"))
	}
	cancel()
	select {
	case err := <-done:
		if err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("serve stopped with %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
}
