package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store/internal/testdb"
)

var staff = sihub.Actor{UserID: 7, Label: "staff@sihub.vn", IP: "203.0.113.9"}

// trail returns every record of db, oldest first, checking that each
// reads back with the content it was digested with.
func trail(t *testing.T, db *DB) []sihub.AuditRecord {
	t.Helper()
	rs, err := db.AuditLog(context.Background(), AuditFilter{Limit: maxAuditPage})
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(rs)
	for _, r := range rs {
		if d, wrong := r.ContentDigest(); d != r.Digest || len(wrong) > 0 {
			t.Errorf("record %d (%s) reads back with another digest: at %v, before %s, after %s",
				r.Seq, r.Action, r.At, r.Before, r.After)
		}
	}
	return rs
}

// verify checks db's chain against want (nil: none) and returns its head.
func verify(t *testing.T, db *DB, want *sihub.AuditHead) sihub.AuditHead {
	t.Helper()
	c, head, err := db.VerifyAudit(context.Background(), want)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Problems) > 0 {
		t.Fatalf("the audit chain does not hold: %v", c.Problems)
	}
	if got, err := db.AuditHead(context.Background()); err != nil || got != head {
		t.Fatalf("AuditHead %v, %v; VerifyAudit ends at %v", got, err, head)
	}
	return head
}

