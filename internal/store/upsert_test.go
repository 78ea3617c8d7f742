package store

import (
	"context"
	"errors"
	"iter"
	"strconv"
	"testing"

	"github.com/sihub-org/sihub/internal/sihub"
)

func seqOf(cs ...*sihub.Company) iter.Seq2[*sihub.Company, error] {
	return func(yield func(*sihub.Company, error) bool) {
		for _, c := range cs {
			if !yield(c, nil) {
				return
			}
		}
	}
}

// importRows is a deterministic import of n companies; version changes
// their products.
func importRows(n int, version string) []*sihub.Company {
	cs := make([]*sihub.Company, n)
	for i := range cs {
		cs[i] = company(i+1, "Công ty số "+strconv.Itoa(i+1), func(c *sihub.Company) {
			c.Products = "Sản phẩm " + version
			c.Capabilities = []sihub.Capability{{Process: "stamping", Source: sihub.Declared}}
			c.Contacts = []sihub.Contact{{Name: "Người " + strconv.Itoa(i)}}
			c.Sectors = []string{"25920"}
		})
	}
	return cs
}

func TestUpsertIdempotent(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		created, updated, err := db.UpsertCompanies(ctx, seqOf(importRows(30, "v1")...))
		if err != nil || created != 30 || updated != 0 {
			t.Fatalf("first import: %d created, %d updated, %v", created, updated, err)
		}
		before := dump(t, db)
		created, updated, err = db.UpsertCompanies(ctx, seqOf(importRows(30, "v1")...))
		if err != nil || created != 0 || updated != 30 {
			t.Fatalf("same import again: %d created, %d updated, %v", created, updated, err)
		}
		if after := dump(t, db); after != before {
			t.Errorf("re-importing the same data changed the database:\n%s\n---\n%s", before, after)
		}
	})
}

func TestUpsertPreserves(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		if _, _, err := db.UpsertCompanies(ctx, seqOf(importRows(3, "v1")...)); err != nil {
			t.Fatal(err)
		}
		first, _ := db.CompanyByTaxCode(ctx, taxCode(1))
		if err := db.SetVerified(ctx, first.ID, true, "lan"); err != nil {
			t.Fatal(err)
		}
		if err := db.SetArchived(ctx, first.ID, true); err != nil {
			t.Fatal(err)
		}
		doc := &sihub.Document{CompanyID: first.ID, Kind: sihub.DocBrochure, Name: "a.pdf", ContentType: sihub.TypePDF}
		if err := db.AddDocument(ctx, doc, []byte("%PDF-1.4 test")); err != nil {
			t.Fatal(err)
		}
		v2 := importRows(4, "v2")
		v2[0].Contacts = nil
		created, updated, err := db.UpsertCompanies(ctx, seqOf(v2...))
		if err != nil || created != 1 || updated != 3 {
			t.Fatalf("second import: %d created, %d updated, %v", created, updated, err)
		}
		got, _ := db.CompanyByTaxCode(ctx, taxCode(1))
		switch {
		case got.ID != first.ID || !got.CreatedAt.Equal(first.CreatedAt):
			t.Errorf("identity lost: %+v", got)
		case !got.Verified || got.VerifiedBy != "lan" || !got.Archived:
			t.Errorf("verification or archive lost: %+v", got)
		case len(got.Documents) != 1 || got.Documents[0].ID != doc.ID:
			t.Errorf("documents lost: %+v", got.Documents)
		case got.Products != "Sản phẩm v2" || len(got.Contacts) != 1:
			// The profile is replaced; contacts, which imports don't carry, stay.
			t.Errorf("profile not replaced, or contacts lost: %+v", got)
		case got.UpdatedAt.Before(first.UpdatedAt) || got.UpdatedAt.Equal(first.UpdatedAt) && got.Products == first.Products:
			t.Errorf("updated_at %v not moved from %v", got.UpdatedAt, first.UpdatedAt)
		case v2[0].ID != first.ID || !v2[0].Verified:
			t.Errorf("the upserted company was not filled in: %+v", v2[0])
		}
		// The search index follows the new text.
		p, err := db.FindCompanies(ctx, sihub.CompanyFilter{Words: []string{"v2"}, IncludeArchived: true}, false)
		if err != nil || p.Total != 4 {
			t.Errorf("search after update: %v %v", p, err)
		}
	})
}

