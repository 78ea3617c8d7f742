package store

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store/internal/testdb"
)

func TestOpen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	tests := []struct {
		name string
		dsn  string
		code sihub.Code
	}{
		// Nothing listens on port 1.
		{"postgres unreachable", "postgres://sihub@127.0.0.1:1/sihub?connect_timeout=5", sihub.ErrUnavailable},
		{"postgresql unreachable", "postgresql://sihub@127.0.0.1:1/sihub?connect_timeout=5", sihub.ErrUnavailable},
		{"postgres bad URL", "postgres://sihub@127.0.0.1:99999999/sihub", sihub.ErrInvalid},
		{"postgres bad parameter", "postgres://sihub@127.0.0.1/sihub?sslmode=sometimes", sihub.ErrInvalid},
		{"empty", " ", sihub.ErrInvalid},
		{"memory", ":memory:", sihub.ErrInvalid},
		{"memory uri", "file:x?mode=memory", sihub.ErrInvalid},
		{"path", filepath.Join(dir, "a.db"), ""},
		{"new directory", filepath.Join(dir, "sub", "b.db"), ""},
		{"uri", "file:" + filepath.Join(dir, "c.db") + "?cache=private", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := Open(ctx, tt.dsn, testOptions())
			wantCode(t, err, tt.code)
			if err != nil {
				return
			}
			defer db.Close()
			if err := db.Ping(ctx); err != nil {
				t.Fatal(err)
			}
		})
	}
	if _, err := Open(ctx, filepath.Join(dir, "d.db"), Options{}); err == nil {
		t.Error("Open without Options.Index succeeded")
	}
}

func TestMigrateIdempotent(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		dsn := testdb.DSN(t, dialect)
		db, err := Open(ctx, dsn, testOptions())
		if err != nil {
			t.Fatal(err)
		}
		applied, err := db.Migrate(ctx)
		if err != nil || len(applied) != 0 {
			t.Fatalf("second Migrate = %v, %v; want nothing applied", applied, err)
		}
		mustCreate(t, db, company(1, "Công ty A"))
		db.Close()

		if dialect == "sqlite" {
			fi, err := os.Stat(dsn)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm() != 0o600 {
				t.Errorf("database file mode %v, want 0600", fi.Mode().Perm())
			}
		}
		db = openDSN(t, dsn)
		var versions int
		if err := db.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM schema_migrations").Scan(&versions); err != nil {
			t.Fatal(err)
		}
		ms, _ := migrations(dialect)
		if versions != len(ms) || len(ms) < 3 {
			t.Errorf("%d migrations recorded, %d embedded", versions, len(ms))
		}
		if _, err := db.CompanyByTaxCode(ctx, taxCode(1)); err != nil {
			t.Errorf("data lost on reopening: %v", err)
		}
	})
}

// full returns a company with every field set.
func full(n int) *sihub.Company {
	return company(n, "Công ty TNHH Cơ khí Chính xác Đông Á", func(c *sihub.Company) {
		c.Kind = sihub.Both
		c.NameEn = "Dong A Precision Engineering Co., Ltd"
		c.Address = "Lô 12, đường số 3"
		c.ProvinceInput = "Bình Dương"
		c.ProvinceCode = "79"
		c.WardCode = "26734"
		c.IndustrialPark = "KCN Sóng Thần 2"
		c.Sectors = []string{"25920", "2599"}
		c.CapabilitiesText = "Phay CNC, ép nhựa"
		c.MaterialsText = "SUS304"
		c.CertificationsText = "ISO 9001:2015"
		c.EquipmentText = "12 máy ép 80-450 tấn"
		c.Capabilities = []sihub.Capability{
			{Process: "cnc_milling", Core: true, Source: sihub.Declared, Evidence: "Phay CNC"},
			{Process: "injection_molding", Source: sihub.Inferred, Evidence: "ép nhựa"},
		}
		c.Materials = []sihub.Material{{Code: "sus304", Source: sihub.Declared, Evidence: "SUS304"}}
		c.Certifications = []sihub.Certification{{Scheme: "iso9001", Number: "VN-123", Issuer: "Quacert",
			ValidUntil: "2027-05-31", Source: sihub.Declared, Evidence: "ISO 9001:2015"}}
		c.Equipment = []sihub.Equipment{{Kind: "injection_press", Count: 12, CapacityMin: 80, Capacity: 450.5,
			Unit: "t", Source: sihub.Declared, Evidence: "12 máy ép 80-450 tấn"}}
		c.Employees = 150
		c.Founded = 2004
		c.Products = "Linh kiện xe máy"
		c.MainCustomers = "Honda Việt Nam"
		c.ExportMarkets = "Nhật Bản"
		c.Website = "https://donga.example.vn"
		c.Email = "info@donga.example.vn"
		c.Phone = "0274 3123 456"
		c.Description = "Gia công chính xác"
		c.Contacts = []sihub.Contact{
			{Name: "Nguyễn Văn An", Role: "Giám đốc", Email: "an@donga.example.vn", Phone: "0909 123 456"},
			{Name: "Trần Thị Bình", Role: "Kinh doanh"},
		}
	})
}

