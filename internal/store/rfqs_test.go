package store

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
)

// rfqFixture is a demand of a buyer, three suppliers, the buyer's person
// and a context acting as them.
type rfqFixture struct {
	ctx       context.Context
	demand    *sihub.Demand
	suppliers []int64
	buyer     *sihub.User
	staff     *sihub.User
}

func newRFQFixture(t *testing.T, db *DB) *rfqFixture {
	t.Helper()
	ctx := context.Background()
	mustCreate(t, db, company(1, "Nhựa Tân Tiến"), company(2, "Cơ khí Đông Á"), company(3, "Khuôn mẫu Việt"),
		company(4, "Đúc Sài Gòn"))
	d := demandFor(10, "Bosch", "P-1", "Housing", func(d *sihub.Demand) { d.AnnualVolume = 5000 })
	if _, _, err := db.UpsertDemands(ctx, []*sihub.Demand{d}); err != nil {
		t.Fatal(err)
	}
	buyer, err := db.CreateUser(ctx, NewUser{Email: "mua@bosch.vn", Role: sihub.RoleCompanyAdmin, CompanyID: d.BuyerID})
	if err != nil {
		t.Fatal(err)
	}
	staff, err := db.CreateUser(ctx, NewUser{Email: "staff@sihub.vn", Role: sihub.RoleCenterStaff})
	if err != nil {
		t.Fatal(err)
	}
	return &rfqFixture{
		ctx:    sihub.WithActor(ctx, sihub.Actor{UserID: buyer.ID, Label: buyer.Email}),
		demand: d, suppliers: []int64{1, 2, 3, 4}, buyer: buyer, staff: staff,
	}
}

// round creates a round of f's demand inviting companies, due in 48 hours.
func (f *rfqFixture) round(t *testing.T, db *DB, sealed bool, companies ...int64) (*sihub.RFQ, []*sihub.Invitation) {
	t.Helper()
	r := &sihub.RFQ{DemandID: f.demand.ID, Message: "Xin báo giá", Deadline: time.Now().Add(48 * time.Hour),
		Sealed: sealed, CreatedBy: f.buyer.ID}
	invs, err := db.CreateRFQ(f.ctx, r, companies, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r, invs
}

// setDeadline moves a round's deadline directly, to test rounds whose
// deadline passed (RFQ.Validate refuses creating them).
func setDeadline(t *testing.T, db *DB, id int64, at time.Time) {
	t.Helper()
	if _, err := db.w.Exec(db.q(`UPDATE rfqs SET deadline = ? WHERE id = ?`), at, id); err != nil {
		t.Fatal(err)
	}
}

func caseFor(t *testing.T, db *DB, demandID, companyID int64) *sihub.Case {
	t.Helper()
	cs, err := db.CasesOf(context.Background(), demandID)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.CompanyID == companyID {
			return c
		}
	}
	t.Fatalf("no case of company %d for demand %d", companyID, demandID)
	return nil
}

func stepsOf(t *testing.T, db *DB, caseID int64) []*sihub.CaseStep {
	t.Helper()
	ss, err := db.CaseSteps(context.Background(), caseID)
	if err != nil {
		t.Fatal(err)
	}
	return ss
}

