package store

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"

	"github.com/sihub-org/sihub/internal/sihub"
)

// Backup writes a consistent copy of the database to path while the server
// keeps running. It never overwrites: an existing path is an ErrConflict.
// The copy is readable by its owner only, as it holds personal data.
//
// The copy is a SQLite database whichever the engine: SQLite's own VACUUM
// INTO, or for PostgreSQL SIHub's logical dump (see backupPostgres). Either
// file opens as a SIHub database, and Copy restores it into an empty
// PostgreSQL database.
func (db *DB) Backup(ctx context.Context, path string) error {
	if strings.TrimSpace(path) == "" {
		return sihub.Errorf(sihub.ErrInvalid, "Thiếu tên tệp sao lưu.", "The backup file name is missing.")
	}
	if fi, err := os.Stat(filepath.Dir(path)); err != nil || !fi.IsDir() {
		return sihub.Errorf(sihub.ErrInvalid, "Thư mục %s không tồn tại.", "The directory %s does not exist.", filepath.Dir(path))
	}
	// Creating the file exclusively both refuses to overwrite and closes the
	// window in which another process could create it; VACUUM INTO accepts
	// an empty file.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return sihub.Errorf(sihub.ErrConflict, "Tệp %s đã tồn tại; SIHub không ghi đè lên tệp có sẵn.",
			"The file %s already exists; SIHub does not overwrite files.", path)
	}
	if err != nil {
		return internal(err, "backup")
	}
	f.Close()
	if err := db.d.backup(ctx, db, path); err != nil {
		os.Remove(path)
		return internal(err, "backup")
	}
	return nil
}

// Stats are the directory's headline numbers, for /metrics and the home
// page. Only Archived counts archived companies.
type Stats struct {
	Companies       int   // companies in the directory (not archived)
	Suppliers       int   // of which suppliers, "both" included
	Buyers          int   // of which buyers, "both" included
	Verified        int   // of which verified by staff
	Archived        int   // archived companies
	Documents       int   // documents attached
	Attachments     int   // distinct files behind the documents
	AttachmentBytes int64 // their total size
}

// Stats counts the directory.
func (db *DB) Stats(ctx context.Context) (Stats, error) {
	var s Stats
	err := db.read(ctx, "stats", func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT
			COALESCE(SUM(CASE WHEN NOT archived THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN NOT archived AND kind IN ('supplier', 'both') THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN NOT archived AND kind IN ('buyer', 'both') THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN NOT archived AND verified THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN archived THEN 1 ELSE 0 END), 0)
			FROM companies`).Scan(&s.Companies, &s.Suppliers, &s.Buyers, &s.Verified, &s.Archived)
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM documents`).Scan(&s.Documents); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(size), 0) FROM attachments`).Scan(&s.Attachments, &s.AttachmentBytes)
	})
	return s, err
}