// fields decodes a record's before or after object.
func fields(t *testing.T, j json.RawMessage) map[string]any {
	t.Helper()
	if j == nil {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal(j, &m); err != nil {
		t.Fatalf("%s: %v", j, err)
	}
	return m
}

func keys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// Every change to a company and its documents is in the trail, made by the
// actor of the context, with the fields that changed before and after.
func TestAuditTrail(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := sihub.WithActor(context.Background(), staff)
		if h := verify(t, db, nil); h != (sihub.AuditHead{}) {
			t.Fatalf("empty trail has head %v", h)
		}
		c := full(1)
		c.Contacts = []sihub.Contact{{Name: "Lê Văn Tám", Email: "tam@donga.vn"}}
		if err := db.CreateCompany(ctx, c); err != nil {
			t.Fatal(err)
		}
		// Saving the form unchanged records nothing: the timestamps an
		// update moves are not part of the record.
		if err := db.UpdateCompany(ctx, c); err != nil {
			t.Fatal(err)
		}
		c.Description = "Mô tả mới"
		c.Contacts = append(c.Contacts, sihub.Contact{Name: "Phạm Thu", Phone: "0909 000 111"})
		if err := db.UpdateCompany(ctx, c); err != nil {
			t.Fatal(err)
		}
		if err := db.SetVerified(ctx, c.ID, true, "staff@sihub.vn"); err != nil {
			t.Fatal(err)
		}
		if err := db.SetArchived(ctx, c.ID, true); err != nil {
			t.Fatal(err)
		}
		// Archiving twice changes nothing and records nothing.
		if err := db.SetArchived(ctx, c.ID, true); err != nil {
			t.Fatal(err)
		}
		if err := db.SetArchived(ctx, c.ID, false); err != nil {
			t.Fatal(err)
		}
		if err := db.SetVerified(ctx, c.ID, false, ""); err != nil {
			t.Fatal(err)
		}
		doc := &sihub.Document{CompanyID: c.ID, Kind: sihub.DocBrochure, Name: "catalogue.pdf", ContentType: sihub.TypePDF}
		if err := db.AddDocument(ctx, doc, []byte("%PDF-1.4 secret bytes")); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteDocument(ctx, doc.ID); err != nil {
			t.Fatal(err)
		}
		// Without an actor in the context the operator acts.
		if err := db.SetArchived(context.Background(), c.ID, true); err != nil {
			t.Fatal(err)
		}

		rs := trail(t, db)
		type want struct {
			action        string
			before, after []string // the keys of before and after
		}
		wants := []want{
			{"company.create", nil, nil},
			{"company.update", []string{"contacts", "description"}, []string{"contacts", "description"}},
			{"company.verify", []string{"verified", "verified_at", "verified_by"}, []string{"verified", "verified_at", "verified_by"}},
			{"company.archive", []string{"archived"}, []string{"archived"}},
			{"company.unarchive", []string{"archived"}, []string{"archived"}},
			{"company.unverify", []string{"verified", "verified_at", "verified_by"}, []string{"verified", "verified_at", "verified_by"}},
			{"document.create", nil, []string{"company_id", "content_type", "created_at", "id", "kind", "name", "sha256", "size"}},
			{"document.delete", []string{"company_id", "content_type", "created_at", "id", "kind", "name", "sha256", "size"}, nil},
			{"company.archive", []string{"archived"}, []string{"archived"}},
		}
		if len(rs) != len(wants) {
			for _, r := range rs {
				t.Logf("%d %s %s → %s", r.Seq, r.Action, r.Before, r.After)
			}
			t.Fatalf("%d records, want %d", len(rs), len(wants))
		}
		for i, w := range wants {
			r := rs[i]
			if r.Seq != int64(i+1) || r.Action != w.action || r.ObjectType != "company" || r.ObjectID != c.ID {
				t.Errorf("record %d: %d %s %s #%d, want %s on company #%d", i, r.Seq, r.Action, r.ObjectType, r.ObjectID, w.action, c.ID)
			}
			wantActor := staff
			if i == len(wants)-1 {
				wantActor = sihub.Actor{Label: "system"}
			}
			if r.ActorID != wantActor.UserID || r.Actor != wantActor.Label || r.IP != wantActor.IP {
				t.Errorf("record %d: actor %d %q %q, want %+v", i, r.ActorID, r.Actor, r.IP, wantActor)
			}
			if w.action == "company.create" {
				continue
			}
			if got := keys(fields(t, r.Before)); !slices.Equal(got, w.before) {
				t.Errorf("record %d (%s): before has %v, want %v", i, r.Action, got, w.before)
			}
			if got := keys(fields(t, r.After)); !slices.Equal(got, w.after) {
				t.Errorf("record %d (%s): after has %v, want %v", i, r.Action, got, w.after)
			}
		}
		// The creation records the profile a person set, without what
		// every write moves or what is derived.
		created := fields(t, rs[0].After)
		if rs[0].Before != nil || created["name"] != c.Name || created["tax_code"] != c.TaxCode || created["contacts"] == nil {
			t.Errorf("company.create: before %s, after %s", rs[0].Before, rs[0].After)
		}
		for _, k := range []string{"id", "parent_id", "created_at", "updated_at", "documents"} {
			if _, ok := created[k]; ok {
				t.Errorf("company.create records %s", k)
			}
		}
		upd := rs[1]
		if b, a := fields(t, upd.Before), fields(t, upd.After); b["description"] != full(1).Description || a["description"] != "Mô tả mới" ||
			len(b["contacts"].([]any)) != 1 || len(a["contacts"].([]any)) != 2 {
			t.Errorf("company.update: %s → %s", upd.Before, upd.After)
		}
		if v := fields(t, rs[2].After); v["verified"] != true || v["verified_by"] != "staff@sihub.vn" || v["verified_at"] == nil {
			t.Errorf("company.verify after %s", rs[2].After)
		}
		if v := fields(t, rs[5].After); v["verified"] != false || v["verified_by"] != nil || v["verified_at"] != nil {
			t.Errorf("company.unverify after %s", rs[5].After)
		}
		if d := fields(t, rs[6].After); d["name"] != "catalogue.pdf" || d["id"] != float64(doc.ID) || d["sha256"] != doc.SHA256 {
			t.Errorf("document.create after %s", rs[6].After)
		}
		for _, r := range rs {
			if strings.Contains(string(r.Before)+string(r.After), "secret bytes") {
				t.Errorf("%s records the document's bytes", r.Action)
			}
		}
		head := verify(t, db, nil)
		if head.Seq != int64(len(wants)) || head.Hash != rs[len(rs)-1].Hash {
			t.Errorf("head %v, last record %d %s", head, rs[len(rs)-1].Seq, rs[len(rs)-1].Hash)
		}
		verify(t, db, &head)
		// A change that fails leaves no record.
		wantCode(t, db.SetArchived(ctx, 999, true), sihub.ErrNotFound)
		wantCode(t, db.SetVerified(ctx, 999, true, "x"), sihub.ErrNotFound)
		wantCode(t, db.DeleteDocument(ctx, doc.ID), sihub.ErrNotFound)
		wantCode(t, db.UpdateCompany(ctx, &sihub.Company{ID: 999, TaxCode: taxCode(9), Name: "X"}), sihub.ErrNotFound)
		if h := verify(t, db, &head); h != head {
			t.Errorf("failed changes moved the head from %v to %v", head, h)
		}
	})
}