func TestCreateGetUpdate(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		c := full(1)
		want := *c
		if err := db.CreateCompany(ctx, c); err != nil {
			t.Fatal(err)
		}
		if c.ID == 0 || c.CreatedAt.IsZero() || !c.UpdatedAt.Equal(c.CreatedAt) {
			t.Fatalf("create did not set ID and times: %+v", c)
		}
		want.ID, want.CreatedAt, want.UpdatedAt, want.Documents = c.ID, c.CreatedAt, c.UpdatedAt, []sihub.Document{}
		got, err := db.Company(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, &want) {
			t.Fatalf("read back\n%+v\nwant\n%+v", got, &want)
		}
		byTC, err := db.CompanyByTaxCode(ctx, " "+c.TaxCode[:4]+"."+c.TaxCode[4:]+" ")
		if err != nil || byTC.ID != c.ID {
			t.Fatalf("by tax code: %v, %v", byTC, err)
		}

		// Update replaces the profile and keeps verification and creation.
		if err := db.SetVerified(ctx, c.ID, true, "staff@sihub"); err != nil {
			t.Fatal(err)
		}
		u, _ := db.Company(ctx, c.ID)
		u.Name = "Công ty Đông Á Mới"
		u.Contacts = u.Contacts[1:]
		u.Capabilities = nil
		u.Sectors = []string{"2511"}
		u.Verified, u.VerifiedAt = false, nil // ignored: SetVerified owns them
		time.Sleep(time.Millisecond)
		if err := db.UpdateCompany(ctx, u); err != nil {
			t.Fatal(err)
		}
		got, _ = db.Company(ctx, c.ID)
		switch {
		case got.Name != "Công ty Đông Á Mới", len(got.Contacts) != 1, got.Contacts[0].Name != "Trần Thị Bình",
			len(got.Capabilities) != 0, !reflect.DeepEqual(got.Sectors, []string{"2511"}):
			t.Errorf("update not applied: %+v", got)
		case !got.Verified || got.VerifiedBy != "staff@sihub" || got.VerifiedAt == nil:
			t.Errorf("update lost the verification: %+v", got)
		case !got.CreatedAt.Equal(c.CreatedAt) || !got.UpdatedAt.After(c.UpdatedAt):
			t.Errorf("times: created %v updated %v", got.CreatedAt, got.UpdatedAt)
		case !reflect.DeepEqual(got, u):
			t.Errorf("UpdateCompany left c\n%+v\nthe database has\n%+v", u, got)
		}
		// The old process and sector are no longer found.
		page, err := db.FindCompanies(ctx, sihub.CompanyFilter{Processes: []string{"cnc_milling"}}, false)
		if err != nil || page.Total != 0 {
			t.Errorf("old process still indexed: %v %v", page, err)
		}
		page, err = db.FindCompanies(ctx, sihub.CompanyFilter{Words: []string{"moi"}}, false)
		if err != nil || page.Total != 1 {
			t.Errorf("new name not searchable: %v %v", page, err)
		}
	})
}

