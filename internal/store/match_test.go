package store

import (
	"context"
	"log/slog"
	"reflect"
	"testing"

	"github.com/sihub-org/sihub/internal/match"
	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store/internal/testdb"
)

// TestWithMatch runs the store with the production index and query parser
// (package match), as the server does. The other tests use a small index of
// their own, so that they do not depend on match; this one checks the
// seam: match's tokens go through FTS5 unharmed and its queries find them.
// The queries are chosen to succeed by plain words as well as by terms.
func TestWithMatch(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		db := openWith(t, testdb.DSN(t, dialect),
			Options{Index: match.IndexTokens, SortKey: match.Fold, Logger: slog.New(slog.DiscardHandler)})
		testWithMatch(t, db)
	})
}

func testWithMatch(t *testing.T, db *DB) {
	ctx := context.Background()
	mustCreate(t, db,
		company(1, "Công ty TNHH Nhựa Tân Tiến", func(c *sihub.Company) {
			c.CapabilitiesText = "Ép nhựa, thổi chai"
			c.Capabilities = []sihub.Capability{{Process: "injection_molding", Core: true, Source: sihub.Declared, Evidence: "Ép nhựa"}}
			c.Website = "https://www.tantien.example.vn"
		}),
		company(2, "Công ty Cổ phần Cơ khí Hòa Bình", func(c *sihub.Company) {
			c.CapabilitiesText = "Phay CNC 5 trục"
			c.Capabilities = []sihub.Capability{{Process: "cnc_milling", Source: sihub.Declared, Evidence: "Phay CNC"}}
		}),
	)
	tests := []struct {
		q    string
		want []string
	}{
		{"ép nhựa", []string{"Công ty TNHH Nhựa Tân Tiến"}},
		{"ep nhua", []string{"Công ty TNHH Nhựa Tân Tiến"}},
		{"Công ty Tân Tiến", []string{"Công ty TNHH Nhựa Tân Tiến"}},
		{"tantien", []string{"Công ty TNHH Nhựa Tân Tiến"}},
		{"phay cnc", []string{"Công ty Cổ phần Cơ khí Hòa Bình"}},
		{"hoa binh", []string{"Công ty Cổ phần Cơ khí Hòa Bình"}},
		{`" OR * NEAR(`, []string{}},
	}
	for _, tt := range tests {
		f := sihub.CompanyFilter{Q: tt.q, Sort: sihub.SortName}
		f.Terms, f.Words = match.ParseQuery(tt.q)
		p, err := db.FindCompanies(ctx, f, true)
		if err != nil {
			t.Fatalf("%q: %v", tt.q, err)
		}
		got := []string{}
		for _, c := range p.Items {
			got = append(got, c.Name)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%q (terms %q, words %q): got %q, want %q", tt.q, f.Terms, f.Words, got, tt.want)
		}
	}

	// Relevance: a supplier that declared the process comes before one it
	// was inferred for, verified though that one is, and one offering
	// exactly the process before one offering only the bundle above it.
	inferred := company(3, "Nhựa Bình Minh", func(c *sihub.Company) {
		c.Products = "ép nhựa"
		c.Capabilities = []sihub.Capability{{Process: "injection_molding", Source: sihub.Inferred, Evidence: "ép nhựa"}}
	})
	bundle := company(4, "Cơ khí Gia công CNC Việt", func(c *sihub.Company) {
		c.CapabilitiesText = "Gia công CNC"
		c.Capabilities = []sihub.Capability{{Process: "cnc_machining", Source: sihub.Declared, Evidence: "Gia công CNC"}}
	})
	mustCreate(t, db, inferred, bundle)
	if err := db.SetVerified(ctx, inferred.ID, true, "lan"); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		q    string
		want []string
	}{
		{"ép nhựa", []string{"Công ty TNHH Nhựa Tân Tiến", "Nhựa Bình Minh"}},
		{"phay cnc", []string{"Công ty Cổ phần Cơ khí Hòa Bình", "Cơ khí Gia công CNC Việt"}},
	} {
		f := sihub.CompanyFilter{Q: tt.q}
		f.Terms, f.Words = match.ParseQuery(tt.q)
		p, err := db.FindCompanies(ctx, f, false)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range p.Items {
			got = append(got, c.Name)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%q by relevance (terms %q, words %q): got %q, want %q", tt.q, f.Terms, f.Words, got, tt.want)
		}
	}
}
