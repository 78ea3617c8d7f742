package store

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
)

func demandFor(buyer int, buyerName, ref, title string, edit ...func(*sihub.Demand)) *sihub.Demand {
	d := &sihub.Demand{
		BuyerTaxCode: taxCode(buyer), BuyerName: buyerName, Ref: ref, TitleEn: title,
		ProcessesText: "injection molding", Processes: []string{"injection_molding"},
		Status: sihub.DemandOpen, Visibility: sihub.VisibleVerified,
	}
	for _, e := range edit {
		e(d)
	}
	return d
}

func TestUpsertDemands(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := sihub.WithActor(context.Background(), sihub.Actor{Label: "cli"})
		supplier := company(1, "Nhựa Tân Tiến")
		mustCreate(t, db, supplier)
		deadline := sihub.DeadlineOf(time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC))

		// A known company (here a supplier) is the buyer as it is; an
		// unknown one is created as an unverified buyer.
		a := demandFor(1, "", "P-1", "Battery housing", func(d *sihub.Demand) {
			d.Materials = []string{"pc_abs"}
			d.MinCapacity = &sihub.CapacityReq{Equipment: "injection_press", Min: 350, Unit: "t"}
			d.Inferred = []string{sihub.ReqMinCapacity}
			d.AnnualVolume, d.Unit = 120000.5, "pcs"
			d.Deadline = &deadline
		})
		b := demandFor(2, "Bosch Vietnam", "P-1", "Motor cover")
		c := demandFor(2, "Bosch Vietnam", "P-2", "Gear", func(d *sihub.Demand) { d.Status = sihub.DemandDraft })
		created, updated, err := db.UpsertDemands(ctx, []*sihub.Demand{a, b, c})
		if err != nil || created != 3 || updated != 0 {
			t.Fatalf("first import: created %d updated %d, %v; want 3, 0", created, updated, err)
		}
		if a.BuyerID != supplier.ID || b.BuyerID == 0 || b.BuyerID != c.BuyerID || a.ID == 0 {
			t.Fatalf("ids: a %d/%d b %d c %d", a.ID, a.BuyerID, b.BuyerID, c.BuyerID)
		}
		buyer, err := db.CompanyByTaxCode(ctx, taxCode(2))
		if err != nil {
			t.Fatal(err)
		}
		if buyer.Kind != sihub.Buyer || buyer.Verified || buyer.Name != "Bosch Vietnam" {
			t.Errorf("created buyer: kind %s verified %v name %q", buyer.Kind, buyer.Verified, buyer.Name)
		}
		if s, _ := db.Company(ctx, supplier.ID); s.Kind != sihub.Supplier {
			t.Errorf("an existing company's kind changed to %s", s.Kind)
		}

		got, err := db.Demand(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		a.BuyerName = supplier.Name
		if !reflect.DeepEqual(got, a) {
			t.Errorf("read back:\n%+v\nwant\n%+v", got, a)
		}
		if got, err := db.DemandByRef(ctx, sihub.FormatTaxCode(taxCode(2)), " P-2 "); err != nil || got.ID != c.ID {
			t.Errorf("DemandByRef: %v, %v", got, err)
		}
		if _, err := db.DemandByRef(ctx, taxCode(2), "P-9"); sihub.ErrorCode(err) != sihub.ErrNotFound {
			t.Errorf("DemandByRef of a missing ref: %v", err)
		}
		if _, err := db.Demand(ctx, 9999); sihub.ErrorCode(err) != sihub.ErrNotFound {
			t.Errorf("Demand of a missing id: %v", err)
		}

		// Re-importing the same rows writes nothing; a changed row is
		// updated in place and audited with what changed.
		again := []*sihub.Demand{demandFor(2, "Bosch Vietnam", "P-1", "Motor cover"),
			demandFor(2, "Bosch Vietnam", "P-2", "Gear, steel", func(d *sihub.Demand) { d.Status = sihub.DemandDraft })}
		created, updated, err = db.UpsertDemands(ctx, again)
		if err != nil || created != 0 || updated != 2 {
			t.Fatalf("re-import: created %d updated %d, %v; want 0, 2", created, updated, err)
		}
		if again[0].ID != b.ID || !again[0].UpdatedAt.Equal(b.UpdatedAt) {
			t.Errorf("unchanged demand: id %d updated %v, want %d %v", again[0].ID, again[0].UpdatedAt, b.ID, b.UpdatedAt)
		}
		if got, _ := db.Demand(ctx, c.ID); got.TitleEn != "Gear, steel" || !got.CreatedAt.Equal(c.CreatedAt) {
			t.Errorf("updated demand: %q created %v", got.TitleEn, got.CreatedAt)
		}

		recs, err := db.AuditLog(ctx, AuditFilter{ObjectType: "demand"})
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 4 {
			t.Fatalf("%d demand records, want 3 creations and 1 update", len(recs))
		}
		last := recs[0] // newest first
		var before, after map[string]any
		if err := json.Unmarshal(last.Before, &before); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(last.After, &after); err != nil {
			t.Fatal(err)
		}
		if last.Action != "demand.import" || last.ObjectID != c.ID || last.Actor != "cli" ||
			!reflect.DeepEqual(before, map[string]any{"title_en": "Gear"}) || !reflect.DeepEqual(after, map[string]any{"title_en": "Gear, steel"}) {
			t.Errorf("update record: %s #%d by %s: %s → %s", last.Action, last.ObjectID, last.Actor, last.Before, last.After)
		}
		if recs, _ := db.AuditLog(ctx, AuditFilter{Action: "company.create", ObjectID: b.BuyerID}); len(recs) != 1 {
			t.Errorf("the created buyer has %d company.create records, want 1", len(recs))
		}
		if _, _, err := db.VerifyAudit(ctx, nil); err != nil {
			t.Errorf("audit chain: %v", err)
		}

		// An unknown buyer without a name fails the whole batch.
		n, _ := db.AuditHead(ctx)
		_, _, err = db.UpsertDemands(ctx, []*sihub.Demand{demandFor(2, "", "P-3", "New"),
			demandFor(5, "Canon Vietnam", "P-1", "Lens ring"), demandFor(3, "", "P-1", "Orphan")})
		if sihub.ErrorCode(err) != sihub.ErrInvalid {
			t.Fatalf("unnamed unknown buyer: %v, want ErrInvalid", err)
		}
		if _, err := db.DemandByRef(ctx, taxCode(2), "P-3"); sihub.ErrorCode(err) != sihub.ErrNotFound {
			t.Errorf("a failed import left demand P-3: %v", err)
		}
		if _, err := db.CompanyByTaxCode(ctx, taxCode(5)); sihub.ErrorCode(err) != sihub.ErrNotFound {
			t.Errorf("a failed import left the buyer it created: %v", err)
		}
		if m, _ := db.AuditHead(ctx); m != n {
			t.Errorf("a failed import moved the audit head from %v to %v", n, m)
		}

		for _, tt := range []struct {
			f    DemandFilter
			want []int64
		}{
			{DemandFilter{}, []int64{a.ID, b.ID, c.ID}},
			{DemandFilter{BuyerTaxCode: taxCode(2)}, []int64{b.ID, c.ID}},
			{DemandFilter{BuyerTaxCode: taxCode(2), Ref: "P-2"}, []int64{c.ID}},
			{DemandFilter{Status: sihub.DemandOpen}, []int64{a.ID, b.ID}},
			{DemandFilter{Limit: 1, Offset: 1}, []int64{b.ID}},
			{DemandFilter{BuyerTaxCode: taxCode(4)}, nil},
		} {
			ds, err := db.Demands(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, d := range ds {
				ids = append(ids, d.ID)
			}
			if !reflect.DeepEqual(ids, tt.want) {
				t.Errorf("%+v: got %v, want %v", tt.f, ids, tt.want)
			}
		}
	})
}

