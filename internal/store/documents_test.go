package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/sihub-org/sihub/internal/sihub"
)

func TestDocuments(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		a, b := company(1, "A"), company(2, "B")
		mustCreate(t, db, a, b)
		pdf := []byte("%PDF-1.7 brochure")
		png := []byte("\x89PNG\r\n\x1a\nphoto")
		add := func(companyID int64, name string, data []byte) *sihub.Document {
			t.Helper()
			d := &sihub.Document{CompanyID: companyID, Kind: sihub.DocBrochure, Name: name, ContentType: sihub.SniffType(data)}
			if err := db.AddDocument(ctx, d, data); err != nil {
				t.Fatal(err)
			}
			return d
		}
		d1 := add(a.ID, "brochure.pdf", pdf)
		d2 := add(b.ID, "catalogue.pdf", pdf) // same bytes, another company
		d3 := add(a.ID, "xuong.png", png)
		sum := sha256.Sum256(pdf)
		if d1.ID == 0 || d1.SHA256 != hex.EncodeToString(sum[:]) || d1.Size != int64(len(pdf)) || d1.CreatedAt.IsZero() {
			t.Fatalf("AddDocument did not fill in the document: %+v", d1)
		}
		st, _ := db.Stats(ctx)
		if st.Documents != 3 || st.Attachments != 2 || st.AttachmentBytes != int64(len(pdf)+len(png)) {
			t.Errorf("bytes not shared: %+v", st)
		}
		got, err := db.Document(ctx, d2.ID)
		if err != nil || *got != *d2 {
			t.Errorf("Document = %+v, %v; want %+v", got, err, d2)
		}
		got, data, err := db.DocumentData(ctx, d3.ID)
		if err != nil || *got != *d3 || !bytes.Equal(data, png) {
			t.Errorf("DocumentData = %+v, %q, %v", got, data, err)
		}
		ca, _ := db.Company(ctx, a.ID)
		if len(ca.Documents) != 2 || ca.Documents[0] != *d1 || ca.Documents[1] != *d3 {
			t.Errorf("company documents %+v", ca.Documents)
		}

		// Deleting one of two documents sharing bytes keeps the bytes.
		if err := db.DeleteDocument(ctx, d1.ID); err != nil {
			t.Fatal(err)
		}
		if _, data, err := db.DocumentData(ctx, d2.ID); err != nil || !bytes.Equal(data, pdf) {
			t.Fatalf("shared bytes lost: %v", err)
		}
		// Deleting the last one removes them.
		if err := db.DeleteDocument(ctx, d2.ID); err != nil {
			t.Fatal(err)
		}
		st, _ = db.Stats(ctx)
		if st.Documents != 1 || st.Attachments != 1 || st.AttachmentBytes != int64(len(png)) {
			t.Errorf("bytes not collected: %+v", st)
		}

		tests := []struct {
			name string
			run  func() error
			code sihub.Code
		}{
			{"get deleted", func() error { _, err := db.Document(ctx, d1.ID); return err }, sihub.ErrNotFound},
			{"data of deleted", func() error { _, _, err := db.DocumentData(ctx, d1.ID); return err }, sihub.ErrNotFound},
			{"delete twice", func() error { return db.DeleteDocument(ctx, d1.ID) }, sihub.ErrNotFound},
			{"unknown company", func() error {
				return db.AddDocument(ctx, &sihub.Document{CompanyID: 999, Kind: sihub.DocPhoto, Name: "x.png"}, png)
			}, sihub.ErrNotFound},
			{"empty", func() error {
				return db.AddDocument(ctx, &sihub.Document{CompanyID: a.ID, Kind: sihub.DocPhoto, Name: "x.png"}, nil)
			}, sihub.ErrInvalid},
			{"too large", func() error {
				return db.AddDocument(ctx, &sihub.Document{CompanyID: a.ID, Kind: sihub.DocPhoto, Name: "x.png"}, make([]byte, sihub.MaxAttachmentBytes+1))
			}, sihub.ErrTooLarge},
			{"bad kind", func() error {
				return db.AddDocument(ctx, &sihub.Document{CompanyID: a.ID, Kind: "selfie", Name: "x.png"}, png)
			}, sihub.ErrInvalid},
			{"no name", func() error {
				return db.AddDocument(ctx, &sihub.Document{CompanyID: a.ID, Kind: sihub.DocPhoto}, png)
			}, sihub.ErrInvalid},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) { wantCode(t, tt.run(), tt.code) })
		}
		if st2, _ := db.Stats(ctx); st2 != st {
			t.Errorf("rejected documents changed the database: %+v", st2)
		}
	})
}

