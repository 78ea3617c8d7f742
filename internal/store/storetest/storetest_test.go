package storetest_test

import (
	"context"
	"strings"
	"testing"

	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store"
	"github.com/sihub-org/sihub/internal/store/storetest"
)

func TestOpen(t *testing.T) {
	opt := store.Options{Index: func(c *sihub.Company) []string { return strings.Fields(strings.ToLower(c.Name)) }}
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, b := storetest.Open(t, d, opt), storetest.Open(t, d, opt)
			c := &sihub.Company{TaxCode: "0312345675", Name: "Cơ khí An Phát"}
			if err := a.CreateCompany(ctx, c); err != nil {
				t.Fatal(err)
			}
			p, err := a.FindCompanies(ctx, sihub.CompanyFilter{Words: []string{"an"}}, true)
			if err != nil || p.Total != 1 {
				t.Fatalf("find: %+v, %v", p, err)
			}
			// Every Open is a database of its own.
			if st, err := b.Stats(ctx); err != nil || st.Companies != 0 {
				t.Errorf("the second database holds %+v, %v", st, err)
			}
		})
	}
}
