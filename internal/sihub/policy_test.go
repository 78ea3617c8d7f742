package sihub

import (
	"testing"
	"time"
)

// principals of every kind the policy distinguishes, around two companies:
// own (verified, id 1) and other (unverified, id 2).
func testPrincipals() map[string]*Principal {
	now := time.Now()
	u := func(role Role, company int64, verified bool, status UserStatus) *Principal {
		return &Principal{User: &User{ID: int64(len(role)) + company*100 + int64(len(status)), Role: role, CompanyID: company,
			CompanyVerified: verified, Status: status, EmailConfirmed: &now}}
	}
	unconfirmed := u(RoleCompanyAdmin, 1, true, StatusActive)
	unconfirmed.User.EmailConfirmed = nil
	readToken := u(RoleCenterStaff, 0, false, StatusActive)
	readToken.Scope = ScopeRead
	return map[string]*Principal{
		"anonymous":      Anonymous,
		"nil":            nil,
		"admin":          u(RoleCenterAdmin, 0, false, StatusActive),
		"staff":          u(RoleCenterStaff, 0, false, StatusActive),
		"staff-read":     readToken,
		"official":       u(RoleOfficial, 0, false, StatusActive),
		"own-admin":      u(RoleCompanyAdmin, 1, true, StatusActive),
		"own-member":     u(RoleCompanyMember, 1, true, StatusActive),
		"own-pending":    u(RoleCompanyMember, 1, true, StatusPending),
		"own-unconfirm":  unconfirmed,
		"other-admin":    u(RoleCompanyAdmin, 2, false, StatusActive),
		"disabled-staff": u(RoleCenterStaff, 0, false, StatusDisabled),
	}
}

func TestPolicyCompanies(t *testing.T) {
	own := &Company{ID: 1, Verified: true}
	other := &Company{ID: 2}
	archived := &Company{ID: 3, Archived: true}
	ps := testPrincipals()
	type row struct {
		who                          string
		editOwn, editOther, verify   bool
		readArchived, contactsOther  bool
		historyOwn, importing, audit bool
	}
	for _, tt := range []row{
		{who: "anonymous"},
		{who: "nil"},
		{"admin", true, true, true, true, true, true, true, true},
		{"staff", true, true, true, true, true, true, true, false},
		{who: "staff-read", readArchived: true, contactsOther: true, historyOwn: true},
		{who: "official"},
		{who: "own-admin", editOwn: true, contactsOther: true, historyOwn: true},
		{who: "own-member", editOwn: true, contactsOther: true, historyOwn: true},
		{who: "own-pending"},
		{who: "own-unconfirm"},
		// a member of an unverified company sees no other company's contacts
		{who: "other-admin", editOther: true},
		{who: "disabled-staff"},
	} {
		p := ps[tt.who]
		got := row{tt.who, p.CanEditCompany(own), p.CanEditCompany(other), p.CanVerify(),
			p.CanReadCompany(archived), p.CanSeeContacts(other) && !p.MemberOf(other.ID) || p.CanSeeContacts(own) && !p.MemberOf(own.ID) && tt.who != "other-admin",
			p.CanSeeHistory(own), p.CanImport(), p.CanBrowseAudit()}
		if got != tt {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.who, got, tt)
		}
	}
	if !ps["other-admin"].CanSeeContacts(other) || ps["other-admin"].CanSeeContacts(own) {
		t.Error("an unverified company's admin sees its own contacts only")
	}
	if !ps["own-member"].ContactViewsLimited(other) || ps["own-member"].ContactViewsLimited(own) || ps["staff"].ContactViewsLimited(other) {
		t.Error("contact views count for members looking at other companies only")
	}
}

