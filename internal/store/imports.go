package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
)

// States of an import job.
const (
	ImportRunning = "running"
	ImportDone    = "done"
	ImportFailed  = "failed"
)

// ImportJobTTL is how long an import job is kept after it started.
const ImportJobTTL = 24 * time.Hour

// ImportJob is an import started from the web page, shared by every instance
// on the database so that any of them can show its progress and report.
type ImportJob struct {
	ID    string
	File  string
	Lang  string // language of who started it
	State string // ImportRunning, ImportDone or ImportFailed
	Phase string
	Rows  int
	// Report is the JSON the web layer stored with FinishImportJob; the
	// store does not interpret it. nil when there is none.
	Report []byte
	// Failure is why the import failed; nil unless it did.
	Failure   *sihub.Msg
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Job writes run without the writers' lock (writeJob), because an import
// calls UpdateImportJob from inside its own write transaction, which holds
// that lock until it commits: taking it again would wait forever, and on
// PostgreSQL an upload or a finished job would wait for another instance's
// import. They touch import_jobs only, which no company writer reads, and
// they do not move data_version: jobs are not company data. On SQLite they
// still queue behind a running write transaction on the single writer
// connection; callers inside an import must not wait for them.

// writeJob runs fn in a transaction on the writer without the writers' lock.
func (db *DB) writeJob(ctx context.Context, op string, fn func(tx *sql.Tx) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return internal(err, op)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return wrap(err, op)
	}
	if err := tx.Commit(); err != nil {
		return internal(err, op)
	}
	return nil
}

func jobNotFound() error {
	return sihub.Errorf(sihub.ErrNotFound, "Không tìm thấy lượt nhập này; kết quả chỉ được giữ một ngày.",
		"This import was not found; results are kept for a day.")
}

// CreateImportJob records a running import of file, started by a user
// reading lang, and returns it with a new random ID. It first deletes the
// jobs started more than ImportJobTTL ago.
func (db *DB) CreateImportJob(ctx context.Context, file string, lang sihub.Lang) (*ImportJob, error) {
	if !storable(file) {
		return nil, unstorable("file")
	}
	var b [16]byte
	rand.Read(b[:]) // never fails (crypto/rand)
	now := db.now()
	j := &ImportJob{ID: hex.EncodeToString(b[:]), File: file, Lang: string(lang), State: ImportRunning,
		Phase: "queued", CreatedAt: now, UpdatedAt: now}
	err := db.writeJob(ctx, "create import job", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM import_jobs WHERE created_at < ?`), now.Add(-ImportJobTTL)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, db.q(`INSERT INTO import_jobs (id, file, lang, state, phase, rows, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`), j.ID, j.File, j.Lang, j.State, j.Phase, j.Rows, j.CreatedAt, j.UpdatedAt)
		return err
	})
	if err != nil {
		return nil, err
	}
	return j, nil
}

// UpdateImportJob records the progress of running job id: one UPDATE, for
// callers to make every thousand rows or half second. A finished job keeps
// its final state.
func (db *DB) UpdateImportJob(ctx context.Context, id, phase string, rows int) error {
	return db.writeJob(ctx, "update import job", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, db.q(`UPDATE import_jobs SET phase = ?, rows = ?, updated_at = ?
			WHERE id = ? AND state = ?`), phase, rows, db.now(), id, ImportRunning)
		return err
	})
}

// FinishImportJob records the end of job id: its report (JSON, stored as
// given; nil for none) and, when it failed, why. A job finishes once.
func (db *DB) FinishImportJob(ctx context.Context, id string, report []byte, failure *sihub.Msg) error {
	state, fail := ImportDone, sql.NullString{}
	if failure != nil {
		b, err := json.Marshal(failure)
		if err != nil {
			return internal(err, "finish import job")
		}
		state, fail = ImportFailed, sql.NullString{String: string(b), Valid: true}
	}
	rep := sql.NullString{String: string(report), Valid: report != nil}
	if !storable(rep.String) || !storable(fail.String) {
		return unstorable("report")
	}
	return db.writeJob(ctx, "finish import job", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q(`UPDATE import_jobs SET state = ?, report = ?, failure = ?, updated_at = ?
			WHERE id = ? AND state = ?`), state, rep, fail, db.now(), id, ImportRunning)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err != nil {
				return err
			}
			return jobNotFound()
		}
		return nil
	})
}

// ImportJob returns job id; a job started more than ImportJobTTL ago is not
// found even before CreateImportJob deletes it.
func (db *DB) ImportJob(ctx context.Context, id string) (*ImportJob, error) {
	j := &ImportJob{}
	err := db.read(ctx, "get import job", func(tx *sql.Tx) error {
		var rep, fail sql.NullString
		err := tx.QueryRowContext(ctx, db.q(`SELECT id, file, lang, state, phase, rows, report, failure, created_at, updated_at
			FROM import_jobs WHERE id = ? AND created_at >= ?`), id, db.now().Add(-ImportJobTTL)).
			Scan(&j.ID, &j.File, &j.Lang, &j.State, &j.Phase, &j.Rows, &rep, &fail, &j.CreatedAt, &j.UpdatedAt)
		if errors.Is(err, sql.ErrNoRows) {
			return jobNotFound()
		}
		if err != nil {
			return err
		}
		if rep.Valid {
			j.Report = []byte(rep.String)
		}
		if fail.Valid {
			j.Failure = new(sihub.Msg)
			return json.Unmarshal([]byte(fail.String), j.Failure)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	j.CreatedAt, j.UpdatedAt = j.CreatedAt.UTC(), j.UpdatedAt.UTC()
	return j, nil
}
