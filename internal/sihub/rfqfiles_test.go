package sihub

import (
	"testing"
	"time"
)

func TestPolicyRFQFiles(t *testing.T) {
	now := time.Now()
	deadline := now.Add(48 * time.Hour)
	member := func(company int64, kind Kind, status UserStatus, scope TokenScope) *Principal {
		return &Principal{Scope: scope, User: &User{ID: company*10 + int64(len(status)+len(scope)), Role: RoleCompanyMember, CompanyID: company,
			CompanyKind: kind, CompanyVerified: true, Status: status, EmailConfirmed: &now}}
	}
	ps := testPrincipals()
	ps["buyer"] = member(10, Buyer, StatusActive, "")
	ps["buyer-read"] = member(10, Buyer, StatusActive, ScopeRead)
	ps["supplier"] = member(12, Supplier, StatusActive, "")
	ps["supplier-read"] = member(12, Supplier, StatusActive, ScopeRead)
	ps["supplier-pending"] = member(12, Supplier, StatusPending, "")
	ps["other-supplier"] = member(13, Supplier, StatusActive, "")

	d := &Demand{ID: 1, BuyerID: 10, Status: DemandOpen, Visibility: VisibleCenter}
	sealed := &RFQ{ID: 2, DemandID: 1, Deadline: deadline, Sealed: true}
	open := &RFQ{ID: 3, DemandID: 1, Deadline: deadline}
	iv := &Invitation{ID: 1, RFQID: 2, DemandID: 1, CompanyID: 12}
	rev := func(r *RFQ) *Quote {
		return &Quote{ID: 7, InvitationID: 1, RFQID: r.ID, CompanyID: 12, Revision: 1, SubmittedAt: &now}
	}
	file := func(r *RFQ, revision int) *RFQFile {
		return &RFQFile{ID: 5, RFQID: r.ID, InvitationID: 1, CompanyID: 12, Revision: revision}
	}
	before, after := deadline.Add(-time.Minute), deadline.Add(time.Minute)

	type row struct {
		who                      string
		changeRound, changeQuote bool
		draft                    bool // supplier 12's draft file, even after the deadline
		openBefore               bool // its submitted file in an open round, before the deadline
		sealedBefore             bool // its submitted file in a sealed round, before the deadline
		sealedAfter              bool // … and after
	}
	center := row{changeRound: true, openBefore: true, sealedAfter: true}
	own := row{changeQuote: true, draft: true, openBefore: true, sealedBefore: true, sealedAfter: true}
	for _, tt := range []row{
		{who: "anonymous"},
		{who: "nil"},
		{who: "official"},
		{who: "disabled-staff"},
		{who: "other-supplier"},
		{who: "supplier-pending"},
		func() row { r := center; r.who = "admin"; return r }(),
		func() row { r := center; r.who = "staff"; return r }(),
		func() row { r := center; r.who = "buyer"; return r }(),
		// A read-only token reads, and changes nothing.
		func() row { r := center; r.who, r.changeRound = "staff-read", false; return r }(),
		func() row { r := center; r.who, r.changeRound = "buyer-read", false; return r }(),
		func() row { r := own; r.who = "supplier"; return r }(),
		func() row { r := own; r.who, r.changeQuote = "supplier-read", false; return r }(),
	} {
		p := ps[tt.who]
		check := func(what string, got, want bool) {
			t.Helper()
			if got != want {
				t.Errorf("%s: %s = %v, want %v", tt.who, what, got, want)
			}
		}
		check("CanChangeRoundFiles", p.CanChangeRoundFiles(d), tt.changeRound)
		check("CanChangeQuoteFiles", p.CanChangeQuoteFiles(d, iv), tt.changeQuote)
		check("draft file", p.CanSeeQuoteFile(d, file(sealed, 0), nil, sealed, after), tt.draft)
		check("submitted file, open round", p.CanSeeQuoteFile(d, file(open, 1), rev(open), open, before), tt.openBefore)
		check("submitted file, sealed round, before", p.CanSeeQuoteFile(d, file(sealed, 1), rev(sealed), sealed, before), tt.sealedBefore)
		check("submitted file, sealed round, after", p.CanSeeQuoteFile(d, file(sealed, 1), rev(sealed), sealed, after), tt.sealedAfter)
		// The buyer's files of the round follow the drawing rule.
		check("CanReadRoundFiles, not accepted", p.CanReadRoundFiles(d, true, false), p.CanSeeMatches(d))
	}

	// The file must be the revision's, of the round, of the demand.
	buyer := ps["buyer"]
	for name, c := range map[string]struct {
		f *RFQFile
		q *Quote
		r *RFQ
	}{
		"the round's own file":   {&RFQFile{ID: 5, RFQID: 3, Revision: 1}, rev(open), open},
		"another round":          {file(sealed, 1), rev(open), open},
		"another revision":       {file(open, 2), rev(open), open},
		"no quote":               {file(open, 1), nil, open},
		"a draft file":           {file(open, 0), &Quote{ID: 8, InvitationID: 1, RFQID: 3, CompanyID: 12}, open},
		"another demand's round": {file(&RFQ{ID: 4, DemandID: 2}, 1), rev(&RFQ{ID: 4, DemandID: 2}), &RFQ{ID: 4, DemandID: 2, Deadline: deadline}},
	} {
		if buyer.CanSeeQuoteFile(d, c.f, c.q, c.r, before) {
			t.Errorf("%s: the buyer sees the file", name)
		}
	}
	// An invited supplier reads the round's files once it accepted the
	// terms; another supplier of the round does too, but never a
	// competitor's quote file.
	if !ps["other-supplier"].CanReadRoundFiles(d, true, true) || ps["other-supplier"].CanReadRoundFiles(d, false, true) {
		t.Error("round files: the drawing rule is not applied")
	}
}
