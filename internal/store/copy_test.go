package store

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
)

// copySource fills a SQLite database with what Copy must carry: companies
// with contacts and every list, branches (one created before its parent, so
// that its parent has the larger id), verifications, archives, documents
// sharing bytes, and an update, so that created_at and updated_at differ.
func copySource(t *testing.T) *DB {
	t.Helper()
	ctx := context.Background()
	db := openTestDB(t)
	branch := company(0, "Chi nhánh trước", func(c *sihub.Company) { c.TaxCode = taxCode(900) + "001" })
	mustCreate(t, db, branch)
	agreeLoad(t, db, 150)
	mustCreate(t, db, full(900), full(901))
	p, _ := db.CompanyByTaxCode(ctx, taxCode(900))
	if b, _ := db.Company(ctx, branch.ID); b.ParentID != p.ID || p.ID < b.ID {
		t.Fatalf("branch %d has parent %d, want %d", b.ID, b.ParentID, p.ID)
	}
	p.Description = "Sửa sau"
	if err := db.UpdateCompany(ctx, p); err != nil {
		t.Fatal(err)
	}
	for i, data := range [][]byte{[]byte("%PDF-1.4 a"), []byte("%PDF-1.4 a"), []byte("\x89PNG\r\n\x1a\nb")} {
		d := &sihub.Document{CompanyID: int64(1 + i), Kind: sihub.DocBrochure, Name: "t.pdf", ContentType: sihub.SniffType(data)}
		if err := db.AddDocument(ctx, d, data); err != nil {
			t.Fatal(err)
		}
	}
	accountRows(t, db)
	// Demands, with a deadline and without (NULL).
	deadline := sihub.DeadlineOf(time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC))
	if _, _, err := db.UpsertDemands(ctx, []*sihub.Demand{
		demandFor(900, "", "P-1", "Housing", func(d *sihub.Demand) { d.Deadline = &deadline; d.AnnualVolume = 1.5 }),
		demandFor(901, "", "P-1", "Cover"),
	}); err != nil {
		t.Fatal(err)
	}
	demandWork(t, db)
	d, err := db.DemandByRef(ctx, taxCode(900), "P-1")
	if err != nil {
		t.Fatal(err)
	}
	rfqWork(t, db, sihub.WithActor(ctx, sihub.Actor{UserID: 1, Label: "lan@donga.vn"}), d.ID, 1, 3, 4)
	// A file of the round (no invitation) and one of a supplier's draft.
	for _, inv := range []int64{0, 1} {
		if err := db.AddRFQFile(ctx, &sihub.RFQFile{RFQID: 1, InvitationID: inv, Name: "spec.pdf"}, []byte("%PDF-1.4 spec")); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Notify(ctx, []Note{{UserID: 1, Kind: "rfq.invited", Subject: "Lời mời báo giá", Body: "Vỏ pin", Link: "/invitations/1/quote"},
		{UserID: 1, Kind: "rfq.answer", Subject: "Trả lời"}}); err != nil {
		t.Fatal(err)
	}
	now := db.now()
	if _, err := db.w.ExecContext(ctx, db.q(`INSERT INTO reminders (kind, object_id, due, sent_at) VALUES (?, ?, ?, ?)`),
		"deadline_24h", 1, now.Add(time.Hour), now); err != nil {
		t.Fatal(err)
	}
	return db
}

