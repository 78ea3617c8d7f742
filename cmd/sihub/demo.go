package main

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/sihub-org/sihub/internal/match"
	"github.com/sihub-org/sihub/internal/sheet"
	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store"
)

//go:embed demo/companies.csv
var demoCompanies []byte

// demoDemands is the demo buyer's part list.
//
//go:embed demo/demands.csv
var demoDemands []byte

// loadDemo imports the shipped demo companies and creates the demo
// accounts, but only into an empty database: demo data must never mix with
// real data, and accounts with published passwords must never exist beside
// it.
func loadDemo(ctx context.Context, e *env, db *store.DB) error {
	st, err := db.Stats(ctx)
	if err != nil {
		return err
	}
	if st.Companies+st.Archived > 0 {
		e.log.Info("the database already holds companies; demo data not loaded", "companies", st.Companies)
		return nil
	}
	ctx = sihub.WithActor(ctx, sihub.Actor{Label: "demo"})
	dir, err := os.MkdirTemp("", "sihub-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "companies.csv")
	if err := os.WriteFile(path, demoCompanies, 0o600); err != nil {
		return err
	}
	rep, err := sheet.ImportCompanies(ctx, path, sheet.Options{}, db)
	if err != nil {
		return userError(err)
	}
	if !rep.Committed {
		_ = rep.WriteText(e.stderr, sihub.EN)
		return fmt.Errorf("the demo data did not import cleanly")
	}
	buyer := demoBuyer()
	if err := match.Prepare(buyer); err != nil {
		return userError(err)
	}
	if err := db.CreateCompany(ctx, buyer); err != nil {
		return userError(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "demands.csv"), demoDemands, 0o600); err != nil {
		return err
	}
	drep, err := sheet.ImportDemands(ctx, filepath.Join(dir, "demands.csv"), sheet.Options{}, db)
	if err != nil {
		return userError(err)
	}
	if !drep.Committed {
		_ = drep.WriteText(e.stderr, sihub.EN)
		return fmt.Errorf("the demo part list did not import cleanly")
	}
	verified, err := verifyDemo(ctx, db)
	if err != nil {
		return err
	}
	if err := createDemoAccounts(ctx, db); err != nil {
		return err
	}
	e.log.Info("demo data loaded", "companies", rep.Created+1, "demands", drep.Created, "verified", verified, "accounts", len(demoAccounts))
	return nil
}

// verifyDemo marks part of the demo directory as verified by the center, as
// a real directory would be, so that a visitor sees verified badges and can
// filter on them: the certified companies with at least 50 employees.
func verifyDemo(ctx context.Context, db *store.DB) (int, error) {
	var ids []int64
	for c, err := range db.EachCompany(ctx, sihub.CompanyFilter{}) {
		if err != nil {
			return 0, err
		}
		if len(c.Certifications) > 0 && c.Employees >= 50 {
			ids = append(ids, c.ID)
		}
	}
	for _, id := range ids {
		if err := db.SetVerified(ctx, id, true, "SIHub demo"); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

// The demo's companies with accounts: a verified supplier of the demo
// directory (certified, 125 employees), and a buyer the directory lacks
// since demo/companies.csv lists suppliers only.
const (
	demoSupplierTaxCode = "0316732497" // Công ty TNHH Sản xuất Thương mại Nhựa Khải Hải
	demoBuyerTaxCode    = "0318426576"
)

// demoBuyer is an invented foreign-invested manufacturer sourcing parts
// locally, as the center's buyers are.
func demoBuyer() *sihub.Company {
	return &sihub.Company{
		TaxCode: demoBuyerTaxCode, Kind: sihub.Buyer,
		Name: "Công ty TNHH Thiết bị Điện gia dụng Veltrada Việt Nam", NameEn: "Veltrada Home Appliances Vietnam Co., Ltd",
		ProvinceInput: "TP. Hồ Chí Minh", IndustrialPark: "Khu chế xuất Tân Thuận", Address: "Đường số 12, Khu chế xuất Tân Thuận",
		Employees: 850, Founded: 2012, CertificationsText: "ISO 9001:2015; ISO 14001:2015",
		Products: "Quạt điện, máy xay sinh tố, nồi cơm điện",
		Description: "Invented FDI manufacturer of household appliances (demo data, not a real company). Sources plastic " +
			"housings, stamped steel parts, die-cast aluminium and wire harnesses from local suppliers.",
		Website: "veltrada-demo.com", Email: "sourcing@veltrada-demo.com",
	}
}

// demoAccount is an account the demo creates, one per role, with a
// password published here, in docs/OPERATIONS.md and on every start.
type demoAccount struct {
	role     sihub.Role
	email    string
	name     string
	password string
	taxCode  string // the company of a company role
	lang     sihub.Lang
}

var demoAccounts = []demoAccount{
	{sihub.RoleCenterAdmin, "admin@demo.sihub.vn", "Lê Minh Quân (demo)", "demo-admin-2026!", "", sihub.VI},
	{sihub.RoleCenterStaff, "staff@demo.sihub.vn", "Phạm Thu Hà (demo)", "demo-staff-2026!", "", sihub.VI},
	{sihub.RoleOfficial, "official@demo.sihub.vn", "Võ Thanh Tùng (demo)", "demo-official-2026!", "", sihub.VI},
	{sihub.RoleCompanyAdmin, "supplier-admin@demo.sihub.vn", "Nguyễn Hoàng Khải (demo)", "demo-supplier-2026!", demoSupplierTaxCode, sihub.VI},
	{sihub.RoleCompanyMember, "supplier-member@demo.sihub.vn", "Đặng Ngọc Lan (demo)", "demo-member-2026!", demoSupplierTaxCode, sihub.VI},
	{sihub.RoleCompanyAdmin, "buyer@demo.sihub.vn", "Daniel Weber (demo)", "demo-buyer-2026!", demoBuyerTaxCode, sihub.EN},
}

func createDemoAccounts(ctx context.Context, db *store.DB) error {
	for _, a := range demoAccounts {
		nu := store.NewUser{Email: a.email, Name: a.name, Password: a.password, Role: a.role,
			Status: sihub.StatusActive, EmailConfirmed: true, Lang: a.lang, Consent: true}
		if a.taxCode != "" {
			c, err := db.CompanyByTaxCode(ctx, a.taxCode)
			if err != nil {
				return fmt.Errorf("demo company %s: %w", a.taxCode, err)
			}
			nu.CompanyID = c.ID
		}
		if _, err := db.CreateUser(ctx, nu); err != nil {
			return fmt.Errorf("demo account %s: %w", a.email, userError(err))
		}
	}
	return nil
}

// printDemoAccounts lists on stderr the demo accounts the database holds,
// so that whoever started the demo can sign in at once.
func printDemoAccounts(ctx context.Context, e *env, db *store.DB, baseURL string) error {
	var found []demoAccount
	var orgs []string
	for _, a := range demoAccounts {
		u, err := db.UserByEmail(ctx, a.email)
		if sihub.ErrorCode(err) == sihub.ErrNotFound {
			continue
		} else if err != nil {
			return err
		}
		found = append(found, a)
		org := "the center"
		switch {
		case u.CompanyName != "":
			org = u.CompanyName + " (" + u.CompanyTaxCode + ")"
		case u.Role == sihub.RoleOfficial:
			org = "the city's Department"
		}
		orgs = append(orgs, org)
	}
	if len(found) == 0 {
		e.log.Info("this database has no demo accounts: they are created with the demo data, in an empty database only")
		return nil
	}
	fmt.Fprintf(e.stderr, "\nDemo accounts — sign in at %s/signin with one of these (unless its password was changed):\n\n", baseURL)
	tw := tabwriter.NewWriter(e.stderr, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  ROLE\tEMAIL\tPASSWORD\tOF")
	for i, a := range found {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", a.role, a.email, a.password, orgs[i])
	}
	tw.Flush()
	fmt.Fprintln(e.stderr)
	return nil
}