func TestCreateRFQ(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		f := newRFQFixture(t, db)
		ctx := f.ctx
		r, invs := f.round(t, db, true, 1, 2, 3, 1)
		if r.ID == 0 || r.Round != 1 || r.CreatedBy != f.buyer.ID || r.CreatedAt.IsZero() || !r.Sealed {
			t.Fatalf("round: %+v", r)
		}
		if len(invs) != 3 {
			t.Fatalf("%d invitations, want 3 (a duplicate ignored)", len(invs))
		}
		for i, iv := range invs {
			if iv.CompanyID != int64(i+1) || iv.State != sihub.InvNew || iv.RFQID != r.ID || iv.DemandID != f.demand.ID ||
				iv.CompanyName == "" || iv.CompanyTaxCode != taxCode(i+1) || iv.ViewedAt != nil {
				t.Errorf("invitation %d: %+v", i, iv)
			}
		}
		if got, err := db.RFQ(ctx, r.ID); err != nil || !reflect.DeepEqual(got, r) {
			t.Errorf("RFQ: %+v, %v; want %+v", got, err, r)
		}
		if got, err := db.Invitations(ctx, r.ID); err != nil || !reflect.DeepEqual(got, invs) {
			t.Errorf("Invitations: %v, %v", got, err)
		}
		if got, err := db.Invitation(ctx, invs[1].ID); err != nil || !reflect.DeepEqual(got, invs[1]) {
			t.Errorf("Invitation: %+v, %v", got, err)
		}
		// Each supplier has a case at invited, with its first step.
		cs, err := db.CasesOf(ctx, f.demand.ID)
		if err != nil || len(cs) != 3 {
			t.Fatalf("cases: %v, %v", cs, err)
		}
		for _, c := range cs {
			ss := stepsOf(t, db, c.ID)
			if c.Stage != sihub.StageInvited || c.Owner != f.buyer.ID || len(ss) != 1 ||
				ss[0].From != "" || ss[0].To != sihub.StageInvited || ss[0].By != f.buyer.ID {
				t.Errorf("case %+v, steps %+v", c, ss)
			}
		}
		// A second round: numbered 2; a supplier already in has no
		// second case.
		r2, invs2 := f.round(t, db, false, 1, 4)
		if r2.Round != 2 || len(invs2) != 2 {
			t.Fatalf("second round %+v, %d invitations", r2, len(invs2))
		}
		if cs, _ := db.CasesOf(ctx, f.demand.ID); len(cs) != 4 || len(stepsOf(t, db, caseFor(t, db, f.demand.ID, 1).ID)) != 1 {
			t.Errorf("cases after the second round: %d", len(cs))
		}
		if rs, err := db.RFQs(ctx, f.demand.ID); err != nil || len(rs) != 2 || rs[0].ID != r.ID || rs[1].ID != r2.ID {
			t.Errorf("RFQs: %v, %v", rs, err)
		}
		if mine, err := db.InvitationsOf(ctx, 1); err != nil || len(mine) != 2 || mine[0].ID != invs2[0].ID || mine[1].ID != invs[0].ID {
			t.Errorf("InvitationsOf: %v, %v", mine, err)
		}

		future := time.Now().Add(time.Hour)
		for _, bad := range []struct {
			name      string
			r         sihub.RFQ
			companies []int64
			code      sihub.Code
		}{
			{"no supplier", sihub.RFQ{DemandID: f.demand.ID, Deadline: future}, nil, sihub.ErrInvalid},
			{"missing demand", sihub.RFQ{DemandID: 999, Deadline: future}, []int64{1}, sihub.ErrNotFound},
			{"missing company", sihub.RFQ{DemandID: f.demand.ID, Deadline: future}, []int64{1, 999}, sihub.ErrNotFound},
			{"the buyer", sihub.RFQ{DemandID: f.demand.ID, Deadline: future}, []int64{f.demand.BuyerID}, sihub.ErrInvalid},
			{"past deadline", sihub.RFQ{DemandID: f.demand.ID, Deadline: time.Now().Add(-time.Minute)}, []int64{1}, sihub.ErrInvalid},
			{"no deadline", sihub.RFQ{DemandID: f.demand.ID}, []int64{1}, sihub.ErrInvalid},
			{"NUL", sihub.RFQ{DemandID: f.demand.ID, Deadline: future, Message: "a\x00"}, []int64{1}, sihub.ErrInvalid},
		} {
			t.Run(bad.name, func(t *testing.T) {
				_, err := db.CreateRFQ(ctx, &bad.r, bad.companies, nil)
				wantCode(t, err, bad.code)
			})
		}
		if rs, _ := db.RFQs(ctx, f.demand.ID); len(rs) != 2 {
			t.Errorf("refused rounds left %d rounds", len(rs))
		}

		// Extensions: later only, recorded; a closed round stays closed.
		_, err = db.ExtendRFQ(ctx, r.ID, r.Deadline.Add(-time.Hour), nil)
		wantCode(t, err, sihub.ErrInvalid)
		to := r.Deadline.Add(24 * time.Hour).Truncate(time.Microsecond)
		ext, err := db.ExtendRFQ(ctx, r.ID, to, nil)
		if err != nil || !ext.Deadline.Equal(to) {
			t.Fatalf("extend: %+v, %v", ext, err)
		}
		if got, _ := db.RFQ(ctx, r.ID); !got.Deadline.Equal(to) {
			t.Errorf("deadline %v after extending to %v", got.Deadline, to)
		}
		changes, err := db.DeadlineChanges(ctx, r.ID)
		if err != nil || len(changes) != 1 || !changes[0].From.Equal(r.Deadline) || !changes[0].To.Equal(to) || changes[0].By != f.buyer.ID {
			t.Errorf("changes: %+v, %v", changes, err)
		}
		setDeadline(t, db, r2.ID, time.Now().Add(-time.Minute))
		_, err = db.ExtendRFQ(ctx, r2.ID, time.Now().Add(time.Hour), nil)
		wantCode(t, err, sihub.ErrConflict)
		_, err = db.ExtendRFQ(ctx, 999, to, nil)
		wantCode(t, err, sihub.ErrNotFound)
		_, err = db.RFQ(ctx, 999)
		wantCode(t, err, sihub.ErrNotFound)
		_, err = db.Invitation(ctx, 999)
		wantCode(t, err, sihub.ErrNotFound)
	})
}

