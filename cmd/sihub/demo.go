package main

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"text/tabwriter"
	"time"

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
	rounds, err := demoRounds(ctx, db, time.Now())
	if err != nil {
		return err
	}
	e.log.Info("demo data loaded", "companies", rep.Created+1, "demands", drep.Created, "verified", verified, "accounts", len(demoAccounts),
		"rfq_rounds", rounds)
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

// The demo's companies with accounts: three verified plastics moulders of
// the demo directory (certified, 50 employees or more) that all qualify for
// the buyer's fan blade (VT-FAN-002), so that a round with three suppliers
// can be tried by hand, and a buyer the directory lacks since
// demo/companies.csv lists suppliers only.
const (
	demoSupplierTaxCode  = "0316732497" // Công ty TNHH Sản xuất Thương mại Nhựa Khải Hải
	demoSupplier2TaxCode = "0314356021" // Công ty TNHH MTV Nhựa Bảo Thông
	demoSupplier3TaxCode = "3751206634" // Công ty TNHH Nhựa Kỹ thuật Hồng Quang
	demoBuyerTaxCode     = "0318426576"
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

// demoAccount is an account the demo creates, one per role and one for
// each of the two other suppliers of the fan blade, with a password
// published here, in docs/OPERATIONS.md and on every start.
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
	{sihub.RoleCompanyAdmin, "supplier2@demo.sihub.vn", "Trần Quốc Bảo (demo)", "demo-supplier2-2026!", demoSupplier2TaxCode, sihub.VI},
	{sihub.RoleCompanyMember, "supplier3@demo.sihub.vn", "Lý Hồng Nhung (demo)", "demo-supplier3-2026!", demoSupplier3TaxCode, sihub.VI},
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

// ---- RFQ rounds

// The demo buyer's RFQ rounds, so that a visitor sees the pipeline at every
// stage at once. Each invites suppliers among the demand's real matches;
// every date is counted from the moment the demo is loaded (in Vietnam's
// days), so the demo looks the same whenever it is started:
//
//   - VT-BLD-010, blender base housing: an open round (deadline in 6 days)
//     with one quote submitted, one draft saved and one question answered;
//   - VT-BLD-011, clear blender jar: an open sealed round (deadline in 9
//     days) whose two quotes stay hidden, the buyer's too, until then;
//   - VT-BLD-012, injection mould: a sealed round closed 16 days ago, its
//     quotes in VND, USD and JPY compared (one revised), a supplier that
//     declined, and the cases moved on: shortlisted with a next step,
//     sample requested (the demo supplier Khải Hải), factory audit with an
//     overdue next step, one awarded and one lost with its reason.
//
// VT-FAN-002, the fan blade the three demo supplier accounts qualify for,
// is left without rounds: it is where a visitor tries a round by hand (and
// where the browser journey runs).
const (
	demoOpenRef   = "VT-BLD-010"
	demoSealedRef = "VT-BLD-011"
	demoClosedRef = "VT-BLD-012"
)

// vietnam is the zone of the demo's days.
var vietnam = time.FixedZone("ICT", 7*60*60)

// demoRounds writes the demo's rounds, dated from now, and returns how many
// it opened. The store stamps what it writes with its clock, so the
// history goes through a copy of db whose clock the loader sets before each
// step (store.DB.WithClock); the closed round is written first, and each
// round's steps in the order of their dates.
func demoRounds(ctx context.Context, db *store.DB, now time.Time) (int, error) {
	var clock time.Time
	hist := db.WithClock(func() time.Time { return clock })
	// day is hour:minute on the day days from now's day in Vietnam.
	day := func(days, hour, minute int) time.Time {
		y, m, d := now.In(vietnam).Date()
		return time.Date(y, m, d+days, hour, minute, 0, 0, vietnam).UTC()
	}
	// at sets the clock, never past now: today's steps happen earlier today.
	at := func(t time.Time) time.Time {
		if limit := now.Add(-time.Minute); t.After(limit) {
			t = limit
		}
		clock = t
		return t
	}

	buyerUser, err := db.UserByEmail(ctx, "buyer@demo.sihub.vn")
	if err != nil {
		return 0, err
	}
	buyer := sihub.WithActor(ctx, sihub.Actor{UserID: buyerUser.ID, Label: buyerUser.Email})
	// Each supplier acts as its (first) demo account when it has one.
	actors := map[int64]context.Context{}
	for _, a := range demoAccounts {
		if !a.role.OfCompany() || a.taxCode == demoBuyerTaxCode {
			continue
		}
		u, err := db.UserByEmail(ctx, a.email)
		if err != nil {
			return 0, err
		}
		if _, ok := actors[u.CompanyID]; !ok {
			actors[u.CompanyID] = sihub.WithActor(ctx, sihub.Actor{UserID: u.ID, Label: u.Email})
		}
	}
	supplier := func(id int64) context.Context {
		if c, ok := actors[id]; ok {
			return c
		}
		return ctx // the demo
	}

	var suppliers []*sihub.Company
	for c, err := range db.EachCompany(ctx, sihub.CompanyFilter{}) {
		if err != nil {
			return 0, err
		}
		suppliers = append(suppliers, c)
	}
	ix := match.NewIndex(suppliers)
	// invitees picks n of demand d's qualified suppliers: those of prefer
	// that qualify, in that order, then the best verified ones.
	invitees := func(ref string, n int, prefer ...string) (*sihub.Demand, []int64, error) {
		d, err := db.DemandByRef(ctx, demoBuyerTaxCode, ref)
		if err != nil {
			return nil, nil, fmt.Errorf("demo demand %s: %w", ref, err)
		}
		res := ix.Match(d, now, 100)
		var ids []int64
		for _, tax := range prefer {
			for _, m := range res.Matches {
				if m.Company.TaxCode == tax && len(ids) < n {
					ids = append(ids, m.Company.ID)
				}
			}
		}
		for _, m := range res.Matches {
			if len(ids) < n && m.Company.Verified && !slices.Contains(ids, m.Company.ID) {
				ids = append(ids, m.Company.ID)
			}
		}
		if len(ids) < 2 {
			return nil, nil, fmt.Errorf("demo demand %s: only %d verified suppliers qualify", ref, len(ids))
		}
		return d, ids, nil
	}
	open := func(d *sihub.Demand, created, deadline time.Time, sealed bool, msg string, ids []int64) ([]*sihub.Invitation, error) {
		at(created)
		r := &sihub.RFQ{DemandID: d.ID, Message: msg, Deadline: deadline, Sealed: sealed, CreatedBy: buyerUser.ID}
		invs, err := hist.CreateRFQ(buyer, r, ids, nil)
		if err != nil {
			return nil, fmt.Errorf("demo round on %s: %w", d.Ref, err)
		}
		return invs, nil
	}
	view := func(iv *sihub.Invitation, t time.Time) error {
		at(t)
		return hist.MarkViewed(supplier(iv.CompanyID), iv.ID)
	}
	// quote saves q as iv's draft at t, and submits it unless draftOnly.
	quote := func(iv *sihub.Invitation, t time.Time, q sihub.Quote, draftOnly bool) error {
		t = at(t)
		q.InvitationID = iv.ID
		if err := hist.SaveDraft(supplier(iv.CompanyID), &q, t); err != nil {
			return fmt.Errorf("demo quote of %s: %w", iv.CompanyName, err)
		}
		if draftOnly {
			return nil
		}
		if _, err := hist.SubmitQuote(supplier(iv.CompanyID), iv.ID, t); err != nil {
			return fmt.Errorf("demo quote of %s: %w", iv.CompanyName, err)
		}
		return nil
	}
	ask := func(iv *sihub.Invitation, asked, answered time.Time, question, answer string) error {
		at(asked)
		q, err := hist.AskQuestion(supplier(iv.CompanyID), iv.RFQID, iv.CompanyID, question, nil)
		if err != nil {
			return err
		}
		at(answered)
		_, err = hist.AnswerQuestion(buyer, q.ID, answer, buyerUser.ID, nil)
		return err
	}
	validUntil := func(days int) *time.Time {
		t := day(days, 23, 59)
		return &t
	}
	const factory = "Veltrada, Khu chế xuất Tân Thuận"

	// VT-BLD-012: closed 16 days ago; compared, and the cases moved on.
	d, ids, err := invitees(demoClosedRef, 6, "3704214250", "3607224260", "3782975911", "0310722559", demoSupplierTaxCode, "0312284565")
	if err != nil {
		return 0, err
	}
	invs, err := open(d, day(-30, 9, 0), day(-16, 17, 0), true,
		"Two-cavity injection mould for the blender base housing (VT-BLD-010): P20 steel, hot runner, 500k shots warranty. "+
			"Quote the mould delivered and the T1 samples; the round is sealed.", ids)
	if err != nil {
		return 0, err
	}
	for i, iv := range invs {
		if err := view(iv, day(-30, 10+i, 0)); err != nil {
			return 0, err
		}
	}
	if err := ask(invs[min(1, len(invs)-1)], day(-28, 9, 0), day(-27, 11, 0), "Do you require a specific hot-runner brand?",
		"No brand is required, but the hot runner must come with a 2-year warranty and spare heaters."); err != nil {
		return 0, err
	}
	mould := []sihub.Quote{
		{UnitPrice: 1_180_000_000, Currency: "VND", SampleLeadDays: 45, MassLeadDays: 60, ValidUntil: validUntil(30),
			PaymentTerms: "40% đặt cọc, 60% sau khi duyệt mẫu T1", Incoterm: "DAP", DeliveryPlace: factory, Notes: "Hot runner YUDO, bảo hành 500k shot."},
		{UnitPrice: 6_950_000, Currency: "JPY", SampleLeadDays: 50, MassLeadDays: 70, ValidUntil: validUntil(20),
			PaymentTerms: "50% advance, 50% after T1", Incoterm: "FCA", DeliveryPlace: "Bình Dương", Notes: "Mould design reviewed in Osaka."},
		{UnitPrice: 1_420_000_000, Currency: "VND", SampleLeadDays: 40, MassLeadDays: 55, ValidUntil: validUntil(15),
			PaymentTerms: "30% đặt cọc", Incoterm: "DAP", DeliveryPlace: factory},
		{UnitPrice: 47_800, Currency: "USD", SampleLeadDays: 42, MassLeadDays: 60, ValidUntil: validUntil(25),
			PaymentTerms: "T/T 50/50", Incoterm: "EXW", DeliveryPlace: "Thủ Đức"},
		{UnitPrice: 1_090_000_000, Currency: "VND", SampleLeadDays: 55, MassLeadDays: 75, ValidUntil: validUntil(40),
			PaymentTerms: "30% đặt cọc, 70% sau khi duyệt mẫu", Incoterm: "DAP", DeliveryPlace: factory},
	}
	for i, iv := range invs {
		switch {
		case i == 0:
			// A first quote, revised down below.
			first := mould[0]
			first.UnitPrice = 1_250_000_000
			if err := quote(iv, day(-25, 14, 0), first, false); err != nil {
				return 0, err
			}
		case i < len(mould) && i < len(invs)-1:
			if err := quote(iv, day(-22+i, 16, 0), mould[i], false); err != nil {
				return 0, err
			}
		}
	}
	if err := quote(invs[0], day(-17, 10, 30), mould[0], false); err != nil {
		return 0, err
	}
	if last := invs[len(invs)-1]; len(invs) > len(mould) {
		at(day(-17, 15, 0))
		if err := hist.DeclineInvitation(supplier(last.CompanyID), last.ID, sihub.DeclineCapacity,
			"Xưởng khuôn kín lịch đến hết quý.", clock); err != nil {
			return 0, err
		}
	}
	cases, err := db.CasesOf(ctx, d.ID)
	if err != nil {
		return 0, err
	}
	caseOf := func(i int) *sihub.Case {
		if i >= len(invs) {
			return nil
		}
		for _, c := range cases {
			if c.CompanyID == invs[i].CompanyID {
				return c
			}
		}
		return nil
	}
	move := func(i int, t time.Time, to sihub.Stage, note string, next *time.Time) error {
		c := caseOf(i)
		if c == nil || c.Stage == sihub.StageLost {
			return nil
		}
		at(t)
		moved, err := hist.MoveCase(buyer, c.ID, to, note, buyerUser.ID, next, buyerUser.ID)
		if err != nil {
			return fmt.Errorf("demo case of %s: %w", invs[i].CompanyName, err)
		}
		*c = *moved
		return nil
	}
	nextAt := func(days int) *time.Time {
		t := day(days, 17, 0)
		return &t
	}
	// The quotes compared, the shortlist; the dearest is let go.
	for k, i := range []int{0, 1, 3, 4} {
		if err := move(i, day(-14, 10, k), sihub.StageShortlisted, "Within budget after the comparison.", nil); err != nil {
			return 0, err
		}
	}
	if c := caseOf(2); c != nil && c.Stage != sihub.StageLost {
		at(day(-14, 11, 0))
		if _, err := hist.LoseCase(buyer, c.ID, "Price 20% above the shortlist", "Thanked by email.", buyerUser.ID); err != nil {
			return 0, err
		}
	}
	steps := []struct {
		i    int
		t    time.Time
		to   sihub.Stage
		note string
		next *time.Time
	}{
		{0, day(-12, 9, 0), sihub.StageFactoryAudit, "Toolroom audit with the center's engineer.", nil},
		{1, day(-11, 14, 0), sihub.StageFactoryAudit, "Audit of the Bình Dương toolroom: report due.", nextAt(-2)}, // overdue
		{4, day(-10, 10, 0), sihub.StageSampleRequested, "Trial shots on a sister mould requested.", nextAt(5)},
		{3, day(-6, 15, 0), sihub.StageShortlisted, "Call to confirm the hot-runner warranty.", nextAt(3)},
	}
	for _, s := range steps {
		if err := move(s.i, s.t, s.to, s.note, s.next); err != nil {
			return 0, err
		}
	}
	if c := caseOf(0); c != nil && c.Stage == sihub.StageFactoryAudit {
		t := at(day(-3, 16, 0))
		if _, err := hist.AwardCase(buyer, c.ID, 1_180_000_000, "VND", 1, d.AnnualVolume,
			"Mould order signed; T1 samples due in 45 days.", buyerUser.ID, t); err != nil {
			return 0, err
		}
	}
	// VT-BLD-010: open, one quote, one draft, one question answered.
	d, ids, err = invitees(demoOpenRef, 3, demoSupplier2TaxCode, demoSupplier3TaxCode)
	if err != nil {
		return 0, err
	}
	invs, err = open(d, day(-3, 9, 0), day(6, 17, 0), false,
		"Please quote the ABS base housing for our blender line: 45,000 pcs a year, glossy finish, logo pad-printed. "+
			"Quote DAP our factory in Tan Thuan EPZ; price breaks welcome.", ids)
	if err != nil {
		return 0, err
	}
	for i, iv := range invs {
		if err := view(iv, day(-3, 10+i, 15)); err != nil {
			return 0, err
		}
	}
	if err := ask(invs[0], day(-2, 10, 30), day(-2, 15, 0), "Logo in ấn pad printing một màu hay hai màu? Có file artwork chưa ạ?",
		"One colour, Pantone 432 C. The artwork comes with the drawings; the logo area is 40 × 12 mm."); err != nil {
		return 0, err
	}
	if len(invs) > 2 {
		if err := quote(invs[2], day(-1, 11, 20), sihub.Quote{UnitPrice: 38500, Currency: "VND", MOQ: 5000,
			Breaks:      []sihub.PriceBreak{{MinQty: 20000, UnitPrice: 37200}, {MinQty: 40000, UnitPrice: 36400}},
			ToolingCost: 420_000_000, SampleLeadDays: 30, MassLeadDays: 21, ValidUntil: validUntil(60),
			PaymentTerms: "30 ngày sau khi giao hàng", Incoterm: "DAP", DeliveryPlace: factory,
			Notes: "Khuôn 2 cavity, thép P20; giá đã gồm in pad một màu."}, false); err != nil {
			return 0, err
		}
	}
	if err := quote(invs[1], day(0, 8, 45), sihub.Quote{UnitPrice: 39900, Currency: "VND", MOQ: 3000,
		Notes: "Nháp — chờ báo giá hạt ABS của nhà cung cấp."}, true); err != nil {
		return 0, err
	}

	// VT-BLD-011: open and sealed; two quotes hidden until the deadline.
	d, ids, err = invitees(demoSealedRef, 3)
	if err != nil {
		return 0, err
	}
	if invs, err = open(d, day(-2, 14, 0), day(9, 17, 0), true,
		"Sealed round for the 1.5 L clear jar (PC or Tritan, food contact, ultrasonic welding of the handle). "+
			"Quotes are opened together after the deadline.", ids); err != nil {
		return 0, err
	}
	for i, iv := range invs {
		if err := view(iv, day(-2, 15+i, 0)); err != nil {
			return 0, err
		}
	}
	if err := quote(invs[0], day(-1, 16, 10), sihub.Quote{UnitPrice: 61500, Currency: "VND", MOQ: 5000, ToolingCost: 510_000_000,
		SampleLeadDays: 35, MassLeadDays: 25, ValidUntil: validUntil(90), PaymentTerms: "T/T 30 ngày", Incoterm: "DAP", DeliveryPlace: factory}, false); err != nil {
		return 0, err
	}
	if err := quote(invs[1], day(0, 9, 5), sihub.Quote{UnitPrice: 2.45, Currency: "USD", MOQ: 10000, ToolingCost: 19800,
		SampleLeadDays: 28, MassLeadDays: 30, ValidUntil: validUntil(60), PaymentTerms: "Net 45", Incoterm: "FCA", DeliveryPlace: "Bình Dương"}, false); err != nil {
		return 0, err
	}

	return 3, nil
}
