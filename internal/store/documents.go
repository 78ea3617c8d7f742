package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/sihub-org/sihub/internal/sihub"
)

const documentCols = `d.id, d.company_id, d.kind, d.name, d.sha256, d.content_type, d.size, d.created_at`

func scanDocument(row interface{ Scan(...any) error }, extra ...any) (*sihub.Document, error) {
	var d sihub.Document
	err := row.Scan(append([]any{&d.ID, &d.CompanyID, &d.Kind, &d.Name, &d.SHA256, &d.ContentType, &d.Size, &d.CreatedAt}, extra...)...)
	if err != nil {
		return nil, err
	}
	d.CreatedAt = d.CreatedAt.UTC()
	return &d, nil
}

// AddDocument attaches data to company d.CompanyID as document d and sets
// d.ID, d.SHA256, d.Size and d.CreatedAt. The bytes are stored once per
// SHA-256, however many documents share them. The caller has checked the
// file with sihub.CheckAttachment, which gives d.Name and d.ContentType.
func (db *DB) AddDocument(ctx context.Context, d *sihub.Document, data []byte) error {
	switch {
	case len(data) == 0:
		return sihub.Errorf(sihub.ErrInvalid, "Tệp rỗng.", "The file is empty.")
	case len(data) > sihub.MaxAttachmentBytes:
		return sihub.Errorf(sihub.ErrTooLarge, "Tệp lớn hơn %d MB.", "The file is larger than %d MB.", sihub.MaxAttachmentBytes>>20)
	}
	if d.Kind == "" {
		d.Kind = sihub.DocOther
	}
	if !slices.Contains(sihub.DocumentKinds, d.Kind) {
		return sihub.Errorf(sihub.ErrInvalid, "Loại tài liệu %q không hợp lệ.", "Document kind %q is not valid.", d.Kind)
	}
	if strings.TrimSpace(d.Name) == "" {
		return sihub.Errorf(sihub.ErrInvalid, "Thiếu tên tệp.", "The file name is missing.")
	}
	if !storable(d.Name) || !storable(d.ContentType) {
		return unstorable("name")
	}
	if d.ContentType == "" {
		d.ContentType = http.DetectContentType(data)
	}
	sum := sha256.Sum256(data)
	x := *d
	x.SHA256, x.Size, x.CreatedAt = hex.EncodeToString(sum[:]), int64(len(data)), db.now()
	err := db.write(ctx, "add document", func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM companies WHERE id = ?`), x.CompanyID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return notFound("company", x.CompanyID)
		}
		if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO attachments (sha256, content_type, size, data, created_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING`),
			x.SHA256, x.ContentType, x.Size, data, x.CreatedAt); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, db.q(`INSERT INTO documents (company_id, kind, name, sha256, content_type, size, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			x.CompanyID, x.Kind, x.Name, x.SHA256, x.ContentType, x.Size, x.CreatedAt).Scan(&x.ID); err != nil {
			return err
		}
		return db.audit(ctx, tx, "document.create", "company", x.CompanyID, nil, x)
	})
	if err != nil {
		return err
	}
	*d = x
	return nil
}

// Document returns document id without its bytes.
func (db *DB) Document(ctx context.Context, id int64) (*sihub.Document, error) {
	var d *sihub.Document
	err := db.read(ctx, "get document", func(tx *sql.Tx) error {
		var err error
		d, err = scanDocument(tx.QueryRowContext(ctx, db.q(`SELECT `+documentCols+` FROM documents d WHERE d.id = ?`), id))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("document", id)
		}
		return err
	})
	return d, err
}

// DocumentData returns document id and its bytes.
func (db *DB) DocumentData(ctx context.Context, id int64) (*sihub.Document, []byte, error) {
	var (
		d    *sihub.Document
		data []byte
	)
	err := db.read(ctx, "get document", func(tx *sql.Tx) error {
		var err error
		d, err = scanDocument(tx.QueryRowContext(ctx, db.q(`SELECT `+documentCols+`, a.data
			FROM documents d JOIN attachments a ON a.sha256 = d.sha256 WHERE d.id = ?`), id), &data)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("document", id)
		}
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return d, data, nil
}

// DeleteDocument removes document id, and its bytes when no other document
// shares them.
func (db *DB) DeleteDocument(ctx context.Context, id int64) error {
	return db.write(ctx, "delete document", func(tx *sql.Tx) error {
		d, err := scanDocument(tx.QueryRowContext(ctx, db.q(`DELETE FROM documents WHERE id = ?
			RETURNING id, company_id, kind, name, sha256, content_type, size, created_at`), id))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("document", id)
		}
		if err != nil {
			return err
		}
		if err := db.dropAttachment(ctx, tx, d.SHA256); err != nil {
			return err
		}
		return db.audit(ctx, tx, "document.delete", "company", d.CompanyID, d, nil)
	})
}

// documents lists the documents of a company, oldest first.
func (db *DB) documents(ctx context.Context, tx *sql.Tx, companyID int64) ([]sihub.Document, error) {
	rows, err := tx.QueryContext(ctx, db.q(`SELECT `+documentCols+` FROM documents d WHERE d.company_id = ? ORDER BY d.id`), companyID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ds := []sihub.Document{}
	for rows.Next() {
		d, err := scanDocument(rows)
		if err != nil {
			return nil, err
		}
		ds = append(ds, *d)
	}
	return ds, rows.Err()
}
