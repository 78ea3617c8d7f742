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

// Files of RFQ rounds (sihub.RFQFile): the buyer's, for every invitee, and
// each supplier's with its quote. A quote's file belongs to the draft
// (revision 0) until SubmitQuote gives it the new revision's number; from
// then on it is part of the quote's record and cannot be removed. Nothing
// is added or removed after the round's deadline, checked against the
// store's clock in the write transaction. Bytes live once per digest in
// attachments, shared with documents and demand files.
//
// Who may see which file — a sealed round's quote files stay hidden from
// the buyer until the deadline, a supplier never sees another's — is the
// caller's to enforce through sihub's policy (CanSeeQuoteFile). Audited as
// object "rfq" with the round's id, without the bytes, and for a quote's
// file without its name either: the trail is read by the center, from
// which a sealed quote is hidden.

const rfqFileCols = `f.id, f.rfq_id, f.invitation_id, i.company_id, f.revision, f.name, f.sha256, f.content_type, f.size,
	f.created_by, f.created_at`

const rfqFileFrom = ` FROM rfq_files f LEFT JOIN rfq_invitations i ON i.id = f.invitation_id`

func scanRFQFile(row interface{ Scan(...any) error }) (*sihub.RFQFile, error) {
	var (
		f            sihub.RFQFile
		inv, company sql.NullInt64
		by           sql.NullInt64
	)
	if err := row.Scan(&f.ID, &f.RFQID, &inv, &company, &f.Revision, &f.Name, &f.SHA256, &f.ContentType, &f.Size,
		&by, &f.CreatedAt); err != nil {
		return nil, err
	}
	f.InvitationID, f.CompanyID, f.CreatedBy, f.CreatedAt = inv.Int64, company.Int64, by.Int64, f.CreatedAt.UTC()
	return &f, nil
}

func rfqFileNotFound(id int64) error {
	return sihub.Errorf(sihub.ErrNotFound, "Không tìm thấy tệp #%d của đợt báo giá.", "RFQ file #%d was not found.", id)
}

// auditedRFQFile is a file as the trail records it: never its bytes.
type auditedRFQFile struct {
	ID           int64  `json:"file_id"`
	InvitationID int64  `json:"invitation_id,omitempty"`
	CompanyID    int64  `json:"company_id,omitempty"`
	Revision     int    `json:"revision"`
	Name         string `json:"name,omitempty"`
	ContentType  string `json:"content_type,omitempty"`
	Size         int64  `json:"size,omitempty"`
	SHA256       string `json:"sha256,omitempty"`
}

// auditRFQFile describes f for the trail. A quote's file is named by ids
// only: its name, size or digest would tell the center something of a
// sealed quote before the deadline.
func auditRFQFile(f *sihub.RFQFile) auditedRFQFile {
	a := auditedRFQFile{ID: f.ID, InvitationID: f.InvitationID, CompanyID: f.CompanyID, Revision: f.Revision}
	if f.InvitationID == 0 {
		a.Name, a.ContentType, a.Size, a.SHA256 = f.Name, f.ContentType, f.Size, f.SHA256
	}
	return a
}

func roundClosed(r *sihub.RFQ) error {
	return sihub.Errorf(sihub.ErrConflict, "Đã quá hạn chót của đợt %d: không thể thêm hay xoá tệp.",
		"The deadline of round %d has passed: files can no longer be added or removed.", r.Round)
}

func tooManyRFQFiles() error {
	return sihub.Errorf(sihub.ErrConflict, "Đã có %d tệp, mức tối đa; hãy xoá bớt hoặc gộp thành một tệp ZIP.",
		"There are already %d files, the most allowed; delete some or put them in one ZIP file.", sihub.MaxRFQFiles)
}