// The trail reads back with the time it was written to the microsecond,
// whatever the time zone of the server or of time.Local.
func TestAuditTimes(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		at := time.Date(2025, 7, 1, 23, 59, 59, 123456789, time.UTC)
		db.now = func() time.Time { return at.Truncate(time.Microsecond) }
		mustCreate(t, db, company(1, "Giờ"))
		rs := trail(t, db)
		if len(rs) != 1 || !rs[0].At.Equal(at.Truncate(time.Microsecond)) || rs[0].At.Location() != time.UTC {
			t.Fatalf("record at %v, want %v UTC", rs[0].At, at.Truncate(time.Microsecond))
		}
	})
}

func TestAuditLogFilter(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		at := func(seq int) time.Time { return time.Date(2025, 1, 1, 8, seq, 0, 0, time.UTC) }
		var clock time.Time
		db.now = func() time.Time { return clock }
		other := sihub.Actor{UserID: 9, Label: "an@donga.vn"}
		ctx := sihub.WithActor(context.Background(), staff)
		a, b := company(1, "A"), company(2, "B")
		// Step i appends record i+1 at minute i+1.
		for i, step := range []func() error{
			func() error { return db.CreateCompany(context.Background(), a) },
			func() error { return db.CreateCompany(sihub.WithActor(context.Background(), other), b) },
			func() error { return db.SetVerified(ctx, a.ID, true, "s") },
			func() error { return db.SetArchived(ctx, b.ID, true) },
			func() error {
				return db.AddDocument(ctx, &sihub.Document{CompanyID: a.ID, Name: "a.pdf"}, []byte("%PDF-1"))
			},
			func() error { return db.SetVerified(ctx, b.ID, true, "s") },
		} {
			clock = at(i + 1)
			if err := step(); err != nil {
				t.Fatal(err)
			}
		}
		tests := []struct {
			name string
			f    AuditFilter
			want []int64
		}{
			{"all", AuditFilter{}, []int64{6, 5, 4, 3, 2, 1}},
			{"object", AuditFilter{ObjectType: "company", ObjectID: a.ID}, []int64{5, 3, 1}},
			{"other type", AuditFilter{ObjectType: "user"}, nil},
			{"actor id", AuditFilter{ActorID: 9}, []int64{2}},
			{"actor label", AuditFilter{Actor: "system"}, []int64{1}},
			{"action", AuditFilter{Action: "company.verify"}, []int64{6, 3}},
			{"action prefix", AuditFilter{Action: "document."}, []int64{5}},
			{"action prefix company", AuditFilter{Action: "company."}, []int64{6, 4, 3, 2, 1}},
			{"action is no prefix without dot", AuditFilter{Action: "company"}, nil},
			{"since", AuditFilter{Since: at(4)}, []int64{6, 5, 4}},
			{"until", AuditFilter{Until: at(4)}, []int64{3, 2, 1}},
			{"since until", AuditFilter{Since: at(2), Until: at(5).Add(-time.Microsecond)}, []int64{4, 3, 2}},
			{"since other zone", AuditFilter{Since: at(5).In(time.FixedZone("ICT", 7*3600))}, []int64{6, 5}},
			{"page", AuditFilter{Limit: 2}, []int64{6, 5}},
			{"next page", AuditFilter{Limit: 2, BeforeSeq: 5}, []int64{4, 3}},
			{"combined", AuditFilter{ObjectID: b.ID, Action: "company.", BeforeSeq: 6}, []int64{4, 2}},
		}
		for _, tt := range tests {
			rs, err := db.AuditLog(context.Background(), tt.f)
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, r := range rs {
				got = append(got, r.Seq)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
			}
		}
	})
}

