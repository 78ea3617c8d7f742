package web

import (
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/sihub-org/sihub/internal/sihub"
)

// Permissions, until accounts arrive. The functions in this file are the
// only places that decide who may do what; the accounts work replaces their
// bodies, and every handler and template keeps asking them.

// canWrite reports whether r may change data: for now only "local staff",
// a client on the loopback interface (127.0.0.0/8 or ::1) — the center's
// own machine. A request that carries proxy headers is refused even from
// loopback, because behind a reverse proxy on the same host every client
// would otherwise look local.
//
// The Host header must name the loopback interface too (localhost,
// 127.0.0.1 or [::1], any port). Otherwise a web page whose name an
// attacker rebinds to 127.0.0.1 (DNS rebinding) is same-origin with itself
// in the staff's browser, passes the cross-origin check, and reaches this
// server from loopback.
func canWrite(r *http.Request) bool {
	if r.Header.Get("X-Forwarded-For") != "" || r.Header.Get("Forwarded") != "" || r.Header.Get("X-Real-Ip") != "" {
		return false
	}
	if !loopbackHost(r.Host) {
		return false
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	return ip.Unmap().IsLoopback()
}

// loopbackHost reports whether a Host header names this machine by a name
// no one outside can point elsewhere.
func loopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	} else if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		host = host[1 : len(host)-1] // "[::1]" without a port
	}
	switch strings.ToLower(strings.TrimSuffix(host, ".")) {
	case "localhost", "127.0.0.1", "::1":
		return true
	}
	return false
}

// canSeeContacts reports whether r may see the people named as a company's
// contacts (names, emails, phones): personal data, kept from the public.
// Only staff for now; the accounts work will widen this to members of
// verified companies.
func canSeeContacts(r *http.Request) bool {
	return canWrite(r)
}

// canReadCompany reports whether r may see company c at all: an archived
// profile is withdrawn from the public, and only staff still see it.
func canReadCompany(r *http.Request, c *sihub.Company) bool {
	return c != nil && (!c.Archived || canWrite(r))
}

// The not-found answers for what a reader may not see are the same as for
// what does not exist, whatever the store's own wording, so that archiving
// a company does not show through.

func companyNotFound(id int64) error {
	return sihub.Errorf(sihub.ErrNotFound, "Không tìm thấy doanh nghiệp #%d.", "Company #%d was not found.", id)
}

func taxCodeNotFound(taxCode string) error {
	return sihub.Errorf(sihub.ErrNotFound, "Không tìm thấy doanh nghiệp có mã số thuế %s.",
		"No company has the tax code %s.", sihub.FormatTaxCode(sihub.CompactTaxCode(taxCode)))
}

func documentNotFound(id int64) error {
	return sihub.Errorf(sihub.ErrNotFound, "Không tìm thấy tài liệu #%d.", "Document #%d was not found.", id)
}

// readableCompany loads company id for r, or answers not found.
func (s *server) readableCompany(r *http.Request, id int64) (*sihub.Company, error) {
	c, err := s.db.Company(r.Context(), id)
	if sihub.ErrorCode(err) == sihub.ErrNotFound || err == nil && !canReadCompany(r, c) {
		return nil, companyNotFound(id)
	}
	return c, err
}

// readableCompanyByTaxCode is readableCompany by tax code.
func (s *server) readableCompanyByTaxCode(r *http.Request, taxCode string) (*sihub.Company, error) {
	c, err := s.db.CompanyByTaxCode(r.Context(), taxCode)
	if sihub.ErrorCode(err) == sihub.ErrNotFound || err == nil && !canReadCompany(r, c) {
		return nil, taxCodeNotFound(taxCode)
	}
	return c, err
}

// readableDocument checks that r may read doc, loaded (by id) with err.
func (s *server) readableDocument(r *http.Request, id int64, doc *sihub.Document, err error) error {
	if sihub.ErrorCode(err) == sihub.ErrNotFound {
		return documentNotFound(id)
	}
	if err != nil {
		return err
	}
	ok, err := s.canReadDocument(r, doc)
	if err != nil {
		return err
	}
	if !ok {
		return documentNotFound(id)
	}
	return nil
}

// canReadDocument reports whether r may download doc: documents are as
// public as the profile they belong to, so an archived company's documents
// are for staff only.
func (s *server) canReadDocument(r *http.Request, doc *sihub.Document) (bool, error) {
	if doc == nil {
		return false, nil
	}
	if canWrite(r) {
		return true, nil
	}
	c, err := s.db.Company(r.Context(), doc.CompanyID)
	if sihub.ErrorCode(err) == sihub.ErrNotFound {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return canReadCompany(r, c), nil
}

// actor names who made a change, for the verification record.
func actor(r *http.Request) string {
	return "local-staff"
}

var errForbidden = sihub.Errorf(sihub.ErrForbidden,
	"Bạn không có quyền thực hiện thao tác này. Chỉ cán bộ Trung tâm trên máy nội bộ mới được chỉnh sửa dữ liệu.",
	"You may not do this. Only center staff on the local machine may change data.")

// requireWrite returns errForbidden unless canWrite(r).
func requireWrite(r *http.Request) error {
	if !canWrite(r) {
		return errForbidden
	}
	return nil
}
