package web

import (
	"context"
	"net/url"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
)

// The route × role entries of the supplier's invitations and quotes and of
// the center board (quotes.go). Every request about an invitation is about
// a fresh round on a fresh open demand of company A (the buyer) inviting
// company B (otherAdmin's, verified, the supplier), so that one asker's
// quote or refusal does not spoil the next. Only the invited company's
// people use an invitation: the buyer's people, the center and the
// official get 404 for it (the round's own pages are theirs); the lists
// are for the people of any company; the board is the center's.

const (
	companyPeople = "ownAdmin ownMember otherAdmin"
	invitedOnly   = "otherAdmin"
)

func quoteMatrix() map[string]matrixRoute {
	onInv := func(method, format string, form url.Values, json string) func(*matrixFixture, string) call {
		return func(f *matrixFixture, _ string) call {
			return call{method: method, path: pathf(format, matrixInvitation(f).ID), form: form, json: json}
		}
	}
	quoteForm := url.Values{"action": {"submit"}, "unit_price": {"12500"}, "currency": {"VND"}, "break_qty": {"1000", ""},
		"break_price": {"11000", ""}, "mass_lead_days": {"30"}}
	quoteJSON := `{"unit_price":12500,"currency":"VND","price_breaks":[{"min_qty":1000,"unit_price":11000}],"incoterm":"FCA","delivery_place":"Bình Dương"}`
	return map[string]matrixRoute{
		"GET /invitations":                           {companyPeople, get("/invitations")},
		"GET /api/v1/invitations":                    {companyPeople, get("/api/v1/invitations")},
		"GET /invitations/{id}/quote":                {invitedOnly, onInv("GET", "/invitations/%d/quote", nil, "")},
		"POST /invitations/{id}/quote":               {invitedOnly, onInv("POST", "/invitations/%d/quote", quoteForm, "")},
		"POST /invitations/{id}/decline":             {invitedOnly, onInv("POST", "/invitations/%d/decline", url.Values{"reason": {"capacity"}}, "")},
		"POST /invitations/{id}/questions":           {invitedOnly, onInv("POST", "/invitations/%d/questions", url.Values{"text": {"Dung sai?"}}, "")},
		"GET /api/v1/invitations/{id}":               {invitedOnly, onInv("GET", "/api/v1/invitations/%d", nil, "")},
		"PUT /api/v1/invitations/{id}/quote":         {invitedOnly, onInv("PUT", "/api/v1/invitations/%d/quote", nil, quoteJSON)},
		"POST /api/v1/invitations/{id}/quote/submit": {invitedOnly, onInv("POST", "/api/v1/invitations/%d/quote/submit", nil, quoteJSON)},
		"POST /api/v1/invitations/{id}/decline":      {invitedOnly, onInv("POST", "/api/v1/invitations/%d/decline", nil, `{"reason":"price","note":"x"}`)},
		"POST /api/v1/invitations/{id}/questions":    {invitedOnly, onInv("POST", "/api/v1/invitations/%d/questions", nil, `{"text":"Dung sai?"}`)},
		"GET /board":        {staffOnly, get("/board?stalled_days=7")},
		"GET /board.xlsx":   {staffOnly, get("/board.xlsx")},
		"GET /api/v1/board": {staffOnly, get("/api/v1/board")},
	}
}

// matrixInvitation opens a round on a fresh demand of company A inviting
// company B, and returns B's invitation.
func matrixInvitation(f *matrixFixture) *sihub.Invitation {
	f.t.Helper()
	return newInvitations(f.e, drawingDemand(f), f.B)[0]
}

// newInvitations opens a round on demand d inviting suppliers,
// its deadline three days after the store's clock (the real one), and
// returns the invitations in the order of suppliers.
func newInvitations(e *testEnv, d *sihub.Demand, suppliers ...*sihub.Company) []*sihub.Invitation {
	e.t.Helper()
	return newRound(e, d, time.Now().Add(72*time.Hour), false, suppliers...).invs
}

type testRound struct {
	rq   *sihub.RFQ
	invs []*sihub.Invitation
}

func newRound(e *testEnv, d *sihub.Demand, deadline time.Time, sealed bool, suppliers ...*sihub.Company) testRound {
	e.t.Helper()
	rq := &sihub.RFQ{DemandID: d.ID, Message: "Xin báo giá", Deadline: deadline, Sealed: sealed}
	ids := make([]int64, len(suppliers))
	for i, c := range suppliers {
		ids[i] = c.ID
	}
	invs, err := e.db.CreateRFQ(context.Background(), rq, ids, nil)
	if err != nil {
		e.t.Fatalf("CreateRFQ: %v", err)
	}
	byCompany := map[int64]*sihub.Invitation{}
	for _, iv := range invs {
		byCompany[iv.CompanyID] = iv
	}
	out := make([]*sihub.Invitation, len(suppliers))
	for i, c := range suppliers {
		out[i] = byCompany[c.ID]
	}
	return testRound{rq: rq, invs: out}
}
