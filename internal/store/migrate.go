package store

import (
	"context"
	"database/sql"
	"embed"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// Migrations are numbered .sql files, applied in name order, each in its own
// transaction together with its row in schema_migrations. A file is never
// edited once released: a change to the schema is a new file.
//
//go:embed migrations
var migrationFiles embed.FS

type migration struct {
	version string // the file name without .sql, e.g. "0001_companies"
	sql     string
}

func migrations(dir string) ([]migration, error) {
	dir = path.Join("migrations", dir)
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		b, err := fs.ReadFile(migrationFiles, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: strings.TrimSuffix(e.Name(), ".sql"), sql: string(b)})
	}
	slices.SortFunc(ms, func(a, b migration) int { return strings.Compare(a.version, b.version) })
	return ms, nil
}

// Migrate applies the migrations the database lacks and returns their
// versions. It is idempotent, and safe when several processes open the same
// database at once: each migration checks, inside its write transaction
// (which on PostgreSQL holds the writers' advisory lock), whether another
// process applied it meanwhile.
func (db *DB) Migrate(ctx context.Context) (applied []string, err error) {
	ms, err := migrations(db.d.name)
	if err != nil {
		return nil, internal(err, "migrate")
	}
	// Up to date, as on nearly every start: nothing to write, so no write
	// lock to wait for behind a busy writer (a backup or a second server
	// opening a database in use).
	if db.upToDate(ctx, ms) {
		return nil, nil
	}
	// Under the lock: PostgreSQL's CREATE TABLE IF NOT EXISTS can fail
	// when two sessions run it at once.
	err = db.write(ctx, "migrate", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, db.d.migrationsTable)
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		var done bool
		err := db.write(ctx, "migrate "+m.version, func(tx *sql.Tx) error {
			var n int
			if err := tx.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), m.version).Scan(&n); err != nil {
				return err
			}
			if done = n > 0; done {
				return nil
			}
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, db.q(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`), m.version, db.now())
			return err
		})
		if err != nil {
			return applied, err
		}
		if !done {
			db.log.Info("database migration applied", "version", m.version)
			applied = append(applied, m.version)
		}
	}
	if len(applied) > 0 {
		// A migration may change companies: drop any facet index.
		if err := db.write(ctx, "migrate", func(tx *sql.Tx) error { return bumpVersion(ctx, tx) }); err != nil {
			return applied, err
		}
	}
	return applied, nil
}

// upToDate reports whether every migration in ms is recorded as applied; a
// database without the record (new, or not SIHub's) is not.
func (db *DB) upToDate(ctx context.Context, ms []migration) bool {
	rows, err := db.r.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return false
	}
	defer rows.Close()
	have := map[string]bool{}
	for rows.Next() {
		var v string
		if rows.Scan(&v) != nil {
			return false
		}
		have[v] = true
	}
	if rows.Err() != nil {
		return false
	}
	for _, m := range ms {
		if !have[m.version] {
			return false
		}
	}
	return true
}