// tamper edits the trail behind the store's back.
func tamper(t *testing.T, db *DB, queries ...string) {
	t.Helper()
	for _, q := range queries {
		if _, err := db.w.ExecContext(context.Background(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// insertRecord writes r into the trail as it stands.
func insertRecord(t *testing.T, db *DB, r *sihub.AuditRecord) {
	t.Helper()
	_, err := db.w.ExecContext(context.Background(), db.q(`INSERT INTO audit_log
		(seq, at, actor_id, actor, ip, action, object_type, object_id, before, after, digest, prev, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`), r.Seq, r.At, r.ActorID, r.Actor, r.IP, r.Action, r.ObjectType, r.ObjectID,
		nullJSON(r.Before), nullJSON(r.After), r.Digest, r.Prev, r.Hash)
	if err != nil {
		t.Fatal(err)
	}
}

// VerifyAudit finds every kind of tampering: an edited, deleted or inserted
// record, and — against a head published before — removed or rewritten
// newest records.
func TestVerifyAuditDetects(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := sihub.WithActor(context.Background(), staff)
		// Each case runs on its own copy of one trail of six records.
		src := db
		for i := range 3 {
			c := company(i+1, fmt.Sprintf("Công ty %d", i))
			if err := src.CreateCompany(ctx, c); err != nil {
				t.Fatal(err)
			}
			if err := src.SetVerified(ctx, c.ID, true, "s"); err != nil {
				t.Fatal(err)
			}
		}
		head := verify(t, src, nil)
		if head.Seq != 6 {
			t.Fatalf("head %v", head)
		}
		recs := trail(t, src)
		tests := []struct {
			name   string
			change func(t *testing.T, db *DB)
			// The problem found with and without the published head;
			// "" for none.
			want, wantNoHead string
		}{
			{"edited content", func(t *testing.T, db *DB) {
				tamper(t, db, `UPDATE audit_log SET after = '{"verified":false}' WHERE seq = 4`)
			}, "record 4: its content was changed", "record 4: its content was changed"},
			{"edited actor", func(t *testing.T, db *DB) {
				tamper(t, db, `UPDATE audit_log SET actor = 'someone@else.vn' WHERE seq = 2`)
			}, "record 2: its content was changed", "record 2: its content was changed"},
			{"edited and re-hashed", func(t *testing.T, db *DB) {
				r := recs[2]
				r.After = json.RawMessage(`{"name":"Khác"}`)
				r.Seal()
				tamper(t, db, `DELETE FROM audit_log WHERE seq = 3`)
				insertRecord(t, db, &r)
			}, "record 4: its link to the record before does not match", "record 4: its link to the record before does not match"},
			{"deleted middle record", func(t *testing.T, db *DB) {
				tamper(t, db, `DELETE FROM audit_log WHERE seq = 3`)
			}, "record 4 follows record 2", "record 4 follows record 2"},
			{"inserted record", func(t *testing.T, db *DB) {
				// Records 4… move up one, and a well-formed record
				// takes seq 4, linked to record 3.
				tamper(t, db, `UPDATE audit_log SET seq = -seq WHERE seq >= 4`, `UPDATE audit_log SET seq = 1 - seq WHERE seq < 0`)
				r := sihub.AuditRecord{Seq: 4, At: recs[3].At, Actor: "system", Action: "company.verify", ObjectType: "company",
					ObjectID: 1, After: json.RawMessage(`{"verified":true}`), Prev: recs[2].Hash}
				r.Seal()
				insertRecord(t, db, &r)
			}, "record 5: its link to the record before does not match", "record 5: its link to the record before does not match"},
			{"newest records removed", func(t *testing.T, db *DB) {
				tamper(t, db, `DELETE FROM audit_log WHERE seq > 4`)
			}, "the newest records were removed", ""},
			{"tail rewritten", func(t *testing.T, db *DB) {
				// The newest two records replaced by others, chained
				// correctly: only the published head tells.
				tamper(t, db, `DELETE FROM audit_log WHERE seq > 4`)
				if err := db.SetArchived(ctx, 1, true); err != nil {
					t.Fatal(err)
				}
				if err := db.SetArchived(ctx, 2, true); err != nil {
					t.Fatal(err)
				}
			}, "record 6 does not have the published hash", ""},
			{"tail rewritten and extended", func(t *testing.T, db *DB) {
				tamper(t, db, `DELETE FROM audit_log WHERE seq > 5`)
				for id := int64(1); id <= 3; id++ {
					if err := db.SetArchived(ctx, id, true); err != nil {
						t.Fatal(err)
					}
				}
			}, "record 6 does not have the published hash", ""},
			{"untouched, then appended", func(t *testing.T, db *DB) {
				if err := db.SetArchived(ctx, 1, true); err != nil {
					t.Fatal(err)
				}
			}, "", ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				db := openTest(t, src.d.name)
				if _, err := Copy(context.Background(), src, db); err != nil {
					t.Fatal(err)
				}
				verify(t, db, &head)
				tt.change(t, db)
				for _, c := range []struct {
					want *sihub.AuditHead
					msg  string
				}{{&head, tt.want}, {nil, tt.wantNoHead}} {
					chk, _, err := db.VerifyAudit(context.Background(), c.want)
					if err != nil {
						t.Fatal(err)
					}
					found := slices.ContainsFunc(chk.Problems, func(p string) bool { return c.msg != "" && strings.Contains(p, c.msg) })
					if c.msg == "" && len(chk.Problems) > 0 || c.msg != "" && !found {
						t.Errorf("head %v: problems %q, want %q", c.want, chk.Problems, c.msg)
					}
				}
			})
		}
	})
}

// Appends from several goroutines and several handles on one database
// (as several instances would) make one chain.
func TestAuditConcurrent(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		dsn := testdb.DSN(t, dialect)
		dbs := []*DB{openDSN(t, dsn), openDSN(t, dsn)}
		const perWorker = 15
		var wg sync.WaitGroup
		errs := make(chan error, 4*perWorker)
		for w := range 4 {
			db := dbs[w%2]
			wg.Go(func() {
				ctx := sihub.WithActor(context.Background(), sihub.Actor{UserID: int64(w + 1), Label: fmt.Sprint("worker", w)})
				for i := range perWorker {
					c := company(w*100+i, fmt.Sprintf("Công ty %d-%d", w, i))
					if err := db.CreateCompany(ctx, c); err != nil {
						errs <- err
						return
					}
					if i%3 == 0 {
						if err := db.SetVerified(ctx, c.ID, true, "w"); err != nil {
							errs <- err
							return
						}
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		want := int64(4 * (perWorker + (perWorker+2)/3))
		for _, db := range dbs {
			if h := verify(t, db, nil); h.Seq != want {
				t.Errorf("head %v, want %d records", h, want)
			}
		}
	})
}

// An import records each company it creates or changes, and nothing for
// the rows it leaves unchanged.
func TestImportAudit(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := sihub.WithActor(context.Background(), staff)
		rows := importRows(3, "v1")
		if _, _, err := db.UpsertCompanies(ctx, seqOf(rows...)); err != nil {
			t.Fatal(err)
		}
		// Staff add a contact in the form; the import keeps it.
		c, _ := db.Company(ctx, rows[1].ID)
		c.Contacts = []sihub.Contact{{Name: "Đỗ Hùng"}}
		if err := db.UpdateCompany(ctx, c); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.UpsertCompanies(ctx, seqOf(importRows(3, "v1")...)); err != nil {
			t.Fatal(err)
		}
		again := importRows(3, "v1")
		again[1].Description = "Đổi trong tệp nhập"
		if _, _, err := db.UpsertCompanies(ctx, seqOf(again...)); err != nil {
			t.Fatal(err)
		}
		rs := trail(t, db)
		var got []string
		for _, r := range rs {
			got = append(got, fmt.Sprintf("%s #%d", r.Action, r.ObjectID))
		}
		want := []string{"company.import #1", "company.import #2", "company.import #3", "company.update #2", "company.import #2"}
		if !slices.Equal(got, want) {
			t.Fatalf("trail %v, want %v", got, want)
		}
		for _, r := range rs[:3] {
			if r.Before != nil || fields(t, r.After)["tax_code"] == nil {
				t.Errorf("%s: %s → %s", r.Action, r.Before, r.After)
			}
		}
		last := rs[4]
		if b, a := fields(t, last.Before), fields(t, last.After); !reflect.DeepEqual(keys(a), []string{"description"}) ||
			a["description"] != "Đổi trong tệp nhập" || b["description"] != nil {
			t.Errorf("changed import row: %s → %s", last.Before, last.After)
		}
		verify(t, db, nil)
	})
}

// jsonStrings returns every string of a JSON text, keys included.
func jsonStrings(t *testing.T, j json.RawMessage) []string {
	t.Helper()
	if j == nil {
		return nil
	}
	var v any
	if err := json.Unmarshal(j, &v); err != nil {
		t.Fatalf("not JSON any more: %s: %v", j, err)
	}
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			out = append(out, v)
		case []any:
			for _, x := range v {
				walk(x)
			}
		case map[string]any:
			for k, x := range v {
				out = append(out, k)
				walk(x)
			}
		}
	}
	walk(v)
	return out
}

