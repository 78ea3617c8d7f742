package sihub

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

// checkFields asserts that err is ErrInvalid naming exactly fields, each
// with a message in both languages, or nil when fields is empty.
func checkFields(t *testing.T, err error, fields []string) {
	t.Helper()
	if len(fields) == 0 {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	got := FieldsOf(err)
	if ErrorCode(err) != ErrInvalid || len(got) != len(fields) {
		t.Fatalf("got %v; want problems with %v", err, fields)
	}
	for _, f := range fields {
		m, ok := got.For(f)
		if !ok {
			t.Errorf("no problem with %s in %v", f, err)
		}
		if m.VI == "" || m.EN == "" || m.VI == m.EN {
			t.Errorf("%s: message not in both languages: %+v", f, m)
		}
	}
}

func TestRFQValidate(t *testing.T) {
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		edit   func(r *RFQ)
		fields []string
	}{
		{"valid", func(r *RFQ) {}, nil},
		{"no message is fine", func(r *RFQ) { r.Message = "  " }, nil},
		{"no demand", func(r *RFQ) { r.DemandID = 0 }, []string{"demand_id"}},
		{"no deadline", func(r *RFQ) { r.Deadline = time.Time{} }, []string{"deadline"}},
		{"deadline now", func(r *RFQ) { r.Deadline = now }, []string{"deadline"}},
		{"deadline past", func(r *RFQ) { r.Deadline = now.Add(-time.Hour) }, []string{"deadline"}},
		{"message too long", func(r *RFQ) { r.Message = strings.Repeat("ư", maxLong+1) }, []string{"message"}},
		{"everything wrong", func(r *RFQ) { r.DemandID, r.Deadline, r.Message = 0, time.Time{}, strings.Repeat("x", maxLong+1) },
			[]string{"demand_id", "deadline", "message"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := RFQ{DemandID: 3, Message: " Báo giá giúp ", Deadline: now.Add(time.Minute).In(vietnam)}
			tt.edit(&r)
			err := r.Validate(now)
			checkFields(t, err, tt.fields)
			if err == nil {
				if r.Deadline.Location() != time.UTC || strings.TrimSpace(r.Message) != r.Message {
					t.Errorf("not normalised: %+v", r)
				}
			}
		})
	}
}

func TestRFQExtend(t *testing.T) {
	deadline := DeadlineOf(time.Date(2026, 12, 10, 0, 0, 0, 0, time.UTC)) // 16:59:59.999 UTC = 23:59 in Vietnam
	tests := []struct {
		name string
		to   time.Time
		ok   bool
	}{
		{"a week later", deadline.Add(7 * 24 * time.Hour), true},
		{"a nanosecond later", deadline.Add(1), true},
		{"same instant", deadline, false},
		{"same instant in another zone", deadline.In(vietnam), false},
		{"earlier", deadline.Add(-time.Hour), false},
		{"zero", time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := RFQ{Deadline: deadline}
			err := r.Extend(tt.to)
			if tt.ok {
				if err != nil || !r.Deadline.Equal(tt.to) || r.Deadline.Location() != time.UTC {
					t.Fatalf("Extend: %v, deadline %v", err, r.Deadline)
				}
				return
			}
			if ErrorCode(err) != ErrInvalid || !r.Deadline.Equal(deadline) {
				t.Fatalf("Extend: %v, deadline %v; want ErrInvalid and the deadline kept", err, r.Deadline)
			}
			m := ErrorMsg(err)
			// Both dates, in Vietnam time, in both languages.
			for _, s := range []string{m.VI, m.EN} {
				if !strings.Contains(s, "2026-12-10 23:59") || !strings.Contains(s, vnTime(tt.to)) {
					t.Errorf("message %q does not name both dates in Vietnam time", s)
				}
			}
			if _, ok := FieldsOf(err).For("deadline"); !ok {
				t.Error("the deadline field is not marked")
			}
		})
	}
}

