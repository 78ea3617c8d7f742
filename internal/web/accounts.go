package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store"
)

// How long the links sent by email work.
const (
	confirmTTL = 48 * time.Hour
	resetTTL   = time.Hour
)

// storeNow is the clock of deadlines the store checks (link expiry): the
// store's own, the real time, whatever clock the pages are shown with.
var storeNow = time.Now

// ---- Forms

// accountForm is what an account form shows again after a problem: the
// values typed (never passwords) and the problems, each beside its input
// when the form has one.
type accountForm struct {
	lang    sihub.Lang
	id      string // prefixes input ids, for pages with several forms
	Values  map[string]string
	Errs    map[string][]string
	Summary string
	Other   []string // problems with no input of their own
}

func newAccountForm(lang sihub.Lang, id string) accountForm {
	return accountForm{lang: lang, id: id, Values: map[string]string{}, Errs: map[string][]string{}}
}

// fail shows err on the form: field problems beside the inputs named in
// inputs, the others and the message above the form.
func (f *accountForm) fail(err error, inputs ...string) {
	f.Summary = sihub.ErrorMsg(err).In(f.lang)
	for _, fe := range sihub.FieldsOf(err) {
		msg := fe.Msg.In(f.lang)
		if containsString(inputs, fe.Field) {
			f.Errs[fe.Field] = append(f.Errs[fe.Field], msg)
		} else {
			f.Other = append(f.Other, msg)
		}
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// inputView is one input of an account form, for the "input" template of
// base.html.
type inputView struct {
	ID, Name, Label, Type, Value, Hint, Autocomplete string
	Required, Checked                                bool
	Errors                                           []string
	Options                                          []option
}

// In describes input name of type typ ("text", "email", "password",
// "checkbox", "select"…) with its label and hint from the catalogue
// (account.field.NAME and account.field.NAME.hint).
func (f accountForm) In(name, typ, autocomplete string) inputView {
	// A form may name an input its own way (account.field.FORM.NAME).
	key := "account.field." + f.id + "." + name
	if !hasKey(key) {
		key = "account.field." + name
	}
	v := inputView{ID: "f-" + f.id + "-" + name, Name: name, Label: tr(f.lang, key), Type: typ,
		Autocomplete: autocomplete, Errors: f.Errs[name], Required: typ != "checkbox"}
	if hasKey(key + ".hint") {
		v.Hint = tr(f.lang, key+".hint")
	}
	switch typ {
	case "password":
		// A password is never sent back to the browser.
	case "checkbox":
		v.Checked = f.Values[name] != ""
	default:
		v.Value = f.Values[name]
	}
	return v
}

// Select is In for a select of options.
func (f accountForm) Select(name string, options []option) inputView {
	v := f.In(name, "select", "")
	for _, o := range options {
		o.Selected = o.Value == f.Values[name]
		v.Options = append(v.Options, o)
	}
	return v
}

func langOptions() []option {
	return []option{{Value: "vi", Label: "Tiếng Việt"}, {Value: "en", Label: "English"}}
}

func kindOptions(lang sihub.Lang) []option {
	var out []option
	for _, k := range sihub.Kinds {
		out = append(out, option{Value: string(k), Label: tr(lang, "kind."+string(k))})
	}
	return out
}

func scopeOptions(lang sihub.Lang) []option {
	return []option{
		{Value: string(sihub.ScopeRead), Label: tr(lang, "account.tokens.scope.read")},
		{Value: string(sihub.ScopeWrite), Label: tr(lang, "account.tokens.scope.write")},
	}
}

// formError passes on an error that is not about the input; the form shows
// the others.
func formError(err error) bool {
	switch sihub.ErrorCode(err) {
	case sihub.ErrInvalid, sihub.ErrConflict, sihub.ErrUnauthorized, sihub.ErrRateLimited:
		return true
	}
	return false
}

// ---- Notices

// noticePage is a short page saying what happened: a confirmed address,
// an expired link, an erased account.
type noticePage struct {
	basePage
	Kind  string // "ok", "info" or "error", for the banner's colour
	Paras []string
	Links []navLink
}

func (s *server) notice(w http.ResponseWriter, r *http.Request, status int, kind, titleKey string, paras []string, links ...navLink) {
	p := &noticePage{basePage: s.base(r, titleKey), Kind: kind, Paras: paras, Links: links}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "notice", p)
}

func linkTo(lang sihub.Lang, key, url string) navLink { return navLink{Label: tr(lang, key), URL: url} }

// ---- Signing in and out

type signInPage struct {
	basePage
	Form accountForm
	Next string
}

func (s *server) signInForm(w http.ResponseWriter, r *http.Request) error {
	s.showSignIn(w, r, http.StatusOK, newAccountForm(langFromRequest(r), "signin"), r.URL.Query().Get("next"))
	return nil
}

func (s *server) showSignIn(w http.ResponseWriter, r *http.Request, status int, f accountForm, next string) {
	p := &signInPage{basePage: s.base(r, "account.signin.title"), Form: f}
	p.Nav = "signin"
	if n := safeNext(next); n != "/" {
		p.Next = n
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "signin", p)
}

func (s *server) signIn(w http.ResponseWriter, r *http.Request) error {
	if err := parsePostForm(w, r); err != nil {
		return err
	}
	f := newAccountForm(langFromRequest(r), "signin")
	f.Values["email"] = strings.TrimSpace(r.PostForm.Get("email"))
	next := r.PostForm.Get("next")
	u, err := s.db.Authenticate(r.Context(), f.Values["email"], r.PostForm.Get("password"), s.clientIP(r))
	if err != nil {
		if !formError(err) {
			return err
		}
		f.fail(err, "email", "password")
		s.showSignIn(w, r, httpStatus(err), f, next)
		return nil
	}
	if err := s.startSession(w, r, u); err != nil {
		return err
	}
	to := safeNext(next)
	if to == "/" && !u.Active() {
		to = "/account" // where the steps still to take are explained
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

func (s *server) signOut(w http.ResponseWriter, r *http.Request) error {
	if secret := state(r).sessionSecret; secret != "" {
		if err := s.db.DeleteSession(r.Context(), secret); err != nil {
			return err
		}
	}
	s.clearSessionCookie(w, r)
	http.Redirect(w, r, "/?done=account.signedout", http.StatusSeeOther)
	return nil
}

func (s *server) signOutEverywhere(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	if !p.CanUseAccount() {
		return refuse(p)
	}
	if err := s.db.DeleteUserSessions(r.Context(), p.UserID()); err != nil {
		return err
	}
	s.clearSessionCookie(w, r)
	http.Redirect(w, r, "/?done=account.signedout.everywhere", http.StatusSeeOther)
	return nil
}

// ---- Signing up

type signUpPage struct {
	basePage
	Form  accountForm
	Kinds []option
	Langs []option
}

var signUpInputs = []string{"email", "name", "password", "password2", "tax_code", "company_name", "kind", "lang", "consent"}

func (s *server) signUpForm(w http.ResponseWriter, r *http.Request) error {
	f := newAccountForm(langFromRequest(r), "signup")
	f.Values["kind"] = string(sihub.Supplier)
	f.Values["lang"] = string(f.lang)
	s.showSignUp(w, r, http.StatusOK, f)
	return nil
}

func (s *server) showSignUp(w http.ResponseWriter, r *http.Request, status int, f accountForm) {
	p := &signUpPage{basePage: s.base(r, "account.signup.title"), Form: f, Kinds: kindOptions(f.lang), Langs: langOptions()}
	p.Nav = "signup"
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "signup", p)
}

// passwordsDiffer is the problem of a repeated password that is not the
// same.
func passwordsDiffer() error {
	return (&sihub.Problems{{Field: "password2", Msg: sihub.M("Hai mật khẩu không giống nhau.", "The two passwords are not the same.")}}).Err()
}

func (s *server) signUp(w http.ResponseWriter, r *http.Request) error {
	if err := parsePostForm(w, r); err != nil {
		return err
	}
	form := r.PostForm
	f := newAccountForm(langFromRequest(r), "signup")
	for _, k := range []string{"email", "name", "tax_code", "company_name", "kind", "lang", "consent"} {
		f.Values[k] = strings.TrimSpace(form.Get(k))
	}
	if form.Get("password") != form.Get("password2") {
		f.fail(passwordsDiffer(), signUpInputs...)
		s.showSignUp(w, r, http.StatusUnprocessableEntity, f)
		return nil
	}
	// The person signing up made the account and, with it, perhaps the
	// company: the audit trail names them rather than "anonymous".
	ctx := sihub.WithActor(r.Context(), sihub.Actor{Label: strings.ToLower(strings.TrimSpace(f.Values["email"])), IP: s.clientIP(r)})
	u, c, _, err := s.db.SignUp(ctx, store.SignUpRequest{
		Email: f.Values["email"], Name: f.Values["name"], Password: form.Get("password"),
		TaxCode: f.Values["tax_code"], CompanyName: f.Values["company_name"], Kind: sihub.Kind(f.Values["kind"]),
		Lang: sihub.ParseLang(f.Values["lang"]), Consent: f.Values["consent"] != "",
	})
	if err != nil {
		if !formError(err) {
			return err
		}
		f.fail(err, signUpInputs...)
		s.showSignUp(w, r, httpStatus(err), f)
		return nil
	}
	// The account exists from here on: a mail that cannot be queued is
	// logged, and the account page offers to send the confirmation again.
	if err := s.sendConfirmation(ctx, u); err != nil {
		s.log.Error("sign-up: confirmation mail", "user", u.ID, "error", err)
	}
	if err := s.notifyDeciders(ctx, u, c); err != nil {
		s.log.Error("sign-up: join request mail", "user", u.ID, "error", err)
	}
	if err := s.startSession(w, r, u); err != nil {
		return err
	}
	http.Redirect(w, r, "/account?done=account.signedup", http.StatusSeeOther)
	return nil
}

// sendConfirmation mails u a link confirming their address.
func (s *server) sendConfirmation(ctx context.Context, u *sihub.User) error {
	return s.mailLink(ctx, u, store.PurposeConfirm, confirmTTL, "account.mail.confirm", "/confirm/")
}

// mailLink mails u a one-time link of purpose, valid for ttl, in the
// email key describes, unless the address has had too many emails lately.
func (s *server) mailLink(ctx context.Context, u *sihub.User, purpose string, ttl time.Duration, key, path string) error {
	if flooded, err := s.mailFlooded(ctx, u.Email); err != nil || flooded {
		if flooded {
			s.log.Warn("link not mailed: too many emails to the address lately", "purpose", purpose, "user", u.ID)
		}
		return err
	}
	secret, err := s.db.CreateOneTimeToken(ctx, store.OneTimeToken{Purpose: purpose, UserID: u.ID, ExpiresAt: storeNow().Add(ttl)})
	if err != nil {
		return err
	}
	return s.notify(ctx, u.Email, u.Lang, key, s.link(path+secret))
}

// notifyDeciders tells the people who decide u's request to join c: its
// admins, who find it among the company's people, or the center's staff,
// among the requests (store.JoinDeciders says which).
func (s *server) notifyDeciders(ctx context.Context, u *sihub.User, c *sihub.Company) error {
	emails, err := s.db.JoinDeciders(ctx, c.ID)
	if err != nil {
		return err
	}
	where := "/admin/requests"
	if c.Verified {
		// Staff, who decide when a verified company has no admin, may see
		// the company's people too.
		where = "/companies/" + strconv.FormatInt(c.ID, 10) + "/people"
	}
	for _, to := range emails {
		// Sign-ups are open to anyone: a burst of them must not bury the
		// deciders' inboxes. The requests page lists every request anyway.
		if flooded, err := s.mailFlooded(ctx, to); err != nil || flooded {
			if err != nil {
				return err
			}
			continue
		}
		lang := sihub.VI
		if d, err := s.db.UserByEmail(ctx, to); err == nil {
			lang = d.Lang
		}
		if err := s.notify(ctx, to, lang, "account.mail.join", s.link(where), u.Name, u.Email, c.Name, sihub.FormatTaxCode(c.TaxCode)); err != nil {
			return err
		}
	}
	return nil
}

// ---- Confirming the email address

func (s *server) confirmEmail(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	lang := langFromRequest(r)
	t, err := s.db.UseOneTimeToken(ctx, store.PurposeConfirm, r.PathValue("token"))
	if sihub.ErrorCode(err) == sihub.ErrNotFound {
		s.notice(w, r, http.StatusNotFound, "error", "account.confirm.title",
			[]string{sihub.ErrorMsg(err).In(lang), tr(lang, "account.confirm.again")}, linkTo(lang, "nav.account", "/account"))
		return nil
	}
	if err != nil {
		return err
	}
	u, err := s.db.User(ctx, t.UserID)
	if err != nil {
		return err
	}
	// Following the link proves the person holds the address: they act.
	ctx = sihub.WithActor(ctx, sihub.Actor{UserID: u.ID, Label: u.Email, IP: s.clientIP(r)})
	if err := s.db.ConfirmEmail(ctx, t.UserID); err != nil {
		return err
	}
	paras := []string{tr(lang, "account.confirm.done", u.Email)}
	if u.Status == sihub.StatusPending {
		paras = append(paras, pendingText(lang, u))
	}
	next := linkTo(lang, "nav.account", "/account")
	if principal(r).UserID() != u.ID {
		next = linkTo(lang, "nav.signin", "/signin?next=/account")
	}
	s.notice(w, r, http.StatusOK, "ok", "account.confirm.title", paras, next)
	return nil
}

func (s *server) resendConfirmation(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	if !p.CanUseAccount() {
		return refuse(p)
	}
	if p.User.EmailConfirmed != nil {
		http.Redirect(w, r, "/account?done=account.confirmed", http.StatusSeeOther)
		return nil
	}
	if err := s.sendConfirmation(r.Context(), p.User); err != nil {
		return err
	}
	http.Redirect(w, r, "/account?done=account.confirmsent", http.StatusSeeOther)
	return nil
}

// ---- Forgotten password

type passwordPage struct {
	basePage
	Form accountForm
}

func (s *server) forgotForm(w http.ResponseWriter, r *http.Request) error {
	p := &passwordPage{basePage: s.base(r, "account.forgot.title"), Form: newAccountForm(langFromRequest(r), "forgot")}
	s.render(w, r, http.StatusOK, "forgot", p)
	return nil
}

// forgotPassword mails a reset link when the address has an account that
// may sign in, and answers the same whether or not it has, so that the
// form does not tell who has an account.
func (s *server) forgotPassword(w http.ResponseWriter, r *http.Request) error {
	if err := parsePostForm(w, r); err != nil {
		return err
	}
	ctx := r.Context()
	lang := langFromRequest(r)
	email, err := sihub.NormalizeEmail(r.PostForm.Get("email"))
	if err != nil {
		p := &passwordPage{basePage: s.base(r, "account.forgot.title"), Form: newAccountForm(lang, "forgot")}
		p.Form.Values["email"] = r.PostForm.Get("email")
		p.Form.fail(err, "email")
		s.render(w, r, http.StatusUnprocessableEntity, "forgot", p)
		return nil
	}
	u, err := s.db.UserByEmail(ctx, email)
	switch {
	case sihub.ErrorCode(err) == sihub.ErrNotFound:
	case err != nil:
		return err
	case u.Status == sihub.StatusActive || u.Status == sihub.StatusPending:
		// A failure is logged, not shown: the answer must not differ.
		if err := s.sendReset(ctx, u); err != nil {
			s.log.Error("password reset mail", "user", u.ID, "error", err)
		}
	}
	s.notice(w, r, http.StatusOK, "info", "account.forgot.title", []string{tr(lang, "account.forgot.sent", email)},
		linkTo(lang, "nav.signin", "/signin"))
	return nil
}

func (s *server) sendReset(ctx context.Context, u *sihub.User) error {
	return s.mailLink(ctx, u, store.PurposeReset, resetTTL, "account.mail.reset", "/reset/")
}

func (s *server) resetForm(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.db.PeekOneTimeToken(r.Context(), store.PurposeReset, r.PathValue("token")); err != nil {
		return s.resetLinkError(w, r, err)
	}
	p := &passwordPage{basePage: s.base(r, "account.reset.title"), Form: newAccountForm(langFromRequest(r), "reset")}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "reset", p)
	return nil
}

func (s *server) resetLinkError(w http.ResponseWriter, r *http.Request, err error) error {
	if sihub.ErrorCode(err) != sihub.ErrNotFound {
		return err
	}
	lang := langFromRequest(r)
	s.notice(w, r, http.StatusNotFound, "error", "account.reset.title",
		[]string{sihub.ErrorMsg(err).In(lang), tr(lang, "account.reset.again")}, linkTo(lang, "account.forgot.title", "/password/forgot"))
	return nil
}

// resetPassword sets the new password. The link is used only once the
// password is known to be acceptable, so that a typo does not spend it.
func (s *server) resetPassword(w http.ResponseWriter, r *http.Request) error {
	if err := parsePostForm(w, r); err != nil {
		return err
	}
	ctx := r.Context()
	secret := r.PathValue("token")
	t, err := s.db.PeekOneTimeToken(ctx, store.PurposeReset, secret)
	if err != nil {
		return s.resetLinkError(w, r, err)
	}
	u, err := s.db.User(ctx, t.UserID)
	if err != nil {
		return err
	}
	password := r.PostForm.Get("password")
	err = sihub.CheckPassword(password, u.Email)
	if err == nil && password != r.PostForm.Get("password2") {
		err = passwordsDiffer()
	}
	if err != nil {
		p := &passwordPage{basePage: s.base(r, "account.reset.title"), Form: newAccountForm(langFromRequest(r), "reset")}
		p.Form.fail(err, "password", "password2")
		w.Header().Set("Cache-Control", "no-store")
		s.render(w, r, httpStatus(err), "reset", p)
		return nil
	}
	if _, err := s.db.UseOneTimeToken(ctx, store.PurposeReset, secret); err != nil {
		return s.resetLinkError(w, r, err)
	}
	if err := s.db.SetPassword(ctx, u.ID, password); err != nil {
		return err
	}
	// The link came by email, which confirms the address too.
	if u.EmailConfirmed == nil {
		if err := s.db.ConfirmEmail(ctx, u.ID); err != nil {
			return err
		}
	}
	s.clearSessionCookie(w, r) // SetPassword ended every session
	http.Redirect(w, r, "/signin?done=account.reset", http.StatusSeeOther)
	return nil
}

// ---- The account page

type accountPage struct {
	basePage
	U        *sihub.User
	Status   []string // where the account stands, and what is still to do
	Resend   bool     // offer to send the confirmation link again
	Profile  accountForm
	Password accountForm
	Token    accountForm
	Erase    accountForm
	Langs    []option
	Scopes   []option
	Sessions []sihub.Session
	Tokens   []sihub.APIToken
	// NewToken is a token's secret, shown this once.
	NewToken string
	CanErase bool
	// CompleteProfile is the company whose thin profile the user may and
	// should fill in (0: none): buyers and staff judge it by its profile.
	CompleteProfile int64
}

// account returns the principal of an account page or call: a person
// signed in through a browser session.
func account(r *http.Request) (*sihub.Principal, error) {
	p := principal(r)
	return p, allow(p, p.CanUseAccount())
}

func (s *server) accountPage(w http.ResponseWriter, r *http.Request) error {
	return s.showAccount(w, r, http.StatusOK, nil)
}

// showAccount renders the account page; edit, when given, sets a form's
// problems or the new token on it.
func (s *server) showAccount(w http.ResponseWriter, r *http.Request, status int, edit func(*accountPage)) error {
	p, err := account(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	u := p.User
	lang := langFromRequest(r)
	page := &accountPage{basePage: s.base(r, "account.title"), U: u,
		Profile: newAccountForm(lang, "profile"), Password: newAccountForm(lang, "password"),
		Token: newAccountForm(lang, "token"), Erase: newAccountForm(lang, "erase"),
		Langs: langOptions(), Scopes: scopeOptions(lang), CanErase: p.CanEraseUser(u)}
	page.Nav = "account"
	page.Profile.Values["name"] = u.Name
	page.Profile.Values["lang"] = string(u.Lang)
	page.Token.Values["scope"] = string(sihub.ScopeRead)
	page.Status, page.Resend = accountStatus(lang, u)
	if id := p.CompanyID(); id != 0 {
		c, err := s.db.Company(ctx, id)
		if err != nil && sihub.ErrorCode(err) != sihub.ErrNotFound {
			return err
		}
		if c != nil && p.CanEditCompany(c) && (c.Address == "" || c.CapabilitiesText == "") {
			page.CompleteProfile = c.ID
		}
	}
	if page.Sessions, err = s.db.Sessions(ctx, u.ID); err != nil {
		return err
	}
	if cur := state(r).session; cur != nil {
		for i := range page.Sessions {
			page.Sessions[i].Current = page.Sessions[i].ID == cur.ID
		}
	}
	if page.Tokens, err = s.db.APITokens(ctx, u.ID); err != nil {
		return err
	}
	if edit != nil {
		edit(page)
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "account", page)
	return nil
}

// accountStatus explains where u's account stands and reports whether the
// confirmation link may be sent again.
func accountStatus(lang sihub.Lang, u *sihub.User) ([]string, bool) {
	var out []string
	if u.Active() {
		if u.Role.OfCompany() {
			return []string{tr(lang, "account.status.active.company", roleLabel(lang, u.Role), u.CompanyName)}, false
		}
		return []string{tr(lang, "account.status.active", roleLabel(lang, u.Role))}, false
	}
	resend := u.EmailConfirmed == nil
	if resend {
		out = append(out, tr(lang, "account.status.confirm", u.Email))
	}
	switch u.Status {
	case sihub.StatusPending:
		out = append(out, pendingText(lang, u))
	case sihub.StatusActive:
	default:
		out = append(out, tr(lang, "account.status.inactive", statusLabel(lang, u.Status)))
	}
	return out, resend
}

// pendingText says who decides u's pending request to join their company.
func pendingText(lang sihub.Lang, u *sihub.User) string {
	if u.CompanyVerified {
		return tr(lang, "account.status.pending.verified", u.CompanyName)
	}
	return tr(lang, "account.status.pending.unverified", u.CompanyName)
}

func (s *server) updateAccount(w http.ResponseWriter, r *http.Request) error {
	p, err := account(r)
	if err != nil {
		return err
	}
	if err := parsePostForm(w, r); err != nil {
		return err
	}
	name := strings.TrimSpace(r.PostForm.Get("name"))
	lang, ok := exactLang(r.PostForm.Get("lang"))
	if !ok {
		lang = p.User.Lang
	}
	if err := s.db.UpdateProfile(r.Context(), p.UserID(), name, lang); err != nil {
		if !formError(err) {
			return err
		}
		return s.showAccount(w, r, httpStatus(err), func(page *accountPage) {
			page.Profile.Values["name"] = name
			page.Profile.fail(err, "name", "lang")
		})
	}
	s.setLangCookie(w, r, lang)
	http.Redirect(w, r, "/account?done=account.saved", http.StatusSeeOther)
	return nil
}

// changePassword sets a new password after checking the current one.
// SetPassword ends every session, this one too; the browser gets a new one.
func (s *server) changePassword(w http.ResponseWriter, r *http.Request) error {
	p, err := account(r)
	if err != nil {
		return err
	}
	if err := parsePostForm(w, r); err != nil {
		return err
	}
	ctx := r.Context()
	password := r.PostForm.Get("password")
	fail := func(err error) error {
		return s.showAccount(w, r, httpStatus(err), func(page *accountPage) {
			page.Password.fail(err, "current_password", "password", "password2")
		})
	}
	if password != r.PostForm.Get("password2") {
		return fail(passwordsDiffer())
	}
	if err := sihub.CheckPassword(password, p.User.Email); err != nil {
		return fail(err)
	}
	if err := s.checkPassword(ctx, r, p.User, r.PostForm.Get("current_password")); err != nil {
		if !formError(err) {
			return err
		}
		return fail(err)
	}
	if err := s.db.SetPassword(ctx, p.UserID(), password); err != nil {
		if !formError(err) {
			return err
		}
		return fail(err)
	}
	if err := s.startSession(w, r, p.User); err != nil {
		return err
	}
	http.Redirect(w, r, "/account?done=account.password", http.StatusSeeOther)
	return nil
}

// checkPassword asks the person for their password again before a
// change that needs it, counted against the sign-in limits like a
// sign-in. A wrong one is a problem with the current_password field.
func (s *server) checkPassword(ctx context.Context, r *http.Request, u *sihub.User, password string) error {
	_, err := s.db.Authenticate(ctx, u.Email, password, s.clientIP(r))
	if sihub.ErrorCode(err) == sihub.ErrUnauthorized {
		return (&sihub.Problems{{Field: "current_password", Msg: sihub.M("Mật khẩu hiện tại không đúng.", "The current password is not right.")}}).Err()
	}
	return err
}

func (s *server) endSessionPage(w http.ResponseWriter, r *http.Request) error {
	p, err := account(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	if err := s.db.DeleteSessionByID(r.Context(), p.UserID(), id); err != nil {
		return err
	}
	if cur := state(r).session; cur != nil && cur.ID == id {
		s.clearSessionCookie(w, r)
		http.Redirect(w, r, "/?done=account.signedout", http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, "/account?done=account.session.ended#sessions", http.StatusSeeOther)
	return nil
}

func (s *server) createTokenPage(w http.ResponseWriter, r *http.Request) error {
	p, err := account(r)
	if err != nil {
		return err
	}
	if err := parsePostForm(w, r); err != nil {
		return err
	}
	name, scope := strings.TrimSpace(r.PostForm.Get("name")), r.PostForm.Get("scope")
	secret, _, err := s.db.CreateAPIToken(r.Context(), p.UserID(), name, sihub.TokenScope(scope))
	if err != nil && !formError(err) {
		return err
	}
	status := http.StatusOK
	if err != nil {
		status = httpStatus(err)
	}
	return s.showAccount(w, r, status, func(page *accountPage) {
		if err != nil {
			page.Token.Values["name"], page.Token.Values["scope"] = name, scope
			page.Token.fail(err, "name", "scope")
			return
		}
		page.NewToken = secret
	})
}

func (s *server) revokeTokenPage(w http.ResponseWriter, r *http.Request) error {
	p, err := account(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.db.RevokeAPIToken(r.Context(), p.UserID(), id); err != nil {
		return err
	}
	http.Redirect(w, r, "/account?done=account.token.revoked#tokens", http.StatusSeeOther)
	return nil
}

// myData sends everything SIHub keeps about the person as a JSON file, for
// the page's download link and the API alike.
func (s *server) myData(w http.ResponseWriter, r *http.Request) error {
	p, err := account(r)
	if err != nil {
		return err
	}
	d, err := s.db.UserData(r.Context(), p.UserID())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Disposition", contentDisposition("attachment", "sihub-my-data-"+s.now().In(vietnam).Format("2006-01-02")+".json"))
	writeJSON(w, http.StatusOK, d)
	return nil
}

// eraseAccount erases the person's own account after they typed their
// password, and signs them out.
func (s *server) eraseAccount(w http.ResponseWriter, r *http.Request) error {
	p, err := account(r)
	if err != nil {
		return err
	}
	if !p.CanEraseUser(p.User) {
		return refuse(p)
	}
	if err := parsePostForm(w, r); err != nil {
		return err
	}
	ctx := r.Context()
	if err := s.checkPassword(ctx, r, p.User, r.PostForm.Get("current_password")); err != nil {
		if !formError(err) {
			return err
		}
		return s.showAccount(w, r, httpStatus(err), func(page *accountPage) { page.Erase.fail(err, "current_password") })
	}
	if err := s.db.EraseUser(ctx, p.UserID()); err != nil {
		return err
	}
	s.clearSessionCookie(w, r)
	// The page is shown as to a visitor: the person is signed in no more.
	state(r).principal, state(r).session = sihub.Anonymous, nil
	lang := langFromRequest(r)
	s.notice(w, r, http.StatusOK, "ok", "account.erased.title", []string{tr(lang, "account.erased.done"), tr(lang, "account.erased.kept")},
		linkTo(lang, "error.home", "/"))
	return nil
}

// ---- Privacy notice

type privacyPage struct {
	basePage
	Sections []privacySection
}

type privacySection struct {
	Title string
	Paras []string
}

// privacySections are the notice's sections, each a title and paragraphs
// in the catalogue (privacy.N.title, privacy.N.1…).
var privacySections = []int{1, 2, 3, 4, 5, 6, 7, 8}

func (s *server) privacy(w http.ResponseWriter, r *http.Request) error {
	p := &privacyPage{basePage: s.base(r, "privacy.title")}
	p.Nav = "privacy"
	for _, n := range privacySections {
		key := "privacy." + strconv.Itoa(n)
		sec := privacySection{Title: tr(p.Lang, key+".title")}
		for i := 1; hasKey(key + "." + strconv.Itoa(i)); i++ {
			sec.Paras = append(sec.Paras, tr(p.Lang, key+"."+strconv.Itoa(i)))
		}
		p.Sections = append(p.Sections, sec)
	}
	s.render(w, r, http.StatusOK, "privacy", p)
	return nil
}

// ---- JSON API

// meJSON is the signed-in person as GET /api/v1/me shows them.
type meJSON struct {
	*sihub.User
	Active bool `json:"active"` // may act in their role: approved and email confirmed
}

// apiMe tells a session or a token whose it is.
func (s *server) apiMe(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	if !p.SignedIn() {
		return refuse(p)
	}
	writeJSON(w, http.StatusOK, meJSON{User: p.User, Active: p.User.Active()})
	return nil
}

type tokenList struct {
	Items []sihub.APIToken `json:"items"`
}

func (s *server) apiTokens(w http.ResponseWriter, r *http.Request) error {
	p, err := account(r)
	if err != nil {
		return err
	}
	toks, err := s.db.APITokens(r.Context(), p.UserID())
	if err != nil {
		return err
	}
	if toks == nil {
		toks = []sihub.APIToken{}
	}
	writeJSON(w, http.StatusOK, tokenList{toks})
	return nil
}

// tokenInput is the body of POST /api/v1/me/tokens.
type tokenInput struct {
	Name  string           `json:"name"`
	Scope sihub.TokenScope `json:"scope"`
}

// newTokenJSON answers POST /api/v1/me/tokens: the token, and its secret,
// which is shown this once.
type newTokenJSON struct {
	Token  *sihub.APIToken `json:"token"`
	Secret string          `json:"secret"`
}

func (s *server) apiCreateToken(w http.ResponseWriter, r *http.Request) error {
	p, err := account(r)
	if err != nil {
		return err
	}
	var in tokenInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	secret, tok, err := s.db.CreateAPIToken(r.Context(), p.UserID(), in.Name, in.Scope)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, newTokenJSON{Token: tok, Secret: secret})
	return nil
}

func (s *server) apiRevokeToken(w http.ResponseWriter, r *http.Request) error {
	p, err := account(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.db.RevokeAPIToken(r.Context(), p.UserID(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
