package store

import (
	"context"
	"errors"

	"github.com/sihub-org/sihub/internal/sihub"
)

// Demand files (drawings and specifications), the confidentiality terms
// suppliers accept before seeing them, and the log of every download.

var errTodo = errors.New("store: not implemented yet")

// AddDemandFile stores data (already checked by sihub.CheckAttachment with
// sihub.DemandFileTypes) as a file of demand f.DemandID, sets f's ID, Size,
// SHA256 and CreatedAt, and audits demand.file.add. Content is kept once per
// digest in the attachments table, shared with company documents.
func (db *DB) AddDemandFile(ctx context.Context, f *sihub.DemandFile, data []byte) error {
	return errTodo
}

// DemandFiles lists demand demandID's files, oldest first.
func (db *DB) DemandFiles(ctx context.Context, demandID int64) ([]*sihub.DemandFile, error) {
	return nil, errTodo
}

// DemandFile returns file id (sihub.ErrNotFound when there is none).
func (db *DB) DemandFile(ctx context.Context, id int64) (*sihub.DemandFile, error) {
	return nil, errTodo
}

// DemandFileContent returns file id's bytes.
func (db *DB) DemandFileContent(ctx context.Context, id int64) ([]byte, error) {
	return nil, errTodo
}

// DeleteDemandFile removes file id, audited demand.file.delete.
func (db *DB) DeleteDemandFile(ctx context.Context, id int64) error {
	return errTodo
}

// AcceptTerms records a's acceptance (one per demand and company; a second
// acceptance replaces the first, e.g. after the terms changed), audited
// demand.terms.accept. AcceptedAt is set.
func (db *DB) AcceptTerms(ctx context.Context, a *sihub.TermsAcceptance) error {
	return errTodo
}

// TermsAcceptance returns company companyID's acceptance of demand
// demandID's terms, nil when it has not accepted.
func (db *DB) TermsAcceptance(ctx context.Context, demandID, companyID int64) (*sihub.TermsAcceptance, error) {
	return nil, errTodo
}

// LogDownload records a download of a demand's file (d.FileID, d.DemandID,
// d.UserID, d.CompanyID, d.IP); At and ID are set.
func (db *DB) LogDownload(ctx context.Context, d *sihub.Download) error {
	return errTodo
}

// Downloads lists the downloads of demand demandID's files, newest first,
// with each file's name and the user's email.
func (db *DB) Downloads(ctx context.Context, demandID int64) ([]*sihub.Download, error) {
	return nil, errTodo
}
