package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sihub-org/sihub/internal/sheet"
	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store"
)

// TestCloseCancelsAndWaits: Close cancels the work still running, waits
// until it has stopped, and refuses new imports afterwards.
func TestCloseCancelsAndWaits(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		ctx, done, err := e.s.startWork(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		closed := make(chan struct{})
		go func() {
			e.h.(*Server).Close()
			close(closed)
		}()
		select {
		case <-ctx.Done():
		case <-time.After(5 * time.Second):
			t.Fatal("Close did not cancel the running work")
		}
		select {
		case <-closed:
			t.Fatal("Close returned while work was still running")
		case <-time.After(50 * time.Millisecond):
		}
		if got := e.s.stopped(ctx, ctx.Err()); got != errShuttingDown {
			t.Errorf("cancelled work reports %v", got)
		}
		done()
		select {
		case <-closed:
		case <-time.After(5 * time.Second):
			t.Fatal("Close did not return once the work stopped")
		}
		if _, _, err := e.s.startWork(context.Background()); err != errShuttingDown {
			t.Errorf("work started after Close: %v", err)
		}
		e.h.(*Server).Close() // a second Close is harmless

		// Imports, page and API, are refused with 503 and nothing is stored.
		before := e.count()
		for _, url := range []string{"/import", "/api/v1/imports/companies"} {
			body, ctype := multipartBody(t, nil, &filePart{field: "file", name: "c.csv", ctype: "text/csv", data: []byte(importCSV(2, false))})
			w := e.do(req{method: "POST", url: url, body: body, ctype: ctype, as: e.staff(), lang: "en"})
			if w.Code != http.StatusServiceUnavailable || !strings.Contains(w.Body.String(), "shutting down") {
				t.Errorf("POST %s after Close: %d %.300s", url, w.Code, w.Body.String())
			}
		}
		if e.count() != before {
			t.Error("an import after Close stored companies")
		}
	})
}

// TestCloseDuringImport: closing while a background import runs leaves the
// directory with all of the file or none of it, never part, and the job
// finished before Close returns.
func TestCloseDuringImport(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		const rows = 3000
		body, ctype := multipartBody(t, nil, &filePart{field: "file", name: "lon.csv", data: []byte(importCSV(rows, false))})
		w := e.do(req{method: "POST", url: "/import", body: body, ctype: ctype, as: e.staff()})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("POST /import: %d %s", w.Code, w.Body.String())
		}
		id := strings.TrimPrefix(w.Header().Get("Location"), "/import/")
		e.h.(*Server).Close()
		job, err := e.db.ImportJob(context.Background(), id)
		if err != nil {
			t.Fatal("job lost:", err)
		}
		if job.State == store.ImportRunning {
			t.Fatal("Close returned before the import finished")
		}
		var rep sheet.Report
		committed := job.Report != nil && json.Unmarshal(job.Report, &rep) == nil && rep.Committed
		t.Logf("committed %v, failure %v", committed, job.Failure)
		switch n := e.count(); {
		case committed:
			if n != rows {
				t.Errorf("committed import left %d companies, want %d", n, rows)
			}
		case n != 0:
			t.Errorf("cancelled import left %d companies", n)
		case job.Failure == nil || *job.Failure != sihub.ErrorMsg(errShuttingDown):
			t.Errorf("cancelled import reports %v", job.Failure)
		}
	})
}

// TestFlushProgress: the progress an import reports reaches the store, where
// the other instances read it.
func TestFlushProgress(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		j, err := e.db.CreateImportJob(ctx, "a.csv", sihub.VI)
		if err != nil {
			t.Fatal(err)
		}
		live := &liveJob{}
		stop, flushed := make(chan struct{}), make(chan struct{})
		go func() {
			defer close(flushed)
			e.s.flushProgress(ctx, j.ID, live, stop)
		}()
		live.progress("validate", 3000)
		deadline := time.Now().Add(10 * time.Second)
		for {
			got, err := e.db.ImportJob(ctx, j.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Phase == "validate" && got.Rows == 3000 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("progress not flushed: %+v", got)
			}
			time.Sleep(20 * time.Millisecond)
		}
		close(stop)
		<-flushed
	})
}
