package web

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
)

// Who is asking. serveHTTP resolves every request's principal
// (authenticate): an API token, a browser session, or nobody. Handlers ask
// the principal's policy methods (sihub.Principal) and answer a refusal with
// allow/refuse, so that the rules live in one place.

const (
	sessionCookie = "sihub_session"
	sessionTTL    = 14 * 24 * time.Hour
)

// principal returns who is asking r: sihub.Anonymous when nobody is signed
// in.
func principal(r *http.Request) *sihub.Principal {
	if p := state(r).principal; p != nil {
		return p
	}
	return sihub.Anonymous
}

var (
	errBadAuthorization = sihub.Errorf(sihub.ErrUnauthorized,
		"Tiêu đề Authorization phải có dạng \"Bearer sihub_…\" với một mã API tạo trên trang Tài khoản.",
		"The Authorization header must read \"Bearer sihub_…\" with an API token created on your account page.")
	errBadToken = sihub.Errorf(sihub.ErrUnauthorized,
		"Mã API không hợp lệ, đã bị thu hồi, hoặc tài khoản của nó không còn hoạt động. Hãy tạo mã mới trên trang Tài khoản.",
		"The API token is not valid, has been revoked, or its account is no longer active. Create a new one on your account page.")
	errReadScope = sihub.Errorf(sihub.ErrForbidden,
		"Mã API này chỉ được đọc (phạm vi read); hãy dùng mã có phạm vi write để thay đổi dữ liệu.",
		"This API token may only read (scope read); use a token with scope write to change data.")
	errSignIn = sihub.Errorf(sihub.ErrUnauthorized,
		"Hãy đăng nhập để tiếp tục.", "Please sign in to continue.")
	errForbidden = sihub.Errorf(sihub.ErrForbidden,
		"Tài khoản của bạn không có quyền thực hiện thao tác này.",
		"Your account may not do this.")
)

