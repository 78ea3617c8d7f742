package web

import (
	"context"
	"fmt"
	"net/url"

	"github.com/sihub-org/sihub/internal/match"
	"github.com/sihub-org/sihub/internal/sihub"
)

// Who may use the demand routes: staff and every company's people list
// demands and create their own; the buyer's people and staff manage a
// demand and see its matches; a verified company's people see an open
// demand shown to verified suppliers (company B's admin here).
const (
	demandListers = "admin staff ownAdmin ownMember otherAdmin"
	demandReaders = "admin staff ownAdmin ownMember otherAdmin"
)

// demandMatrix holds the route × role entries of the demand routes. The
// object routes are about company A's demand matrixDemand.
func demandMatrix() map[string]matrixRoute {
	onDemand := func(method, format string, form url.Values, json string) func(*matrixFixture, string) call {
		return func(f *matrixFixture, _ string) call {
			return call{method: method, path: pathf(format, f.matrixDemand().ID), form: form, json: json}
		}
	}
	// The demand's own fields, so that every allowed asker saves the
	// same demand again.
	fields := url.Values{"ref": {"MX-1"}, "title": {"Vỏ nhựa ép phun"}, "processes_text": {"ép nhựa"},
		"status": {"open"}, "visibility": {"verified_suppliers"}}
	return map[string]matrixRoute{
		"GET /demands":        {demandListers, get("/demands")},
		"GET /demands/new":    {demandListers, get("/demands/new")},
		"GET /demands/import": {demandListers, get("/demands/import")},
		// An empty title: the allowed are told what to fix (422).
		"POST /demands": {demandListers, func(f *matrixFixture, _ string) call {
			return call{method: "POST", path: "/demands", form: url.Values{"buyer_tax_code": {f.A.TaxCode}, "ref": {"MX-NEW"}}}
		}},
		// Not a spreadsheet: the allowed are told so (415).
		"POST /demands/import": {demandListers, func(*matrixFixture, string) call {
			return call{method: "POST", path: "/demands/import", multipart: true}
		}},
		"GET /demands/{id}":                {demandReaders, onDemand("GET", "/demands/%d", nil, "")},
		"GET /demands/{id}/edit":           {ownPeople, onDemand("GET", "/demands/%d/edit", nil, "")},
		"POST /demands/{id}":               {ownPeople, onDemand("POST", "/demands/%d", fields, "")},
		"POST /demands/{id}/status":        {ownPeople, onDemand("POST", "/demands/%d/status", url.Values{"status": {"open"}}, "")},
		"GET /templates/demands.csv":       {everyone, get("/templates/demands.csv")},
		"GET /templates/demands.xlsx":      {everyone, get("/templates/demands.xlsx")},
		"GET /api/v1/demands":              {demandListers, get("/api/v1/demands")},
		"GET /api/v1/demands/{id}":         {demandReaders, onDemand("GET", "/api/v1/demands/%d", nil, "")},
		"GET /api/v1/demands/{id}/matches": {ownPeople, onDemand("GET", "/api/v1/demands/%d/matches", nil, "")},
		"PUT /api/v1/demands/{id}": {ownPeople, onDemand("PUT", "/api/v1/demands/%d", nil,
			`{"ref":"MX-1","title":"Vỏ nhựa ép phun","processes_text":"ép nhựa"}`)},
		// Company A as buyer, empty title: the allowed get 422; B's admin
		// may not create for A.
		"POST /api/v1/demands": {ownPeople, func(f *matrixFixture, _ string) call {
			return call{method: "POST", path: "/api/v1/demands", json: fmt.Sprintf(`{"buyer_tax_code":%q,"ref":"MX-NEW"}`, f.A.TaxCode)}
		}},
		// Each asker's own company as buyer (A for the center), dry run.
		"POST /api/v1/imports/demands": {demandListers, func(f *matrixFixture, who string) call {
			tc := f.A.TaxCode
			if who == "otherAdmin" {
				tc = f.B.TaxCode
			}
			return call{method: "POST", path: "/api/v1/imports/demands?dry_run=1",
				plain: "buyer_tax_code,buyer_name,ref,title\n" + tc + ",X,MX-IMP,Vỏ nhựa ép phun\n"}
		}},
	}
}

// matrixDemand is company A's demand the object routes are about: open
// and shown to verified suppliers. It is made on first use.
func (f *matrixFixture) matrixDemand() *sihub.Demand {
	ctx := context.Background()
	d, err := f.e.db.DemandByRef(ctx, f.A.TaxCode, "MX-1")
	if err == nil {
		return d
	}
	if sihub.ErrorCode(err) != sihub.ErrNotFound {
		f.t.Fatal(err)
	}
	d = &sihub.Demand{BuyerTaxCode: f.A.TaxCode, BuyerName: f.A.Name, Ref: "MX-1", Title: "Vỏ nhựa ép phun", ProcessesText: "ép nhựa"}
	if _, err := match.PrepareDemand(d); err != nil {
		f.t.Fatal(err)
	}
	if _, _, err := f.e.db.UpsertDemands(ctx, []*sihub.Demand{d}); err != nil {
		f.t.Fatal(err)
	}
	return d
}
