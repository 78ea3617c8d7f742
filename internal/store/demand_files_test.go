package store

import (
	"bytes"
	"context"
	"reflect"
	"testing"

	"github.com/sihub-org/sihub/internal/sihub"
)

// attachmentCount counts the stored contents.
func attachmentCount(t *testing.T, db *DB) int {
	t.Helper()
	var n int
	if err := db.r.QueryRow(`SELECT COUNT(*) FROM attachments`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestDemandFiles(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := sihub.WithActor(context.Background(), sihub.Actor{UserID: 1, Label: "buyer@bosch.vn"})
		supplier := company(1, "Nhựa Tân Tiến")
		mustCreate(t, db, supplier)
		d := demandFor(2, "Bosch", "P-1", "Housing")
		if _, _, err := db.UpsertDemands(ctx, []*sihub.Demand{d}); err != nil {
			t.Fatal(err)
		}
		// The same bytes as a company document: stored once.
		pdf, step := []byte("%PDF-1.4 drawing"), []byte("ISO-10303-21; model")
		doc := &sihub.Document{CompanyID: supplier.ID, Kind: sihub.DocBrochure, Name: "b.pdf", ContentType: sihub.TypePDF}
		if err := db.AddDocument(ctx, doc, pdf); err != nil {
			t.Fatal(err)
		}
		a := &sihub.DemandFile{DemandID: d.ID, Name: "vỏ pin.pdf", ContentType: sihub.TypePDF}
		if err := db.AddDemandFile(ctx, a, pdf); err != nil {
			t.Fatal(err)
		}
		b := &sihub.DemandFile{DemandID: d.ID, Name: "model.step", ContentType: sihub.TypeSTEP}
		if err := db.AddDemandFile(ctx, b, step); err != nil {
			t.Fatal(err)
		}
		if a.ID == 0 || a.SHA256 != doc.SHA256 || a.Size != int64(len(pdf)) || a.CreatedAt.IsZero() || b.ID <= a.ID {
			t.Fatalf("added: %+v %+v", a, b)
		}
		if n := attachmentCount(t, db); n != 2 {
			t.Errorf("%d attachments, want 2", n)
		}
		fs, err := db.DemandFiles(ctx, d.ID)
		if err != nil || !reflect.DeepEqual(fs, []*sihub.DemandFile{a, b}) {
			t.Errorf("files: %v, %v", fs, err)
		}
		if fs, err := db.DemandFiles(ctx, 999); err != nil || len(fs) != 0 || fs == nil {
			t.Errorf("files of a missing demand: %v, %v", fs, err)
		}
		if got, err := db.DemandFile(ctx, b.ID); err != nil || !reflect.DeepEqual(got, b) {
			t.Errorf("file: %+v, %v", got, err)
		}
		if data, err := db.DemandFileContent(ctx, b.ID); err != nil || !bytes.Equal(data, step) {
			t.Errorf("content: %q, %v", data, err)
		}
		for _, bad := range []struct {
			f    *sihub.DemandFile
			data []byte
			code sihub.Code
		}{
			{&sihub.DemandFile{DemandID: 999, Name: "x.pdf"}, pdf, sihub.ErrNotFound},
			{&sihub.DemandFile{DemandID: d.ID, Name: " "}, pdf, sihub.ErrInvalid},
			{&sihub.DemandFile{DemandID: d.ID, Name: "x.pdf"}, nil, sihub.ErrInvalid},
			{&sihub.DemandFile{DemandID: d.ID, Name: "x.pdf"}, make([]byte, sihub.MaxAttachmentBytes+1), sihub.ErrTooLarge},
			{&sihub.DemandFile{DemandID: d.ID, Name: "x\x00.pdf"}, pdf, sihub.ErrInvalid},
		} {
			wantCode(t, db.AddDemandFile(ctx, bad.f, bad.data), bad.code)
		}
		_, err = db.DemandFile(ctx, 999)
		wantCode(t, err, sihub.ErrNotFound)
		_, err = db.DemandFileContent(ctx, 999)
		wantCode(t, err, sihub.ErrNotFound)

		// Terms: accepted once per company, replaced by a new acceptance.
		if got, err := db.TermsAcceptance(ctx, d.ID, supplier.ID); err != nil || got != nil {
			t.Errorf("before accepting: %+v, %v", got, err)
		}
		u, err := db.CreateUser(ctx, NewUser{Email: "an@tantien.vn", Name: "An", Role: sihub.RoleCompanyAdmin, CompanyID: supplier.ID})
		if err != nil {
			t.Fatal(err)
		}
		staff, err := db.CreateUser(ctx, NewUser{Email: "staff@sihub.vn", Role: sihub.RoleCenterStaff})
		if err != nil {
			t.Fatal(err)
		}
		acc := &sihub.TermsAcceptance{DemandID: d.ID, CompanyID: supplier.ID, UserID: u.ID, TermsSHA256: "v1"}
		if err := db.AcceptTerms(ctx, acc); err != nil || acc.AcceptedAt.IsZero() {
			t.Fatalf("accept: %+v, %v", acc, err)
		}
		if got, err := db.TermsAcceptance(ctx, d.ID, supplier.ID); err != nil || !reflect.DeepEqual(got, acc) {
			t.Errorf("acceptance: %+v, %v; want %+v", got, err, acc)
		}
		acc2 := &sihub.TermsAcceptance{DemandID: d.ID, CompanyID: supplier.ID, UserID: u.ID, TermsSHA256: "v2"}
		if err := db.AcceptTerms(ctx, acc2); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.TermsAcceptance(ctx, d.ID, supplier.ID); !reflect.DeepEqual(got, acc2) {
			t.Errorf("second acceptance: %+v, want %+v", got, acc2)
		}
		if got, _ := db.TermsAcceptance(ctx, d.ID, d.BuyerID); got != nil {
			t.Errorf("another company's acceptance: %+v", got)
		}
		for _, bad := range []struct {
			a    sihub.TermsAcceptance
			code sihub.Code
		}{
			{sihub.TermsAcceptance{DemandID: 999, CompanyID: supplier.ID, UserID: u.ID}, sihub.ErrNotFound},
			{sihub.TermsAcceptance{DemandID: d.ID, CompanyID: 999, UserID: u.ID}, sihub.ErrNotFound},
			{sihub.TermsAcceptance{DemandID: d.ID, CompanyID: supplier.ID, UserID: 999}, sihub.ErrNotFound},
			{sihub.TermsAcceptance{DemandID: d.ID, CompanyID: supplier.ID}, sihub.ErrInvalid},
		} {
			wantCode(t, db.AcceptTerms(ctx, &bad.a), bad.code)
		}

		// Downloads: logged with the file's name and the user's email,
		// newest first; a file of another demand is refused.
		var logged []*sihub.Download
		for _, l := range []*sihub.Download{
			{FileID: a.ID, DemandID: d.ID, UserID: u.ID, CompanyID: supplier.ID, IP: "203.0.113.5"},
			{FileID: b.ID, DemandID: d.ID, UserID: staff.ID},
		} {
			if err := db.LogDownload(ctx, l); err != nil || l.ID == 0 || l.At.IsZero() {
				t.Fatalf("log: %+v, %v", l, err)
			}
			logged = append(logged, l)
		}
		wantCode(t, db.LogDownload(ctx, &sihub.Download{FileID: a.ID, DemandID: 999, UserID: u.ID}), sihub.ErrNotFound)
		wantCode(t, db.LogDownload(ctx, &sihub.Download{FileID: a.ID, DemandID: d.ID}), sihub.ErrInvalid)
		want := []*sihub.Download{
			{ID: logged[1].ID, FileID: b.ID, FileName: "model.step", DemandID: d.ID, UserID: staff.ID, UserEmail: "staff@sihub.vn", At: logged[1].At},
			{ID: logged[0].ID, FileID: a.ID, FileName: "vỏ pin.pdf", DemandID: d.ID, UserID: u.ID, UserEmail: "an@tantien.vn",
				CompanyID: supplier.ID, IP: "203.0.113.5", At: logged[0].At},
		}
		if got, err := db.Downloads(ctx, d.ID); err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("downloads:\n%+v, %v\nwant\n%+v", got, err, want)
		}

		// Deleting a file keeps bytes another file or document shares,
		// and the downloads log.
		if err := db.DeleteDemandFile(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		if _, data, err := db.DocumentData(ctx, doc.ID); err != nil || !bytes.Equal(data, pdf) {
			t.Errorf("the document sharing the deleted file's bytes: %q, %v", data, err)
		}
		if err := db.DeleteDemandFile(ctx, b.ID); err != nil {
			t.Fatal(err)
		}
		if n := attachmentCount(t, db); n != 1 {
			t.Errorf("%d attachments after deleting the files, want the document's", n)
		}
		wantCode(t, db.DeleteDemandFile(ctx, b.ID), sihub.ErrNotFound)
		if got, _ := db.Downloads(ctx, d.ID); len(got) != 2 || got[1].FileName != "" || got[1].FileID != a.ID {
			t.Errorf("downloads after deleting the files: %+v", got)
		}

		// An erased person's downloads no longer name them.
		if err := db.EraseUser(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.Downloads(ctx, d.ID); got[1].UserEmail != erasedEmail(u.ID) || got[1].IP != "" {
			t.Errorf("an erased user's download shows %q from %q", got[1].UserEmail, got[1].IP)
		}

		recs, err := db.AuditLog(ctx, AuditFilter{ObjectType: "demand", ObjectID: d.ID, Action: "demand."})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, r := range recs {
			actions = append(actions, r.Action)
		}
		wantActions := []string{"demand.file.delete", "demand.file.delete", "demand.terms.accept", "demand.terms.accept",
			"demand.file.add", "demand.file.add", "demand.import"}
		if !reflect.DeepEqual(actions, wantActions) {
			t.Errorf("records %v, want %v", actions, wantActions)
		}
		if b, f := fields(t, recs[2].Before), fields(t, recs[2].After); b["terms_sha256"] != "v1" || f["terms_sha256"] != "v2" {
			t.Errorf("second acceptance record %v → %v", b, f)
		}
		if f := fields(t, recs[4].After); f["name"] != "model.step" || f["sha256"] != b.SHA256 {
			t.Errorf("file record %v", f)
		}
		// And deleting a document keeps the bytes a drawing shares.
		c := &sihub.DemandFile{DemandID: d.ID, Name: "again.pdf", ContentType: sihub.TypePDF}
		if err := db.AddDemandFile(ctx, c, pdf); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteDocument(ctx, doc.ID); err != nil {
			t.Fatalf("delete a document whose bytes a drawing shares: %v", err)
		}
		if data, err := db.DemandFileContent(ctx, c.ID); err != nil || !bytes.Equal(data, pdf) {
			t.Errorf("the drawing sharing the deleted document's bytes: %q, %v", data, err)
		}
		if err := db.DeleteDemandFile(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		verify(t, db, nil)
	})
}