// A complete quote.
func quoteFor(invID int64, price float64) *sihub.Quote {
	valid := time.Date(2027, 6, 30, 0, 0, 0, 0, time.UTC)
	return &sihub.Quote{InvitationID: invID, UnitPrice: price, Currency: "usd",
		Breaks: []sihub.PriceBreak{{MinQty: 10000, UnitPrice: price * 0.9}, {MinQty: 1000, UnitPrice: price * 0.95}},
		MOQ:    500, ToolingCost: 12000.5, SampleLeadDays: 20, MassLeadDays: 45, ValidUntil: &valid,
		PaymentTerms: "30 ngày", Incoterm: "fob", DeliveryPlace: "Cát Lái", Notes: "Giá chưa gồm VAT"}
}

func TestQuotes(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		f := newRFQFixture(t, db)
		ctx := f.ctx
		r, invs := f.round(t, db, true, 1, 2, 3)
		now := time.Now()
		late := r.Deadline.Add(time.Second)

		// Viewing: new → viewed, once.
		if err := db.MarkViewed(ctx, invs[0].ID); err != nil {
			t.Fatal(err)
		}
		iv, _ := db.Invitation(ctx, invs[0].ID)
		if iv.State != sihub.InvViewed || iv.ViewedAt == nil {
			t.Fatalf("viewed: %+v", iv)
		}
		if err := db.MarkViewed(ctx, invs[0].ID); err != nil {
			t.Fatal(err)
		}
		if again, _ := db.Invitation(ctx, invs[0].ID); !again.ViewedAt.Equal(*iv.ViewedAt) {
			t.Errorf("viewed again at %v, first at %v", again.ViewedAt, iv.ViewedAt)
		}
		wantCode(t, db.MarkViewed(ctx, 999), sihub.ErrNotFound)

		// A draft may be incomplete; what it holds must be valid.
		draft := &sihub.Quote{InvitationID: invs[0].ID, MOQ: 100, Notes: "đang tính"}
		if err := db.SaveDraft(ctx, draft, now); err != nil {
			t.Fatal(err)
		}
		if draft.ID == 0 || draft.Revision != 0 || draft.RFQID != r.ID || draft.CompanyID != 1 || draft.SubmittedAt != nil {
			t.Fatalf("draft: %+v", draft)
		}
		if got, err := db.Draft(ctx, invs[0].ID); err != nil || !reflect.DeepEqual(got, draft) {
			t.Errorf("Draft: %+v, %v; want %+v", got, err, draft)
		}
		if iv, _ := db.Invitation(ctx, invs[0].ID); iv.State != sihub.InvDraft {
			t.Errorf("state %s after a draft", iv.State)
		}
		for _, bad := range []*sihub.Quote{
			{InvitationID: invs[0].ID, Incoterm: "XYZ"},
			{InvitationID: invs[0].ID, Currency: "EUR"},
			{InvitationID: invs[0].ID, MOQ: -1},
			{InvitationID: invs[0].ID, Notes: "a\x00b"},
			{InvitationID: invs[0].ID, Breaks: []sihub.PriceBreak{{MinQty: 0, UnitPrice: 1}}},
		} {
			wantCode(t, db.SaveDraft(ctx, bad, now), sihub.ErrInvalid)
		}
		wantCode(t, db.SaveDraft(ctx, &sihub.Quote{InvitationID: 999}, now), sihub.ErrNotFound)
		// An incomplete draft is not submitted.
		_, err := db.SubmitQuote(ctx, invs[0].ID, now)
		wantCode(t, err, sihub.ErrInvalid)
		// Nor is there anything to submit without a draft.
		_, err = db.SubmitQuote(ctx, invs[2].ID, now)
		wantCode(t, err, sihub.ErrInvalid)

		// Submit, revise, submit again: every revision kept.
		q := quoteFor(invs[0].ID, 2.5)
		if err := db.SaveDraft(ctx, q, now); err != nil {
			t.Fatal(err)
		}
		if q.ID != draft.ID || q.Currency != "USD" || q.Incoterm != "FOB" || q.Breaks[0].MinQty != 1000 {
			t.Errorf("saved draft %+v (same row, normalized, breaks sorted)", q)
		}
		rev1, err := db.SubmitQuote(ctx, invs[0].ID, now)
		if err != nil {
			t.Fatal(err)
		}
		if rev1.Revision != 1 || rev1.SubmittedAt == nil || rev1.UnitPrice != 2.5 || rev1.ToolingCost != 12000.5 || !rev1.Submitted() {
			t.Fatalf("revision 1: %+v", rev1)
		}
		if iv, _ := db.Invitation(ctx, invs[0].ID); iv.State != sihub.InvQuoted {
			t.Errorf("state %s after submitting", iv.State)
		}
		c := caseFor(t, db, f.demand.ID, 1)
		if ss := stepsOf(t, db, c.ID); c.Stage != sihub.StageQuoted || len(ss) != 2 || ss[1].From != sihub.StageInvited || ss[1].By != f.buyer.ID {
			t.Errorf("case after quoting: %+v, %+v", c, ss)
		}
		q.UnitPrice = 2.2
		if err := db.SaveDraft(ctx, q, now); err != nil {
			t.Fatal(err)
		}
		if iv, _ := db.Invitation(ctx, invs[0].ID); iv.State != sihub.InvQuoted {
			t.Errorf("a new draft moved a quoted invitation to %s", iv.State)
		}
		rev2, err := db.SubmitQuote(ctx, invs[0].ID, now)
		if err != nil || rev2.Revision != 2 || rev2.UnitPrice != 2.2 {
			t.Fatalf("revision 2: %+v, %v", rev2, err)
		}
		revs, err := db.QuoteRevisions(ctx, invs[0].ID)
		if err != nil || len(revs) != 3 || revs[0].Revision != 0 || !reflect.DeepEqual(revs[1], rev1) || !reflect.DeepEqual(revs[2], rev2) {
			t.Fatalf("revisions: %+v, %v", revs, err)
		}
		if c2 := caseFor(t, db, f.demand.ID, 1); len(stepsOf(t, db, c2.ID)) != 2 {
			t.Error("a revision moved the case again")
		}

		// A second supplier quotes; Quotes holds each one's latest.
		if err := db.SaveDraft(ctx, quoteFor(invs[1].ID, 3), now); err != nil {
			t.Fatal(err)
		}
		other, err := db.SubmitQuote(ctx, invs[1].ID, now)
		if err != nil {
			t.Fatal(err)
		}
		if qs, err := db.Quotes(ctx, r.ID); err != nil || !reflect.DeepEqual(qs, []*sihub.Quote{rev2, other}) {
			t.Errorf("Quotes: %+v, %v", qs, err)
		}

		// The second declines after quoting: its quote is withdrawn, its
		// revisions stay, its case is lost.
		wantCode(t, db.DeclineInvitation(ctx, invs[1].ID, "busy", "", now), sihub.ErrInvalid)
		if err := db.DeclineInvitation(ctx, invs[1].ID, sihub.DeclinePrice, "Giá mục tiêu quá thấp", now); err != nil {
			t.Fatal(err)
		}
		iv, _ = db.Invitation(ctx, invs[1].ID)
		if iv.State != sihub.InvDeclined || iv.DeclineReason != sihub.DeclinePrice || iv.DeclineNote != "Giá mục tiêu quá thấp" {
			t.Errorf("declined: %+v", iv)
		}
		if qs, _ := db.Quotes(ctx, r.ID); !reflect.DeepEqual(qs, []*sihub.Quote{rev2}) {
			t.Errorf("Quotes after a decline: %+v", qs)
		}
		if revs, _ := db.QuoteRevisions(ctx, invs[1].ID); len(revs) != 2 {
			t.Errorf("%d revisions of the declined supplier, want 2", len(revs))
		}
		if c := caseFor(t, db, f.demand.ID, 2); c.Stage != sihub.StageLost || c.LostReason != "declined: price" {
			t.Errorf("case of the declined supplier: %+v", c)
		}
		wantCode(t, db.DeclineInvitation(ctx, invs[1].ID, sihub.DeclineOther, "", now), sihub.ErrConflict)
		wantCode(t, db.SaveDraft(ctx, quoteFor(invs[1].ID, 1), now), sihub.ErrConflict)
		_, err = db.SubmitQuote(ctx, invs[1].ID, now)
		wantCode(t, err, sihub.ErrConflict)

		// Nothing after the deadline.
		wantCode(t, db.SaveDraft(ctx, quoteFor(invs[0].ID, 1), late), sihub.ErrConflict)
		_, err = db.SubmitQuote(ctx, invs[0].ID, late)
		wantCode(t, err, sihub.ErrConflict)
		wantCode(t, db.DeclineInvitation(ctx, invs[2].ID, sihub.DeclineCapacity, "", late), sihub.ErrConflict)
		if revs, _ := db.QuoteRevisions(ctx, invs[0].ID); len(revs) != 3 || revs[0].UnitPrice != 2.2 {
			t.Errorf("refused writes changed the quotes: %+v", revs)
		}
		// An extension reopens that moment.
		if _, err := db.ExtendRFQ(ctx, r.ID, late.Add(time.Hour), nil); err != nil {
			t.Fatal(err)
		}
		if rev3, err := db.SubmitQuote(ctx, invs[0].ID, late); err != nil || rev3.Revision != 3 {
			t.Errorf("after extending: %+v, %v", rev3, err)
		}
	})
}