func TestPolicyPeople(t *testing.T) {
	ps := testPrincipals()
	ownCo := &Company{ID: 1, Verified: true}
	otherCo := &Company{ID: 2}
	joinOwn := &User{ID: 900, Role: RoleCompanyMember, CompanyID: 1, Status: StatusPending}
	joinOther := &User{ID: 901, Role: RoleCompanyMember, CompanyID: 2, Status: StatusPending}
	staffUser := &User{ID: 902, Role: RoleCenterStaff, Status: StatusActive}
	tests := []struct {
		who  string
		got  func(p *Principal) bool
		want map[string]bool // principals allowed; all others denied
	}{
		{"decide own join", func(p *Principal) bool { return p.CanDecideJoin(joinOwn, ownCo) },
			map[string]bool{"admin": true, "staff": true, "own-admin": true}},
		// unverified company: only staff, even for its own admin
		{"decide unverified join", func(p *Principal) bool { return p.CanDecideJoin(joinOther, otherCo) },
			map[string]bool{"admin": true, "staff": true}},
		{"invite staff", func(p *Principal) bool { return p.CanInvite(RoleCenterStaff, 0) },
			map[string]bool{"admin": true, "staff": true}},
		{"invite admin", func(p *Principal) bool { return p.CanInvite(RoleCenterAdmin, 0) },
			map[string]bool{"admin": true}},
		{"invite official", func(p *Principal) bool { return p.CanInvite(RoleOfficial, 0) },
			map[string]bool{"admin": true}},
		{"invite colleague", func(p *Principal) bool { return p.CanInvite(RoleCompanyMember, 1) },
			map[string]bool{"admin": true, "staff": true, "own-admin": true}},
		{"invite to no company", func(p *Principal) bool { return p.CanInvite(RoleCompanyMember, 0) }, nil},
		{"manage staff user", func(p *Principal) bool { return p.CanManageUser(staffUser) },
			map[string]bool{"admin": true}},
		{"manage own member", func(p *Principal) bool { return p.CanManageUser(joinOwn) },
			map[string]bool{"admin": true, "staff": true, "own-admin": true}},
		{"grant member admin", func(p *Principal) bool { return p.CanGrant(joinOwn, RoleCompanyAdmin) },
			map[string]bool{"admin": true, "staff": true, "own-admin": true}},
		{"grant member staff", func(p *Principal) bool { return p.CanGrant(joinOwn, RoleCenterStaff) }, nil},
		{"grant staff admin", func(p *Principal) bool { return p.CanGrant(staffUser, RoleCenterAdmin) },
			map[string]bool{"admin": true}},
		{"list users", func(p *Principal) bool { return p.CanListUsers() },
			map[string]bool{"admin": true, "staff": true, "staff-read": true}},
		{"list own people", func(p *Principal) bool { return p.CanListUsersOf(1) },
			map[string]bool{"admin": true, "staff": true, "staff-read": true, "own-admin": true}},
		{"see own member", func(p *Principal) bool { return p.CanSeeUser(joinOwn) },
			map[string]bool{"admin": true, "staff": true, "staff-read": true, "own-admin": true}},
		{"see staff user", func(p *Principal) bool { return p.CanSeeUser(staffUser) },
			map[string]bool{"admin": true, "staff": true, "staff-read": true}},
		{"change tax code", func(p *Principal) bool { return p.CanChangeTaxCode() },
			map[string]bool{"admin": true, "staff": true}},
		{"invite to any company", func(p *Principal) bool { return p.CanInviteToAnyCompany() },
			map[string]bool{"admin": true, "staff": true}},
		{"read outbox", func(p *Principal) bool { return p.CanReadOutbox() }, map[string]bool{"admin": true}},
	}
	for _, tt := range tests {
		for who, p := range ps {
			if got := tt.got(p); got != tt.want[who] {
				t.Errorf("%s by %s = %v, want %v", tt.who, who, got, tt.want[who])
			}
		}
	}
}

func TestPolicySelf(t *testing.T) {
	ps := testPrincipals()
	me := ps["own-admin"]
	if me.CanManageUser(me.User) || me.CanGrant(me.User, RoleCompanyMember) {
		t.Error("nobody changes their own role or status")
	}
	if !me.CanSeeUser(me.User) || !ps["own-pending"].CanSeeUser(ps["own-pending"].User) {
		t.Error("a person sees their own account")
	}
	if !me.CanEraseUser(me.User) || !ps["own-pending"].CanEraseUser(ps["own-pending"].User) {
		t.Error("a person may erase their own account, whatever its status")
	}
	if ps["staff"].CanEraseUser(me.User) || !ps["admin"].CanEraseUser(me.User) {
		t.Error("only admins erase others' accounts")
	}
	if !ps["own-pending"].CanUseAccount() || ps["staff-read"].CanUseAccount() || Anonymous.CanUseAccount() {
		t.Error("account pages: any signed-in session, not tokens, not anonymous")
	}
}