func TestQuoteValidate(t *testing.T) {
	ok := func() Quote {
		return Quote{UnitPrice: 1.5, Currency: " usd ", Breaks: []PriceBreak{{1000, 1.4}, {5000, 1.2}},
			MOQ: 500, ToolingCost: 8000, SampleLeadDays: 20, MassLeadDays: 45, Incoterm: " fob ", DeliveryPlace: " Hải Phòng "}
	}
	tests := []struct {
		name   string
		edit   func(q *Quote)
		fields []string
	}{
		{"valid", func(q *Quote) {}, nil},
		{"no breaks, no Incoterm", func(q *Quote) { q.Breaks, q.Incoterm, q.DeliveryPlace = nil, "", "" }, nil},
		{"place without Incoterm", func(q *Quote) { q.Incoterm = "" }, nil},
		{"no currency", func(q *Quote) { q.Currency = "" }, []string{"currency"}},
		{"currency not quoted in", func(q *Quote) { q.Currency = "EUR" }, []string{"currency"}},
		{"zero price", func(q *Quote) { q.UnitPrice = 0 }, []string{"unit_price"}},
		{"negative price", func(q *Quote) { q.UnitPrice = -1 }, []string{"unit_price"}},
		{"NaN price", func(q *Quote) { q.UnitPrice = math.NaN() }, []string{"unit_price"}},
		{"absurd price", func(q *Quote) { q.UnitPrice = 2e15 }, []string{"unit_price"}},
		{"break at zero", func(q *Quote) { q.Breaks[0].MinQty = 0 }, []string{"price_breaks.0.min_qty"}},
		{"break free", func(q *Quote) { q.Breaks[1].UnitPrice = 0 }, []string{"price_breaks.1.unit_price"}},
		{"infinite break", func(q *Quote) { q.Breaks[1].MinQty = math.Inf(1) }, []string{"price_breaks.1.min_qty"}},
		{"duplicate breaks", func(q *Quote) { q.Breaks = append(q.Breaks, PriceBreak{1000, 1.3}, PriceBreak{1000, 1.1}) },
			[]string{"price_breaks"}},
		{"too many breaks", func(q *Quote) {
			q.Breaks = nil
			for i := range MaxPriceBreaks + 1 {
				q.Breaks = append(q.Breaks, PriceBreak{float64(i + 1), 1})
			}
		}, []string{"price_breaks"}},
		{"negative MOQ and tooling", func(q *Quote) { q.MOQ, q.ToolingCost = -1, -1 }, []string{"moq", "tooling_cost"}},
		{"absurd tooling", func(q *Quote) { q.ToolingCost = math.Inf(1) }, []string{"tooling_cost"}},
		{"lead times", func(q *Quote) { q.SampleLeadDays, q.MassLeadDays = -1, MaxLeadDays+1 }, []string{"sample_lead_days", "mass_lead_days"}},
		{"longest lead time", func(q *Quote) { q.MassLeadDays = MaxLeadDays }, nil},
		{"unknown Incoterm", func(q *Quote) { q.Incoterm = "FOBX" }, []string{"incoterm"}},
		{"Incoterm without place", func(q *Quote) { q.Incoterm, q.DeliveryPlace = "EXW", "  " }, []string{"delivery_place"}},
		{"long texts", func(q *Quote) {
			q.PaymentTerms, q.DeliveryPlace, q.Notes = strings.Repeat("x", maxShort+1), strings.Repeat("x", maxShort+1), strings.Repeat("x", maxLong+1)
		}, []string{"payment_terms", "delivery_place", "notes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := ok()
			tt.edit(&q)
			err := q.Validate()
			checkFields(t, err, tt.fields)
			if err == nil && (q.Currency != "USD" || q.Incoterm != strings.ToUpper(strings.TrimSpace(q.Incoterm)) ||
				q.DeliveryPlace != strings.TrimSpace(q.DeliveryPlace)) {
				t.Errorf("not normalised: %+v", q)
			}
		})
	}
}

func TestQuoteBreaksSorted(t *testing.T) {
	q := Quote{UnitPrice: 2, Currency: "VND", Breaks: []PriceBreak{{5000, 1.2}, {100, 1.9}, {1000, 1.5}}}
	if err := q.Validate(); err != nil {
		t.Fatal(err)
	}
	want := []PriceBreak{{100, 1.9}, {1000, 1.5}, {5000, 1.2}}
	if !slices.Equal(q.Breaks, want) {
		t.Errorf("breaks %v; want %v", q.Breaks, want)
	}
	q.Breaks = append(q.Breaks, PriceBreak{5000, 1}, PriceBreak{100, 2}, PriceBreak{100, 3})
	m, _ := FieldsOf(q.Validate()).For("price_breaks")
	if n := len(FieldsOf(q.Validate())); n != 2 || !strings.Contains(m.EN, "100") {
		t.Errorf("duplicates at 100 and 5000 reported as %d problems, first %q", n, m.EN)
	}
}