func TestQuestions(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		f := newRFQFixture(t, db)
		ctx := f.ctx
		r, invs := f.round(t, db, false, 1, 2)
		q, err := db.AskQuestion(ctx, r.ID, 2, "  Dung sai bao nhiêu? ", nil)
		if err != nil || q.ID == 0 || q.Text != "Dung sai bao nhiêu?" || q.AskedBy != 2 || q.Answer != "" || q.AnsweredAt != nil {
			t.Fatalf("asked: %+v, %v", q, err)
		}
		for _, bad := range []struct {
			rfq, company int64
			text         string
			code         sihub.Code
		}{
			{r.ID, 3, "Không được mời", sihub.ErrInvalid},
			{r.ID, 1, " ", sihub.ErrInvalid},
			{r.ID, 1, strings.Repeat("x", maxRFQText+1), sihub.ErrInvalid},
			{999, 1, "?", sihub.ErrNotFound},
		} {
			_, err := db.AskQuestion(ctx, bad.rfq, bad.company, bad.text, nil)
			wantCode(t, err, bad.code)
		}
		a, err := db.AnswerQuestion(ctx, q.ID, "±0,05 mm", f.buyer.ID, nil)
		if err != nil || a.Answer != "±0,05 mm" || a.AnsweredAt == nil || a.ID != q.ID {
			t.Fatalf("answered: %+v, %v", a, err)
		}
		_, err = db.AnswerQuestion(ctx, q.ID, "", f.buyer.ID, nil)
		wantCode(t, err, sihub.ErrInvalid)
		_, err = db.AnswerQuestion(ctx, 999, "x", f.buyer.ID, nil)
		wantCode(t, err, sihub.ErrNotFound)
		if qs, err := db.Questions(ctx, r.ID); err != nil || !reflect.DeepEqual(qs, []*sihub.Question{a}) {
			t.Errorf("Questions: %+v, %v", qs, err)
		}
		// A supplier that declined, or a round past its deadline, takes
		// no more questions.
		if err := db.DeclineInvitation(ctx, invs[0].ID, sihub.DeclineCapacity, "", time.Now()); err != nil {
			t.Fatal(err)
		}
		_, err = db.AskQuestion(ctx, r.ID, 1, "?", nil)
		wantCode(t, err, sihub.ErrConflict)
		setDeadline(t, db, r.ID, time.Now().Add(-time.Minute))
		_, err = db.AskQuestion(ctx, r.ID, 2, "?", nil)
		wantCode(t, err, sihub.ErrConflict)
		// Answers still may come.
		if _, err := db.AnswerQuestion(ctx, q.ID, "±0,1 mm", f.staff.ID, nil); err != nil {
			t.Error(err)
		}
	})
}