// Demands: the buyer (company 10) and the center manage and see matches;
// verified suppliers see open demands shown to them; other buyers,
// unverified suppliers, officials and visitors see none.
func TestPolicyDemands(t *testing.T) {
	now := time.Now()
	member := func(company int64, kind Kind, verified bool) *Principal {
		return &Principal{User: &User{ID: company*10 + 1, Role: RoleCompanyMember, CompanyID: company, CompanyKind: kind,
			CompanyVerified: verified, Status: StatusActive, EmailConfirmed: &now}}
	}
	ps := testPrincipals()
	ps["buyer"] = member(10, Buyer, true)
	ps["other-buyer"] = member(11, Buyer, true)
	ps["supplier"] = member(12, Supplier, true)
	ps["both"] = member(13, Both, true)
	ps["unverified-supplier"] = member(14, Supplier, false)
	readSupplier := member(12, Supplier, true)
	readSupplier.Scope = ScopeRead
	ps["supplier-read"] = readSupplier

	open := &Demand{BuyerID: 10, Status: DemandOpen, Visibility: VisibleVerified}
	centerOnly := &Demand{BuyerID: 10, Status: DemandOpen, Visibility: VisibleCenter}
	draft := &Demand{BuyerID: 10, Status: DemandDraft, Visibility: VisibleVerified}
	type row struct {
		who                                 string
		seeOpen, seeHidden, manage, matches bool
		create, accept, drawings, opps      bool // create: for its own company
	}
	for _, tt := range []row{
		{who: "anonymous"},
		{who: "nil"},
		{"admin", true, true, true, true, true, false, true, true},
		{"staff", true, true, true, true, true, false, true, true},
		{who: "staff-read", seeOpen: true, seeHidden: true, matches: true, drawings: true, opps: true},
		{who: "official"},
		{"buyer", true, true, true, true, true, false, true, false},
		// another buyer posts its own demands and sees no one else's
		{who: "other-buyer", create: true},
		// a supplier sees, accepts the terms, reads the drawings once it
		// accepted; it posts no demand and sees its own opportunities
		{who: "supplier", seeOpen: true, accept: true, drawings: true, opps: true},
		{who: "supplier-read", seeOpen: true, drawings: true, opps: true},
		{who: "both", seeOpen: true, create: true, accept: true, drawings: true, opps: true},
		{who: "unverified-supplier", opps: true},
		{who: "own-pending"},
	} {
		p := ps[tt.who]
		own := p.CompanyID()
		if own == 0 {
			own = 12
		}
		got := row{tt.who, p.CanSeeDemand(open), p.CanSeeDemand(centerOnly) || p.CanSeeDemand(draft), p.CanManageDemand(open),
			p.CanSeeMatches(open) && p.CanSeeTargetPrice(open) && p.CanSeeDownloads(open),
			p.CanCreateDemandFor(own) && p.CanImportDemands(), p.CanAcceptTerms(open, false), p.CanReadDrawings(open, false, true),
			p.CanSeeOpportunities(own)}
		if got != tt {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.who, got, tt)
		}
		if !p.CanSeeMatches(open) && p.CanReadDrawings(open, false, false) {
			t.Errorf("%s reads drawings without accepting the terms", tt.who)
		}
		if p.CanReadDrawings(centerOnly, false, true) != p.CanSeeMatches(centerOnly) {
			t.Errorf("%s: drawings of a center-only demand %v", tt.who, p.CanReadDrawings(centerOnly, false, true))
		}
		if d := open.For(p); !p.CanSeeTargetPrice(open) && (d.TargetPrice != 0 || d.Currency != "") {
			t.Errorf("%s sees the target price", tt.who)
		}
	}
	// An invitation to quote opens a demand the catalogue hides (the
	// center's only, or closed) to the invited company: its terms, then its
	// drawings; never to people of no company or of the buyer.
	for _, tt := range []struct {
		who            string
		accept, invite bool
	}{
		{"supplier", true, true}, {"supplier-read", false, true}, {"both", true, true},
		{"unverified-supplier", true, true}, {"anonymous", false, false}, {"staff", false, true},
	} {
		p := ps[tt.who]
		if got := p.CanAcceptTerms(centerOnly, true); got != tt.accept {
			t.Errorf("%s invited: accept terms of a center-only demand %v, want %v", tt.who, got, tt.accept)
		}
		if got := p.CanReadDrawings(centerOnly, true, true); got != tt.invite {
			t.Errorf("%s invited, terms accepted: drawings of a center-only demand %v, want %v", tt.who, got, tt.invite)
		}
		if !p.CanSeeMatches(centerOnly) && p.CanReadDrawings(centerOnly, true, false) {
			t.Errorf("%s invited reads drawings without accepting the terms", tt.who)
		}
	}
	if (&Demand{TargetPrice: 5, Currency: "USD"}).For(ps["supplier"]).TargetPrice != 0 {
		t.Error("For left the target price to a supplier")
	}
}

