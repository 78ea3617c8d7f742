package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
)

// Demand files (drawings and specifications), the confidentiality terms
// suppliers accept before seeing them, and the log of every download.

const demandFileCols = `f.id, f.demand_id, f.name, f.sha256, f.content_type, f.size, f.created_at`

func scanDemandFile(row interface{ Scan(...any) error }, extra ...any) (*sihub.DemandFile, error) {
	var f sihub.DemandFile
	err := row.Scan(append([]any{&f.ID, &f.DemandID, &f.Name, &f.SHA256, &f.ContentType, &f.Size, &f.CreatedAt}, extra...)...)
	if err != nil {
		return nil, err
	}
	f.CreatedAt = f.CreatedAt.UTC()
	return &f, nil
}

func demandFileNotFound(id int64) error {
	return sihub.Errorf(sihub.ErrNotFound, "Không tìm thấy tệp #%d của nhu cầu.", "Demand file #%d was not found.", id)
}

// putAttachment stores data under its digest sum unless bytes with that
// digest are already there: company documents and demand files share
// them.
func (db *DB) putAttachment(ctx context.Context, tx *sql.Tx, sum, contentType string, data []byte, at time.Time) error {
	_, err := tx.ExecContext(ctx, db.q(`INSERT INTO attachments (sha256, content_type, size, data, created_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING`), sum, contentType, int64(len(data)), data, at)
	return err
}

// dropAttachment removes the bytes with digest sum when no document, no
// demand file and no file of an RFQ round refers to them any more.
func (db *DB) dropAttachment(ctx context.Context, tx *sql.Tx, sum string) error {
	_, err := tx.ExecContext(ctx, db.q(`DELETE FROM attachments WHERE sha256 = ?
		AND NOT EXISTS (SELECT 1 FROM documents WHERE sha256 = ?)
		AND NOT EXISTS (SELECT 1 FROM demand_files WHERE sha256 = ?)
		AND NOT EXISTS (SELECT 1 FROM rfq_files WHERE sha256 = ?)`), sum, sum, sum, sum)
	return err
}