func TestUnitPriceAtAndMOQ(t *testing.T) {
	// Unsorted on purpose: UnitPriceAt must not rely on Validate's sorting.
	q := &Quote{UnitPrice: 10, MOQ: 50, Breaks: []PriceBreak{{1000, 8}, {100, 9}, {10000, 6}}}
	tests := []struct {
		volume, price float64
		belowMOQ      bool
	}{
		{0, 10, true},
		{49, 10, true},
		{50, 10, false},
		{99.9, 10, false},
		{100, 9, false},
		{999, 9, false},
		{1000, 8, false},
		{9999, 8, false},
		{10000, 6, false},
		{1e9, 6, false},
	}
	for _, tt := range tests {
		if got := q.UnitPriceAt(tt.volume); got != tt.price {
			t.Errorf("UnitPriceAt(%v) = %v; want %v", tt.volume, got, tt.price)
		}
		if got := q.BelowMOQ(tt.volume); got != tt.belowMOQ {
			t.Errorf("BelowMOQ(%v) = %v; want %v", tt.volume, got, tt.belowMOQ)
		}
	}
	if (&Quote{UnitPrice: 3}).BelowMOQ(0) {
		t.Error("a quote without MOQ has no minimum")
	}
}

func TestRatesConvert(t *testing.T) {
	rs := Rates{"USD": 25000, "JPY": 170, "EUR": -1}
	tests := []struct {
		amount   float64
		from, to string
		want     float64
		missing  string // the currency the error names
	}{
		{2, "USD", "VND", 50000, ""},
		{50000, "VND", "USD", 2, ""},
		{1000, "JPY", "usd", 6.8, ""},
		{7, "VND", "VND", 7, ""},
		{7, "KRW", "krw", 7, ""}, // same currency needs no rate
		{100, "vnd", "VND", 100, ""},
		{1, "KRW", "VND", 0, "KRW"},
		{1, "VND", "CNY", 0, "CNY"},
		{1, "EUR", "VND", 0, "EUR"}, // a rate that is not positive
	}
	for _, tt := range tests {
		got, err := rs.Convert(tt.amount, tt.from, tt.to)
		if tt.missing != "" {
			m := ErrorMsg(err)
			if ErrorCode(err) != ErrInvalid || !strings.Contains(m.VI, tt.missing) || !strings.Contains(m.EN, tt.missing) {
				t.Errorf("Convert %s→%s: %v; want ErrInvalid naming %s", tt.from, tt.to, err, tt.missing)
			}
			continue
		}
		if err != nil || math.Abs(got-tt.want) > 1e-9*tt.want {
			t.Errorf("Convert(%v, %s, %s) = %v, %v; want %v", tt.amount, tt.from, tt.to, got, err, tt.want)
		}
	}
}

func TestLandedUnitCost(t *testing.T) {
	rs := Rates{"USD": 25000, "JPY": 170}
	usd := &Quote{UnitPrice: 1.2, Currency: "USD", ToolingCost: 10000, Breaks: []PriceBreak{{10000, 1}}}
	jpy := &Quote{UnitPrice: 200, Currency: "JPY"}
	tests := []struct {
		name   string
		q      *Quote
		volume float64
		to     string
		want   float64
		code   Code
	}{
		// break reached at 10 000 units: 1 + 10 000/10 000 = 2 USD
		{"break and tooling", usd, 10000, "USD", 2, ""},
		{"in VND", usd, 10000, "VND", 50000, ""},
		// below the break: 1.2 + 10 000/5 000
		{"base price", usd, 5000, "USD", 3.2, ""},
		{"no tooling, JPY to USD", jpy, 1, "USD", 200 * 170.0 / 25000, ""},
		{"no volume", usd, 0, "USD", 0, ErrInvalid},
		{"negative volume", usd, -5, "USD", 0, ErrInvalid},
		{"missing rate", usd, 10000, "EUR", 0, ErrInvalid},
	}
	for _, tt := range tests {
		got, err := LandedUnitCost(tt.q, tt.volume, rs, tt.to)
		if ErrorCode(err) != tt.code || math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("%s: %v, %v; want %v, code %q", tt.name, got, err, tt.want, tt.code)
		}
	}
	_, err := LandedUnitCost(usd, 0, rs, "USD")
	if m := ErrorMsg(err); !strings.Contains(m.EN, "annual volume") || !strings.Contains(m.VI, "sản lượng năm") {
		t.Errorf("no volume: %+v does not ask for the annual volume", m)
	}
}