func TestCaseMoves(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		f := newRFQFixture(t, db)
		ctx := f.ctx
		f.round(t, db, false, 1, 2, 3)
		c := caseFor(t, db, f.demand.ID, 1)
		next := time.Date(2027, 1, 15, 9, 0, 0, 0, time.UTC)
		for _, m := range []struct {
			to    sihub.Stage
			owner int64
			code  sihub.Code
		}{
			{sihub.StageSampleApproved, 0, sihub.ErrConflict}, // not from invited
			{"bogus", 0, sihub.ErrInvalid},
			{sihub.StageAwarded, 0, sihub.ErrInvalid}, // AwardCase
			{sihub.StageLost, 0, sihub.ErrInvalid},    // LoseCase
			{sihub.StageShortlisted, 999, sihub.ErrInvalid},
			{sihub.StageShortlisted, f.staff.ID, ""},
			{sihub.StageShortlisted, f.buyer.ID, ""}, // a follow-up step
			{sihub.StageSampleRequested, f.buyer.ID, ""},
			{sihub.StageTrialOrder, f.buyer.ID, sihub.ErrConflict},
			{sihub.StageSampleApproved, f.buyer.ID, ""},
			{sihub.StageTrialOrder, f.buyer.ID, ""},
		} {
			got, err := db.MoveCase(ctx, c.ID, m.to, "ghi chú "+string(m.to), m.owner, &next, f.staff.ID)
			wantCode(t, err, m.code)
			if err == nil && (got.Stage != m.to || got.Owner != m.owner || !got.NextStepAt.Equal(next)) {
				t.Errorf("moved to %s: %+v", m.to, got)
			}
		}
		ss := stepsOf(t, db, c.ID)
		var path []sihub.Stage
		for _, s := range ss {
			path = append(path, s.To)
		}
		want := []sihub.Stage{sihub.StageInvited, sihub.StageShortlisted, sihub.StageShortlisted, sihub.StageSampleRequested,
			sihub.StageSampleApproved, sihub.StageTrialOrder}
		if !slices.Equal(path, want) {
			t.Fatalf("steps %v, want %v", path, want)
		}
		if s := ss[2]; s.From != sihub.StageShortlisted || s.Note != "ghi chú shortlisted" || s.Owner != f.buyer.ID ||
			s.By != f.staff.ID || !s.NextStepAt.Equal(next) || s.At.IsZero() {
			t.Errorf("step: %+v", s)
		}

		// Award: the VND value fixed at the given rate.
		at := time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)
		_, err := db.AwardCase(ctx, c.ID, 0, "USD", 25000, 5000, "", f.buyer.ID, at)
		wantCode(t, err, sihub.ErrInvalid)
		aw, err := db.AwardCase(ctx, c.ID, 12500.5, "usd", 25340, 5000, "Hợp đồng năm", f.buyer.ID, at)
		if err != nil {
			t.Fatal(err)
		}
		if aw.Stage != sihub.StageAwarded || aw.ContractValue != 12500.5 || aw.Currency != "USD" || aw.ContractVND != 316762670 ||
			aw.RateToVND != 25340 || aw.AnnualVolume != 5000 || !aw.AwardedAt.Equal(at) || aw.NextStepAt != nil {
			t.Errorf("awarded: %+v", aw)
		}
		if got, err := db.Case(ctx, c.ID); err != nil || !reflect.DeepEqual(got, aw) {
			t.Errorf("Case: %+v, %v; want %+v", got, err, aw)
		}
		if last := stepsOf(t, db, c.ID); last[len(last)-1].To != sihub.StageAwarded || !last[len(last)-1].At.Equal(at) {
			t.Errorf("award step: %+v", last[len(last)-1])
		}
		_, err = db.MoveCase(ctx, c.ID, sihub.StageAwarded, "", 0, nil, f.buyer.ID)
		wantCode(t, err, sihub.ErrInvalid)
		_, err = db.MoveCase(ctx, c.ID, sihub.StageTrialOrder, "", 0, nil, f.buyer.ID)
		wantCode(t, err, sihub.ErrConflict) // final
		_, err = db.LoseCase(ctx, c.ID, "late", "", f.buyer.ID)
		wantCode(t, err, sihub.ErrConflict)

		// Lose; VND awards need no rate.
		c2 := caseFor(t, db, f.demand.ID, 2)
		_, err = db.LoseCase(ctx, c2.ID, " ", "", f.buyer.ID)
		wantCode(t, err, sihub.ErrInvalid)
		lost, err := db.LoseCase(ctx, c2.ID, "Giá cao", "so với mục tiêu", f.buyer.ID)
		if err != nil || lost.Stage != sihub.StageLost || lost.LostReason != "Giá cao" {
			t.Errorf("lost: %+v, %v", lost, err)
		}
		c3 := caseFor(t, db, f.demand.ID, 3)
		if _, err := db.MoveCase(ctx, c3.ID, sihub.StageShortlisted, "", 0, nil, 0); err != nil {
			t.Fatal(err)
		}
		_, err = db.Case(ctx, 999)
		wantCode(t, err, sihub.ErrNotFound)
		_, err = db.MoveCase(ctx, 999, sihub.StageQuoted, "", 0, nil, 0)
		wantCode(t, err, sihub.ErrNotFound)

		// The board.
		counts, err := db.PipelineCounts(ctx)
		if err != nil || len(counts) != len(sihub.Stages) || counts[sihub.StageAwarded] != 1 || counts[sihub.StageLost] != 1 ||
			counts[sihub.StageShortlisted] != 1 || counts[sihub.StageInvited] != 0 {
			t.Errorf("counts: %v, %v", counts, err)
		}
		if st, err := db.StalledCases(ctx, time.Now().Add(time.Hour)); err != nil || len(st) != 1 || st[0].ID != c3.ID {
			t.Errorf("stalled: %v, %v", st, err)
		}
		if st, err := db.StalledCases(ctx, time.Now().Add(-time.Hour)); err != nil || len(st) != 0 {
			t.Errorf("stalled an hour ago: %v, %v", st, err)
		}
		// A second buyer's award in VND, smaller: listed after.
		other := demandFor(20, "Canon", "C-1", "Bracket")
		if _, _, err := db.UpsertDemands(ctx, []*sihub.Demand{other}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateRFQ(ctx, &sihub.RFQ{DemandID: other.ID, Deadline: time.Now().Add(time.Hour)}, []int64{1}, nil); err != nil {
			t.Fatal(err)
		}
		oc := caseFor(t, db, other.ID, 1)
		if _, err := db.MoveCase(ctx, oc.ID, sihub.StageQuoted, "", 0, nil, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := db.AwardCase(ctx, oc.ID, 1e6, "VND", 0, 100, "", 0, at); err != nil {
			t.Fatal(err)
		}
		rows, err := db.AwardedValue(ctx)
		if err != nil || len(rows) != 2 {
			t.Fatalf("awarded value: %+v, %v", rows, err)
		}
		if r := rows[0]; r.BuyerID != f.demand.BuyerID || r.BuyerName != "Bosch" || r.BuyerTaxCode != taxCode(10) || r.Cases != 1 ||
			r.ValueVND != 316762670 || r.Sectors == nil {
			t.Errorf("first row: %+v", r)
		}
		if r := rows[1]; r.BuyerID != other.BuyerID || r.ValueVND != 1e6 {
			t.Errorf("second row: %+v", r)
		}
	})
}

