package store

import (
	"cmp"
	"context"
	"database/sql"
	"slices"

	"github.com/sihub-org/sihub/internal/sihub"
)

// CompanyChanges returns every company written after data version since
// (all of them for since 0), archived ones included, in id order, and the
// data version they are current to. An in-memory copy of the suppliers (the matching
// engine's index) follows the database with it, however many processes
// write: it passes the version returned to the next call.
//
// The companies carry their contacts but not their documents, as
// EachCompany's do: documents do not move the data version. A since
// beyond the database's version (another database, a restored backup)
// returns every company, as 0 does.
//
// Each transaction that changes companies writes, under the write lock, the
// version it moves data_version to into every company row it writes; the
// version and the companies are read here in one snapshot, so a company
// committed later carries a larger version than the one returned.
func (db *DB) CompanyChanges(ctx context.Context, since int64) (changed []*sihub.Company, version int64, err error) {
	err = db.read(ctx, "company changes", func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT version FROM data_version WHERE id = 1`).Scan(&version); err != nil {
			return err
		}
		if since > version {
			since = 0
		}
		// One query streams them all, each row with its contacts. No
		// ORDER BY: SQLite would then rather walk the primary key than
		// the version index, reading every row to find a few.
		query, args := db.selectCompanies()+"FROM companies c", []any(nil)
		if since > 0 {
			query, args = query+" WHERE c.version > ?", []any{since}
		}
		rows, err := tx.QueryContext(ctx, db.q(query), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			c, err := scanCompany(rows)
			if err != nil {
				return err
			}
			changed = append(changed, c)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, 0, err
	}
	slices.SortFunc(changed, func(a, b *sihub.Company) int { return cmp.Compare(a.ID, b.ID) })
	return changed, version, nil
}

// DataVersion returns the data version: it moves with every committed
// write to companies, so a follower whose version is still current need
// not ask for changes.
func (db *DB) DataVersion(ctx context.Context) (int64, error) {
	var v int64
	err := db.r.QueryRowContext(ctx, `SELECT version FROM data_version WHERE id = 1`).Scan(&v)
	return v, err
}
