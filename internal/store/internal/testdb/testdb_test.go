package testdb

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
)

// recorder stands in for a test to catch Skipf and Fatalf, which stop the
// caller; it panics with stop to unwind DSN.
type recorder struct {
	testing.TB
	skipped, failed string
}

type stop struct{}

func (r *recorder) Helper() {}
func (r *recorder) Skipf(format string, args ...any) {
	r.skipped = fmt.Sprintf(format, args...)
	panic(stop{})
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.failed = fmt.Sprintf(format, args...)
	panic(stop{})
}

func run(fn func(t testing.TB)) (r *recorder) {
	r = &recorder{}
	defer func() {
		if v := recover(); v != nil && v != (stop{}) {
			panic(v)
		}
	}()
	fn(r)
	return r
}

// Without SIHUB_TEST_POSTGRES the PostgreSQL tests skip, except in CI,
// where they fail.
func TestEnvironment(t *testing.T) {
	tests := []struct {
		ci, server      string
		dialects        []string
		skipped, failed bool
	}{
		{"", "", []string{"sqlite"}, true, false},
		{"false", "", []string{"sqlite"}, true, false},
		{"true", "", []string{"sqlite", "postgres"}, false, true},
		{"", "mysql://x", []string{"sqlite", "postgres"}, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.ci+tt.server, func(t *testing.T) {
			t.Setenv("CI", tt.ci)
			t.Setenv(Env, tt.server)
			if got := Dialects(t); !slices.Equal(got, tt.dialects) {
				t.Errorf("Dialects = %v, want %v", got, tt.dialects)
			}
			r := run(func(tb testing.TB) { DSN(tb, "postgres") })
			if (r.skipped != "") != tt.skipped || (r.failed != "") != tt.failed {
				t.Errorf("skipped %q, failed %q", r.skipped, r.failed)
			}
			if tt.failed && tt.server == "" && !strings.Contains(r.failed, Env) {
				t.Errorf("the failure does not name %s: %q", Env, r.failed)
			}
		})
	}
	if r := run(func(tb testing.TB) { DSN(tb, "oracle") }); r.failed == "" {
		t.Error("an unknown dialect does not fail")
	}
}

// Each PostgreSQL database is a schema of its own, gone after the test.
func TestSchemaPerTest(t *testing.T) {
	if len(Dialects(t)) < 2 {
		t.Skipf("%s is not set", Env)
	}
	var schema string
	t.Run("inner", func(t *testing.T) {
		dsn := DSN(t, "postgres")
		if !strings.Contains(dsn, "search_path=t_") {
			t.Fatalf("DSN %s names no schema", dsn)
		}
		other := DSN(t, "postgres")
		if dsn == other {
			t.Fatal("two databases share a schema")
		}
		schema = dsn[strings.Index(dsn, "search_path=")+len("search_path="):]
		schema, _, _ = strings.Cut(schema, "&")
	})
	admin, err := adminDB(os.Getenv(Env))
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := admin.QueryRow("SELECT COUNT(*) FROM pg_namespace WHERE nspname = $1", schema).Scan(&n); err != nil || n != 0 {
		t.Errorf("schema %s left behind (%d, %v)", schema, n, err)
	}
}
