package store

import (
	"context"
	"encoding/json"
	"reflect"
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