// Erasing a person redacts the records by them and about their account —
// the leaves naming them, whatever their case and however JSON escaped
// them, and the IPs they acted from — and no other record, so that a name
// typed into an account cannot strip the rest of the trail; the chain
// still holds.
func TestRedactAudit(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		lan := sihub.Actor{UserID: 5, Label: "lan&co@example.vn", IP: "198.51.100.7"}
		ctx := sihub.WithActor(context.Background(), lan)
		a := company(1, "Nhựa <Lan> & Cộng sự", func(c *sihub.Company) {
			c.Contacts = []sihub.Contact{{Name: "Nguyễn Thị <Lan>", Email: "LAN&CO@example.vn"}, {Name: "Trần An", Phone: "0909 123 456"}}
		})
		mustCreate(t, db, a) // by the system: company data, for contact erasure
		a.Description = "Liên hệ chị Nguyễn thị <lan> (lan&co@example.vn)"
		if err := db.UpdateCompany(ctx, a); err != nil { // by Lan
			t.Fatal(err)
		}
		// Someone else's record, with their IP, naming her in a field.
		if err := db.SetVerified(sihub.WithActor(context.Background(), staff), a.ID, true, "Nguyễn Thị <Lan>"); err != nil {
			t.Fatal(err)
		}
		// Lan's own record, which names nothing of hers but her IP.
		mustCreate(t, db, company(2, "Cơ khí Bình Minh"))
		if err := db.SetArchived(ctx, 2, true); err != nil {
			t.Fatal(err)
		}
		// A record about her account, by an admin.
		if err := db.write(context.Background(), "about", func(tx *sql.Tx) error {
			return db.audit(sihub.WithActor(context.Background(), staff), tx, "user.update", "user", lan.UserID,
				map[string]string{"email": "old@example.vn", "name": "Nguyễn Thị <Lan>"}, map[string]string{"email": "LAN&CO@example.vn", "name": "Lan"})
		}); err != nil {
			t.Fatal(err)
		}
		head := verify(t, db, nil)
		before := trail(t, db)
		values := []string{"lan&co@example.vn", "Nguyễn Thị <Lan>", " An ", "Bình Mi"}
		if err := db.write(context.Background(), "redact", func(tx *sql.Tx) error {
			return db.redactAudit(context.Background(), tx, lan.UserID, lan.Label, values)
		}); err != nil {
			t.Fatal(err)
		}
		after := trail(t, db)
		if h := verify(t, db, &head); h != head {
			t.Errorf("redaction moved the head from %v to %v", head, h)
		}
		// create, update by Lan, verify by staff, create, archive by Lan, about her
		wantRedacted := []bool{false, true, false, false, true, true}
		for i, r := range after {
			b := before[i]
			if r.Digest != b.Digest || r.Prev != b.Prev || r.Hash != b.Hash || r.Seq != b.Seq || r.Action != b.Action || !r.At.Equal(b.At) {
				t.Errorf("record %d: chain fields or content changed", r.Seq)
			}
			if r.Redacted() != wantRedacted[i] {
				t.Errorf("record %d (%s): redacted %v, want %v", r.Seq, r.Action, r.Redacted(), wantRedacted[i])
			}
			if r.ActorID == lan.UserID && r.IP != "" || r.ActorID != lan.UserID && r.IP != b.IP {
				t.Errorf("record %d by %d: IP %q", r.Seq, r.ActorID, r.IP)
			}
			if !r.Redacted() && (string(r.Before) != string(b.Before) || string(r.After) != string(b.After) || r.Actor != b.Actor) {
				t.Errorf("record %d changed without being marked redacted", r.Seq)
			}
			if !wantRedacted[i] {
				continue
			}
			texts := append(jsonStrings(t, r.Before), jsonStrings(t, r.After)...)
			texts = append(texts, r.Actor, string(r.Before), string(r.After))
			for _, s := range texts {
				for _, v := range []string{"lan&co@example", "nguyễn thị <lan>", `nguyễn thị \u003clan\u003e`} {
					if strings.Contains(strings.ToLower(s), v) {
						t.Errorf("record %d still holds %q: %s", r.Seq, v, s)
					}
				}
			}
		}
		if a := fields(t, after[1].After); a["description"] != sihub.ErasedMark {
			t.Errorf("description redacted to %q", a["description"])
		}
		if after[1].Actor != sihub.ErasedMark || after[4].Actor != sihub.ErasedMark {
			t.Errorf("actor labels: %q, %q", after[1].Actor, after[4].Actor)
		}
		// What was only near her stays: the name kept in the about-record's
		// other side, the verification by staff that names her in a field.
		if f := fields(t, after[5].After); f["name"] != "Lan" || f["email"] != sihub.ErasedMark {
			t.Errorf("about-record after: %s", after[5].After)
		}
		if string(after[2].After) != string(before[2].After) || !strings.Contains(string(after[2].After), "Nguy") {
			t.Errorf("a record by someone else was redacted: %s", after[2].After)
		}
	})
}