func TestCompanyErrors(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		a, b := company(1, "A"), company(2, "B")
		mustCreate(t, db, a, b)
		stale, _ := db.Company(ctx, a.ID)
		fresh, _ := db.Company(ctx, a.ID)
		fresh.Name = "A2"
		if err := db.UpdateCompany(ctx, fresh); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name string
			run  func() error
			code sihub.Code
		}{
			{"create duplicate tax code", func() error { return db.CreateCompany(ctx, company(1, "A again")) }, sihub.ErrConflict},
			{"create duplicate formatted", func() error {
				c := company(1, "A again")
				c.TaxCode = c.TaxCode[:3] + " " + c.TaxCode[3:]
				return db.CreateCompany(ctx, c)
			}, sihub.ErrConflict},
			{"create without name", func() error { return db.CreateCompany(ctx, company(3, " ")) }, sihub.ErrInvalid},
			{"create without tax code", func() error { return db.CreateCompany(ctx, &sihub.Company{Name: "X"}) }, sihub.ErrInvalid},
			{"create bad kind", func() error {
				return db.CreateCompany(ctx, company(3, "X", func(c *sihub.Company) { c.Kind = "seller" }))
			}, sihub.ErrInvalid},
			{"update to a taken tax code", func() error {
				c, _ := db.Company(ctx, b.ID)
				c.TaxCode = a.TaxCode
				return db.UpdateCompany(ctx, c)
			}, sihub.ErrConflict},
			{"update stale", func() error { stale.Name = "A3"; return db.UpdateCompany(ctx, stale) }, sihub.ErrPrecondition},
			{"update missing", func() error { return db.UpdateCompany(ctx, company(9, "Z", func(c *sihub.Company) { c.ID = 999 })) }, sihub.ErrNotFound},
			{"get missing", func() error { _, err := db.Company(ctx, 999); return err }, sihub.ErrNotFound},
			{"get missing tax code", func() error { _, err := db.CompanyByTaxCode(ctx, taxCode(9)); return err }, sihub.ErrNotFound},
			{"archive missing", func() error { return db.SetArchived(ctx, 999, true) }, sihub.ErrNotFound},
			{"verify missing", func() error { return db.SetVerified(ctx, 999, true, "x") }, sihub.ErrNotFound},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) { wantCode(t, tt.run(), tt.code) })
		}
		// Staff may correct a tax code to a free one.
		c, _ := db.Company(ctx, b.ID)
		c.TaxCode = taxCode(5)
		if err := db.UpdateCompany(ctx, c); err != nil {
			t.Fatal(err)
		}
		if got, err := db.CompanyByTaxCode(ctx, taxCode(5)); err != nil || got.ID != b.ID {
			t.Errorf("corrected tax code: %v %v", got, err)
		}
	})
}

func TestVerifyArchive(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		a, b := company(1, "An Phát"), company(2, "Bình Minh")
		mustCreate(t, db, a, b)
		if err := db.SetVerified(ctx, a.ID, true, "lan@sihub"); err != nil {
			t.Fatal(err)
		}
		if err := db.SetArchived(ctx, b.ID, true); err != nil {
			t.Fatal(err)
		}
		got, _ := db.Company(ctx, a.ID)
		if !got.Verified || got.VerifiedBy != "lan@sihub" || got.VerifiedAt == nil || !got.UpdatedAt.Equal(a.UpdatedAt) {
			t.Errorf("verified: %+v", got)
		}
		list := func(f sihub.CompanyFilter) []string {
			p, err := db.FindCompanies(ctx, f, false)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, c := range p.Items {
				names = append(names, c.Name)
			}
			return names
		}
		if got := list(sihub.CompanyFilter{}); !reflect.DeepEqual(got, []string{"An Phát"}) {
			t.Errorf("archived company listed: %v", got)
		}
		if got := list(sihub.CompanyFilter{IncludeArchived: true, Sort: sihub.SortName}); len(got) != 2 {
			t.Errorf("IncludeArchived: %v", got)
		}
		st, err := db.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if (st != Stats{Companies: 1, Suppliers: 1, Verified: 1, Archived: 1}) {
			t.Errorf("stats %+v", st)
		}
		if err := db.SetArchived(ctx, b.ID, false); err != nil {
			t.Fatal(err)
		}
		if err := db.SetVerified(ctx, a.ID, false, ""); err != nil {
			t.Fatal(err)
		}
		got, _ = db.Company(ctx, a.ID)
		if got.Verified || got.VerifiedBy != "" || got.VerifiedAt != nil {
			t.Errorf("unverified: %+v", got)
		}
		if got := list(sihub.CompanyFilter{}); len(got) != 2 {
			t.Errorf("restored company not listed: %v", got)
		}
	})
}

