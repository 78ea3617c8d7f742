package store

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
)

// hasAttachment reports whether bytes with digest sum are stored.
func hasAttachment(t *testing.T, db *DB, sum string) bool {
	t.Helper()
	var n int
	if err := db.r.QueryRow(db.q(`SELECT COUNT(*) FROM attachments WHERE sha256 = ?`), sum).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}

func TestRFQFiles(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		f := newRFQFixture(t, db)
		ctx := f.ctx
		r, invs := f.round(t, db, true, 1, 2)
		r2, invs2 := f.round(t, db, false, 1)
		pdf, step, png := []byte("%PDF-1.4 bản vẽ"), []byte("ISO-10303-21; vỏ"), []byte("\x89PNG\r\n\x1a\n ảnh")

		// The buyer's file of the round, and supplier 1's draft files, one
		// with the same bytes: stored once.
		round := &sihub.RFQFile{RFQID: r.ID, Name: "vỏ pin.pdf", ContentType: sihub.TypePDF}
		if err := db.AddRFQFile(ctx, round, pdf); err != nil {
			t.Fatal(err)
		}
		if round.ID == 0 || round.InvitationID != 0 || round.CompanyID != 0 || round.Revision != 0 || round.Size != int64(len(pdf)) ||
			round.CreatedBy != f.buyer.ID || round.CreatedAt.IsZero() || round.SHA256 == "" {
			t.Fatalf("round file: %+v", round)
		}
		q1 := &sihub.RFQFile{RFQID: r.ID, InvitationID: invs[0].ID, Name: "báo giá.pdf", ContentType: sihub.TypePDF, Revision: 3}
		if err := db.AddRFQFile(ctx, q1, pdf); err != nil {
			t.Fatal(err)
		}
		q2 := &sihub.RFQFile{RFQID: r.ID, InvitationID: invs[0].ID, Name: "khuôn.step", ContentType: sihub.TypeSTEP}
		if err := db.AddRFQFile(ctx, q2, step); err != nil {
			t.Fatal(err)
		}
		if q1.Revision != 0 || q1.CompanyID != 1 || q1.SHA256 != round.SHA256 || q2.ID <= q1.ID {
			t.Fatalf("quote files: %+v %+v", q1, q2)
		}
		if n := attachmentCount(t, db); n != 2 {
			t.Errorf("%d attachments, want 2 (shared bytes stored once)", n)
		}
		// Supplier 2's draft file.
		other := &sihub.RFQFile{RFQID: r.ID, InvitationID: invs[1].ID, Name: "giá.png", ContentType: sihub.TypePNG}
		if err := db.AddRFQFile(ctx, other, png); err != nil {
			t.Fatal(err)
		}
		fs, err := db.RFQFiles(ctx, r.ID)
		if err != nil || !reflect.DeepEqual(fs, []*sihub.RFQFile{round, q1, q2, other}) {
			t.Errorf("RFQFiles: %v, %v", fs, err)
		}
		if fs, err := db.InvitationFiles(ctx, invs[0].ID); err != nil || !reflect.DeepEqual(fs, []*sihub.RFQFile{q1, q2}) {
			t.Errorf("InvitationFiles: %v, %v", fs, err)
		}
		if fs, err := db.RFQFiles(ctx, 999); err != nil || fs == nil || len(fs) != 0 {
			t.Errorf("files of a missing round: %v, %v", fs, err)
		}
		if got, err := db.RFQFile(ctx, q2.ID); err != nil || !reflect.DeepEqual(got, q2) {
			t.Errorf("RFQFile: %+v, %v; want %+v", got, err, q2)
		}
		if data, err := db.RFQFileContent(ctx, q2.ID); err != nil || !bytes.Equal(data, step) {
			t.Errorf("content: %q, %v", data, err)
		}
		_, err = db.RFQFile(ctx, 999)
		wantCode(t, err, sihub.ErrNotFound)
		_, err = db.RFQFileContent(ctx, 999)
		wantCode(t, err, sihub.ErrNotFound)
		wantCode(t, db.DeleteRFQFile(ctx, 999), sihub.ErrNotFound)

		for _, bad := range []struct {
			name string
			f    *sihub.RFQFile
			data []byte
			code sihub.Code
		}{
			{"no such round", &sihub.RFQFile{RFQID: 999, Name: "x.pdf"}, pdf, sihub.ErrNotFound},
			{"no such invitation", &sihub.RFQFile{RFQID: r.ID, InvitationID: 999, Name: "x.pdf"}, pdf, sihub.ErrNotFound},
			{"an invitation of another round", &sihub.RFQFile{RFQID: r.ID, InvitationID: invs2[0].ID, Name: "x.pdf"}, pdf, sihub.ErrInvalid},
			{"no name", &sihub.RFQFile{RFQID: r.ID, Name: " "}, pdf, sihub.ErrInvalid},
			{"empty", &sihub.RFQFile{RFQID: r.ID, Name: "x.pdf"}, nil, sihub.ErrInvalid},
			{"too large", &sihub.RFQFile{RFQID: r.ID, Name: "x.pdf"}, make([]byte, sihub.MaxAttachmentBytes+1), sihub.ErrTooLarge},
			{"unstorable name", &sihub.RFQFile{RFQID: r.ID, Name: "x\x00.pdf"}, pdf, sihub.ErrInvalid},
		} {
			t.Run(bad.name, func(t *testing.T) { wantCode(t, db.AddRFQFile(ctx, bad.f, bad.data), bad.code) })
		}

		// Submitting gives the draft's files the revision; a file added
		// afterwards belongs to the next draft.
		if err := db.SaveDraft(ctx, quoteFor(invs[0].ID, 2.5), time.Now()); err != nil {
			t.Fatal(err)
		}
		rev, err := db.SubmitQuote(ctx, invs[0].ID, time.Now())
		if err != nil || rev.Revision != 1 {
			t.Fatalf("SubmitQuote: %+v, %v", rev, err)
		}
		q3 := &sihub.RFQFile{RFQID: r.ID, InvitationID: invs[0].ID, Name: "bổ sung.pdf", ContentType: sihub.TypePDF}
		if err := db.AddRFQFile(ctx, q3, []byte("%PDF-1.4 bổ sung")); err != nil {
			t.Fatal(err)
		}
		revisions := func() map[int64]int {
			fs, err := db.InvitationFiles(ctx, invs[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			m := map[int64]int{}
			for _, f := range fs {
				m[f.ID] = f.Revision
			}
			return m
		}
		if got := revisions(); !reflect.DeepEqual(got, map[int64]int{q1.ID: 1, q2.ID: 1, q3.ID: 0}) {
			t.Errorf("revisions after the first submission: %v", got)
		}
		if _, err := db.SubmitQuote(ctx, invs[0].ID, time.Now()); err != nil {
			t.Fatal(err)
		}
		if got := revisions(); !reflect.DeepEqual(got, map[int64]int{q1.ID: 1, q2.ID: 1, q3.ID: 2}) {
			t.Errorf("revisions after the second submission: %v", got)
		}
		// Supplier 2's draft is untouched.
		if got, _ := db.RFQFile(ctx, other.ID); got.Revision != 0 {
			t.Errorf("another supplier's draft file moved: %+v", got)
		}
		// A submitted file is part of the record.
		wantCode(t, db.DeleteRFQFile(ctx, q1.ID), sihub.ErrConflict)
		q4 := &sihub.RFQFile{RFQID: r.ID, InvitationID: invs[0].ID, Name: "nháp.png", ContentType: sihub.TypePNG}
		if err := db.AddRFQFile(ctx, q4, png); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteRFQFile(ctx, q4.ID); err != nil {
			t.Fatal(err)
		}
		// The bytes stay while supplier 2's file still refers to them.
		if !hasAttachment(t, db, q4.SHA256) {
			t.Error("bytes still referred to were dropped")
		}
		// The round's file goes; its bytes stay for supplier 1's file.
		if err := db.DeleteRFQFile(ctx, round.ID); err != nil {
			t.Fatal(err)
		}
		if !hasAttachment(t, db, round.SHA256) {
			t.Error("bytes of a submitted quote file were dropped with the round's file")
		}
		if _, err := db.RFQFile(ctx, round.ID); sihub.ErrorCode(err) != sihub.ErrNotFound {
			t.Errorf("deleted file: %v", err)
		}
		// Supplier 2's file gone too: its bytes go.
		if err := db.DeleteRFQFile(ctx, other.ID); err != nil {
			t.Fatal(err)
		}
		if hasAttachment(t, db, other.SHA256) {
			t.Error("unreferenced bytes were kept")
		}

		// After the deadline nothing is added or removed.
		draft := &sihub.RFQFile{RFQID: r.ID, InvitationID: invs[1].ID, Name: "muộn.pdf", ContentType: sihub.TypePDF}
		if err := db.AddRFQFile(ctx, draft, pdf); err != nil {
			t.Fatal(err)
		}
		late := &sihub.RFQFile{RFQID: r.ID, Name: "b.pdf", ContentType: sihub.TypePDF}
		if err := db.AddRFQFile(ctx, late, step); err != nil {
			t.Fatal(err)
		}
		setDeadline(t, db, r.ID, time.Now().Add(-time.Minute))
		wantCode(t, db.AddRFQFile(ctx, &sihub.RFQFile{RFQID: r.ID, Name: "c.pdf"}, pdf), sihub.ErrConflict)
		wantCode(t, db.AddRFQFile(ctx, &sihub.RFQFile{RFQID: r.ID, InvitationID: invs[1].ID, Name: "c.pdf"}, pdf), sihub.ErrConflict)
		wantCode(t, db.DeleteRFQFile(ctx, draft.ID), sihub.ErrConflict)
		wantCode(t, db.DeleteRFQFile(ctx, late.ID), sihub.ErrConflict)

		// A declined invitation sends no file.
		if err := db.DeclineInvitation(ctx, invs2[0].ID, sihub.DeclineCapacity, "", time.Now()); err != nil {
			t.Fatal(err)
		}
		wantCode(t, db.AddRFQFile(ctx, &sihub.RFQFile{RFQID: r2.ID, InvitationID: invs2[0].ID, Name: "x.pdf"}, pdf), sihub.ErrConflict)

		// At most MaxRFQFiles of the buyer per round.
		for i := range sihub.MaxRFQFiles {
			if err := db.AddRFQFile(ctx, &sihub.RFQFile{RFQID: r2.ID, Name: fmt.Sprintf("%d.pdf", i)}, pdf); err != nil {
				t.Fatal(err)
			}
		}
		wantCode(t, db.AddRFQFile(ctx, &sihub.RFQFile{RFQID: r2.ID, Name: "one-too-many.pdf"}, pdf), sihub.ErrConflict)

		// Audited on the round, without the bytes, and a quote's file by
		// its ids only.
		var adds, deletes int
		rows, err := db.r.Query(db.q(`SELECT action, object_type, object_id, COALESCE(before, ''), COALESCE(after, '')
			FROM audit_log WHERE action LIKE 'rfq.file.%'`))
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var action, typ, before, after string
			var id int64
			if err := rows.Scan(&action, &typ, &id, &before, &after); err != nil {
				t.Fatal(err)
			}
			if typ != "rfq" || (id != r.ID && id != r2.ID) {
				t.Errorf("%s on %s %d", action, typ, id)
			}
			if strings.Contains(before+after, "báo giá.pdf") || strings.Contains(before+after, "PDF-1.4") {
				t.Errorf("%s records a quote file's name or bytes: %s %s", action, before, after)
			}
			if strings.Contains(before+after, `"invitation_id"`) && (strings.Contains(before+after, "sha256") || strings.Contains(before+after, "size")) {
				t.Errorf("%s records a quote file's digest or size: %s %s", action, before, after)
			}
			switch action {
			case "rfq.file.add":
				adds++
			case "rfq.file.delete":
				deletes++
			}
		}
		if adds != 8+sihub.MaxRFQFiles || deletes != 3 {
			t.Errorf("%d adds and %d deletes audited, want %d and 3", adds, deletes, 8+sihub.MaxRFQFiles)
		}
	})
}