// AddRFQFile stores data (already checked by sihub.CheckAttachment with
// sihub.RFQFileTypes) as a file of round f.RFQID: the round's own when
// f.InvitationID is 0, else a file of that invitation's draft quote
// (revision 0) — the invitation must be of the round and not declined.
// Refused with ErrConflict after the round's deadline, checked in the write
// transaction, and beyond sihub.MaxRFQFiles files of the round (the
// buyer's) or of the invitation. Sets f's ID, CompanyID, Revision, Size,
// SHA256, CreatedBy (f.CreatedBy, else the context's actor, when a user)
// and CreatedAt; audited rfq.file.add.
func (db *DB) AddRFQFile(ctx context.Context, f *sihub.RFQFile, data []byte) error {
	x, err := newRFQFile(ctx, f, data)
	if err != nil {
		return err
	}
	err = db.write(ctx, "add rfq file", func(tx *sql.Tx) error {
		now := db.now()
		r, err := db.rfqTx(ctx, tx, x.RFQID)
		if err != nil {
			return err
		}
		var n int
		if x.InvitationID == 0 {
			if !r.Open(now) {
				return roundClosed(r)
			}
			if err := tx.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM rfq_files WHERE rfq_id = ? AND invitation_id IS NULL`),
				r.ID).Scan(&n); err != nil {
				return err
			}
		} else {
			iv, err := db.invitationTx(ctx, tx, x.InvitationID)
			if err != nil {
				return err
			}
			if iv.RFQID != r.ID {
				return sihub.Errorf(sihub.ErrInvalid, "Lời mời #%d không thuộc đợt báo giá #%d.",
					"Invitation #%d is not of RFQ round #%d.", iv.ID, r.ID)
			}
			// Refused once declined or after the deadline.
			if _, _, err := db.answerable(ctx, tx, iv.ID, now); err != nil {
				return err
			}
			x.CompanyID = iv.CompanyID
			if err := tx.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM rfq_files WHERE invitation_id = ?`), iv.ID).Scan(&n); err != nil {
				return err
			}
		}
		if n >= sihub.MaxRFQFiles {
			return tooManyRFQFiles()
		}
		a, err := db.newAuditor(ctx, tx)
		if err != nil {
			return err
		}
		defer a.close()
		return db.insertRFQFile(ctx, tx, a, &x, data, now)
	})
	if err != nil {
		return err
	}
	*f = x
	return nil
}

// RFQUpload is a file to store with a new round (CreateRFQ).
type RFQUpload struct {
	File *sihub.RFQFile // Name and ContentType as sihub.CheckAttachment gave them
	Data []byte
}

// newRFQFile checks f and its bytes before any transaction and returns the
// row to insert, its digest, size and author set.
func newRFQFile(ctx context.Context, f *sihub.RFQFile, data []byte) (sihub.RFQFile, error) {
	x := *f
	switch {
	case len(data) == 0:
		return x, sihub.Errorf(sihub.ErrInvalid, "Tệp rỗng.", "The file is empty.")
	case len(data) > sihub.MaxAttachmentBytes:
		return x, sihub.Errorf(sihub.ErrTooLarge, "Tệp lớn hơn %d MB.", "The file is larger than %d MB.", sihub.MaxAttachmentBytes>>20)
	}
	if strings.TrimSpace(f.Name) == "" {
		return x, sihub.Errorf(sihub.ErrInvalid, "Thiếu tên tệp.", "The file name is missing.")
	}
	if !storable(f.Name) || !storable(f.ContentType) {
		return x, unstorable("name")
	}
	if x.ContentType == "" {
		x.ContentType = http.DetectContentType(data)
	}
	sum := sha256.Sum256(data)
	x.SHA256, x.Size, x.Revision = hex.EncodeToString(sum[:]), int64(len(data)), 0
	if x.CreatedBy == 0 {
		x.CreatedBy = sihub.ActorFrom(ctx).UserID
	}
	return x, nil
}

// insertRFQFile stores x (checked by newRFQFile, its round and invitation
// by the caller) and its bytes within tx, and audits rfq.file.add.
func (db *DB) insertRFQFile(ctx context.Context, tx *sql.Tx, a *auditor, x *sihub.RFQFile, data []byte, now time.Time) error {
	by, err := db.userRef(ctx, tx, x.CreatedBy)
	if err != nil {
		return err
	}
	x.CreatedBy, x.CreatedAt = by.Int64, now
	if err := db.putAttachment(ctx, tx, x.SHA256, x.ContentType, data, now); err != nil {
		return err
	}
	if err := tx.QueryRowContext(ctx, db.q(`INSERT INTO rfq_files (rfq_id, invitation_id, revision, name, sha256, content_type,
		size, created_by, created_at) VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?) RETURNING id`),
		x.RFQID, nullID(x.InvitationID), x.Name, x.SHA256, x.ContentType, x.Size, by, now).Scan(&x.ID); err != nil {
		return err
	}
	return a.add(ctx, "rfq.file.add", "rfq", x.RFQID, nil, auditRFQFile(x))
}