// RFQs: the buyer (company 10) and the center run rounds and cases;
// invited suppliers (12 and 13) see the round and quote for themselves; a
// supplier sees no other company's quote, ever; sealed quotes are hidden
// from everyone, the buyer and the center too, until the deadline.
func TestPolicyRFQs(t *testing.T) {
	now := time.Now()
	deadline := now.Add(48 * time.Hour)
	member := func(company int64, kind Kind, status UserStatus, scope TokenScope) *Principal {
		return &Principal{Scope: scope, User: &User{ID: company*10 + int64(len(status)+len(scope)), Role: RoleCompanyMember, CompanyID: company,
			CompanyKind: kind, CompanyVerified: true, Status: status, EmailConfirmed: &now}}
	}
	ps := testPrincipals()
	ps["buyer"] = member(10, Buyer, StatusActive, "")
	ps["buyer-read"] = member(10, Buyer, StatusActive, ScopeRead)
	ps["other-buyer"] = member(11, Buyer, StatusActive, "")
	ps["supplier"] = member(12, Supplier, StatusActive, "")
	ps["supplier-token"] = member(12, Supplier, StatusActive, ScopeWrite)
	ps["supplier-read"] = member(12, Supplier, StatusActive, ScopeRead)
	ps["supplier-pending"] = member(12, Supplier, StatusPending, "")
	ps["other-supplier"] = member(13, Supplier, StatusActive, "")
	ps["uninvited"] = member(14, Supplier, StatusActive, "")
	invited := map[int64]bool{12: true, 13: true}

	d := &Demand{ID: 1, BuyerID: 10, Status: DemandOpen, Visibility: VisibleCenter}
	open := &RFQ{ID: 1, DemandID: 1, Deadline: deadline}
	sealed := &RFQ{ID: 2, DemandID: 1, Deadline: deadline, Sealed: true}
	iv := &Invitation{ID: 1, RFQID: 2, DemandID: 1, CompanyID: 12}
	submitted := func(r *RFQ, company int64) *Quote {
		return &Quote{ID: r.ID*100 + company, RFQID: r.ID, CompanyID: company, Revision: 1, SubmittedAt: &now}
	}
	draft := &Quote{ID: 3, RFQID: 1, CompanyID: 12}
	cs := &Case{ID: 1, DemandID: 1, CompanyID: 12, Stage: StageQuoted}
	before, after := deadline.Add(-time.Minute), deadline.Add(time.Minute)

	type row struct {
		who                          string
		request, seeRFQ, quote, ask  bool
		sealedBefore, sealedAtTime   bool // supplier 12's submitted quote in the sealed round
		sealedAfter, openBefore      bool
		draft                        bool // supplier 12's draft, even after the deadline
		answer, move, seeCase, board bool
	}
	buyer := row{request: true, seeRFQ: true, sealedAfter: true, openBefore: true, answer: true, move: true, seeCase: true}
	staff := buyer
	staff.board = true
	reader := row{seeRFQ: true, sealedAfter: true, openBefore: true, seeCase: true}
	staffReader := reader
	staffReader.board = true
	supplier := row{seeRFQ: true, quote: true, ask: true, sealedBefore: true, sealedAtTime: true, sealedAfter: true,
		openBefore: true, draft: true, seeCase: true}
	supplierReader := supplier
	supplierReader.quote, supplierReader.ask = false, false
	for _, tt := range []struct {
		who  string
		want row
	}{
		{"anonymous", row{}},
		{"nil", row{}},
		{"official", row{}},
		{"admin", staff},
		{"staff", staff},
		{"staff-read", staffReader},
		{"disabled-staff", row{}},
		{"buyer", buyer},
		{"buyer-read", reader},
		{"other-buyer", row{}},
		{"supplier", supplier},
		{"supplier-token", supplier},
		{"supplier-read", supplierReader},
		{"supplier-pending", row{}},
		// invited too, and still blind to supplier 12's quotes and case
		{"other-supplier", row{seeRFQ: true}},
		{"uninvited", row{}},
		{"own-admin", row{}},
	} {
		p := ps[tt.who]
		tt.want.who = tt.who
		q := submitted(sealed, 12)
		got := row{tt.who, p.CanRequestQuotes(d), p.CanSeeRFQ(d, invited[p.CompanyID()]), p.CanQuote(d, iv), p.CanAsk(iv),
			p.CanSeeQuote(d, q, sealed, before), p.CanSeeQuote(d, q, sealed, deadline), p.CanSeeQuote(d, q, sealed, after),
			p.CanSeeQuote(d, submitted(open, 12), open, before), p.CanSeeQuote(d, draft, open, after),
			p.CanAnswer(d), p.CanMoveCase(d), p.CanSeeCase(d, cs), p.CanSeeBoard()}
		if got != tt.want {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.who, got, tt.want)
		}
	}

	// Each invited supplier quotes, asks and sees its own quotes only.
	iv13 := &Invitation{ID: 2, RFQID: 2, DemandID: 1, CompanyID: 13}
	sup, other := ps["supplier"], ps["other-supplier"]
	if !other.CanQuote(d, iv13) || !other.CanAsk(iv13) || sup.CanQuote(d, iv13) || sup.CanAsk(iv13) {
		t.Error("a supplier acts under its own invitation only")
	}
	for _, at := range []time.Time{before, after} {
		if !other.CanSeeQuote(d, submitted(sealed, 13), sealed, at) || sup.CanSeeQuote(d, submitted(sealed, 13), sealed, at) {
			t.Errorf("at %v: a supplier sees its own quote and never another's", at)
		}
	}
	// Mismatched records are refused rather than trusted.
	for name, ok := range map[string]bool{
		"invitation of another demand":    sup.CanQuote(&Demand{ID: 2, BuyerID: 10}, iv),
		"buyer invited to its own demand": ps["buyer"].CanQuote(d, &Invitation{DemandID: 1, CompanyID: 10}),
		"quote of another round":          ps["buyer"].CanSeeQuote(d, submitted(open, 12), sealed, after),
		"round of another demand":         ps["buyer"].CanSeeQuote(&Demand{ID: 2, BuyerID: 10}, submitted(open, 12), open, after),
		"case of another demand":          sup.CanSeeCase(&Demand{ID: 2, BuyerID: 10}, cs),
		"submitted without a date":        ps["buyer"].CanSeeQuote(d, &Quote{RFQID: 1, CompanyID: 12, Revision: 1}, open, after),
		"nil demand":                      ps["staff"].CanSeeRFQ(nil, true) || ps["staff"].CanRequestQuotes(nil),
		"nil invitation":                  sup.CanQuote(d, nil) || sup.CanAsk(nil),
		"nil quote, round or case":        ps["staff"].CanSeeQuote(d, nil, open, after) || ps["staff"].CanSeeQuote(d, draft, nil, after) || ps["staff"].CanSeeCase(d, nil),
		"official told it was invited":    ps["official"].CanSeeRFQ(d, true),
	} {
		if ok {
			t.Errorf("%s: allowed", name)
		}
	}
}
