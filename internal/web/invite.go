package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store"
)

// Invitations: staff invite the center's people and the Department's
// officials (admins invite admins and officials), company admins invite
// colleagues, staff invite anyone to any company by its tax code. The
// invitation is a one-time link by email; following it, the person chooses
// a name and password and is signed in with the role invited to.

const inviteTTL = 7 * 24 * time.Hour

// inviteRoles lists the roles p may invite people to, and whether p picks
// the company of a company role by tax code (staff) rather than inviting
// to their own company.
func inviteRoles(p *sihub.Principal) (roles []sihub.Role, pickCompany bool) {
	own := p.CompanyID()
	pickCompany = own == 0 && p.CanInviteToAnyCompany()
	for _, role := range sihub.Roles {
		var ok bool
		switch {
		case !role.OfCompany():
			ok = p.CanInvite(role, 0)
		case own != 0:
			ok = p.CanInvite(role, own)
		default:
			// The company is chosen on the form; CanInvite decides
			// again with it when the invitation is sent.
			ok = pickCompany
		}
		if ok {
			roles = append(roles, role)
		}
	}
	return roles, pickCompany
}

// inviteInput is the invitation form and the body of POST
// /api/v1/invitations.
type inviteInput struct {
	Email          string     `json:"email"`
	Role           sihub.Role `json:"role"`
	CompanyTaxCode string     `json:"company_tax_code,omitempty"` // for a company role; a company admin's own company by default
	Lang           sihub.Lang `json:"lang,omitempty"`             // of the email: vi or en; the request's language by default
}

// invitationOut is an invitation sent; its secret went by email only.
type invitationOut struct {
	Email          string     `json:"email"`
	Role           sihub.Role `json:"role"`
	CompanyID      int64      `json:"company_id,omitempty"`
	CompanyName    string     `json:"company_name,omitempty"`
	CompanyTaxCode string     `json:"company_tax_code,omitempty"`
	Lang           sihub.Lang `json:"lang"`
	ExpiresAt      time.Time  `json:"expires_at"`
}

// invite checks in and sends the invitation for r's principal.
func (s *server) invite(r *http.Request, in inviteInput) (*invitationOut, error) {
	p := principal(r)
	roles, _ := inviteRoles(p)
	if len(roles) == 0 {
		return nil, refuse(p)
	}
	ctx := r.Context()
	var problems sihub.Problems
	email, err := sihub.NormalizeEmail(in.Email)
	if err != nil {
		problems = append(problems, sihub.FieldsOf(err)...)
	}
	if !in.Role.Valid() {
		problems.Add("role", sihub.M("Hãy chọn một vai trò.", "Choose a role."))
	}
	out := &invitationOut{Email: email, Role: in.Role, Lang: in.Lang}
	if out.Lang != sihub.VI && out.Lang != sihub.EN {
		if in.Lang != "" {
			problems.Add("lang", sihub.M("Ngôn ngữ phải là vi hoặc en.", "The language must be vi or en."))
		}
		out.Lang = langFromRequest(r)
	}
	var company *sihub.Company
	tc := strings.TrimSpace(in.CompanyTaxCode)
	switch {
	case !in.Role.OfCompany() && tc != "":
		problems.Add("company_tax_code", sihub.M("Chỉ vai trò của doanh nghiệp mới gắn với một doanh nghiệp.",
			"Only company roles belong to a company."))
	case in.Role.OfCompany() && tc != "":
		if company, err = s.companyOfTaxCode(r, "company_tax_code", tc, &problems); err != nil {
			return nil, err
		}
	case in.Role.OfCompany() && p.CompanyID() != 0:
		if company, err = s.db.Company(ctx, p.CompanyID()); err != nil {
			return nil, err
		}
	case in.Role.OfCompany():
		problems.Add("company_tax_code", sihub.M("Nhập mã số thuế của doanh nghiệp người được mời sẽ tham gia.",
			"Enter the tax code of the company the person is invited to."))
	}
	if err := problems.Err(); err != nil {
		return nil, err
	}
	if company != nil {
		out.CompanyID, out.CompanyName, out.CompanyTaxCode = company.ID, company.Name, company.TaxCode
	}
	if !p.CanInvite(in.Role, out.CompanyID) {
		return nil, refuse(p)
	}
	switch _, err := s.db.UserByEmail(ctx, email); {
	case err == nil:
		return nil, &sihub.Error{Code: sihub.ErrConflict, Msg: sihub.M("Địa chỉ này đã có tài khoản.", "This address already has an account."),
			Fields: []sihub.FieldError{{Field: "email", Msg: sihub.M(
				"%s đã có tài khoản SIHub; hãy đổi vai trò của họ trên trang người dùng thay vì mời lại.",
				"%s already has a SIHub account; change their role on the users' pages instead of inviting them.", email)}}}
	case sihub.ErrorCode(err) != sihub.ErrNotFound:
		return nil, err
	}
	out.ExpiresAt = storeNow().Add(inviteTTL).UTC().Truncate(time.Second)
	secret, err := s.db.CreateOneTimeToken(ctx, store.OneTimeToken{
		Purpose: store.PurposeInvite, Email: email, Role: in.Role, CompanyID: out.CompanyID,
		CreatedBy: p.UserID(), ExpiresAt: out.ExpiresAt,
	})
	if err != nil {
		return nil, err
	}
	inviter := p.User.Name
	if inviter == "" {
		inviter = p.User.Email
	}
	err = s.notify(ctx, email, out.Lang, "mail.admin.invite", s.link("/invitations/"+secret), inviter,
		roleLabel(out.Lang, in.Role), orgLabel(out.Lang, in.Role, out.CompanyName), formatTime(out.Lang, out.ExpiresAt, true))
	return out, err
}

