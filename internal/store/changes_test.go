package store

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"github.com/sihub-org/sihub/internal/sihub"
)

// follower keeps what CompanyChanges told it, as the matching engine's
// index does.
type follower struct {
	db      *DB
	version int64
}

// next returns the tax codes of the companies changed since the last call,
// checking each against Company and that the version moved exactly when
// something changed.
func (f *follower) next(t *testing.T) []string {
	t.Helper()
	ctx := context.Background()
	cs, v, err := f.db.CompanyChanges(ctx, f.version)
	if err != nil {
		t.Fatal(err)
	}
	if v < f.version || (len(cs) > 0) != (v > f.version) && f.version != 0 {
		t.Errorf("version %d → %d with %d changes", f.version, v, len(cs))
	}
	f.version = v
	var tcs []string
	for _, c := range cs {
		want, err := f.db.Company(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		want.Documents = []sihub.Document{} // documents do not come with the changes
		if !reflect.DeepEqual(c, want) {
			t.Errorf("changed company differs from Company:\n%+v\nwant\n%+v", c, want)
		}
		tcs = append(tcs, c.TaxCode)
	}
	slices.Sort(tcs)
	return tcs
}

func tcs(ns ...any) []string {
	var out []string
	for _, n := range ns {
		switch n := n.(type) {
		case int:
			out = append(out, taxCode(n))
		case string:
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

func TestCompanyChangesFollow(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := &follower{db: db}
		step := func(name string, want []string) {
			t.Helper()
			if got := f.next(t); !reflect.DeepEqual(got, want) {
				t.Errorf("%s: changed %v, want %v", name, got, want)
			}
		}
		step("empty", nil)

		branch := company(0, "Chi nhánh", func(c *sihub.Company) { c.TaxCode = taxCode(1) + "001" })
		mustCreate(t, db, branch, company(2, "Hai"))
		step("create", tcs(branch.TaxCode, 2))
		step("nothing", nil)

		// Creating the parent links the branch: both changed.
		parent := full(1)
		mustCreate(t, db, parent)
		step("parent", tcs(1, branch.TaxCode))

		parent.Description = "Sửa"
		if err := db.UpdateCompany(ctx, parent); err != nil {
			t.Fatal(err)
		}
		step("update", tcs(1))

		if err := db.SetVerified(ctx, parent.ID, true, "staff"); err != nil {
			t.Fatal(err)
		}
		step("verify", tcs(1))
		if err := db.SetArchived(ctx, branch.ID, true); err != nil {
			t.Fatal(err)
		}
		step("archive", tcs(branch.TaxCode))

		// An import: the changed and the new, not the unchanged.
		imp := []*sihub.Company{company(2, "Hai mới"), company(3, "Ba"), company(4, "Bốn")}
		if _, _, err := db.UpsertCompanies(ctx, seqOf(imp...)); err != nil {
			t.Fatal(err)
		}
		step("import", tcs(2, 3, 4))
		if _, _, err := db.UpsertCompanies(ctx, seqOf(company(3, "Ba mới"), company(4, "Bốn"))); err != nil {
			t.Fatal(err)
		}
		step("re-import", tcs(3))

		// Demands: a created buyer changes; demands alone change nothing.
		if _, _, err := db.UpsertDemands(ctx, []*sihub.Demand{demandFor(5, "Bosch", "P-1", "Housing")}); err != nil {
			t.Fatal(err)
		}
		step("demand with a new buyer", tcs(5))
		if _, _, err := db.UpsertDemands(ctx, []*sihub.Demand{demandFor(5, "Bosch", "P-2", "Gear")}); err != nil {
			t.Fatal(err)
		}
		step("demand of a known buyer", nil)

		// A sign-up that creates its company; a contact erased.
		if _, _, _, err := db.SignUp(ctx, SignUpRequest{Email: "an@sau.vn", Name: "An", Password: acctPassword,
			TaxCode: taxCode(6), CompanyName: "Sáu", Kind: sihub.Supplier, Lang: sihub.EN, Consent: true}); err != nil {
			t.Fatal(err)
		}
		step("sign-up", tcs(6))
		if err := db.EraseContact(ctx, parent.ID, 0); err != nil {
			t.Fatal(err)
		}
		step("erase contact", tcs(1))

		// Documents are not part of the changes.
		if err := db.AddDocument(ctx, &sihub.Document{CompanyID: 2, Kind: sihub.DocPhoto, Name: "x.png", ContentType: sihub.TypePNG},
			[]byte("\x89PNG\r\n\x1a\nx")); err != nil {
			t.Fatal(err)
		}
		step("document", nil)

		// From 0, or from a version the database never had: everything.
		for _, since := range []int64{0, f.version + 100} {
			cs, v, err := db.CompanyChanges(ctx, since)
			if err != nil || len(cs) != 7 || v != f.version {
				t.Errorf("since %d: %d companies, version %d, %v; want 7 at %d", since, len(cs), v, err, f.version)
			}
		}
	})
}

// A copy carries the versions and a data version past them: following the
// copy from the version it reports sees only later writes.
func TestCompanyChangesAfterCopy(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		src := openTestDB(t)
		mustCreate(t, src, company(1, "Một"), company(2, "Hai"))
		for range 5 {
			if err := src.SetVerified(ctx, 2, true, "staff"); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := Copy(ctx, src, db); err != nil {
			t.Fatal(err)
		}
		f := &follower{db: db}
		if got := f.next(t); !reflect.DeepEqual(got, tcs(1, 2)) {
			t.Errorf("after copy: %v", got)
		}
		if err := db.SetVerified(ctx, 1, true, "staff"); err != nil {
			t.Fatal(err)
		}
		if got := f.next(t); !reflect.DeepEqual(got, tcs(1)) {
			t.Errorf("after a write on the copy: %v", got)
		}
	})
}

// BenchmarkCompanyChanges reads all 100k companies (what an engine does at
// start) and the few a write changed (what it does every second).
func BenchmarkCompanyChanges(b *testing.B) {
	ctx := context.Background()
	db := benchDB(b, "sqlite")
	b.Run("all", func(b *testing.B) {
		for b.Loop() {
			cs, _, err := db.CompanyChanges(ctx, 0)
			if err != nil || len(cs) != benchCompanies {
				b.Fatalf("%d, %v", len(cs), err)
			}
		}
	})
	// For comparison: the same companies through EachCompany.
	b.Run("each", func(b *testing.B) {
		for b.Loop() {
			n := 0
			for _, err := range db.EachCompany(ctx, sihub.CompanyFilter{IncludeArchived: true}) {
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
			if n != benchCompanies {
				b.Fatalf("%d companies", n)
			}
		}
	})
	if err := db.SetVerified(ctx, 5, true, "bench"); err != nil {
		b.Fatal(err)
	}
	_, v, err := db.CompanyChanges(ctx, 0)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("one", func(b *testing.B) {
		for b.Loop() {
			if cs, _, err := db.CompanyChanges(ctx, v-1); err != nil || len(cs) != 1 {
				b.Fatalf("%d, %v", len(cs), err)
			}
		}
	})
}