func TestEraseContact(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := sihub.WithActor(context.Background(), staff)
		c := full(1)
		c.Contacts = []sihub.Contact{
			{Name: "Lê Văn Tám", Role: "Giám đốc", Email: "tam@donga.vn"},
			{Name: "Hoàng Thị Mai", Role: "Kinh doanh", Email: "mai.hoang@donga.vn", Phone: "0912 345 678"},
			{Name: "Võ Minh", Phone: "028 3 999 888"},
		}
		mustCreate(t, db, c)
		c.Description = "Gọi chị Hoàng Thị Mai, 0912 345 678"
		if err := db.UpdateCompany(ctx, c); err != nil {
			t.Fatal(err)
		}
		only := company(2, "Một người", func(c *sihub.Company) { c.Contacts = []sihub.Contact{{Name: "Đinh Văn Lực"}} })
		// Another company names someone of the same name: not the
		// contact erased, so its records keep the name.
		namesake := company(3, "Cùng tên", func(c *sihub.Company) { c.Contacts = []sihub.Contact{{Name: "Hoàng Thị Mai"}} })
		mustCreate(t, db, only, namesake)
		var version int64
		db.r.QueryRow(`SELECT version FROM data_version`).Scan(&version)

		if err := db.EraseContact(ctx, c.ID, 1); err != nil {
			t.Fatal(err)
		}
		got, err := db.Company(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := []sihub.Contact{c.Contacts[0], c.Contacts[2]}
		if !reflect.DeepEqual(got.Contacts, want) {
			t.Errorf("contacts %+v, want %+v", got.Contacts, want)
		}
		var positions []int64
		rows, err := db.r.Query(db.q(`SELECT position FROM contacts WHERE company_id = ? ORDER BY position`), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var p int64
			rows.Scan(&p)
			positions = append(positions, p)
		}
		rows.Close()
		if !slices.Equal(positions, []int64{0, 1}) {
			t.Errorf("positions %v after erasing", positions)
		}
		// What is derived from the contacts follows, as after an edit.
		checkDerived := func(c *sihub.Company) {
			t.Helper()
			var hash, contactsHash string
			var completeness int
			if err := db.r.QueryRow(db.q(`SELECT content_hash, contacts_hash, completeness FROM companies WHERE id = ?`), c.ID).
				Scan(&hash, &contactsHash, &completeness); err != nil {
				t.Fatal(err)
			}
			if d := db.derive(c); hash != contentHash(c) || contactsHash != d.contactsHash || completeness != d.completeness {
				t.Errorf("company %d: stored hashes and completeness do not follow its contacts", c.ID)
			}
		}
		checkDerived(got)
		var now int64
		db.r.QueryRow(`SELECT version FROM data_version`).Scan(&now)
		if now <= version {
			t.Errorf("data_version %d after erasing, %d before", now, version)
		}

		// The last contact of a company goes too, and the directory
		// counts the company's completeness again.
		if err := db.EraseContact(ctx, only.ID, 0); err != nil {
			t.Fatal(err)
		}
		o, _ := db.Company(ctx, only.ID)
		if len(o.Contacts) != 0 {
			t.Errorf("contacts %+v", o.Contacts)
		}
		checkDerived(o)
		p, err := db.FindCompanies(ctx, sihub.CompanyFilter{Words: []string{"mot"}}, false)
		if err != nil || p.Total != 1 || len(p.Items[0].Contacts) != 0 {
			t.Errorf("directory after erasing: %+v, %v", p, err)
		}

		rs := trail(t, db)
		last := rs[len(rs)-1]
		if last.Action != "contact.erase" || last.ObjectType != "company" || last.ObjectID != only.ID || last.Actor != staff.Label {
			t.Errorf("last record %+v", last)
		}
		for _, r := range rs {
			if r.ObjectID == namesake.ID {
				if !strings.Contains(string(r.After), "Hoàng Thị Mai") || r.Redacted() {
					t.Errorf("another company's record was redacted: %s", r.After)
				}
				continue
			}
			all := r.Actor + string(r.Before) + string(r.After)
			for _, v := range []string{"Hoàng Thị Mai", "mai.hoang@donga.vn", "0912 345 678", "Đinh Văn Lực"} {
				if strings.Contains(all, v) {
					t.Errorf("record %d (%s) still holds %q", r.Seq, r.Action, v)
				}
			}
			if r.Action == "contact.erase" && r.Before != nil {
				t.Errorf("contact.erase records %s", r.Before)
			}
		}
		// A record's contact list is erased whole when it names the
		// person (the profile itself keeps the others, checked above).
		verify(t, db, nil)

		wantCode(t, db.EraseContact(ctx, c.ID, 2), sihub.ErrNotFound)
		wantCode(t, db.EraseContact(ctx, c.ID, -1), sihub.ErrNotFound)
		wantCode(t, db.EraseContact(ctx, 999, 0), sihub.ErrNotFound)
	})
}