func TestBackup(t *testing.T) {
	forEachDialect(t, testBackup)
}

// testBackup backs db up while a writer keeps writing. Whatever the
// dialect, the backup is a SQLite file (see backupPostgres); from
// PostgreSQL, Copy restores it into a new PostgreSQL database.
func testBackup(t *testing.T, db *DB) {
	ctx := context.Background()
	var cs []*sihub.Company
	for i := range 200 {
		cs = append(cs, company(i+1, "Công ty "+strconv.Itoa(i), func(c *sihub.Company) {
			c.Capabilities = []sihub.Capability{{Process: "stamping", Source: sihub.Declared}}
		}))
	}
	if _, _, err := db.UpsertCompanies(ctx, seqOf(cs...)); err != nil {
		t.Fatal(err)
	}
	doc := &sihub.Document{CompanyID: cs[0].ID, Kind: sihub.DocPhoto, Name: "a.png", ContentType: sihub.TypePNG}
	if err := db.AddDocument(ctx, doc, []byte("\x89PNG\r\n\x1a\n1")); err != nil {
		t.Fatal(err)
	}
	before := dump(t, db)

	// A writer keeps going while the backup runs.
	var (
		wg      sync.WaitGroup
		stop    = make(chan struct{})
		written int
		werr    error
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if werr = db.CreateCompany(ctx, company(1000+i, "Mới "+strconv.Itoa(i))); werr != nil {
				return
			}
			written++
		}
	}()
	path := filepath.Join(t.TempDir(), "backup.db")
	err := db.Backup(ctx, path)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if werr != nil {
		t.Fatalf("writer failed during the backup: %v", werr)
	}
	t.Logf("%d companies written during the backup", written)
	wantCode(t, db.Backup(ctx, path), sihub.ErrConflict)
	wantCode(t, db.Backup(ctx, filepath.Join(t.TempDir(), "missing", "b.db")), sihub.ErrInvalid)

	bk := openDSN(t, path)
	st, err := bk.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Companies < 200 || st.Companies > 200+written || st.Documents != 1 {
		t.Errorf("backup holds %+v; 200 to %d companies expected", st, 200+written)
	}
	// The companies from before the backup are all there, identical, and
	// searchable: the copy is one consistent snapshot.
	p, err := bk.FindCompanies(ctx, sihub.CompanyFilter{Terms: [][]string{{"zpstamping"}}}, true)
	if err != nil || p.Total != 200 || p.Facets.Processes[0] != (sihub.FacetValue{Value: "stamping", Count: 200}) {
		t.Fatalf("search in the backup: %+v, %v", p, err)
	}
	if got := dumpOf(t, bk, taxCodesOf(cs)); got != before {
		t.Errorf("backup differs from the database it copied")
	}
	if _, data, err := bk.DocumentData(ctx, doc.ID); err != nil || len(data) != 9 {
		t.Errorf("document bytes in the backup: %v", err)
	}
	// The backup's audit trail is a prefix of the database's: every
	// change up to the snapshot, chained.
	head := verify(t, bk, nil)
	if head.Seq < 201 || head.Seq > int64(201+written) {
		t.Errorf("backup's audit head %v; 201 to %d records expected", head, 201+written)
	}
	verify(t, db, &head)
	if db.d.name == "sqlite" {
		return
	}
	restored := openTest(t, db.d.name)
	if _, err := Copy(ctx, bk, restored); err != nil {
		t.Fatal(err)
	}
	if dump(t, restored) != dump(t, bk) {
		t.Errorf("the restored database differs from the backup")
	}
	if got := dumpOf(t, restored, taxCodesOf(cs)); got != before {
		t.Errorf("the restored database differs from the database backed up")
	}
	if h := verify(t, restored, &head); h != head {
		t.Errorf("restored audit head %v, want %v", h, head)
	}
}

func taxCodesOf(cs []*sihub.Company) []string {
	var tcs []string
	for _, c := range cs {
		tcs = append(tcs, c.TaxCode)
	}
	return tcs
}
