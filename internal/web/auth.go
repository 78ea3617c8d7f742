package web

import (
	"net"
	"net/http"
	"net/netip"

	"github.com/sihub-org/sihub/internal/sihub"
)

// Permissions, until accounts arrive. These three functions are the only
// places that decide who may do what; the accounts work replaces their
// bodies, and every handler and template keeps asking them.

// canWrite reports whether r may change data: for now only "local staff",
// a client on the loopback interface (127.0.0.0/8 or ::1) — the center's
// own machine. A request that carries proxy headers is refused even from
// loopback, because behind a reverse proxy on the same host every client
// would otherwise look local.
func canWrite(r *http.Request) bool {
	if r.Header.Get("X-Forwarded-For") != "" || r.Header.Get("Forwarded") != "" || r.Header.Get("X-Real-Ip") != "" {
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

// canReadDocument reports whether r may download doc. Documents are public
// for now, like the profiles they belong to.
func canReadDocument(r *http.Request, doc *sihub.Document) bool {
	return doc != nil
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
