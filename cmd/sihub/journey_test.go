package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/taxonomy"
)

var updateScreenshot = flag.Bool("update-screenshot", false, "write the README's directory screenshot (docs/img/directory.png)")

// browserPath returns the browser for journey tests, skipping the test when
// none is configured — or failing it in CI, where every suite must run.
func browserPath(t *testing.T) string {
	t.Helper()
	p := os.Getenv("SIHUB_TEST_BROWSER")
	if p == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but SIHUB_TEST_BROWSER is not set: the browser journeys must run in CI")
		}
		t.Skip("SIHUB_TEST_BROWSER is not set; skipping the browser journey")
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("SIHUB_TEST_BROWSER=%s: %v", p, err)
	}
	return p
}

// startServer runs `sihub serve` as the README tells a new user to, on a
// fresh database and a free port, and returns its base URL.
func startServer(t *testing.T, args ...string) string {
	t.Helper()
	base, _, stop := launchServer(t, append([]string{"--db", filepath.Join(t.TempDir(), "sihub.db")}, args...)...)
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Error(err)
		}
	})
	return base
}

// launchServer runs `sihub serve args` on a free port until it answers
// /healthz, and returns its base URL, its log, and stop, which shuts it
// down and returns what serve returned.
func launchServer(t *testing.T, args ...string) (string, *syncBuffer, func() error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	stderr := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", addr}, args...), noEnv, strings.NewReader(""), &bytes.Buffer{}, stderr)
	}()
	stop := func() error {
		cancel()
		if err := <-done; err != nil {
			return fmt.Errorf("serve: %v\n%s", err, stderr.String())
		}
		return nil
	}
	base := "http://" + addr
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return base, stderr, stop
			}
		}
		select {
		case err := <-done:
			cancel()
			t.Fatalf("serve stopped: %v\n%s", err, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			stop()
			t.Fatalf("server did not come up: %v\n%s", err, stderr.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func noEnv(string) string { return "" }

// newBrowser starts headless Chromium with the flags this closed network
// needs (no background connections to the outside), for a journey of at
// most three minutes.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	return newBrowserFor(t, 3*time.Minute)
}

// newBrowserFor is newBrowser for a journey of at most limit.
func newBrowserFor(t *testing.T, limit time.Duration) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browserPath(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("lang", "vi-VN"),
		chromedp.WindowSize(1280, 1000),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelB := chromedp.NewContext(actx)
	ctx, cancelC := context.WithTimeout(ctx, limit)
	t.Cleanup(func() { cancelC(); cancelB(); cancelA() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start browser: %v", err)
	}
	return ctx
}

// TestJourneyDirectory is a new user's first visit: search without
// diacritics, open a profile, switch to English, export the list.
func TestJourneyDirectory(t *testing.T) {
	ctx := newBrowser(t)
	base := startServer(t, "--demo")
	downloads := t.TempDir()

	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		must(err)
		return v
	}

	// Vietnamese is the default; choose it explicitly so the test does not
	// depend on the browser's Accept-Language.
	must(chromedp.Do(ctx,
		chromedp.Navigate(base+"/lang/vi?next=/companies"),
		chromedp.WaitVisible(chromedp.ID("q")),
		chromedp.SendKeys(chromedp.ID("q"), "ep nhua"),
		chromedp.Submit(chromedp.ID("q")),
		// The unfiltered directory already shows results: wait for the
		// answer to the search itself.
		chromedp.WaitVisible(chromedp.CSS(".understood .chip-term")),
		chromedp.WaitVisible(chromedp.CSS(".results h2 a")),
	))
	results, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('.results h2 a')].map(a => a.textContent.trim())`))
	must(err)
	if len(results) < 5 {
		t.Fatalf("\"ep nhua\" found %d companies: %v", len(results), results)
	}
	if *updateScreenshot {
		shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		must(err)
		must(os.WriteFile("../../docs/img/directory.png", shot, 0o644))
	}

	firstName := text(".results h2 a")
	must(chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(".results h2 a")),
		chromedp.WaitVisible(chromedp.CSS("h1")),
	))
	if profile := text("main"); !strings.Contains(profile, firstName) || !strings.Contains(profile, taxonomy.TermLabel(taxonomy.KindProcess, "injection_molding", sihub.VI)) {
		t.Errorf("profile of %q does not show the name and the recognized process in Vietnamese:\n%s", firstName, profile)
	}

	must(chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`a[hreflang="en"]`)),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="en"] h1`)),
	))
	if en := text("main"); !strings.Contains(en, taxonomy.TermLabel(taxonomy.KindProcess, "injection_molding", sihub.EN)) {
		t.Errorf("after switching to English the profile reads:\n%s", en)
	}

	// Export the same search; the language choice is remembered.
	progress := chromedp.Events(ctx, browser.DownloadProgress)
	must(chromedp.Do(ctx,
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			enable := true
			_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
				Behavior:      browser.SetDownloadBehaviorBehaviorAllowAndName,
				DownloadPath:  downloads,
				EventsEnabled: &enable,
			})
			return err
		}),
		chromedp.Navigate(base+"/companies?q=ep+nhua"),
		chromedp.WaitVisible(chromedp.CSS(".results h2 a")),
	))
	if label := text(`a[href^="/export?format=csv"]`); label != "Export CSV" {
		t.Errorf("export button reads %q; want the English label", label)
	}
	must(chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`a[href^="/export?format=csv"]`))))
	var guid string
	for ev, err := range progress {
		must(err)
		if ev.State == browser.DownloadProgressStateCompleted {
			guid = ev.GUID
			break
		}
	}
	data, err := os.ReadFile(filepath.Join(downloads, guid))
	must(err)
	if !bytes.HasPrefix(data, []byte("\uFEFFtax_code,name,")) {
		t.Fatalf("export does not start with a BOM and the template header: %q", data[:min(80, len(data))])
	}
	lines := strings.Count(string(data), "\r\n") - 1
	if lines < len(results) {
		t.Errorf("export has %d companies; the search showed %d on its first page", lines, len(results))
	}
	for _, name := range results {
		if !strings.Contains(string(data), name) {
			t.Errorf("export lacks %q", name)
		}
	}
	t.Logf("%d results on the first page, %d rows exported", len(results), lines)
}