// companyChanges finds what changedFields finds in the companies' whole
// encodings.
func TestCompanyChanges(t *testing.T) {
	verifiedAt := time.Date(2025, 5, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		edit func(c *sihub.Company)
	}{
		{"nothing", func(c *sihub.Company) {}},
		{"what the trail leaves out", func(c *sihub.Company) {
			c.ID, c.ParentID, c.CreatedAt, c.UpdatedAt = 99, 98, verifiedAt, verifiedAt
			c.Documents = []sihub.Document{{ID: 1}}
		}},
		{"text", func(c *sihub.Company) { c.Description = "Khác <b> & \u2028" }},
		{"emptied text", func(c *sihub.Company) { c.NameEn = "" }},
		{"zero number", func(c *sihub.Company) { c.Employees = 0 }},
		{"number", func(c *sihub.Company) { c.Founded = 1999 }},
		{"emptied list", func(c *sihub.Company) { c.Contacts = []sihub.Contact{} }},
		{"nil list", func(c *sihub.Company) { c.Sectors = nil }},
		{"list element", func(c *sihub.Company) { c.Equipment[0].Capacity = 500 }},
		{"flags", func(c *sihub.Company) {
			c.Verified, c.VerifiedBy, c.VerifiedAt, c.Archived = true, "s", &verifiedAt, true
		}},
		{"several", func(c *sihub.Company) { c.Kind, c.Name, c.Materials = sihub.Buyer, "Tên mới", nil }},
	}
	for _, tt := range tests {
		before := full(1)
		before.Sectors = []string{}
		after := full(1)
		after.Sectors = []string{}
		tt.edit(after)
		b, f, err := companyChanges(before, after)
		if err != nil {
			t.Fatal(err)
		}
		bj, _ := json.Marshal(audited{Company: before})
		fj, _ := json.Marshal(audited{Company: after})
		wb, wf, err := changedFields(bj, fj)
		if err != nil {
			t.Fatal(err)
		}
		got := func(m map[string]json.RawMessage) string {
			if m == nil {
				return ""
			}
			j, _ := json.Marshal(m)
			return string(j)
		}
		if got(b) != string(wb) || got(f) != string(wf) {
			t.Errorf("%s: companyChanges\n%s → %s\nchangedFields\n%s → %s", tt.name, got(b), got(f), wb, wf)
		}
	}
}