// At most MaxRFQFiles per invitation, whatever their revisions.
func TestRFQFilesPerInvitation(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		f := newRFQFixture(t, db)
		r, invs := f.round(t, db, false, 1)
		for i := range sihub.MaxRFQFiles {
			if err := db.AddRFQFile(f.ctx, &sihub.RFQFile{RFQID: r.ID, InvitationID: invs[0].ID, Name: fmt.Sprintf("%d.pdf", i)},
				[]byte("%PDF-1.4")); err != nil {
				t.Fatal(err)
			}
		}
		wantCode(t, db.AddRFQFile(f.ctx, &sihub.RFQFile{RFQID: r.ID, InvitationID: invs[0].ID, Name: "x.pdf"}, []byte("%PDF-1.4")),
			sihub.ErrConflict)
		// The round's own files are counted apart.
		if err := db.AddRFQFile(f.ctx, &sihub.RFQFile{RFQID: r.ID, Name: "round.pdf"}, []byte("%PDF-1.4")); err != nil {
			t.Fatal(err)
		}
	})
}

// TestCreateRFQWithFiles: a round's files are stored in the round's own
// transaction: with it, or not at all.
func TestCreateRFQWithFiles(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		f := newRFQFixture(t, db)
		newRound := func() *sihub.RFQ {
			return &sihub.RFQ{DemandID: f.demand.ID, Deadline: time.Now().Add(48 * time.Hour), CreatedBy: f.buyer.ID}
		}
		spec := RFQUpload{File: &sihub.RFQFile{Name: "spec.pdf", ContentType: sihub.TypePDF}, Data: []byte("%PDF-1.4 spec")}
		// A company that does not exist: no round, no file, no bytes.
		_, err := db.CreateRFQ(f.ctx, newRound(), []int64{1, 999}, nil, spec)
		wantCode(t, err, sihub.ErrNotFound)
		if n := attachmentCount(t, db); n != 0 {
			t.Errorf("a refused round left %d attachments", n)
		}
		r := newRound()
		if _, err := db.CreateRFQ(f.ctx, r, []int64{1}, nil, spec); err != nil {
			t.Fatal(err)
		}
		fs, err := db.RFQFiles(f.ctx, r.ID)
		if err != nil || len(fs) != 1 || fs[0].Name != "spec.pdf" || fs[0].InvitationID != 0 || *spec.File != *fs[0] {
			t.Errorf("the round's files %+v %v, the upload filled as %+v", fs, err, spec.File)
		}
		if r.Round != 1 {
			t.Errorf("round %d: the refused one took a number", r.Round)
		}
	})
}