func TestPipeline(t *testing.T) {
	allowed := map[Stage][]Stage{
		StageInvited:         {StageQuoted, StageShortlisted, StageLost},
		StageQuoted:          {StageShortlisted, StageSampleRequested, StageFactoryAudit, StageTrialOrder, StageAwarded, StageLost},
		StageShortlisted:     {StageSampleRequested, StageFactoryAudit, StageTrialOrder, StageAwarded, StageLost},
		StageSampleRequested: {StageSampleApproved, StageSampleRejected, StageLost},
		StageSampleRejected:  {StageSampleRequested, StageLost},
		StageSampleApproved:  {StageFactoryAudit, StageTrialOrder, StageAwarded, StageLost},
		StageFactoryAudit:    {StageTrialOrder, StageAwarded, StageLost},
		StageTrialOrder:      {StageAwarded, StageLost},
	}
	all := append(slices.Clone(Stages), "", "won", "Invited")
	for _, from := range all {
		for _, to := range all {
			want := slices.Contains(allowed[from], to)
			if got := CanMove(from, to); got != want {
				t.Errorf("CanMove(%q, %q) = %v; want %v", from, to, got, want)
			}
			err := CheckMove(from, to)
			switch {
			case want && err != nil:
				t.Errorf("CheckMove(%q, %q) = %v", from, to, err)
			case !want && !to.Valid() && ErrorCode(err) != ErrInvalid:
				t.Errorf("CheckMove(%q, %q) = %v; want ErrInvalid for an unknown stage", from, to, err)
			case !want && to.Valid() && ErrorCode(err) != ErrConflict:
				t.Errorf("CheckMove(%q, %q) = %v; want ErrConflict", from, to, err)
			}
		}
		if got := NextStages(from); !slices.Equal(got, allowed[from]) {
			t.Errorf("NextStages(%q) = %v; want %v", from, got, allowed[from])
		}
	}
	// The table is not the caller's to change.
	n := NextStages(StageInvited)
	n[0] = StageAwarded
	if CanMove(StageInvited, StageAwarded) {
		t.Error("changing NextStages' result changed the pipeline")
	}
	if m := ErrorMsg(CheckMove(StageSampleRequested, StageAwarded)); !strings.Contains(m.EN, "sample_approved, sample_rejected, lost") {
		t.Errorf("the refusal %q does not name the allowed stages", m.EN)
	}
	if m := ErrorMsg(CheckMove(StageLost, StageQuoted)); !strings.Contains(m.EN, "new case") {
		t.Errorf("leaving lost: %q does not say a new case is needed", m.EN)
	}
}