func TestUpsertRollback(t *testing.T) {
	boom := errors.New("row 7: bad file")
	tests := []struct {
		name string
		seq  func(base []*sihub.Company) iter.Seq2[*sihub.Company, error]
		code sihub.Code
		is   error
	}{
		{"error from the sequence", func(base []*sihub.Company) iter.Seq2[*sihub.Company, error] {
			return func(yield func(*sihub.Company, error) bool) {
				for i, c := range base {
					if i == 6 {
						yield(nil, boom)
						return
					}
					if !yield(c, nil) {
						return
					}
				}
			}
		}, sihub.ErrInternal, boom},
		{"invalid company midway", func(base []*sihub.Company) iter.Seq2[*sihub.Company, error] {
			base[6].Name = ""
			return seqOf(base...)
		}, sihub.ErrInvalid, nil},
		{"sihub error from the sequence", func(base []*sihub.Company) iter.Seq2[*sihub.Company, error] {
			return func(yield func(*sihub.Company, error) bool) {
				for _, c := range base[:5] {
					if !yield(c, nil) {
						return
					}
				}
				yield(nil, sihub.Errorf(sihub.ErrInvalid, "Dòng 6 sai.", "Row 6 is wrong."))
			}
		}, sihub.ErrInvalid, nil},
		{"canceled", func(base []*sihub.Company) iter.Seq2[*sihub.Company, error] {
			return seqOf(base...)
		}, sihub.ErrInternal, context.Canceled},
	}
	eachDialect(t, func(t *testing.T, dialect string) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				db := openTest(t, dialect)
				testUpsertRollback(t, db, tt.seq, tt.code, tt.is)
			})
		}
	})
}

func testUpsertRollback(t *testing.T, db *DB, seq func(base []*sihub.Company) iter.Seq2[*sihub.Company, error], code sihub.Code, is error) {
	ctx := context.Background()
	if _, _, err := db.UpsertCompanies(ctx, seqOf(importRows(5, "v1")...)); err != nil {
		t.Fatal(err)
	}
	before := dump(t, db)
	runCtx := ctx
	if is == context.Canceled {
		c, cancel := context.WithCancel(ctx)
		cancel()
		runCtx = c
	}
	created, updated, err := db.UpsertCompanies(runCtx, seq(importRows(10, "v2")))
	if created != 0 || updated != 0 {
		t.Errorf("failed import reported %d created, %d updated", created, updated)
	}
	wantCode(t, err, code)
	if is != nil && !errors.Is(err, is) {
		t.Errorf("error %v does not wrap %v", err, is)
	}
	if after := dump(t, db); after != before {
		t.Errorf("failed import changed the database:\n%s\n---\n%s", before, after)
	}
}

func TestReindex(t *testing.T) {
	forEachDialect(t, testReindex)
}

func testReindex(t *testing.T, db *DB) {
	ctx := context.Background()
	mustCreate(t, db, company(1, "Nhựa Sài Gòn"), company(2, "Cơ khí Hà Nội"))
	count := func(word string) int {
		p, err := db.FindCompanies(ctx, sihub.CompanyFilter{Words: []string{word}}, false)
		if err != nil {
			t.Fatal(err)
		}
		return p.Total
	}
	if count("plastics") != 0 || count("nhua") != 1 {
		t.Fatal("unexpected index before the change")
	}
	// A taxonomy change: the index now adds English synonyms.
	db.index = func(c *sihub.Company) []string {
		toks := testIndex(c)
		for _, tok := range toks {
			if tok == "nhua" {
				toks = append(toks, "plastics")
			}
		}
		return toks
	}
	if err := db.Reindex(ctx); err != nil {
		t.Fatal(err)
	}
	if count("plastics") != 1 || count("nhua") != 1 || count("khi") != 1 {
		t.Error("Reindex did not rebuild the index")
	}
}

// UpsertCompanies writes each company before it asks for the next, so that
// an import never holds the whole file in memory.
func TestUpsertStreams(t *testing.T) {
	forEachDialect(t, testUpsertStreams)
}

