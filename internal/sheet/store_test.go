package sheet

import (
	"context"
	"errors"
	"iter"
	"log/slog"
	"slices"
	"testing"

	"github.com/sihub-org/sihub/internal/match"
	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store"
	"github.com/sihub-org/sihub/internal/store/storetest"
)

// These tests run the import against the real store, on every dialect the
// environment offers (see storetest): one transaction, rolled back whole.

// forEachStore runs fn as a subtest per dialect, each on a new, empty store.
func forEachStore(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			fn(t, storetest.Open(t, d, store.Options{Index: match.IndexTokens, Logger: slog.New(slog.DiscardHandler)}))
		})
	}
}

// snapshot lists the tax codes and update times in the store.
func snapshot(t *testing.T, db *store.DB) []string {
	t.Helper()
	page, err := db.FindCompanies(context.Background(), sihub.CompanyFilter{IncludeArchived: true, Limit: sihub.MaxLimit, Sort: sihub.SortName}, false)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range page.Items {
		out = append(out, c.TaxCode+" "+c.Name+" "+c.UpdatedAt.String())
	}
	slices.Sort(out)
	return out
}

func TestImportIntoStore(t *testing.T) {
	forEachStore(t, testImportIntoStore)
}

func testImportIntoStore(t *testing.T, db *store.DB) {
	ctx := context.Background()
	rows := fixtureRows(t)
	path := writeFile(t, "c.csv", []byte(csvText(t, ',', rows)))
	rep, err := ImportCompanies(ctx, path, Options{}, db)
	if err != nil || !rep.Committed || rep.Created != 3 {
		t.Fatalf("%+v, %v", rep, err)
	}
	for _, r := range rows[1:] {
		c, err := db.CompanyByTaxCode(ctx, sihub.CompactTaxCode(r[0]))
		if err != nil || c.Name != r[1] || c.Description != r[6] {
			t.Errorf("stored %+v, %v", c, err)
		}
	}
	before := snapshot(t, db)
	if len(before) != 3 {
		t.Fatalf("snapshot %q", before)
	}
	rep, err = ImportCompanies(ctx, path, Options{}, db)
	if err != nil || rep.Updated != 3 || rep.Created != 0 {
		t.Fatalf("re-import %+v, %v", rep, err)
	}

	// Nothing changes for a file with an invalid row, a rejected file, or a
	// write that fails after rows were already sent to the transaction.
	bad := slices.Clone(rows)
	bad = append(bad, []string{taxCode(t, "031234599"), "Công ty mới", "", "", "nhiều", "", ""})
	bad[1] = slices.Clone(bad[1])
	bad[1][1] = "Tên đã đổi"
	if rep, err := ImportCompanies(ctx, writeFile(t, "bad.csv", []byte(csvText(t, ',', bad))), Options{}, db); err != nil || rep.Invalid != 1 || rep.Committed {
		t.Errorf("invalid row: %+v, %v", rep, err)
	}
	if _, err := ImportCompanies(ctx, writeFile(t, "bad.xlsx", []byte("%PDF-1.4")), Options{}, db); err == nil {
		t.Error("PDF imported")
	}
	changed := slices.Clone(rows)
	changed[1] = slices.Clone(changed[1])
	changed[1][1] = "Tên đã đổi"
	if _, err := ImportCompanies(ctx, writeFile(t, "c2.csv", []byte(csvText(t, ',', changed))), Options{}, failingStore{db, 2}); !errors.Is(err, errDiskFull) {
		t.Errorf("failed write: %v", err)
	}
	if after := snapshot(t, db); !slices.Equal(before, after) {
		t.Errorf("store changed:\n%q\n%q", before, after)
	}
}

// failingStore passes the first n companies of an import to the store, then
// an error, as a spool that cannot be read would.
type failingStore struct {
	db *store.DB
	n  int
}

func (f failingStore) UpsertCompanies(ctx context.Context, seq iter.Seq2[*sihub.Company, error]) (int, int, error) {
	return f.db.UpsertCompanies(ctx, func(yield func(*sihub.Company, error) bool) {
		i := 0
		for c, err := range seq {
			if i == f.n {
				yield(nil, errDiskFull)
				return
			}
			i++
			if !yield(c, err) {
				return
			}
		}
	})
}