// demandExists returns demandNotFound when demand id is not in tx.
func (db *DB) demandExists(ctx context.Context, tx *sql.Tx, id int64) error {
	var n int
	if err := tx.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM demands WHERE id = ?`), id).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return demandNotFound(id)
	}
	return nil
}

// AddDemandFile stores data (already checked by sihub.CheckAttachment with
// sihub.DemandFileTypes) as a file of demand f.DemandID, sets f's ID, Size,
// SHA256 and CreatedAt, and audits demand.file.add. Content is kept once per
// digest in the attachments table, shared with company documents.
func (db *DB) AddDemandFile(ctx context.Context, f *sihub.DemandFile, data []byte) error {
	switch {
	case len(data) == 0:
		return sihub.Errorf(sihub.ErrInvalid, "Tệp rỗng.", "The file is empty.")
	case len(data) > sihub.MaxAttachmentBytes:
		return sihub.Errorf(sihub.ErrTooLarge, "Tệp lớn hơn %d MB.", "The file is larger than %d MB.", sihub.MaxAttachmentBytes>>20)
	}
	if strings.TrimSpace(f.Name) == "" {
		return sihub.Errorf(sihub.ErrInvalid, "Thiếu tên tệp.", "The file name is missing.")
	}
	if !storable(f.Name) || !storable(f.ContentType) {
		return unstorable("name")
	}
	x := *f
	if x.ContentType == "" {
		x.ContentType = http.DetectContentType(data)
	}
	sum := sha256.Sum256(data)
	x.SHA256, x.Size, x.CreatedAt = hex.EncodeToString(sum[:]), int64(len(data)), db.now()
	err := db.write(ctx, "add demand file", func(tx *sql.Tx) error {
		if err := db.demandExists(ctx, tx, x.DemandID); err != nil {
			return err
		}
		if err := db.putAttachment(ctx, tx, x.SHA256, x.ContentType, data, x.CreatedAt); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, db.q(`INSERT INTO demand_files (demand_id, name, sha256, content_type, size, created_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`),
			x.DemandID, x.Name, x.SHA256, x.ContentType, x.Size, x.CreatedAt).Scan(&x.ID); err != nil {
			return err
		}
		return db.audit(ctx, tx, "demand.file.add", "demand", x.DemandID, nil, x)
	})
	if err != nil {
		return err
	}
	*f = x
	return nil
}

// DemandFiles lists demand demandID's files, oldest first.
func (db *DB) DemandFiles(ctx context.Context, demandID int64) ([]*sihub.DemandFile, error) {
	fs := []*sihub.DemandFile{}
	err := db.read(ctx, "list demand files", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, db.q(`SELECT `+demandFileCols+` FROM demand_files f WHERE f.demand_id = ? ORDER BY f.id`), demandID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			f, err := scanDemandFile(rows)
			if err != nil {
				return err
			}
			fs = append(fs, f)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return fs, nil
}

// DemandFile returns file id (sihub.ErrNotFound when there is none).
func (db *DB) DemandFile(ctx context.Context, id int64) (*sihub.DemandFile, error) {
	var f *sihub.DemandFile
	err := db.read(ctx, "get demand file", func(tx *sql.Tx) error {
		var err error
		f, err = scanDemandFile(tx.QueryRowContext(ctx, db.q(`SELECT `+demandFileCols+` FROM demand_files f WHERE f.id = ?`), id))
		if errors.Is(err, sql.ErrNoRows) {
			return demandFileNotFound(id)
		}
		return err
	})
	return f, err
}

// DemandFileContent returns file id's bytes.
func (db *DB) DemandFileContent(ctx context.Context, id int64) ([]byte, error) {
	return db.fileContent(ctx, "demand_files", id, demandFileNotFound(id))
}

// fileContent returns the bytes of file id of table (demand_files or
// rfq_files, both naming their bytes by sha256), or notFound.
func (db *DB) fileContent(ctx context.Context, table string, id int64, notFound error) ([]byte, error) {
	var data []byte
	err := db.read(ctx, "get "+table, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, db.q(`SELECT a.data FROM `+table+` f JOIN attachments a ON a.sha256 = f.sha256
			WHERE f.id = ?`), id).Scan(&data)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return data, nil
}

// DeleteDemandFile removes file id, audited demand.file.delete. The bytes
// go too when nothing else refers to them. Downloads of the file stay
// logged.
func (db *DB) DeleteDemandFile(ctx context.Context, id int64) error {
	return db.write(ctx, "delete demand file", func(tx *sql.Tx) error {
		f, err := scanDemandFile(tx.QueryRowContext(ctx, db.q(`DELETE FROM demand_files WHERE id = ?
			RETURNING id, demand_id, name, sha256, content_type, size, created_at`), id))
		if errors.Is(err, sql.ErrNoRows) {
			return demandFileNotFound(id)
		}
		if err != nil {
			return err
		}
		if err := db.dropAttachment(ctx, tx, f.SHA256); err != nil {
			return err
		}
		return db.audit(ctx, tx, "demand.file.delete", "demand", f.DemandID, f, nil)
	})
}

// AcceptTerms records a's acceptance (one per demand and company; a second
// acceptance replaces the first, e.g. after the terms changed), audited
// demand.terms.accept. AcceptedAt is set.
func (db *DB) AcceptTerms(ctx context.Context, a *sihub.TermsAcceptance) error {
	if a.CompanyID <= 0 || a.UserID <= 0 {
		return sihub.Errorf(sihub.ErrInvalid, "Chấp nhận điều khoản cần doanh nghiệp và người chấp nhận.",
			"Accepting the terms needs a company and the person accepting.")
	}
	if !storable(a.TermsSHA256) {
		return unstorable("terms_sha256")
	}
	x := *a
	x.AcceptedAt = db.now()
	err := db.write(ctx, "accept terms", func(tx *sql.Tx) error {
		var demands, companies, users int
		if err := tx.QueryRowContext(ctx, db.q(`SELECT (SELECT COUNT(*) FROM demands WHERE id = ?),
			(SELECT COUNT(*) FROM companies WHERE id = ?), (SELECT COUNT(*) FROM users WHERE id = ?)`),
			x.DemandID, x.CompanyID, x.UserID).Scan(&demands, &companies, &users); err != nil {
			return err
		}
		switch {
		case demands == 0:
			return demandNotFound(x.DemandID)
		case companies == 0:
			return notFound("company", x.CompanyID)
		case users == 0:
			return userNotFound(x.UserID)
		}
		before, err := db.termsAcceptance(ctx, tx, x.DemandID, x.CompanyID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO terms_acceptances (demand_id, company_id, user_id, terms_sha256, accepted_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (demand_id, company_id)
			DO UPDATE SET user_id = excluded.user_id, terms_sha256 = excluded.terms_sha256, accepted_at = excluded.accepted_at`),
			x.DemandID, x.CompanyID, x.UserID, x.TermsSHA256, x.AcceptedAt); err != nil {
			return err
		}
		var b any
		if before != nil {
			b = before
		}
		return db.audit(ctx, tx, "demand.terms.accept", "demand", x.DemandID, b, x)
	})
	if err != nil {
		return err
	}
	*a = x
	return nil
}