// Every change is on the trail, as object "demand", and no quote's figure
// is.
func TestRFQAudit(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		f := newRFQFixture(t, db)
		rfqWork(t, db, f.ctx, f.demand.ID, f.buyer.ID, 1, 2)
		actions := map[string]int{}
		for _, r := range trail(t, db) {
			if !strings.Contains(r.Action, ".") || strings.HasPrefix(r.Action, "user.") || strings.HasPrefix(r.Action, "company.") ||
				strings.HasPrefix(r.Action, "demand.") {
				continue
			}
			actions[r.Action]++
			if r.ObjectType != "demand" || r.ObjectID != f.demand.ID {
				t.Errorf("%s on %s #%d", r.Action, r.ObjectType, r.ObjectID)
			}
			if strings.Contains(string(r.After), "7.43217") || strings.Contains(string(r.Before), "7.43217") {
				t.Errorf("%s records a quoted price: %s", r.Action, r.After)
			}
		}
		for _, a := range []string{"rfq.create", "rfq.extend", "rfq.invite", "invitation.view", "quote.draft", "quote.submit",
			"invitation.decline", "question.ask", "question.answer", "case.move", "case.award", "case.lose"} {
			if actions[a] == 0 {
				t.Errorf("no %s record (%v)", a, actions)
			}
		}
	})
}

