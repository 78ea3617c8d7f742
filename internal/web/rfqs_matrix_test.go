package web

import (
	"context"
	"net/url"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
)

// rfqMatrix holds the route × role entries of the buyer's RFQ routes: the
// buyer's people and the center only. Company B, invited to quote on A's
// demand, sees the demand and the round but is refused the buyer's view
// (403); the official does not see them at all (404).
func rfqMatrix() map[string]matrixRoute {
	onDemand := func(method, format string, form url.Values, json string) func(*matrixFixture, string) call {
		return func(f *matrixFixture, _ string) call {
			return call{method: method, path: pathf(format, f.matrixDemand().ID), form: form, json: json}
		}
	}
	onRFQ := func(method, format string, form url.Values, json string) func(*matrixFixture, string) call {
		return func(f *matrixFixture, _ string) call {
			return call{method: method, path: pathf(format, f.matrixRFQ().ID), form: form, json: json}
		}
	}
	onQuestion := func(format string, form url.Values, json string) func(*matrixFixture, string) call {
		return func(f *matrixFixture, _ string) call {
			rq := f.matrixRFQ()
			return call{method: "POST", path: pathf(format, rq.ID, f.matrixQuestion(rq).ID), form: form, json: json}
		}
	}
	onCase := func(method, format string, form url.Values, json string) func(*matrixFixture, string) call {
		return func(f *matrixFixture, _ string) call {
			return call{method: method, path: pathf(format, f.matrixCase().ID), form: form, json: json}
		}
	}
	// A follow-up step at the stage the case is at: allowed again and again.
	follow := url.Values{"stage": {"invited"}, "note": {"Gọi lại"}}
	return map[string]matrixRoute{
		"GET /demands/{id}/rfqs": {ownPeople, onDemand("GET", "/demands/%d/rfqs", nil, "")},
		// No supplier ticked: the allowed are told to choose one (422).
		"POST /demands/{id}/rfqs":                     {ownPeople, onDemand("POST", "/demands/%d/rfqs", url.Values{"message": {"x"}}, "")},
		"GET /rfqs/{id}":                              {ownPeople, onRFQ("GET", "/rfqs/%d", nil, "")},
		"POST /rfqs/{id}/extend":                      {ownPeople, onRFQ("POST", "/rfqs/%d/extend", url.Values{"deadline": {""}}, "")},
		"POST /rfqs/{id}/questions/{q}/answer":        {ownPeople, onQuestion("/rfqs/%d/questions/%d/answer", url.Values{"answer": {"Dung sai ±0,05 mm."}}, "")},
		"GET /demands/{id}/cases":                     {ownPeople, onDemand("GET", "/demands/%d/cases", nil, "")},
		"POST /cases/{id}/move":                       {ownPeople, onCase("POST", "/cases/%d/move", follow, "")},
		"GET /api/v1/demands/{id}/rfqs":               {ownPeople, onDemand("GET", "/api/v1/demands/%d/rfqs", nil, "")},
		"POST /api/v1/demands/{id}/rfqs":              {ownPeople, onDemand("POST", "/api/v1/demands/%d/rfqs", nil, `{"company_ids":[],"deadline":""}`)},
		"GET /api/v1/rfqs/{id}":                       {ownPeople, onRFQ("GET", "/api/v1/rfqs/%d", nil, "")},
		"POST /api/v1/rfqs/{id}/extend":               {ownPeople, onRFQ("POST", "/api/v1/rfqs/%d/extend", nil, `{"deadline":""}`)},
		"POST /api/v1/rfqs/{id}/questions/{q}/answer": {ownPeople, onQuestion("/api/v1/rfqs/%d/questions/%d/answer", nil, `{"answer":"Dung sai ±0,05 mm."}`)},
		"GET /api/v1/demands/{id}/cases":              {ownPeople, onDemand("GET", "/api/v1/demands/%d/cases", nil, "")},
		"POST /api/v1/cases/{id}/move":                {ownPeople, onCase("POST", "/api/v1/cases/%d/move", nil, `{"stage":"invited","note":"Gọi lại"}`)},
		"GET /api/v1/cases/{id}/steps":                {ownPeople, onCase("GET", "/api/v1/cases/%d/steps", nil, "")},
	}
}

// matrixRFQ is the first round of company A's demand matrixDemand,
// inviting company B, made on first use; its deadline is a month ahead of
// the real clock, which the store checks.
func (f *matrixFixture) matrixRFQ() *sihub.RFQ {
	ctx := context.Background()
	d := f.matrixDemand()
	rs, err := f.e.db.RFQs(ctx, d.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	if len(rs) > 0 {
		return rs[0]
	}
	rq := &sihub.RFQ{DemandID: d.ID, Message: "Báo giá 10.000 vỏ/năm", Deadline: time.Now().Add(30 * 24 * time.Hour)}
	if _, err := f.e.db.CreateRFQ(ctx, rq, []int64{f.B.ID}, nil); err != nil {
		f.t.Fatal(err)
	}
	return rq
}

// matrixQuestion is company B's question in round rq, asked on first use.
func (f *matrixFixture) matrixQuestion(rq *sihub.RFQ) *sihub.Question {
	ctx := context.Background()
	qs, err := f.e.db.Questions(ctx, rq.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	if len(qs) > 0 {
		return qs[0]
	}
	q, err := f.e.db.AskQuestion(ctx, rq.ID, f.B.ID, "Dung sai của lỗ lắp là bao nhiêu?", nil)
	if err != nil {
		f.t.Fatal(err)
	}
	return q
}

// matrixCase is company B's case for matrixDemand.
func (f *matrixFixture) matrixCase() *sihub.Case {
	f.matrixRFQ()
	cs, err := f.e.db.CasesOf(context.Background(), f.matrixDemand().ID)
	if err != nil || len(cs) == 0 {
		f.t.Fatalf("cases of the matrix demand: %v, %d", err, len(cs))
	}
	return cs[0]
}