// unnoticed lists the ids of the demands not yet noticed, open or not.
func unnoticed(t *testing.T, db *DB) []int64 {
	t.Helper()
	rows, err := db.r.Query(`SELECT id FROM demands WHERE noticed_at IS NULL ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// noticeAll marks every demand UnnoticedDemands lists, up to limit at a
// time, and returns their ids.
func noticeAll(t *testing.T, db *DB, limit int) []int64 {
	t.Helper()
	ds, err := db.UnnoticedDemands(context.Background(), limit)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, d := range ds {
		if err := db.MarkNoticed(context.Background(), d.ID, d.UpdatedAt); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, d.ID)
	}
	return ids
}

func TestCreateUpdateDemand(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := sihub.WithActor(context.Background(), sihub.Actor{UserID: 7, Label: "staff@sihub.vn"})
		buyer := company(2, "Bosch Việt Nam", func(c *sihub.Company) { c.Kind = sihub.Buyer })
		mustCreate(t, db, buyer)
		deadline := sihub.DeadlineOf(time.Date(2027, 6, 30, 0, 0, 0, 0, time.UTC))

		// By id, and by tax code written with dashes.
		d := demandFor(0, "", " P-1 ", "Battery housing", func(d *sihub.Demand) {
			d.BuyerTaxCode, d.BuyerID = "", buyer.ID
			d.TargetPrice, d.Currency, d.Terms = 0.35, "USD", "Không tiết lộ bản vẽ."
			d.Deadline = &deadline
		})
		if err := db.CreateDemand(ctx, d); err != nil {
			t.Fatal(err)
		}
		if d.ID == 0 || d.BuyerTaxCode != buyer.TaxCode || d.BuyerName != buyer.Name || d.Ref != "P-1" || d.CreatedAt.IsZero() {
			t.Fatalf("created: %+v", d)
		}
		got, err := db.Demand(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, d) {
			t.Errorf("read back:\n%+v\nwant\n%+v", got, d)
		}
		e := demandFor(0, "", "P-2", "Gear", func(x *sihub.Demand) { x.BuyerTaxCode = sihub.FormatTaxCode(buyer.TaxCode) })
		if err := db.CreateDemand(ctx, e); err != nil || e.BuyerID != buyer.ID {
			t.Fatalf("create by tax code: buyer %d, %v", e.BuyerID, err)
		}

		// Never a second P-1, never an unknown buyer.
		wantCode(t, db.CreateDemand(ctx, demandFor(2, "", "P-1", "Again")), sihub.ErrConflict)
		wantCode(t, db.CreateDemand(ctx, demandFor(9, "Canon", "P-1", "New buyer")), sihub.ErrNotFound)
		wantCode(t, db.CreateDemand(ctx, demandFor(0, "", "P-3", "No buyer", func(x *sihub.Demand) { x.BuyerID = 999 })), sihub.ErrNotFound)
		if _, err := db.CompanyByTaxCode(ctx, taxCode(9)); sihub.ErrorCode(err) != sihub.ErrNotFound {
			t.Errorf("CreateDemand created a buyer: %v", err)
		}

		// An update keeps the buyer and CreatedAt whatever d says.
		stale := *got
		got.Title, got.TargetPrice = "Vỏ pin", 0.3
		got.BuyerID, got.BuyerTaxCode, got.CreatedAt = 999, taxCode(9), time.Time{}
		if err := db.UpdateDemand(ctx, got); err != nil {
			t.Fatal(err)
		}
		if got.BuyerID != buyer.ID || !got.CreatedAt.Equal(d.CreatedAt) || !got.UpdatedAt.After(stale.UpdatedAt) {
			t.Errorf("updated: buyer %d created %v updated %v", got.BuyerID, got.CreatedAt, got.UpdatedAt)
		}
		if back, _ := db.Demand(ctx, d.ID); !reflect.DeepEqual(back, got) {
			t.Errorf("read back after update:\n%+v\nwant\n%+v", back, got)
		}
		// An edit of the version read before: refused, nothing written.
		stale.Title = "Lost update"
		wantCode(t, db.UpdateDemand(ctx, &stale), sihub.ErrConflict)
		if back, _ := db.Demand(ctx, d.ID); back.Title != "Vỏ pin" {
			t.Errorf("a stale update wrote %q", back.Title)
		}
		// Without UpdatedAt the edit is taken as it is; the ref must stay
		// unique; a missing demand is not found.
		taken := *got
		taken.UpdatedAt, taken.Ref = time.Time{}, "P-2"
		wantCode(t, db.UpdateDemand(ctx, &taken), sihub.ErrConflict)
		wantCode(t, db.UpdateDemand(ctx, demandFor(2, "", "P-9", "x", func(x *sihub.Demand) { x.ID = 999 })), sihub.ErrNotFound)
		// Nothing changed: nothing written.
		same := *got
		if err := db.UpdateDemand(ctx, &same); err != nil || !same.UpdatedAt.Equal(got.UpdatedAt) {
			t.Errorf("unchanged update: updated %v, %v", same.UpdatedAt, err)
		}

		// Status: checked, written, audited, and a no-op when unchanged.
		if _, err := db.SetDemandStatus(ctx, d.ID, "archived"); sihub.ErrorCode(err) != sihub.ErrInvalid {
			t.Errorf("invalid status: %v", err)
		}
		if _, err := db.SetDemandStatus(ctx, 999, sihub.DemandClosed); sihub.ErrorCode(err) != sihub.ErrNotFound {
			t.Errorf("status of a missing demand: %v", err)
		}
		closed, err := db.SetDemandStatus(ctx, d.ID, sihub.DemandClosed)
		if err != nil || closed.Status != sihub.DemandClosed || !closed.UpdatedAt.After(got.UpdatedAt) {
			t.Fatalf("close: %+v, %v", closed, err)
		}
		if back, _ := db.Demand(ctx, d.ID); !reflect.DeepEqual(back, closed) {
			t.Errorf("status read back:\n%+v\nwant\n%+v", back, closed)
		}
		if again, err := db.SetDemandStatus(ctx, d.ID, sihub.DemandClosed); err != nil || !again.UpdatedAt.Equal(closed.UpdatedAt) {
			t.Errorf("same status again: %+v, %v", again, err)
		}

		recs, err := db.AuditLog(ctx, AuditFilter{ObjectType: "demand", ObjectID: d.ID})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, r := range recs {
			actions = append(actions, r.Action)
			if r.ActorID != 7 || r.Actor != "staff@sihub.vn" {
				t.Errorf("%s by %d %q", r.Action, r.ActorID, r.Actor)
			}
		}
		if want := []string{"demand.status", "demand.update", "demand.create"}; !reflect.DeepEqual(actions, want) {
			t.Fatalf("records %v, want %v", actions, want)
		}
		if b, f := fields(t, recs[0].Before), fields(t, recs[0].After); !reflect.DeepEqual(b, map[string]any{"status": "open"}) ||
			!reflect.DeepEqual(f, map[string]any{"status": "closed"}) {
			t.Errorf("status record %v → %v", b, f)
		}
		if b, f := fields(t, recs[1].Before), fields(t, recs[1].After); !reflect.DeepEqual(b, map[string]any{"title": nil, "target_price": 0.35}) ||
			!reflect.DeepEqual(f, map[string]any{"title": "Vỏ pin", "target_price": 0.3}) {
			t.Errorf("update record %v → %v", b, f)
		}
		if f := fields(t, recs[2].After); f["ref"] != "P-1" || f["currency"] != "USD" || f["id"] != nil {
			t.Errorf("create record %v", f)
		}
		verify(t, db, nil)
	})
}

// A demand waits for notices when created, and again after each change of
// its requirements or status, by whichever path wrote it, until marked.
func TestUnnoticedDemands(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		mustCreate(t, db, company(2, "Bosch"))
		var imported []*sihub.Demand
		for i := range 30 {
			imported = append(imported, demandFor(2, "", fmt.Sprintf("P-%02d", i), "Part"))
		}
		draft := demandFor(2, "", "D-1", "Draft", func(d *sihub.Demand) { d.Status = sihub.DemandDraft })
		if _, _, err := db.UpsertDemands(ctx, append(imported, draft)); err != nil {
			t.Fatal(err)
		}
		form := demandFor(2, "", "F-1", "From the form")
		if err := db.CreateDemand(ctx, form); err != nil {
			t.Fatal(err)
		}

		// Every open demand is listed until marked; the draft waits.
		if ids := noticeAll(t, db, 0); len(ids) != 31 || slices.Contains(ids, draft.ID) {
			t.Errorf("noticed %d demands (%v), want the 31 open ones", len(ids), ids)
		}
		if ids := noticeAll(t, db, 0); ids != nil {
			t.Errorf("listed again after marking: %v", ids)
		}

		// What moves a demand back: requirements and status, by any
		// path; not its wording, not its price, not marking.
		a, b, c := imported[0], imported[1], imported[2]
		a.Title, a.TargetPrice, a.Currency = "Reworded", 2, "USD"
		if err := db.UpdateDemand(ctx, a); err != nil {
			t.Fatal(err)
		}
		b.Certifications = []string{"iatf_16949"}
		if err := db.UpdateDemand(ctx, b); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SetDemandStatus(ctx, draft.ID, sihub.DemandOpen); err != nil {
			t.Fatal(err)
		}
		reimport := []*sihub.Demand{
			demandFor(2, "", c.Ref, c.TitleEn, func(d *sihub.Demand) {
				d.MinCapacity = &sihub.CapacityReq{Equipment: "injection_press", Min: 450, Unit: "t"}
			}),
			demandFor(2, "", imported[3].Ref, "Reworded too"),
		}
		if _, _, err := db.UpsertDemands(ctx, reimport); err != nil {
			t.Fatal(err)
		}
		if got, want := unnoticed(t, db), []int64{b.ID, c.ID, draft.ID}; !reflect.DeepEqual(got, want) {
			t.Errorf("unnoticed %v, want %v", got, want)
		}
		// Oldest first, up to the limit; a closed demand is not listed
		// but keeps waiting. A mark for the demand as it was before a
		// change leaves it waiting.
		if _, err := db.SetDemandStatus(ctx, c.ID, sihub.DemandClosed); err != nil {
			t.Fatal(err)
		}
		stale := b.UpdatedAt.Add(-time.Second)
		if err := db.MarkNoticed(ctx, b.ID, stale); err != nil {
			t.Fatal(err)
		}
		if got := noticeAll(t, db, 1); !reflect.DeepEqual(got, []int64{b.ID}) {
			t.Errorf("first round %v", got)
		}
		if got := noticeAll(t, db, 5); !reflect.DeepEqual(got, []int64{draft.ID}) {
			t.Errorf("second round %v", got)
		}
		if got := unnoticed(t, db); !reflect.DeepEqual(got, []int64{c.ID}) {
			t.Errorf("left unnoticed %v", got)
		}
		// Marks are not audited and do not move UpdatedAt.
		if back, _ := db.Demand(ctx, b.ID); !back.UpdatedAt.Equal(b.UpdatedAt) {
			t.Errorf("marking moved UpdatedAt")
		}
		if recs, _ := db.AuditLog(ctx, AuditFilter{ObjectType: "demand", ObjectID: b.ID}); len(recs) != 2 {
			t.Errorf("%d records of demand %d, want import and update", len(recs), b.ID)
		}
	})
}

// Re-importing a list keeps what only the form sets.
func TestImportKeepsFormFields(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		d := demandFor(2, "Bosch", "P-1", "Housing")
		if _, _, err := db.UpsertDemands(ctx, []*sihub.Demand{d}); err != nil {
			t.Fatal(err)
		}
		d.TargetPrice, d.Currency, d.Terms = 12500, "VND", "Điều khoản riêng"
		if err := db.UpdateDemand(ctx, d); err != nil {
			t.Fatal(err)
		}
		for _, title := range []string{"Housing", "Housing, black"} {
			again := demandFor(2, "Bosch", "P-1", title)
			if _, _, err := db.UpsertDemands(ctx, []*sihub.Demand{again}); err != nil {
				t.Fatal(err)
			}
			got, err := db.Demand(ctx, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.TargetPrice != 12500 || got.Currency != "VND" || got.Terms != "Điều khoản riêng" || got.TitleEn != title {
				t.Errorf("after re-import %q: price %v %q terms %q title %q", title, got.TargetPrice, got.Currency, got.Terms, got.TitleEn)
			}
			if again.TargetPrice != 12500 || again.Terms != "Điều khoản riêng" {
				t.Errorf("the imported demand reads price %v terms %q", again.TargetPrice, again.Terms)
			}
		}
		// Unchanged rows stay unwritten: one import record and one update
		// besides the creation.
		if recs, _ := db.AuditLog(ctx, AuditFilter{ObjectType: "demand"}); len(recs) != 3 {
			t.Errorf("%d demand records, want 3", len(recs))
		}
		// An import that gives a price sets it.
		priced := demandFor(2, "Bosch", "P-1", "Housing, black", func(x *sihub.Demand) { x.TargetPrice, x.Currency = 0.5, "USD" })
		if _, _, err := db.UpsertDemands(ctx, []*sihub.Demand{priced}); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.Demand(ctx, d.ID); got.TargetPrice != 0.5 || got.Currency != "USD" || got.Terms != "Điều khoản riêng" {
			t.Errorf("priced import: %v %q %q", got.TargetPrice, got.Currency, got.Terms)
		}
	})
}

func TestDemandFilter(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		mustCreate(t, db, company(1, "Bosch"), company(2, "Canon"))
		ds := []*sihub.Demand{
			demandFor(1, "", "BX-1", "Battery housing", func(d *sihub.Demand) { d.Title = "Vỏ pin máy khoan" }),
			demandFor(1, "", "BX-2", "Gear", func(d *sihub.Demand) {
				d.Visibility, d.Description = sihub.VisibleCenter, "Bánh răng thép 100%_done"
			}),
			demandFor(2, "", "C-1", "Lens ring", func(d *sihub.Demand) { d.Status = sihub.DemandDraft }),
		}
		if _, _, err := db.UpsertDemands(ctx, ds); err != nil {
			t.Fatal(err)
		}
		a, b, c := ds[0].ID, ds[1].ID, ds[2].ID
		for _, tt := range []struct {
			f    DemandFilter
			want []int64
		}{
			{DemandFilter{BuyerID: ds[0].BuyerID}, []int64{a, b}},
			{DemandFilter{Visibility: sihub.VisibleCenter}, []int64{b}},
			{DemandFilter{Visibility: sihub.VisibleVerified, Status: sihub.DemandOpen}, []int64{a}},
			// Folded: no diacritics, any case, in ref, titles, description.
			{DemandFilter{Query: "VO PIN"}, []int64{a}},
			{DemandFilter{Query: "bánh răng"}, []int64{b}},
			{DemandFilter{Query: "banh rang"}, []int64{b}},
			{DemandFilter{Query: "bx-"}, []int64{a, b}},
			{DemandFilter{Query: "lens"}, []int64{c}},
			{DemandFilter{Query: "housing", BuyerID: ds[2].BuyerID}, nil},
			// LIKE's wildcards are plain characters.
			{DemandFilter{Query: "%"}, []int64{b}},
			{DemandFilter{Query: "0%_d"}, []int64{b}},
			{DemandFilter{Query: "_"}, []int64{b}},
			{DemandFilter{Query: "  "}, []int64{a, b, c}},
			{DemandFilter{Limit: 2}, []int64{a, b}},
			{DemandFilter{Offset: 2}, []int64{c}},
		} {
			got, err := db.Demands(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, d := range got {
				ids = append(ids, d.ID)
			}
			if !reflect.DeepEqual(ids, tt.want) {
				t.Errorf("%+v: got %v, want %v", tt.f, ids, tt.want)
			}
			total := len(tt.want)
			if tt.f.Limit != 0 || tt.f.Offset != 0 {
				total = 3
			}
			if n, err := db.CountDemands(ctx, tt.f); err != nil || n != total {
				t.Errorf("%+v: count %d, %v; want %d", tt.f, n, err, total)
			}
		}
		// An update refreshes what the query looks in.
		ds[2].TitleEn = "Ống kính"
		if err := db.UpdateDemand(ctx, ds[2]); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.Demands(ctx, DemandFilter{Query: "ong kinh"}); len(got) != 1 || got[0].ID != c {
			t.Errorf("query after update: %v", got)
		}
	})
}

// How a person hears of new opportunities: immediate by default, checked,
// audited, and part of their data.
func TestSetNotify(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		u, err := db.CreateUser(ctx, NewUser{Email: "lan@donga.vn", Name: "Lan", Role: sihub.RoleCenterStaff, Status: sihub.StatusActive})
		if err != nil {
			t.Fatal(err)
		}
		if u.Notify != sihub.NotifyImmediate {
			t.Errorf("default notify %q", u.Notify)
		}
		wantCode(t, db.SetNotify(ctx, u.ID, "weekly"), sihub.ErrInvalid)
		wantCode(t, db.SetNotify(ctx, 999, sihub.NotifyDaily), sihub.ErrNotFound)
		if err := db.SetNotify(ctx, u.ID, sihub.NotifyDaily); err != nil {
			t.Fatal(err)
		}
		if err := db.SetNotify(ctx, u.ID, sihub.NotifyDaily); err != nil {
			t.Fatal(err)
		}
		for _, get := range []func() (*sihub.User, error){
			func() (*sihub.User, error) { return db.User(ctx, u.ID) },
			func() (*sihub.User, error) { return db.UserByEmail(ctx, u.Email) },
			func() (*sihub.User, error) {
				us, _, err := db.Users(ctx, UserFilter{})
				if err != nil || len(us) != 1 {
					return nil, fmt.Errorf("users %v, %w", us, err)
				}
				return us[0], nil
			},
		} {
			if got, err := get(); err != nil || got.Notify != sihub.NotifyDaily {
				t.Errorf("read back: %+v, %v", got, err)
			}
		}
		recs, err := db.AuditLog(ctx, AuditFilter{Action: "user.notify"})
		if err != nil || len(recs) != 1 {
			t.Fatalf("%d user.notify records, %v; want 1 (the second call changed nothing)", len(recs), err)
		}
		if b, f := fields(t, recs[0].Before), fields(t, recs[0].After); !reflect.DeepEqual(b, map[string]any{"notify": "immediate"}) ||
			!reflect.DeepEqual(f, map[string]any{"notify": "daily"}) {
			t.Errorf("record %v → %v", b, f)
		}
		data, err := db.UserData(ctx, u.ID)
		if err != nil || data.User.Notify != sihub.NotifyDaily {
			t.Errorf("user data: %+v, %v", data, err)
		}
	})
}

// A demand's status and visibility change only when named: a re-imported
// list or an update that leaves them blank never publishes a draft or a
// center-only demand; a new demand left blank is open to verified
// suppliers. Publishing makes the demand due for notices again.
func TestUnnamedStatusKept(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		blank := func(d *sihub.Demand) { d.Status, d.Visibility = "", "" }
		hidden := demandFor(2, "Bosch", "H-1", "Hidden", func(d *sihub.Demand) {
			d.Status, d.Visibility = sihub.DemandDraft, sihub.VisibleCenter
		})
		fresh := demandFor(2, "Bosch", "N-1", "New", blank)
		if _, _, err := db.UpsertDemands(ctx, []*sihub.Demand{hidden, fresh}); err != nil {
			t.Fatal(err)
		}
		if fresh.Status != sihub.DemandOpen || fresh.Visibility != sihub.VisibleVerified {
			t.Errorf("a new demand left blank is %s, %s", fresh.Status, fresh.Visibility)
		}
		form := demandFor(2, "", "F-1", "Form", blank)
		if err := db.CreateDemand(ctx, form); err != nil {
			t.Fatal(err)
		}
		if form.Status != sihub.DemandOpen || form.Visibility != sihub.VisibleVerified {
			t.Errorf("a new demand from the form left blank is %s, %s", form.Status, form.Visibility)
		}
		noticeAll(t, db, 0)

		again := demandFor(2, "Bosch", "H-1", "Hidden, reworded", blank)
		if _, _, err := db.UpsertDemands(ctx, []*sihub.Demand{again}); err != nil {
			t.Fatal(err)
		}
		upd, err := db.Demand(ctx, hidden.ID)
		if err != nil {
			t.Fatal(err)
		}
		upd.TitleEn, upd.UpdatedAt = "Hidden, reworded again", time.Time{}
		blank(upd)
		if err := db.UpdateDemand(ctx, upd); err != nil {
			t.Fatal(err)
		}
		got, err := db.Demand(ctx, hidden.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != sihub.DemandDraft || got.Visibility != sihub.VisibleCenter || got.TitleEn != "Hidden, reworded again" {
			t.Errorf("after a blank re-import and update: %s, %s, %q", got.Status, got.Visibility, got.TitleEn)
		}
		// Published, it is due for notices; a new deadline makes it due
		// again.
		got.Status, got.Visibility, got.UpdatedAt = sihub.DemandOpen, sihub.VisibleVerified, time.Time{}
		if err := db.UpdateDemand(ctx, got); err != nil {
			t.Fatal(err)
		}
		if ids := noticeAll(t, db, 0); !slices.Equal(ids, []int64{hidden.ID}) {
			t.Errorf("after publishing, due %v", ids)
		}
		later := sihub.DeadlineOf(time.Date(2027, 12, 31, 0, 0, 0, 0, time.UTC))
		got.Deadline, got.UpdatedAt = &later, time.Time{}
		if err := db.UpdateDemand(ctx, got); err != nil {
			t.Fatal(err)
		}
		if ids := noticeAll(t, db, 0); !slices.Equal(ids, []int64{hidden.ID}) {
			t.Errorf("after a new deadline, due %v", ids)
		}
	})
}
