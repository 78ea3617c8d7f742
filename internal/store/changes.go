package store

import (
	"context"

	"github.com/sihub-org/sihub/internal/sihub"
)

// CompanyChanges returns every company written after data version since
// (all of them for since 0), archived ones included, and the data version
// they are current to. An in-memory copy of the suppliers (the matching
// engine's index) follows the database with it, however many processes
// write: it passes the version returned to the next call.
func (db *DB) CompanyChanges(ctx context.Context, since int64) (changed []*sihub.Company, version int64, err error) {
	return nil, 0, errTodo
}