func testUpsertStreams(t *testing.T, db *DB) {
	var prev *sihub.Company
	seq := func(yield func(*sihub.Company, error) bool) {
		for i := range 50 {
			if prev != nil && prev.ID == 0 {
				t.Errorf("company %d requested before company %d was written", i, i-1)
			}
			prev = genCompany(i, "v1")
			if !yield(prev, nil) {
				return
			}
		}
	}
	created, _, err := db.UpsertCompanies(context.Background(), seq)
	if err != nil || created != 50 {
		t.Fatalf("%d created, %v", created, err)
	}
}

// A damaged directory entry (say, a row edited by hand) is reported, not
// misread, and Reindex repairs it.
func TestReindexRepairs(t *testing.T) {
	forEachDialect(t, testReindexRepairs)
}

func testReindexRepairs(t *testing.T, db *DB) {
	ctx := context.Background()
	mustCreate(t, db, company(1, "Nhựa Sài Gòn", func(c *sihub.Company) {
		c.Capabilities = []sihub.Capability{{Process: "injection_molding", Source: sihub.Declared}}
	}))
	if _, err := db.w.ExecContext(ctx, db.q(`UPDATE companies SET directory_entry = ?`), []byte{1, 2}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.w.ExecContext(ctx, `DELETE FROM company_terms`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.w.ExecContext(ctx, `UPDATE data_version SET version = version + 1`); err != nil {
		t.Fatal(err)
	}
	_, err := db.FindCompanies(ctx, sihub.CompanyFilter{}, true)
	wantCode(t, err, sihub.ErrInternal)
	if err := db.Reindex(ctx); err != nil {
		t.Fatal(err)
	}
	f := sihub.CompanyFilter{Processes: []string{"injection_molding"}}
	p, err := db.FindCompanies(ctx, f, true)
	if err != nil || p.Total != 1 || sqlCount(t, db, f) != 1 {
		t.Fatalf("after Reindex: %+v, %v", p, err)
	}
}

// Re-importing a list keeps what the import template has no column for:
// staff's contacts, kind, customers and markets survive.
func TestUpsertKeepsFieldsImportsDoNotCarry(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		c := company(1, "Công ty A", func(c *sihub.Company) {
			c.Kind = sihub.Both
			c.MainCustomers = "Khách hàng Nhật Bản"
			c.ExportMarkets = "Nhật Bản, Hàn Quốc"
			c.Contacts = []sihub.Contact{{Name: "Nguyễn Thị Lan", Role: "Giám đốc", Email: "lan@example.vn"}}
		})
		if err := db.CreateCompany(ctx, c); err != nil {
			t.Fatal(err)
		}
		// What an import of the same company looks like: template columns
		// only, a changed description.
		row := company(1, "Công ty A", func(r *sihub.Company) { r.Description = "Mô tả mới" })
		row.Kind, row.MainCustomers, row.ExportMarkets, row.Contacts = sihub.Supplier, "", "", nil
		created, updated, err := db.UpsertCompanies(ctx, func(yield func(*sihub.Company, error) bool) { yield(row, nil) })
		if err != nil || created != 0 || updated != 1 {
			t.Fatalf("upsert: %d created, %d updated, %v", created, updated, err)
		}
		got, err := db.Company(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Description != "Mô tả mới" {
			t.Errorf("description not updated: %q", got.Description)
		}
		if got.Kind != sihub.Both || got.MainCustomers != c.MainCustomers || got.ExportMarkets != c.ExportMarkets ||
			len(got.Contacts) != 1 || got.Contacts[0].Email != "lan@example.vn" {
			t.Errorf("import erased staff's fields: kind %q, customers %q, markets %q, contacts %+v",
				got.Kind, got.MainCustomers, got.ExportMarkets, got.Contacts)
		}
	})
}

func TestExistingTaxCodes(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		a, b := company(1, "A"), company(2, "B")
		for _, c := range []*sihub.Company{a, b} {
			if err := db.CreateCompany(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.SetArchived(ctx, b.ID, true); err != nil {
			t.Fatal(err)
		}
		got, err := db.ExistingTaxCodes(ctx, []string{a.TaxCode, b.TaxCode, taxCode(3)})
		if err != nil {
			t.Fatal(err)
		}
		if !got[a.TaxCode] || !got[b.TaxCode] || got[taxCode(3)] || len(got) != 2 {
			t.Errorf("ExistingTaxCodes = %v", got)
		}
		if got, err := db.ExistingTaxCodes(ctx, nil); err != nil || len(got) != 0 {
			t.Errorf("no codes: %v, %v", got, err)
		}
	})
}