// authenticate finds who asks r and keeps it in st. An Authorization
// header must carry a valid token: a bad one is refused rather than taken
// for an anonymous visitor, so that a client notices its token stopped
// working. A session cookie that no longer holds is cleared and the
// visitor is anonymous. The returned request carries the actor for the
// audit trail; on error it is r itself.
func (s *server) authenticate(w http.ResponseWriter, r *http.Request, st *reqState) (*http.Request, error) {
	st.principal = sihub.Anonymous
	if strings.HasPrefix(r.URL.Path, "/static/") {
		return r, nil // files for everyone: no need to ask the database
	}
	ctx := r.Context()
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, secret, _ := strings.Cut(strings.TrimSpace(h), " ")
		secret = strings.TrimSpace(secret)
		if !strings.EqualFold(scheme, "Bearer") || secret == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="sihub"`)
			return r, errBadAuthorization
		}
		u, tok, err := s.db.TokenUser(ctx, secret)
		if sihub.ErrorCode(err) == sihub.ErrUnauthorized {
			w.Header().Set("WWW-Authenticate", `Bearer realm="sihub", error="invalid_token"`)
			return r, errBadToken
		}
		if err != nil {
			return r, err
		}
		st.principal = &sihub.Principal{User: u, Scope: tok.Scope}
		if tok.Scope == sihub.ScopeRead && r.Method != http.MethodGet && r.Method != http.MethodHead {
			return r, errReadScope
		}
	} else if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		u, sess, err := s.db.SessionUser(ctx, c.Value)
		switch {
		case err == nil:
			st.principal = &sihub.Principal{User: u}
			st.session, st.sessionSecret = sess, c.Value
		case sihub.ErrorCode(err) == sihub.ErrUnauthorized:
			s.clearSessionCookie(w, r)
		default:
			return r, err
		}
	}
	a := sihub.Actor{Label: "anonymous", IP: s.clientIP(r)}
	if u := st.principal.User; u != nil {
		a.UserID, a.Label = u.ID, u.Email
	}
	return r.WithContext(sihub.WithActor(ctx, a)), nil
}

// clientIP is the address a request came from, for sign-in throttling,
// sessions and the audit trail: the connection's, or, behind a proxy SIHub
// is told to trust (Config.TrustProxy), the address that proxy appended
// last to X-Forwarded-For — earlier entries come from the client and may
// be forged.
func (s *server) clientIP(r *http.Request) string {
	if s.trustProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			last := xff[len(xff)-1]
			last = strings.TrimSpace(last[strings.LastIndexByte(last, ',')+1:])
			if ip, err := netip.ParseAddr(last); err == nil {
				return ip.Unmap().String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// secure reports whether cookies set in answer to r must be Secure.
func (s *server) secure(r *http.Request) bool { return s.secureCookies || r.TLS != nil }

// startSession signs u in: the session the browser had before, if any, is
// ended first, so that a session identifier planted in the browser before
// sign-in never becomes a signed-in one (session fixation).
func (s *server) startSession(w http.ResponseWriter, r *http.Request, u *sihub.User) error {
	ctx := r.Context()
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if err := s.db.DeleteSession(ctx, c.Value); err != nil && sihub.ErrorCode(err) != sihub.ErrNotFound {
			return err
		}
	}
	secret, err := s.db.CreateSession(ctx, u.ID, s.clientIP(r), r.UserAgent(), sessionTTL)
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: secret, Path: "/", MaxAge: int(sessionTTL / time.Second),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r),
	})
	// The interface follows the person's language from now on.
	s.setLangCookie(w, r, u.Lang)
	return nil
}

func (s *server) clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r),
	})
}

func (s *server) setLangCookie(w http.ResponseWriter, r *http.Request, lang sihub.Lang) {
	http.SetCookie(w, &http.Cookie{
		Name: langCookie, Value: string(lang), Path: "/",
		MaxAge:   400 * 24 * 3600, // the longest browsers keep a cookie
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r),
	})
}

// signInURL is the sign-in page, coming back to r's page afterwards when
// r is a page one can come back to.
func signInURL(r *http.Request) string {
	if r.Method != http.MethodGet && r.Method != http.MethodHead || r.URL.Path == "/" || isAPI(r) {
		return "/signin"
	}
	return "/signin?next=" + url.QueryEscape(r.URL.RequestURI())
}

// refuse is the answer to a principal the policy refused: sign in (401)
// when nobody is signed in, otherwise 403 saying why — a read-only token,
// an account not active yet, or a role without the right.
func refuse(p *sihub.Principal) error {
	switch {
	case !p.SignedIn():
		return errSignIn
	case p.Scope == sihub.ScopeRead:
		return errReadScope
	case !p.User.Active():
		return notActive(p.User)
	}
	return errForbidden
}

// allow returns nil when the policy said ok, and refuse(p) otherwise.
func allow(p *sihub.Principal, ok bool) error {
	if ok {
		return nil
	}
	return refuse(p)
}

// notActive explains why u, signed in, may not act yet.
func notActive(u *sihub.User) error {
	switch {
	case u.Status == sihub.StatusRejected:
		return sihub.Errorf(sihub.ErrForbidden,
			"Yêu cầu tham gia doanh nghiệp của bạn đã bị từ chối nên tài khoản không có quyền này.",
			"Your request to join the company was declined, so your account may not do this.")
	case u.Status == sihub.StatusDisabled || u.Status == sihub.StatusErased:
		return sihub.Errorf(sihub.ErrForbidden, "Tài khoản này đã bị vô hiệu hóa.", "This account has been disabled.")
	case u.EmailConfirmed == nil:
		return sihub.Errorf(sihub.ErrForbidden,
			"Hãy xác nhận địa chỉ email trước: mở đường dẫn SIHub đã gửi tới %s (trang Tài khoản có thể gửi lại).",
			"Confirm your email address first: open the link SIHub sent to %s (your account page can send it again).", u.Email)
	}
	return sihub.Errorf(sihub.ErrForbidden,
		"Yêu cầu tham gia %s của bạn chưa được duyệt; trong lúc chờ, tài khoản chưa có quyền này.",
		"Your request to join %s has not been approved yet; until it is, your account may not do this.", orgName(u))
}

// orgName names the organisation u belongs to, for messages.
func orgName(u *sihub.User) string {
	if u.CompanyName != "" {
		return u.CompanyName
	}
	return "SIHub"
}

// ---- What a reader may see

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
	if sihub.ErrorCode(err) == sihub.ErrNotFound || err == nil && !principal(r).CanReadCompany(c) {
		return nil, companyNotFound(id)
	}
	return c, err
}

// pathCompany loads the company the path's {id} names for an action r's
// principal must be allowed (may): not found when they may not read the
// company at all, refused when they may read it but not do this.
func (s *server) pathCompany(r *http.Request, may func(*sihub.Principal, *sihub.Company) bool) (*sihub.Company, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	c, err := s.readableCompany(r, id)
	if err != nil {
		return nil, err
	}
	p := principal(r)
	return c, allow(p, may(p, c))
}

// readableCompanyByTaxCode is readableCompany by tax code.
func (s *server) readableCompanyByTaxCode(r *http.Request, taxCode string) (*sihub.Company, error) {
	c, err := s.db.CompanyByTaxCode(r.Context(), taxCode)
	if sihub.ErrorCode(err) == sihub.ErrNotFound || err == nil && !principal(r).CanReadCompany(c) {
		return nil, taxCodeNotFound(taxCode)
	}
	return c, err
}

// readableDocument checks that r may read doc, loaded (by id) with err,
// and returns the company it belongs to.
func (s *server) readableDocument(r *http.Request, id int64, doc *sihub.Document, err error) (*sihub.Company, error) {
	if sihub.ErrorCode(err) == sihub.ErrNotFound {
		return nil, documentNotFound(id)
	}
	if err != nil {
		return nil, err
	}
	c, err := s.db.Company(r.Context(), doc.CompanyID)
	if sihub.ErrorCode(err) == sihub.ErrNotFound || err == nil && !principal(r).CanReadDocument(c) {
		return nil, documentNotFound(id)
	}
	return c, err
}

// ---- Contact people

// contactAccess is what a reader may see of a company's contact people.
type contactAccess struct {
	Show bool
	// Notice says why they are hidden, when the reader could see them
	// but has used up today's views; "" otherwise.
	Notice sihub.Msg
}

// contactsFor decides whether r may see c's contact people. count says
// whether this is a view of c alone, which a limited reader spends one of
// their daily views on; lists never show a limited reader contacts, so
// that one request cannot spend the whole day's views.
func (s *server) contactsFor(ctx context.Context, p *sihub.Principal, c *sihub.Company, count bool) (contactAccess, error) {
	if !p.CanSeeContacts(c) {
		return contactAccess{}, nil
	}
	if !p.ContactViewsLimited(c) {
		return contactAccess{Show: true}, nil
	}
	if len(c.Contacts) == 0 {
		return contactAccess{Show: true}, nil // nothing to see spends no view
	}
	if !count {
		return contactAccess{}, nil
	}
	ok, err := s.db.ViewContacts(ctx, p.UserID(), c.ID, s.contactViews)
	if err != nil || ok {
		return contactAccess{Show: ok}, err
	}
	return contactAccess{Notice: sihub.M(
		"Bạn đã xem người liên hệ của %d doanh nghiệp trong 24 giờ qua, mức tối đa mỗi ngày; người liên hệ của doanh nghiệp này sẽ hiện lại khi lượt xem cũ nhất quá 24 giờ.",
		"You have viewed the contact people of %d companies in the last 24 hours, today's limit; this company's contacts show again once your oldest view is 24 hours old.",
		s.contactViews)}, nil
}