// RFQFiles lists every file of round rfqID, the round's own first, then
// each invitation's, oldest first; who may see which is the caller's.
func (db *DB) RFQFiles(ctx context.Context, rfqID int64) ([]*sihub.RFQFile, error) {
	return db.rfqFilesWhere(ctx, `f.rfq_id = ? ORDER BY COALESCE(f.invitation_id, 0), f.id`, rfqID)
}

// InvitationFiles lists invitation invID's files, oldest first: the
// draft's (revision 0) and those of its submitted revisions.
func (db *DB) InvitationFiles(ctx context.Context, invID int64) ([]*sihub.RFQFile, error) {
	return db.rfqFilesWhere(ctx, `f.invitation_id = ? ORDER BY f.id`, invID)
}

func (db *DB) rfqFilesWhere(ctx context.Context, cond string, args ...any) ([]*sihub.RFQFile, error) {
	fs := []*sihub.RFQFile{}
	err := db.read(ctx, "list rfq files", func(tx *sql.Tx) error {
		got, err := queryAll(ctx, tx, scanRFQFile, db.q(`SELECT `+rfqFileCols+rfqFileFrom+` WHERE `+cond), args...)
		if got != nil {
			fs = got
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return fs, nil
}

func (db *DB) rfqFileTx(ctx context.Context, tx *sql.Tx, id int64) (*sihub.RFQFile, error) {
	f, err := scanRFQFile(tx.QueryRowContext(ctx, db.q(`SELECT `+rfqFileCols+rfqFileFrom+` WHERE f.id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rfqFileNotFound(id)
	}
	return f, err
}

// RFQFile returns file id (sihub.ErrNotFound when there is none).
func (db *DB) RFQFile(ctx context.Context, id int64) (*sihub.RFQFile, error) {
	var f *sihub.RFQFile
	err := db.read(ctx, "get rfq file", func(tx *sql.Tx) error {
		var err error
		f, err = db.rfqFileTx(ctx, tx, id)
		return err
	})
	return f, err
}

// RFQFileContent returns file id's bytes.
func (db *DB) RFQFileContent(ctx context.Context, id int64) ([]byte, error) {
	return db.fileContent(ctx, "rfq_files", id, rfqFileNotFound(id))
}

// DeleteRFQFile removes file id while its round is open: a round's file,
// or a quote's file still in the draft (revision 0). A file submitted with
// a revision is part of the quote's record and stays (ErrConflict), as
// does everything after the deadline. The bytes go too when nothing else
// refers to them. Audited rfq.file.delete.
func (db *DB) DeleteRFQFile(ctx context.Context, id int64) error {
	return db.write(ctx, "delete rfq file", func(tx *sql.Tx) error {
		f, err := db.rfqFileTx(ctx, tx, id)
		if err != nil {
			return err
		}
		r, err := db.rfqTx(ctx, tx, f.RFQID)
		if err != nil {
			return err
		}
		if f.Revision > 0 {
			return sihub.Errorf(sihub.ErrConflict, "Tệp %q đã được gửi cùng lần báo giá %d; nó là một phần của hồ sơ báo giá và không thể xoá.",
				"The file %q was submitted with revision %d; it is part of the quote's record and cannot be deleted.", f.Name, f.Revision)
		}
		if !r.Open(db.now()) {
			return roundClosed(r)
		}
		if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM rfq_files WHERE id = ?`), id); err != nil {
			return err
		}
		if err := db.dropAttachment(ctx, tx, f.SHA256); err != nil {
			return err
		}
		return db.audit(ctx, tx, "rfq.file.delete", "rfq", f.RFQID, auditRFQFile(f), nil)
	})
}

// submitDraftFiles gives invitation invID's draft files (revision 0)
// revision rev, in SubmitQuote's transaction, and returns how many moved.
func (db *DB) submitDraftFiles(ctx context.Context, tx *sql.Tx, invID int64, rev int) (int64, error) {
	res, err := tx.ExecContext(ctx, db.q(`UPDATE rfq_files SET revision = ? WHERE invitation_id = ? AND revision = 0`), rev, invID)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