// demandWork writes rows into the tables of migration 0007: a target
// price, files (one sharing a document's bytes), an acceptance, downloads
// with and without a company, notices with and without a digest, and a
// user's notification choice and digest time.
func demandWork(t *testing.T, db *DB) {
	t.Helper()
	ctx := context.Background()
	d, err := db.DemandByRef(ctx, taxCode(900), "P-1")
	if err != nil {
		t.Fatal(err)
	}
	d.TargetPrice, d.Currency, d.Terms = 1.25, "USD", "Bảo mật"
	if err := db.UpdateDemand(ctx, d); err != nil {
		t.Fatal(err)
	}
	var files []*sihub.DemandFile
	for _, data := range [][]byte{[]byte("%PDF-1.4 a"), []byte("%PDF-1.4 drawing")} {
		f := &sihub.DemandFile{DemandID: d.ID, Name: "drawing.pdf", ContentType: sihub.TypePDF}
		if err := db.AddDemandFile(ctx, f, data); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	if err := db.AcceptTerms(ctx, &sihub.TermsAcceptance{DemandID: d.ID, CompanyID: 2, UserID: 1, TermsSHA256: "ab"}); err != nil {
		t.Fatal(err)
	}
	for _, company := range []int64{2, 0} {
		if err := db.LogDownload(ctx, &sihub.Download{FileID: files[1].ID, DemandID: d.ID, UserID: 1, CompanyID: company, IP: "203.0.113.9"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.SetNotify(ctx, 1, sihub.NotifyDaily); err != nil {
		t.Fatal(err)
	}
	now := db.now()
	for _, q := range []struct {
		query string
		args  []any
	}{
		{`INSERT INTO demand_notices (demand_id, company_id, qualified, created_at, digested_at) VALUES (?, ?, ?, ?, ?), (?, ?, ?, ?, NULL)`,
			[]any{d.ID, 3, 1, now, now, d.ID, 4, 0, now}},
		{`UPDATE users SET digest_at = ? WHERE id = 1`, []any{now}},
	} {
		if _, err := db.w.ExecContext(ctx, db.q(q.query), q.args...); err != nil {
			t.Fatalf("%s: %v", q.query, err)
		}
	}
}

// accountRows writes rows into every table of the accounts, with NULLs
// and values in the nullable columns, and a redacted audit record.
func accountRows(t *testing.T, db *DB) {
	t.Helper()
	ctx := context.Background()
	now := db.now()
	for _, q := range []struct {
		query string
		args  []any
	}{
		{`INSERT INTO users (email, name, password_hash, role, company_id, status, email_confirmed_at, lang, consent_at, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, []any{"lan@donga.vn", "Lan", "$argon2id$x", "company_admin", 2, "active", now, "en", now, now, now}},
		{`INSERT INTO users (email, role, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
			[]any{"staff@sihub.vn", "center_staff", "pending", now, now}},
		{`INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			[]any{"h1", 1, now, now, now.Add(time.Hour), "203.0.113.1", "Firefox"}},
		{`INSERT INTO one_time_tokens (hash, purpose, email, role, company_id, created_by, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, []any{"t1", "invite", "new@donga.vn", "company_member", 2, 1, now, now.Add(time.Hour)}},
		{`INSERT INTO api_tokens (user_id, name, prefix, hash, scope, created_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			[]any{1, "ERP", "sihub_ab", "a1", "read", now, now}},
		{`INSERT INTO sign_in_failures (key, at) VALUES (?, ?), (?, ?)`, []any{"email:lan@donga.vn", now, "ip:203.0.113.1", now}},
		{`INSERT INTO contact_views (user_id, company_id, at) VALUES (?, ?, ?)`, []any{1, 3, now}},
	} {
		if _, err := db.w.ExecContext(ctx, db.q(q.query), q.args...); err != nil {
			t.Fatalf("%s: %v", q.query, err)
		}
	}
	for _, to := range []string{"lan@donga.vn", "staff@sihub.vn"} {
		if err := db.QueueMail(ctx, to, "Chào", "Nội dung"); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.MailSent(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if err := db.EraseContact(sihub.WithActor(ctx, sihub.Actor{UserID: 2, Label: "staff@sihub.vn", IP: "203.0.113.2"}), 2, 0); err != nil {
		t.Fatal(err)
	}
}

// Copy from SQLite to each engine and back to SQLite: every company reads
// back the same, every directory query answers the same, and the copies
// can be written to.
func TestCopy(t *testing.T) {
	src := copySource(t)
	want := dump(t, src)
	fs := agreeQueries()
	wantResults := results(t, src, fs)
	wantStats, _ := src.Stats(context.Background())
	head := verify(t, src, nil)
	if rs := trail(t, src); !slices.ContainsFunc(rs, func(r sihub.AuditRecord) bool { return r.Redacted() }) || rs[len(rs)-1].After == nil || rs[0].Before != nil {
		t.Fatal("the source's trail lacks a redacted record or NULL and non-NULL before and after")
	}
	eachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		mid := openTest(t, dialect)
		rep, err := Copy(ctx, src, mid)
		if err != nil {
			t.Fatal(err)
		}
		wantTables := []CopiedTable{{"companies", 153}, {"demands", 2}, {"contacts", 153}, {"company_terms", -1},
			{"attachments", 4}, {"documents", 3}, {"users", 2}, {"sessions", 1}, {"one_time_tokens", 1},
			{"api_tokens", 1}, {"sign_in_failures", 2}, {"outbox", 2}, {"contact_views", 1},
			{"demand_files", 2}, {"terms_acceptances", 1}, {"demand_downloads", 2}, {"demand_notices", 2},
			{"rfqs", 1}, {"rfq_deadlines", 1}, {"rfq_invitations", 2}, {"quotes", 3}, {"rfq_questions", 1}, {"cases", 2},
			{"case_steps", 6}, {"reminders", 1}, {"notifications", 2}, {"rfq_files", 2}, {"audit_log", int(head.Seq)},
			{"companies_fts", 153}}
		if rep.Identical || len(rep.Tables) != len(wantTables) {
			t.Fatalf("report %+v", rep)
		}
		for i, w := range wantTables {
			if got := rep.Tables[i]; got.Name != w.Name || w.Rows >= 0 && got.Rows != w.Rows || got.Rows <= 0 {
				t.Errorf("report line %d: %+v, want %+v", i, got, w)
			}
		}
		back := openTestDB(t)
		if _, err := Copy(ctx, mid, back); err != nil {
			t.Fatal(err)
		}
		for name, db := range map[string]*DB{dialect: mid, "back in sqlite": back} {
			if got := dump(t, db); got != want {
				t.Errorf("%s: companies differ from the source", name)
			}
			if got := results(t, db, fs); !slices.Equal(got, wantResults) {
				for i := range got {
					if got[i] != wantResults[i] {
						t.Errorf("%s: query differs:\n got %s\nwant %s", name, got[i], wantResults[i])
						break
					}
				}
			}
			if st, _ := db.Stats(ctx); st != wantStats {
				t.Errorf("%s: stats %+v, want %+v", name, st, wantStats)
			}
			// The trail is the source's: the same records, the same
			// head, and the chain holds.
			if h := verify(t, db, &head); h != head {
				t.Errorf("%s: audit head %v, want %v", name, h, head)
			}
			if !reflect.DeepEqual(trail(t, db), trail(t, src)) {
				t.Errorf("%s: audit records differ from the source", name)
			}
		}

		// Running the copy again finds the data there and writes nothing.
		again, err := Copy(ctx, src, mid)
		if err != nil || !again.Identical || !slices.Equal(again.Tables, rep.Tables) {
			t.Errorf("second copy: %+v, %v", again, err)
		}
		// The copy goes on with ids after the copied ones.
		c := company(5000, "Sau khi sao chép")
		mustCreate(t, mid, c)
		if c.ID != 154 {
			t.Errorf("new company id %d after copying ids 1…153", c.ID)
		}
		d := &sihub.Document{CompanyID: c.ID, Kind: sihub.DocPhoto, Name: "x.png", ContentType: sihub.TypePNG}
		if err := mid.AddDocument(ctx, d, []byte("\x89PNG\r\n\x1a\nc")); err != nil || d.ID != 4 {
			t.Errorf("new document id %d, %v", d.ID, err)
		}
		now := mid.now()
		for _, q := range []struct {
			table, query string
			args         []any
			want         int64
		}{
			{"users", `INSERT INTO users (email, role, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
				[]any{"x@x.vn", "official", "active", now, now}, 3},
			{"api_tokens", `INSERT INTO api_tokens (user_id, name, prefix, hash, scope, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
				[]any{1, "n", "p", "h2", "write", now}, 2},
			{"outbox", `INSERT INTO outbox (to_addr, subject, body, created_at, send_after) VALUES (?, ?, ?, ?, ?) RETURNING id`,
				[]any{"a@x.vn", "s", "b", now, now}, 3},
			{"demand_files", `INSERT INTO demand_files (demand_id, name, sha256, content_type, size, created_at)
				SELECT demand_id, name, sha256, content_type, size, created_at FROM demand_files WHERE id = 1 RETURNING id`, nil, 3},
			{"demand_downloads", `INSERT INTO demand_downloads (file_id, demand_id, user_id, ip, at)
				SELECT file_id, demand_id, user_id, ip, at FROM demand_downloads WHERE id = 1 RETURNING id`, nil, 3},
			{"rfqs", `INSERT INTO rfqs (demand_id, round, deadline, created_at, updated_at)
				SELECT demand_id, 2, deadline, created_at, updated_at FROM rfqs WHERE id = 1 RETURNING id`, nil, 2},
			{"rfq_invitations", `INSERT INTO rfq_invitations (rfq_id, demand_id, company_id, state, created_at, updated_at)
				SELECT rfq_id, demand_id, 5, state, created_at, updated_at FROM rfq_invitations WHERE id = 1 RETURNING id`, nil, 3},
			{"quotes", `INSERT INTO quotes (invitation_id, rfq_id, company_id, revision, created_at)
				SELECT invitation_id, rfq_id, company_id, 9, created_at FROM quotes WHERE id = 1 RETURNING id`, nil, 4},
			{"rfq_questions", `INSERT INTO rfq_questions (rfq_id, asked_by, question, created_at)
				SELECT rfq_id, asked_by, question, created_at FROM rfq_questions WHERE id = 1 RETURNING id`, nil, 2},
			{"cases", `INSERT INTO cases (demand_id, company_id, stage, created_at, updated_at)
				SELECT demand_id, 5, stage, created_at, updated_at FROM cases WHERE id = 1 RETURNING id`, nil, 3},
			{"case_steps", `INSERT INTO case_steps (case_id, to_stage, at)
				SELECT case_id, to_stage, at FROM case_steps WHERE id = 1 RETURNING id`, nil, 7},
			{"notifications", `INSERT INTO notifications (user_id, kind, subject, created_at)
				SELECT user_id, kind, subject, created_at FROM notifications WHERE id = 1 RETURNING id`, nil, 3},
			{"rfq_files", `INSERT INTO rfq_files (rfq_id, name, sha256, content_type, size, created_at)
				SELECT rfq_id, name, sha256, content_type, size, created_at FROM rfq_files WHERE id = 1 RETURNING id`, nil, 3},
		} {
			var id int64
			if err := mid.w.QueryRowContext(ctx, mid.q(q.query), q.args...).Scan(&id); err != nil || id != q.want {
				t.Errorf("new %s id %d, %v; want %d", q.table, id, err, q.want)
			}
		}
		// The copy's chain goes on from the copied head.
		if h := verify(t, mid, &head); h.Seq != head.Seq+2 {
			t.Errorf("head %v after two changes on top of %v", h, head)
		}
		// Now the target differs from the source: refused, unchanged.
		before := dump(t, mid)
		_, err = Copy(ctx, src, mid)
		wantCode(t, err, sihub.ErrConflict)
		if dump(t, mid) != before {
			t.Error("a refused copy changed the target")
		}
	})
}

// A target that differs only in a search entry is not identical.
func TestCopyComparesSearch(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		src := openTestDB(t)
		mustCreate(t, src, company(1, "Nhựa Tân Tiến"))
		if _, err := Copy(ctx, src, db); err != nil {
			t.Fatal(err)
		}
		if _, err := db.w.ExecContext(ctx, db.q(`UPDATE companies_fts SET tokens = ?`), "khac"); err != nil {
			t.Fatal(err)
		}
		_, err := Copy(ctx, src, db)
		wantCode(t, err, sihub.ErrConflict)
	})
}
