package store

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
)

func dataVersion(t *testing.T, db *DB) int64 {
	t.Helper()
	var v int64
	if err := db.r.QueryRow(`SELECT version FROM data_version WHERE id = 1`).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestImportJobs(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		version := dataVersion(t, db)
		a, err := db.CreateImportJob(ctx, "Danh sách.xlsx", sihub.EN)
		if err != nil {
			t.Fatal(err)
		}
		b, err := db.CreateImportJob(ctx, "b.csv", sihub.VI)
		if err != nil {
			t.Fatal(err)
		}
		if len(a.ID) != 32 || a.ID == b.ID {
			t.Errorf("ids %q, %q: want distinct random hex", a.ID, b.ID)
		}
		got, err := db.ImportJob(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.File != "Danh sách.xlsx" || got.Lang != "en" || got.State != ImportRunning || got.Phase != "queued" ||
			got.Rows != 0 || got.Report != nil || got.Failure != nil || !got.CreatedAt.Equal(a.CreatedAt) {
			t.Errorf("new job: %+v", got)
		}

		if err := db.UpdateImportJob(ctx, a.ID, "validate", 2000); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.ImportJob(ctx, a.ID); got.Phase != "validate" || got.Rows != 2000 {
			t.Errorf("after progress: %+v", got)
		}

		report := []byte(`{"Rows":2000,"Problems":[{"Msg":{"vi":"Thiếu tên","en":"Name missing"}}]}`)
		if err := db.FinishImportJob(ctx, a.ID, report, nil); err != nil {
			t.Fatal(err)
		}
		fail := sihub.M("Máy chủ đang dừng.", "The server is shutting down.")
		if err := db.FinishImportJob(ctx, b.ID, nil, &fail); err != nil {
			t.Fatal(err)
		}
		// A late progress update does not undo the end, nor does a second end.
		if err := db.UpdateImportJob(ctx, a.ID, "write", 1000); err != nil {
			t.Fatal(err)
		}
		if err := db.FinishImportJob(ctx, a.ID, nil, &fail); sihub.ErrorCode(err) != sihub.ErrNotFound {
			t.Errorf("second finish: %v", err)
		}
		got, _ = db.ImportJob(ctx, a.ID)
		if got.State != ImportDone || string(got.Report) != string(report) || got.Failure != nil || got.Phase != "validate" {
			t.Errorf("done job: %+v", got)
		}
		got, _ = db.ImportJob(ctx, b.ID)
		if got.State != ImportFailed || got.Report != nil || got.Failure == nil || *got.Failure != fail {
			t.Errorf("failed job: %+v", got)
		}

		if _, err := db.ImportJob(ctx, "unknown"); sihub.ErrorCode(err) != sihub.ErrNotFound {
			t.Errorf("unknown job: %v", err)
		}
		if err := db.UpdateImportJob(ctx, "unknown", "write", 1); err != nil {
			t.Errorf("progress of an unknown job: %v", err)
		}
		if dataVersion(t, db) != version {
			t.Error("import jobs moved data_version")
		}

		// A day later the jobs are gone: hidden at once, deleted by the
		// next CreateImportJob.
		now := db.now
		db.now = func() time.Time { return now().Add(ImportJobTTL + time.Minute) }
		if _, err := db.ImportJob(ctx, a.ID); sihub.ErrorCode(err) != sihub.ErrNotFound {
			t.Errorf("job past its day: %v", err)
		}
		c, err := db.CreateImportJob(ctx, "c.csv", sihub.VI)
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.r.QueryRow(`SELECT COUNT(*) FROM import_jobs`).Scan(&n); err != nil || n != 1 {
			t.Errorf("%d jobs left after the cleanup (%v), want 1", n, err)
		}
		if _, err := db.ImportJob(ctx, c.ID); err != nil {
			t.Error(err)
		}
		if _, err := db.CreateImportJob(ctx, "bad\x00.csv", sihub.VI); sihub.ErrorCode(err) != sihub.ErrInvalid {
			t.Errorf("unstorable file name: %v", err)
		}
	})
}

// TestImportJobInsideWrite: an import reports progress from inside its write
// transaction. On PostgreSQL, whose writers hold an advisory lock, that must
// not wait for the lock (it would wait for itself). SQLite's single writer
// connection makes the web layer report progress asynchronously instead.
func TestImportJobInsideWrite(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		if db.d.writeLock == "" {
			t.Skip("no writers' lock")
		}
		ctx := context.Background()
		j, err := db.CreateImportJob(ctx, "a.csv", sihub.VI)
		if err != nil {
			t.Fatal(err)
		}
		err = db.write(ctx, "test", func(*sql.Tx) error {
			ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			return db.UpdateImportJob(ctx, j.ID, "write", 1000)
		})
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := db.ImportJob(ctx, j.ID); got.Rows != 1000 {
			t.Errorf("progress: %+v", got)
		}
	})
}
