package store

import (
	"context"
	"slices"
	"testing"

	"github.com/sihub-org/sihub/internal/sihub"
)

// copySource fills a SQLite database with what Copy must carry: companies
// with contacts and every list, branches (one created before its parent, so
// that its parent has the larger id), verifications, archives, documents
// sharing bytes, and an update, so that created_at and updated_at differ.
func copySource(t *testing.T) *DB {
	t.Helper()
	ctx := context.Background()
	db := openTestDB(t)
	branch := company(0, "Chi nhánh trước", func(c *sihub.Company) { c.TaxCode = taxCode(900) + "001" })
	mustCreate(t, db, branch)
	agreeLoad(t, db, 150)
	mustCreate(t, db, full(900), full(901))
	p, _ := db.CompanyByTaxCode(ctx, taxCode(900))
	if b, _ := db.Company(ctx, branch.ID); b.ParentID != p.ID || p.ID < b.ID {
		t.Fatalf("branch %d has parent %d, want %d", b.ID, b.ParentID, p.ID)
	}
	p.Description = "Sửa sau"
	if err := db.UpdateCompany(ctx, p); err != nil {
		t.Fatal(err)
	}
	for i, data := range [][]byte{[]byte("%PDF-1.4 a"), []byte("%PDF-1.4 a"), []byte("\x89PNG\r\n\x1a\nb")} {
		d := &sihub.Document{CompanyID: int64(1 + i), Kind: sihub.DocBrochure, Name: "t.pdf", ContentType: sihub.SniffType(data)}
		if err := db.AddDocument(ctx, d, data); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// Copy from SQLite to each engine and back to SQLite: every company reads
// back the same, every directory query answers the same, and the copies
// can be written to.
func TestCopy(t *testing.T) {
	src := copySource(t)
	want := dump(t, src)
	fs := agreeQueries()
	wantResults := results(t, src, fs)
	wantStats, _ := src.Stats(context.Background())
	eachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		mid := openTest(t, dialect)
		rep, err := Copy(ctx, src, mid)
		if err != nil {
			t.Fatal(err)
		}
		wantTables := []CopiedTable{{"companies", 153}, {"contacts", 154}, {"company_terms", -1},
			{"attachments", 2}, {"documents", 3}, {"companies_fts", 153}}
		if rep.Identical || len(rep.Tables) != len(wantTables) {
			t.Fatalf("report %+v", rep)
		}
		for i, w := range wantTables {
			if got := rep.Tables[i]; got.Name != w.Name || w.Rows >= 0 && got.Rows != w.Rows || got.Rows <= 0 {
				t.Errorf("report line %d: %+v, want %+v", i, got, w)
			}
		}
		back := openTestDB(t)
		if _, err := Copy(ctx, mid, back); err != nil {
			t.Fatal(err)
		}
		for name, db := range map[string]*DB{dialect: mid, "back in sqlite": back} {
			if got := dump(t, db); got != want {
				t.Errorf("%s: companies differ from the source", name)
			}
			if got := results(t, db, fs); !slices.Equal(got, wantResults) {
				for i := range got {
					if got[i] != wantResults[i] {
						t.Errorf("%s: query differs:\n got %s\nwant %s", name, got[i], wantResults[i])
						break
					}
				}
			}
			if st, _ := db.Stats(ctx); st != wantStats {
				t.Errorf("%s: stats %+v, want %+v", name, st, wantStats)
			}
		}

		// Running the copy again finds the data there and writes nothing.
		again, err := Copy(ctx, src, mid)
		if err != nil || !again.Identical || !slices.Equal(again.Tables, rep.Tables) {
			t.Errorf("second copy: %+v, %v", again, err)
		}
		// The copy goes on with ids after the copied ones.
		c := company(5000, "Sau khi sao chép")
		mustCreate(t, mid, c)
		if c.ID != 154 {
			t.Errorf("new company id %d after copying ids 1…153", c.ID)
		}
		d := &sihub.Document{CompanyID: c.ID, Kind: sihub.DocPhoto, Name: "x.png", ContentType: sihub.TypePNG}
		if err := mid.AddDocument(ctx, d, []byte("\x89PNG\r\n\x1a\nc")); err != nil || d.ID != 4 {
			t.Errorf("new document id %d, %v", d.ID, err)
		}
		// Now the target differs from the source: refused, unchanged.
		before := dump(t, mid)
		_, err = Copy(ctx, src, mid)
		wantCode(t, err, sihub.ErrConflict)
		if dump(t, mid) != before {
			t.Error("a refused copy changed the target")
		}
	})
}

// A target that differs only in a search entry is not identical.
func TestCopyComparesSearch(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		src := openTestDB(t)
		mustCreate(t, src, company(1, "Nhựa Tân Tiến"))
		if _, err := Copy(ctx, src, db); err != nil {
			t.Fatal(err)
		}
		if _, err := db.w.ExecContext(ctx, db.q(`UPDATE companies_fts SET tokens = ?`), "khac"); err != nil {
			t.Fatal(err)
		}
		_, err := Copy(ctx, src, db)
		wantCode(t, err, sihub.ErrConflict)
	})
}
