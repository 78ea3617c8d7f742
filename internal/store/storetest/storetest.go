// Package storetest opens store databases for other packages' tests, on
// every dialect the environment offers:
//
//	for _, d := range storetest.Dialects(t) {
//		t.Run(d, func(t *testing.T) {
//			db := storetest.Open(t, d, store.Options{Index: match.IndexTokens, SortKey: match.Fold})
//			…
//		})
//	}
//
// SQLite always; PostgreSQL when SIHUB_TEST_POSTGRES holds a server URL
// (each test gets a schema of its own, dropped at its end). Under CI=true a
// missing SIHUB_TEST_POSTGRES fails the PostgreSQL tests rather than
// skipping them.
package storetest

import (
	"context"
	"testing"

	"github.com/sihub-org/sihub/internal/store"
	"github.com/sihub-org/sihub/internal/store/internal/testdb"
)

// Env names the variable holding the PostgreSQL server's URL.
const Env = testdb.Env

// Dialects returns ["sqlite"], or ["sqlite", "postgres"] when
// SIHUB_TEST_POSTGRES is set or CI=true.
func Dialects(t testing.TB) []string { return testdb.Dialects(t) }

// DSN returns the DSN of a new, empty database of the dialect, removed when
// the test ends; for tests that open it themselves (a server's command
// line, two processes on one database).
func DSN(t testing.TB, dialect string) string { return testdb.DSN(t, dialect) }

// Open opens a new, empty database of the dialect ("sqlite" or
// "postgres"), closed and removed when the test ends.
func Open(t testing.TB, dialect string, opt store.Options) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), DSN(t, dialect), opt)
	if err != nil {
		t.Fatalf("storetest: open %s: %v", dialect, err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("storetest: close %s: %v", dialect, err)
		}
	})
	return db
}