// orgLabel names the organisation a role belongs to, in lang.
func orgLabel(lang sihub.Lang, role sihub.Role, companyName string) string {
	if role.OfCompany() {
		return companyName
	}
	return tr(lang, "admin.org."+role.Org())
}

type invitePage struct {
	basePage
	Form        accountForm
	Roles       []option
	Langs       []option
	PickCompany bool
	OwnCompany  string // the company a company admin invites to
}

var inviteInputs = []string{"email", "role", "company_tax_code", "lang"}

func (s *server) showInvite(w http.ResponseWriter, r *http.Request, status int, f accountForm) error {
	p := principal(r)
	roles, pick := inviteRoles(p)
	if len(roles) == 0 {
		return refuse(p)
	}
	pg := &invitePage{basePage: s.base(r, "admin.invite.title"), Form: f, PickCompany: pick, Langs: langOptions()}
	pg.Nav = "users"
	if !pick {
		pg.OwnCompany = p.User.CompanyName
	}
	for _, role := range roles {
		pg.Roles = append(pg.Roles, option{Value: string(role), Label: roleLabel(pg.Lang, role)})
	}
	s.render(w, r, status, "invite", pg)
	return nil
}

func (s *server) inviteForm(w http.ResponseWriter, r *http.Request) error {
	f := newAccountForm(langFromRequest(r), "invite")
	f.Values["lang"] = string(f.lang)
	return s.showInvite(w, r, http.StatusOK, f)
}

func (s *server) invitePost(w http.ResponseWriter, r *http.Request) error {
	if err := parsePostForm(w, r); err != nil {
		return err
	}
	f := newAccountForm(langFromRequest(r), "invite")
	for _, k := range inviteInputs {
		f.Values[k] = strings.TrimSpace(r.PostForm.Get(k))
	}
	_, err := s.invite(r, inviteInput{Email: f.Values["email"], Role: sihub.Role(f.Values["role"]),
		CompanyTaxCode: f.Values["company_tax_code"], Lang: sihub.Lang(f.Values["lang"])})
	if err != nil {
		if !formError(err) || sihub.ErrorCode(err) == sihub.ErrUnauthorized {
			return err
		}
		f.fail(err, inviteInputs...)
		return s.showInvite(w, r, httpStatus(err), f)
	}
	http.Redirect(w, r, "/invite?done=invited", http.StatusSeeOther)
	return nil
}

func (s *server) apiInvite(w http.ResponseWriter, r *http.Request) error {
	var in inviteInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	out, err := s.invite(r, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, out)
	return nil
}

// ---- Accepting

type invitationPage struct {
	basePage
	Form  accountForm
	Token string
	Email string
	Role  string
	Org   string
}

var invitationInputs = []string{"name", "password", "password2", "consent"}

// showInvitation shows the form of the invitation with the path's secret;
// an unknown, used or expired link is the store's not-found error.
func (s *server) showInvitation(w http.ResponseWriter, r *http.Request, status int, f accountForm) error {
	secret := r.PathValue("token")
	t, err := s.db.PeekOneTimeToken(r.Context(), store.PurposeInvite, secret)
	if err != nil {
		return err
	}
	pg := &invitationPage{basePage: s.base(r, "admin.invitation.title"), Form: f, Token: secret, Email: t.Email}
	pg.Role = roleLabel(pg.Lang, t.Role)
	var companyName string
	if t.CompanyID != 0 {
		c, err := s.db.Company(r.Context(), t.CompanyID)
		if err != nil {
			return err
		}
		companyName = c.Name
	}
	pg.Org = orgLabel(pg.Lang, t.Role, companyName)
	// The link's secret is in the address: keep it from the Referer of
	// the pages this one links to.
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "invitation", pg)
	return nil
}

func (s *server) invitationForm(w http.ResponseWriter, r *http.Request) error {
	return s.showInvitation(w, r, http.StatusOK, newAccountForm(langFromRequest(r), "invitation"))
}

func (s *server) invitationPost(w http.ResponseWriter, r *http.Request) error {
	if err := parsePostForm(w, r); err != nil {
		return err
	}
	form := r.PostForm
	f := newAccountForm(langFromRequest(r), "invitation")
	for _, k := range []string{"name", "consent"} {
		f.Values[k] = strings.TrimSpace(form.Get(k))
	}
	var problems sihub.Problems
	if f.Values["name"] == "" {
		problems.Add("name", sihub.M("Nhập họ tên của bạn.", "Enter your name."))
	}
	if f.Values["consent"] == "" {
		problems.Add("consent", sihub.M("Hãy đọc và đồng ý với thông báo về quyền riêng tư.", "Read and accept the privacy notice."))
	}
	if form.Get("password") != form.Get("password2") {
		problems = append(problems, sihub.FieldsOf(passwordsDiffer())...)
	}
	err := problems.Err()
	var u *sihub.User
	if err == nil {
		u, err = s.db.AcceptInvitation(r.Context(), r.PathValue("token"), f.Values["name"], form.Get("password"), f.lang, true)
	}
	if err != nil {
		if !formError(err) {
			return err
		}
		f.fail(err, invitationInputs...)
		return s.showInvitation(w, r, httpStatus(err), f)
	}
	if err := s.startSession(w, r, u); err != nil {
		return err
	}
	http.Redirect(w, r, "/account?done=invitation_accepted", http.StatusSeeOther)
	return nil
}
