// Package testdb gives tests new, empty databases of either dialect. It is
// shared by the store's own tests and package storetest, which other
// packages' tests use; it does not import store, so that the store's
// in-package tests can use it.
//
// PostgreSQL runs when SIHUB_TEST_POSTGRES holds a server URL, e.g.
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable. Each database is
// a schema of its own (t_ and random letters), reached through the URL's
// search_path parameter and dropped when the test ends, so that tests stay
// independent and can run in parallel. When the variable is unset the
// PostgreSQL tests are skipped — except under CI=true, where they fail: CI
// must run them.
package testdb

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
)

// Env names the variable holding the PostgreSQL server's URL.
const Env = "SIHUB_TEST_POSTGRES"

// Dialects returns the dialects tests should run on: "sqlite", and
// "postgres" when SIHUB_TEST_POSTGRES is set or CI=true (where DSN then
// fails the test if the variable is missing).
func Dialects(t testing.TB) []string {
	t.Helper()
	if os.Getenv(Env) != "" || os.Getenv("CI") == "true" {
		return []string{"sqlite", "postgres"}
	}
	return []string{"sqlite"}
}

// DSN returns the DSN of a new, empty database of the dialect ("sqlite" or
// "postgres"), removed when the test ends. Without a PostgreSQL server it
// skips the test, or fails it under CI=true.
func DSN(t testing.TB, dialect string) string {
	t.Helper()
	switch dialect {
	case "sqlite":
		return filepath.Join(t.TempDir(), "sihub.db")
	case "postgres":
	default:
		t.Fatalf("testdb: unknown dialect %q", dialect)
	}
	server := os.Getenv(Env)
	if server == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set: CI must run the PostgreSQL tests (e.g. %s=postgres://postgres@127.0.0.1:5432/test?sslmode=disable)", Env, Env)
		}
		t.Skipf("%s is not set: PostgreSQL tests skipped", Env)
	}
	u, err := url.Parse(server)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Fatalf("%s must be a postgres:// URL", Env)
	}
	admin, err := adminDB(server)
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	var b [8]byte
	rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("testdb: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("testdb: dropping schema %s: %v", schema, err)
		}
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

var admins sync.Map // server URL → *sql.DB

// adminDB returns the connection pool that creates and drops schemas, one
// per server for the whole test binary.
func adminDB(server string) (*sql.DB, error) {
	if db, ok := admins.Load(server); ok {
		return db.(*sql.DB), nil
	}
	db, err := sql.Open("pgx", server)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(2)
	if actual, loaded := admins.LoadOrStore(server, db); loaded {
		db.Close()
		return actual.(*sql.DB), nil
	}
	return db, nil
}