// TermsAcceptance returns company companyID's acceptance of demand
// demandID's terms, nil when it has not accepted.
func (db *DB) TermsAcceptance(ctx context.Context, demandID, companyID int64) (*sihub.TermsAcceptance, error) {
	var a *sihub.TermsAcceptance
	err := db.read(ctx, "get terms acceptance", func(tx *sql.Tx) error {
		var err error
		a, err = db.termsAcceptance(ctx, tx, demandID, companyID)
		return err
	})
	return a, err
}

func (db *DB) termsAcceptance(ctx context.Context, tx *sql.Tx, demandID, companyID int64) (*sihub.TermsAcceptance, error) {
	var a sihub.TermsAcceptance
	err := tx.QueryRowContext(ctx, db.q(`SELECT demand_id, company_id, user_id, terms_sha256, accepted_at
		FROM terms_acceptances WHERE demand_id = ? AND company_id = ?`), demandID, companyID).
		Scan(&a.DemandID, &a.CompanyID, &a.UserID, &a.TermsSHA256, &a.AcceptedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	a.AcceptedAt = a.AcceptedAt.UTC()
	return &a, nil
}

// LogDownload records a download of a demand's file (d.FileID, d.DemandID,
// d.UserID, d.CompanyID, d.IP), or with d.RFQID of a round's own file of
// the demand; At and ID are set. The file must be one of the demand's, or
// of the round's (ErrNotFound otherwise); CompanyID 0 is someone of the
// center. The log is the record: it is not audited again.
func (db *DB) LogDownload(ctx context.Context, d *sihub.Download) error {
	if d.UserID <= 0 {
		return sihub.Errorf(sihub.ErrInvalid, "Lượt tải cần người tải.", "A download needs the person downloading.")
	}
	x := *d
	x.At, x.IP = db.now(), storableText(x.IP, 100)
	err := db.write(ctx, "log download", func(tx *sql.Tx) error {
		var n int
		check, args := `SELECT COUNT(*) FROM demand_files WHERE id = ? AND demand_id = ?`, []any{x.FileID, x.DemandID}
		if x.RFQID != 0 {
			check = `SELECT COUNT(*) FROM rfq_files f JOIN rfqs r ON r.id = f.rfq_id
				WHERE f.id = ? AND r.demand_id = ? AND f.rfq_id = ? AND f.invitation_id IS NULL`
			args = append(args, x.RFQID)
		}
		if err := tx.QueryRowContext(ctx, db.q(check), args...).Scan(&n); err != nil {
			return err
		}
		if n == 0 && x.RFQID != 0 {
			return rfqFileNotFound(x.FileID)
		}
		if n == 0 {
			return demandFileNotFound(x.FileID)
		}
		return tx.QueryRowContext(ctx, db.q(`INSERT INTO demand_downloads (file_id, demand_id, rfq_id, user_id, company_id, ip, at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`), x.FileID, x.DemandID, nullID(x.RFQID), x.UserID, nullID(x.CompanyID), x.IP, x.At).Scan(&x.ID)
	})
	if err != nil {
		return err
	}
	*d = x
	return nil
}

// Downloads lists the downloads of demand demandID's files and of its
// rounds' own files, newest first, with each file's name and the user's
// email. A deleted file's name is "".
// The email is the users row's, so the downloads of an erased person show
// the erased placeholder address, not theirs.
func (db *DB) Downloads(ctx context.Context, demandID int64) ([]*sihub.Download, error) {
	ds := []*sihub.Download{}
	err := db.read(ctx, "list downloads", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, db.q(`SELECT l.id, l.file_id, COALESCE(f.name, rf.name, ''), l.demand_id, l.rfq_id,
			l.user_id, COALESCE(u.email, ''), l.company_id, l.ip, l.at
			FROM demand_downloads l LEFT JOIN demand_files f ON f.id = l.file_id AND l.rfq_id IS NULL
			LEFT JOIN rfq_files rf ON rf.id = l.file_id AND rf.rfq_id = l.rfq_id
			LEFT JOIN users u ON u.id = l.user_id
			WHERE l.demand_id = ? ORDER BY l.at DESC, l.id DESC`), demandID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				d            sihub.Download
				rfq, company sql.NullInt64
			)
			if err := rows.Scan(&d.ID, &d.FileID, &d.FileName, &d.DemandID, &rfq, &d.UserID, &d.UserEmail, &company, &d.IP, &d.At); err != nil {
				return err
			}
			d.RFQID, d.CompanyID, d.At = rfq.Int64, company.Int64, d.At.UTC()
			ds = append(ds, &d)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return ds, nil
}