// rfqWork writes rows into every table of migration 0008 through the API:
// a round inviting two suppliers, extended; a question answered; the first
// supplier viewing, drafting, submitting and revising (to a price of
// 7.43217); the second declining, which loses its case; the first's case
// shortlisted and awarded.
func rfqWork(t *testing.T, db *DB, ctx context.Context, demandID, by, first, second int64) {
	t.Helper()
	r := &sihub.RFQ{DemandID: demandID, Message: "Báo giá vỏ", Deadline: time.Now().Add(72 * time.Hour), Sealed: true, CreatedBy: by}
	invs, err := db.CreateRFQ(ctx, r, []int64{first, second}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExtendRFQ(ctx, r.ID, r.Deadline.Add(24*time.Hour), nil); err != nil {
		t.Fatal(err)
	}
	q, err := db.AskQuestion(ctx, r.ID, second, "Vật liệu?", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AnswerQuestion(ctx, q.ID, "PA66", by, nil); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if err := db.MarkViewed(ctx, invs[0].ID); err != nil {
		t.Fatal(err)
	}
	for _, price := range []float64{8, 7.43217} {
		if err := db.SaveDraft(ctx, quoteFor(invs[0].ID, price), now); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SubmitQuote(ctx, invs[0].ID, now); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.DeclineInvitation(ctx, invs[1].ID, sihub.DeclineTechnology, "Không có máy 5 trục", now); err != nil {
		t.Fatal(err)
	}
	c := caseFor(t, db, demandID, first)
	next := now.Add(7 * 24 * time.Hour)
	if _, err := db.MoveCase(ctx, c.ID, sihub.StageShortlisted, "Giá tốt", by, &next, by); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AwardCase(ctx, c.ID, 40000, "USD", 25300, 5000, "", by, now); err != nil {
		t.Fatal(err)
	}
}

// TestRoundNews: the notes a round's change brings (tell) are written in
// the change's transaction: they see what was stored, and a note the store
// refuses undoes the change, so nobody is told of a change that failed and
// no change is stored without its news.
func TestRoundNews(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		f := newRFQFixture(t, db)
		ctx := f.ctx
		supplier, err := db.CreateUser(ctx, NewUser{Email: "ban@nhua.vn", Role: sihub.RoleCompanyAdmin, CompanyID: 1})
		if err != nil {
			t.Fatal(err)
		}
		// note is a note to the supplier's person with subject; "" is one the
		// store refuses.
		note := func(subject string) []Note {
			return []Note{{UserID: supplier.ID, Kind: NoteInvitation, Subject: subject, Link: "/invitations"}}
		}
		subjects := func() []string {
			t.Helper()
			ns, err := db.Notifications(ctx, supplier.ID, NotificationFilter{})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, n := range ns {
				out = append(out, n.Subject)
			}
			slices.Reverse(out)
			return out
		}
		newRound := func() *sihub.RFQ {
			return &sihub.RFQ{DemandID: f.demand.ID, Deadline: time.Now().Add(48 * time.Hour), CreatedBy: f.buyer.ID}
		}

		// Creating: refused news leaves no round; accepted news names the
		// stored round and invitation.
		if _, err := db.CreateRFQ(ctx, newRound(), []int64{1, 2}, func(*sihub.RFQ, *sihub.Invitation) []Note { return note("") }); sihub.ErrorCode(err) != sihub.ErrInvalid {
			t.Fatalf("create with a refused note: %v", err)
		}
		if rs, err := db.RFQs(ctx, f.demand.ID); err != nil || len(rs) != 0 {
			t.Fatalf("a round was stored without its news: %d rounds, %v", len(rs), err)
		}
		r := newRound()
		invs, err := db.CreateRFQ(ctx, r, []int64{1, 2}, func(r *sihub.RFQ, iv *sihub.Invitation) []Note {
			if iv.CompanyID != 1 {
				return nil
			}
			return note(fmt.Sprintf("round %d invitation %d of %s", r.Round, iv.ID, iv.CompanyName))
		})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{fmt.Sprintf("round 1 invitation %d of %s", invs[0].ID, invs[0].CompanyName)}
		if got := subjects(); !slices.Equal(got, want) {
			t.Fatalf("after creating: %q, want %q", got, want)
		}

		// Extending.
		to := r.Deadline.Add(24 * time.Hour)
		if _, err := db.ExtendRFQ(ctx, r.ID, to, func(*sihub.RFQ) []Note { return note("") }); sihub.ErrorCode(err) != sihub.ErrInvalid {
			t.Fatalf("extend with a refused note: %v", err)
		}
		if got, err := db.RFQ(ctx, r.ID); err != nil || !got.Deadline.Equal(instant(r.Deadline)) {
			t.Fatalf("the deadline moved without its news: %v, %v", got.Deadline, err)
		}
		if _, err := db.ExtendRFQ(ctx, r.ID, to, func(r *sihub.RFQ) []Note {
			return note("extended to " + r.Deadline.UTC().Format(time.RFC3339))
		}); err != nil {
			t.Fatal(err)
		}
		want = append(want, "extended to "+instant(to).UTC().Format(time.RFC3339))

		// Asking and answering.
		if _, err := db.AskQuestion(ctx, r.ID, 1, "Vật liệu?", func(*sihub.Question) []Note { return note("") }); sihub.ErrorCode(err) != sihub.ErrInvalid {
			t.Fatalf("ask with a refused note: %v", err)
		}
		if qs, err := db.Questions(ctx, r.ID); err != nil || len(qs) != 0 {
			t.Fatalf("a question was stored without its news: %d, %v", len(qs), err)
		}
		q, err := db.AskQuestion(ctx, r.ID, 1, " Vật liệu? ", func(q *sihub.Question) []Note { return note(fmt.Sprintf("question %d: %s", q.ID, q.Text)) })
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, fmt.Sprintf("question %d: Vật liệu?", q.ID))
		if _, err := db.AnswerQuestion(ctx, q.ID, "PA66", f.buyer.ID, func(*sihub.Question) []Note { return note("") }); sihub.ErrorCode(err) != sihub.ErrInvalid {
			t.Fatalf("answer with a refused note: %v", err)
		}
		if qs, err := db.Questions(ctx, r.ID); err != nil || len(qs) != 1 || qs[0].Answer != "" {
			t.Fatalf("an answer was stored without its news: %+v, %v", qs, err)
		}
		if _, err := db.AnswerQuestion(ctx, q.ID, "PA66", f.buyer.ID, func(q *sihub.Question) []Note { return note(q.Text + " " + q.Answer) }); err != nil {
			t.Fatal(err)
		}
		want = append(want, "Vật liệu? PA66")
		if got := subjects(); !slices.Equal(got, want) {
			t.Errorf("news %q, want %q", got, want)
		}
	})
}
