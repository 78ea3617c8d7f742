package store

import (
	"context"
	"database/sql"
	"iter"
	"strings"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
)

// UpsertCompanies writes the companies of seq, matched by tax code, in one
// transaction: the first error, from seq or from the database, rolls back
// everything and is returned. It reads seq as it writes, so an import's size
// is not limited by memory.
//
// A new tax code creates a company. An existing one has its profile and
// recognized lists replaced, keeping its ID, CreatedAt, verification,
// archived flag and documents, and also what the import template has no
// column for — kind, contacts, main customers, export markets — so that
// re-importing a list (or an export) never erases what staff entered in the
// form. When nothing changed nothing is written and UpdatedAt stays. updated
// counts every company that already existed. Each company of seq gets its
// ID, ParentID and timestamps set. Every company created or changed is
// audited as company.import.
func (db *DB) UpsertCompanies(ctx context.Context, seq iter.Seq2[*sihub.Company, error]) (created, updated int, err error) {
	start := time.Now()
	err = db.writeCompanies(ctx, "import companies", func(w *companyWriter) error {
		now := db.now()
		for c, err := range seq {
			if err != nil {
				return err
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			if c == nil {
				continue
			}
			if err := prepare(c); err != nil {
				return err
			}
			old, err := w.find(ctx, w.byTC, c.TaxCode)
			if err != nil {
				return err
			}
			if old == nil {
				if err := w.insert(ctx, c, now); err != nil {
					return err
				}
				created++
				if err := w.logCompany(ctx, "company.import", nil, c); err != nil {
					return err
				}
				continue
			}
			updated++
			old.keep(c)
			if err := w.keepImportless(ctx, c); err != nil {
				return err
			}
			if old.hash == contentHash(c) {
				c.UpdatedAt, c.ParentID = old.updatedAt.UTC(), old.parentID.Int64
				continue
			}
			// Read only now: most rows of a repeated import are
			// unchanged, and this read costs more than theirs.
			prev, err := w.current(ctx, old.id)
			if err != nil {
				return err
			}
			c.UpdatedAt = now
			if err := w.update(ctx, c, old); err != nil {
				return err
			}
			if err := w.logCompany(ctx, "company.import", prev, c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	db.log.Info("companies imported", "created", created, "updated", updated, "duration", time.Since(start).Round(time.Millisecond))
	db.optimize(ctx)
	return created, updated, nil
}

// reindexBatch is how many companies Reindex holds in memory at a time.
const reindexBatch = 500

// Reindex recomputes what is derived from each company — its search tokens,
// terms, sort key, completeness and hashes — for instance after a taxonomy
// change altered Options.Index or Options.SortKey. It runs in one
// transaction.
func (db *DB) Reindex(ctx context.Context) error {
	start := time.Now()
	n := 0
	err := db.writeCompanies(ctx, "reindex", func(w *companyWriter) error {
		tx := w.tx
		set, err := tx.PrepareContext(ctx, db.q(`UPDATE companies SET sort_key = ?, completeness = ?, directory_entry = ?,
			content_hash = ?, terms_hash = ?, contacts_hash = ?, text_hash = ? WHERE id = ?`))
		if err != nil {
			return err
		}
		defer set.Close()
		// Read a batch, then write it: rows are not updated under an open
		// cursor over the same table.
		for after := int64(0); ; {
			batch, err := db.companiesAfter(ctx, tx, after, reindexBatch)
			if err != nil {
				return err
			}
			if len(batch) == 0 {
				return nil
			}
			for _, c := range batch {
				d := db.derive(c)
				if _, err := set.ExecContext(ctx, d.sortKey, d.completeness, dirEntry(c, d, c.UpdatedAt),
					contentHash(c), d.termsHash, d.contactsHash, d.textHash, c.ID); err != nil {
					return err
				}
				// Everything derived is rewritten, changed or not, so
				// that a reindex also repairs.
				if err := w.terms(ctx, c, d, true); err != nil {
					return err
				}
				if err := w.searchEntry(ctx, c, d, true); err != nil {
					return err
				}
			}
			after = batch[len(batch)-1].ID
			n += len(batch)
		}
	})
	if err != nil {
		return err
	}
	db.log.Info("search index rebuilt", "companies", n, "duration", time.Since(start).Round(time.Millisecond))
	db.optimize(ctx)
	return nil
}

// companiesAfter returns up to limit companies with an id above after, in id
// order.
func (db *DB) companiesAfter(ctx context.Context, tx *sql.Tx, after int64, limit int) ([]*sihub.Company, error) {
	rows, err := tx.QueryContext(ctx, db.q(db.selectCompanies()+"FROM companies c WHERE c.id > ? ORDER BY c.id LIMIT ?"), after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cs []*sihub.Company
	for rows.Next() {
		c, err := scanCompany(rows)
		if err != nil {
			return nil, err
		}
		cs = append(cs, c)
	}
	return cs, rows.Err()
}

// optimize lets SQLite refresh the statistics its query planner uses, after
// a write large enough to change them. It is advisory: a failure is logged.
func (db *DB) optimize(ctx context.Context) {
	if db.d.optimize == "" {
		return
	}
	if _, err := db.w.ExecContext(ctx, db.d.optimize); err != nil {
		db.log.Warn("database optimize failed", "err", err)
	}
}

// keepImportless copies into c, from the stored company c.ID, the fields the
// import template does not carry.
func (w *companyWriter) keepImportless(ctx context.Context, c *sihub.Company) error {
	var kind string
	if err := w.importKept.QueryRowContext(ctx, c.ID).Scan(&kind, &c.MainCustomers, &c.ExportMarkets); err != nil {
		return err
	}
	c.Kind = sihub.Kind(kind)
	rows, err := w.keptContacts.QueryContext(ctx, c.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	c.Contacts = nil
	for rows.Next() {
		var ct sihub.Contact
		if err := rows.Scan(&ct.Name, &ct.Role, &ct.Email, &ct.Phone); err != nil {
			return err
		}
		c.Contacts = append(c.Contacts, ct)
	}
	return rows.Err()
}

// ExistingTaxCodes reports which of codes belong to companies in the
// directory, archived ones included, as UpsertCompanies would match them: a
// dry-run import asks it what a real import would create and update.
func (db *DB) ExistingTaxCodes(ctx context.Context, codes []string) (map[string]bool, error) {
	found := make(map[string]bool, len(codes))
	if len(codes) == 0 {
		return found, nil
	}
	args := make([]any, len(codes))
	for i, c := range codes {
		args[i] = c
	}
	query := `SELECT tax_code FROM companies WHERE tax_code IN (?` + strings.Repeat(", ?", len(codes)-1) + `)`
	err := db.read(ctx, "existing tax codes", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, db.q(query), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var tc string
			if err := rows.Scan(&tc); err != nil {
				return err
			}
			found[tc] = true
		}
		return rows.Err()
	})
	return found, err
}