func TestBranchParent(t *testing.T) {
	ctx := context.Background()
	parentTC := taxCode(1)
	branch := func(suffix string) *sihub.Company {
		return company(0, "Chi nhánh "+suffix, func(c *sihub.Company) { c.TaxCode = parentTC + suffix })
	}
	parentOf := func(t *testing.T, db *DB, tc string) int64 {
		c, err := db.CompanyByTaxCode(ctx, tc)
		if err != nil {
			t.Fatal(err)
		}
		return c.ParentID
	}
	tests := []struct {
		name string
		run  func(t *testing.T, db *DB) (parent int64)
	}{
		{"branch after parent", func(t *testing.T, db *DB) int64 {
			p, b := company(1, "Mẹ"), branch("001")
			mustCreate(t, db, p, b)
			if b.ParentID != p.ID {
				t.Errorf("CreateCompany set ParentID %d, want %d", b.ParentID, p.ID)
			}
			return p.ID
		}},
		{"branch before parent", func(t *testing.T, db *DB) int64 {
			b1, b2, p := branch("001"), branch("002"), company(1, "Mẹ")
			mustCreate(t, db, b1, b2)
			if b1.ParentID != 0 {
				t.Errorf("orphan branch has parent %d", b1.ParentID)
			}
			mustCreate(t, db, p)
			if got := parentOf(t, db, b2.TaxCode); got != p.ID {
				t.Errorf("second branch parent %d", got)
			}
			return p.ID
		}},
		{"upsert branch first", func(t *testing.T, db *DB) int64 {
			if _, _, err := db.UpsertCompanies(ctx, seqOf(branch("001"), company(2, "Khác"), company(1, "Mẹ"))); err != nil {
				t.Fatal(err)
			}
			p, _ := db.CompanyByTaxCode(ctx, parentTC)
			return p.ID
		}},
		{"parent tax code corrected away", func(t *testing.T, db *DB) int64 {
			p, b := company(1, "Mẹ"), branch("001")
			mustCreate(t, db, p, b)
			p.TaxCode = taxCode(2)
			if err := db.UpdateCompany(ctx, p); err != nil {
				t.Fatal(err)
			}
			return 0
		}},
		{"parent tax code corrected to", func(t *testing.T, db *DB) int64 {
			p, b := company(2, "Mẹ"), branch("001")
			mustCreate(t, db, p, b)
			p.TaxCode = parentTC
			if err := db.UpdateCompany(ctx, p); err != nil {
				t.Fatal(err)
			}
			return p.ID
		}},
	}
	eachDialect(t, func(t *testing.T, dialect string) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				db := openTest(t, dialect)
				want := tt.run(t, db)
				if got := parentOf(t, db, parentTC+"001"); got != want {
					t.Errorf("branch parent %d, want %d", got, want)
				}
			})
		}
	})
}

// An update rewrites the contacts, terms and search entry only when they
// changed; whatever it skips must still be there, and what changed must be
// replaced.
func TestPartialUpdates(t *testing.T) {
	tests := []struct {
		name string
		edit func(c *sihub.Company)
	}{
		{"nothing derived", func(c *sihub.Company) { c.Phone = "028 3999 0000" }},
		{"contacts only", func(c *sihub.Company) { c.Contacts = []sihub.Contact{{Name: "Lê Văn Cường"}} }},
		{"terms only", func(c *sihub.Company) {
			c.Materials = []sihub.Material{{Code: "pa66", Source: sihub.Inferred}}
			c.Sectors = []string{"2599"}
		}},
		{"text only", func(c *sihub.Company) { c.Products = "bánh răng" }},
		{"everything", func(c *sihub.Company) {
			c.Capabilities = []sihub.Capability{{Process: "stamping", Source: sihub.Declared}}
			c.Contacts = nil
			c.Name = "Đông Á Mới"
		}},
	}
	eachDialect(t, func(t *testing.T, dialect string) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				db := openTest(t, dialect)
				testPartialUpdate(t, db, tt.edit)
			})
		}
	})
}