func TestValidNames(t *testing.T) {
	for _, s := range Stages {
		if !s.Valid() {
			t.Errorf("stage %s", s)
		}
	}
	for _, s := range InvitationStates {
		if !s.Valid() {
			t.Errorf("invitation state %s", s)
		}
	}
	for _, r := range DeclineReasons {
		if !r.Valid() {
			t.Errorf("decline reason %s", r)
		}
	}
	for _, bad := range []string{"", "Quoted", "open", "won "} {
		if Stage(bad).Valid() || InvitationState(bad).Valid() || DeclineReason(bad).Valid() {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestCaseAward(t *testing.T) {
	at := time.Date(2026, 11, 26, 17, 0, 0, 0, vietnam)
	tests := []struct {
		name     string
		stage    Stage
		value    float64
		currency string
		rate     float64
		volume   float64
		at       time.Time
		code     Code
		fields   []string
		vnd      float64
	}{
		{"USD", StageTrialOrder, 120000, " usd ", 25000, 100000, at, "", nil, 3e9},
		{"VND without a rate", StageQuoted, 5e8, "VND", 0, 1000, at, "", nil, 5e8},
		{"VND at 1", StageShortlisted, 5e8, "VND", 1, 1000, at, "", nil, 5e8},
		{"VND at another rate", StageQuoted, 5e8, "VND", 2, 1000, at, ErrInvalid, []string{"rate_to_vnd"}, 0},
		{"no rate", StageQuoted, 100, "JPY", 0, 1000, at, ErrInvalid, []string{"rate_to_vnd"}, 0},
		{"no value, currency, volume, date", StageQuoted, 0, "", 0, 0, time.Time{}, ErrInvalid,
			[]string{"contract_value", "currency", "annual_volume", "awarded_at"}, 0},
		{"unknown currency", StageQuoted, 100, "XYZ", 3, 1, at, ErrInvalid, []string{"currency"}, 0},
		{"VND value too large", StageQuoted, 1e12, "USD", 25000, 1, at, ErrInvalid, []string{"contract_value"}, 0},
		{"from invited", StageInvited, 100, "VND", 1, 1, at, ErrConflict, nil, 0},
		{"twice", StageAwarded, 100, "VND", 1, 1, at, ErrConflict, nil, 0},
		{"after lost", StageLost, 100, "VND", 1, 1, at, ErrConflict, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Case{Stage: tt.stage, LostReason: "x"}
			before := c
			err := c.Award(tt.value, tt.currency, tt.rate, tt.volume, tt.at)
			if tt.code != "" {
				if ErrorCode(err) != tt.code {
					t.Fatalf("Award: %v; want %s", err, tt.code)
				}
				if tt.fields != nil {
					checkFields(t, err, tt.fields)
				}
				if c.Stage != before.Stage || c.AwardedAt != nil || c.ContractVND != 0 {
					t.Errorf("a refused award changed the case: %+v", c)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Stage != StageAwarded || c.ContractVND != tt.vnd || c.ContractValue != tt.value || c.AnnualVolume != tt.volume ||
				c.Currency != strings.ToUpper(strings.TrimSpace(tt.currency)) || c.LostReason != "" ||
				c.AwardedAt == nil || !c.AwardedAt.Equal(at) || c.AwardedAt.Location() != time.UTC {
				t.Errorf("awarded case %+v", c)
			}
			if c.Currency == "VND" && c.RateToVND != 1 {
				t.Errorf("VND rate %v", c.RateToVND)
			}
		})
	}
}

func TestCaseLose(t *testing.T) {
	tests := []struct {
		name   string
		stage  Stage
		reason string
		code   Code
	}{
		{"invited", StageInvited, " không báo giá ", ""},
		{"after a rejected sample", StageSampleRejected, "sample failed", ""},
		{"no reason", StageQuoted, "  ", ErrInvalid},
		{"reason too long", StageQuoted, strings.Repeat("x", maxShort+1), ErrInvalid},
		{"awarded", StageAwarded, "changed mind", ErrConflict},
		{"twice", StageLost, "again", ErrConflict},
	}
	for _, tt := range tests {
		c := Case{Stage: tt.stage}
		err := c.Lose(tt.reason)
		if ErrorCode(err) != tt.code {
			t.Errorf("%s: %v; want %q", tt.name, err, tt.code)
			continue
		}
		if tt.code == "" && (c.Stage != StageLost || c.LostReason != strings.TrimSpace(tt.reason)) {
			t.Errorf("%s: %+v", tt.name, c)
		}
		if tt.code != "" && c.Stage != tt.stage {
			t.Errorf("%s: a refused loss moved the case to %s", tt.name, c.Stage)
		}
	}
}

// The supplier of a case sees its stage only; other invitees never learn
// who asked a question.
func TestCaseAndQuestionFor(t *testing.T) {
	now := time.Now()
	member := func(company int64) *Principal {
		return &Principal{User: &User{ID: company, Role: RoleCompanyMember, CompanyID: company, CompanyVerified: true,
			Status: StatusActive, EmailConfirmed: &now}}
	}
	d := &Demand{ID: 1, BuyerID: 10}
	buyer, supplier, other := member(10), member(12), member(13)
	c := &Case{ID: 5, DemandID: 1, CompanyID: 12, Stage: StageLost, Owner: 101, NextStepAt: &now, LostReason: "price 20% above the best"}
	if buyer.CanSeeCase(d, c) && c.For(buyer, d) != c {
		t.Error("the buyer sees the whole case")
	}
	if got := c.For(supplier, d); got.Stage != StageLost || got.LostReason != "" || got.Owner != 0 || got.NextStepAt != nil {
		t.Errorf("the supplier sees %+v", got)
	}
	if c.LostReason == "" {
		t.Error("For changed the case")
	}
	q := &Question{ID: 1, AskedBy: 12, Text: "Tolerance?"}
	for _, tt := range []struct {
		who  string
		p    *Principal
		want int64
	}{{"buyer", buyer, 12}, {"asker", supplier, 12}, {"other invitee", other, 0}, {"anonymous", Anonymous, 0}} {
		if got := q.For(tt.p, d).AskedBy; got != tt.want {
			t.Errorf("%s sees the question asked by %d; want %d", tt.who, got, tt.want)
		}
	}
	if q.AskedBy != 12 {
		t.Error("For changed the question")
	}
}