func testPartialUpdate(t *testing.T, db *DB, edit func(c *sihub.Company)) {
	ctx := context.Background()
	c := full(1)
	mustCreate(t, db, c)
	u, _ := db.Company(ctx, c.ID)
	edit(u)
	want := *u
	if err := db.UpdateCompany(ctx, u); err != nil {
		t.Fatal(err)
	}
	got, _ := db.Company(ctx, c.ID)
	want.UpdatedAt = got.UpdatedAt
	if want.Contacts == nil {
		want.Contacts = []sihub.Contact{}
	}
	if !reflect.DeepEqual(got, &want) {
		t.Errorf("read back\n%+v\nwant\n%+v", got, &want)
	}
	// The terms and the search entry are those of the new data.
	count := func(f sihub.CompanyFilter) int {
		p, err := db.FindCompanies(ctx, f, false)
		if err != nil {
			t.Fatal(err)
		}
		if n := sqlCount(t, db, f); n != p.Total {
			t.Errorf("%+v: SQL counts %d, the index %d", f, n, p.Total)
		}
		return p.Total
	}
	for _, x := range got.Capabilities {
		if count(sihub.CompanyFilter{Processes: []string{x.Process}}) != 1 {
			t.Errorf("process %s not found", x.Process)
		}
	}
	for _, s := range got.Sectors {
		if count(sihub.CompanyFilter{Sectors: []string{s[:2]}}) != 1 {
			t.Errorf("sector %s not found", s)
		}
	}
	for _, w := range testIndex(got) {
		if count(sihub.CompanyFilter{Terms: [][]string{{w}}}) != 1 {
			t.Errorf("token %q not found", w)
		}
	}
	if !slices.Contains(testIndex(got), "dong") && count(sihub.CompanyFilter{Words: []string{"dong"}}) != 0 {
		t.Error("old name still indexed")
	}
	if !got.HasProcess("cnc_milling") && count(sihub.CompanyFilter{Processes: []string{"cnc_milling"}}) != 0 {
		t.Error("old process still indexed")
	}
}

// Text PostgreSQL cannot store (NUL, invalid UTF-8) is refused on both
// engines alike, and looking it up finds nothing rather than failing.
func TestUnstorableText(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		a := company(1, "A")
		mustCreate(t, db, a)
		tests := []struct {
			name string
			run  func() error
			code sihub.Code
		}{
			{"NUL in a name", func() error { return db.CreateCompany(ctx, company(2, "A\x00B")) }, sihub.ErrInvalid},
			{"broken UTF-8", func() error {
				return db.CreateCompany(ctx, company(2, "B", func(c *sihub.Company) { c.Description = "\xff\xfe" }))
			}, sihub.ErrInvalid},
			{"NUL in a contact", func() error {
				return db.CreateCompany(ctx, company(2, "B", func(c *sihub.Company) { c.Contacts = []sihub.Contact{{Name: "\x00"}} }))
			}, sihub.ErrInvalid},
			{"NUL in an update", func() error {
				c, _ := db.Company(ctx, a.ID)
				c.Phone = "1\x00"
				return db.UpdateCompany(ctx, c)
			}, sihub.ErrInvalid},
			{"NUL in an import", func() error {
				_, _, err := db.UpsertCompanies(ctx, seqOf(company(3, "C"), company(4, "D\x00")))
				return err
			}, sihub.ErrInvalid},
			{"NUL in the verifier", func() error { return db.SetVerified(ctx, a.ID, true, "\x00") }, sihub.ErrInvalid},
			{"NUL in a file name", func() error {
				return db.AddDocument(ctx, &sihub.Document{CompanyID: a.ID, Kind: sihub.DocPhoto, Name: "a\x00.png"}, []byte("x"))
			}, sihub.ErrInvalid},
			{"NUL tax code", func() error { _, err := db.CompanyByTaxCode(ctx, "\x00"); return err }, sihub.ErrNotFound},
			{"broken tax code", func() error { _, err := db.CompanyByTaxCode(ctx, "\xff"); return err }, sihub.ErrNotFound},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) { wantCode(t, tt.run(), tt.code) })
		}
		// Unstorable filter values match nothing.
		for _, f := range []sihub.CompanyFilter{
			{Provinces: []string{"\x00"}}, {Parks: []string{"\xff"}}, {Processes: []string{"a\x00"}},
			{TaxCodes: []string{"\x00" + a.TaxCode}}, {Sectors: []string{"2\x00"}}, {Certifications: []string{"\xc0"}},
		} {
			p, err := db.FindCompanies(ctx, f, true)
			if err != nil || p.Total != 0 {
				t.Errorf("%+v: %v, %v", f, p, err)
			}
			for c, err := range db.EachCompany(ctx, f) {
				t.Errorf("%+v: EachCompany yields %v, %v", f, c, err)
			}
		}
		if st, _ := db.Stats(ctx); st.Companies != 1 {
			t.Errorf("refused writes left %d companies", st.Companies)
		}
	})
}
