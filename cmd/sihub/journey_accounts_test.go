package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/taxonomy"
)

// TestJourneyAccounts is issue 4's story, through the pages in Vietnamese:
// a supplier signs up for a company the directory lacks, the center's
// admin reads the confirmation mail in the outbox, verifies the company
// and approves the request, the supplier confirms their address, signs in
// and edits the profile, and the admin finds the edit in the audit log.
func TestJourneyAccounts(t *testing.T) {
	ctx := newBrowser(t)
	// The browser uses the address serve prints and puts in its mails
	// (localhost), so that a mailed link keeps the session and language
	// cookies.
	base := strings.Replace(startServer(t, "--demo"), "127.0.0.1", "localhost", 1)
	j := &journey{t: t, ctx: ctx, base: base}
	start := time.Now()

	admin := demoAccountOf(t, sihub.RoleCenterAdmin)
	taxCode := newTaxCode(t)
	const (
		email       = "an.nguyen@phuthanh-nhua.vn"
		name        = "Nguyễn Văn An"
		password    = "khuon mau chinh xac 2026"
		companyName = "Công ty TNHH Nhựa Kỹ thuật Phú Thành"
		capability  = "ép phun nhựa PP, ABS; máy ép 80-450 tấn"
		description = "Khuôn mẫu và ép phun chi tiết nhựa kỹ thuật cho đồ điện gia dụng."
	)

	// 1. The supplier signs up, in Vietnamese, and lands on their account
	// page, which says what is still to happen.
	j.open("/lang/vi?next=/signup", "#f-signup-email")
	j.fill("f-signup-email", email)
	j.fill("f-signup-name", name)
	j.fill("f-signup-password", password)
	j.fill("f-signup-password2", password)
	j.choose("f-signup-lang", "vi")
	j.fill("f-signup-tax_code", taxCode)
	j.fill("f-signup-company_name", companyName)
	j.choose("f-signup-kind", string(sihub.Supplier))
	j.do("tick the consent", chromedp.Click(chromedp.ID("f-signup-consent")))
	j.follow("submit the sign-up form", chromedp.Click(chromedp.CSS(`form[action="/signup"] button[type="submit"]`)), ".banner-info")
	j.wantPath("/account")
	j.wantText(".flash", "Đã tạo tài khoản")
	j.wantText("#status-h", name)
	status := j.text(`section[aria-labelledby="status-h"]`)
	for _, want := range []string{
		email,
		"Bước 1: xác nhận địa chỉ email",
		"Bước 2: Trung tâm duyệt yêu cầu tham gia " + companyName,
		"Thành viên doanh nghiệp",
		taxCode,
	} {
		if !strings.Contains(status, want) {
			j.fatalf("the new account's status does not say %q:\n%s", want, status)
		}
	}
	j.wantText("footer", "Chờ duyệt")
	companyPath := j.attr(`section[aria-labelledby="status-h"] a[href^="/companies/"]`, "href")
	companyID := strings.TrimPrefix(companyPath, "/companies/")
	if _, err := strconv.ParseInt(companyID, 10, 64); err != nil {
		j.fatalf("the account page links the company as %q", companyPath)
	}
	j.signOut()

	// 2. The center's admin finds the confirmation mail in the outbox and
	// the request among the requests, verifies the new company, approves
	// the request and makes the supplier their company's admin.
	j.signIn(admin.email, admin.password, "/")
	j.follow("open the outbox from the menu", chromedp.Click(chromedp.CSS(`.mainnav a[href="/admin/outbox"]`)), "article.card")
	j.wantText("h1", "Hộp thư đi")
	if !j.mark(`[...document.querySelectorAll('article.card')].find(c =>
		c.querySelector('h2').textContent.trim() === 'Yêu cầu tham gia doanh nghiệp trên SIHub' &&
		c.querySelector('.meta').textContent.includes('Gửi tới ' + %s) &&
		c.querySelector('pre').textContent.includes(%s) &&
		c.querySelector('pre').textContent.includes(%s))`, admin.email, email, companyName) {
		j.fatalf("the outbox has no request-to-join mail to %s about %s and %s", admin.email, email, companyName)
	}
	if !j.mark(`[...document.querySelectorAll('article.card')].find(c =>
		c.querySelector('h2').textContent.trim() === 'Xác nhận địa chỉ email cho SIHub' &&
		c.querySelector('.meta').textContent.includes('Gửi tới ' + %s))`, email) {
		j.fatalf("the outbox has no confirmation mail to %s", email)
	}
	j.do("open the confirmation mail", chromedp.Click(chromedp.CSS(`[data-journey] summary`)), chromedp.WaitVisible(chromedp.CSS(`[data-journey] pre`)))
	body := j.text(`[data-journey] pre`)
	confirmLink := regexp.MustCompile(`https?://\S+/confirm/\S+`).FindString(body)
	if !strings.HasPrefix(confirmLink, base+"/confirm/") {
		j.fatalf("the confirmation mail's link is %q; want one under %s/confirm/:\n%s", confirmLink, base, body)
	}

	j.follow("open the requests from the menu", chromedp.Click(chromedp.CSS(`.mainnav a[href="/admin/requests"]`)), "h1")
	row := j.requestRow(email)
	for _, want := range []string{name, companyName, taxCode, "Chưa xác minh", "Doanh nghiệp mới, được tạo khi đăng ký"} {
		if !strings.Contains(row, want) {
			j.fatalf("the request of %s does not show %q:\n%s", email, want, row)
		}
	}
	userPath := j.attr(`[data-journey] a[href^="/users/"]`, "href")
	userID := strings.TrimPrefix(userPath, "/users/")
	j.follow("open the new company from the request", chromedp.Click(chromedp.CSS(`[data-journey] a[href="`+companyPath+`"]`)), ".profile-head h1")
	j.wantText(".profile-head h1", companyName)
	j.wantText(".profile-head", "Chưa xác minh")
	j.follow("verify the company", chromedp.Click(chromedp.CSS(`form[action="`+companyPath+`/verify"] button`)), ".flash")
	j.wantText(".flash", "Đã đánh dấu là đã xác minh.")
	j.wantText(".profile-head .badge-ok", "Đã xác minh")

	j.follow("go back to the requests", chromedp.Click(chromedp.CSS(`.mainnav a[href="/admin/requests"]`)), "h1")
	if row := j.requestRow(email); !strings.Contains(row, "Đã xác minh") {
		j.fatalf("after verifying, the request still shows the company unverified:\n%s", row)
	}
	j.follow("approve the request", chromedp.Click(chromedp.CSS(`[data-journey] form[action="`+userPath+`/approve"] button`)), ".flash")
	j.wantText(".flash", "Đã duyệt yêu cầu tham gia")
	if strings.Contains(j.text("main"), email) {
		j.fatalf("the approved request of %s is still listed", email)
	}

	j.follow("open the users from the menu", chromedp.Click(chromedp.CSS(`.mainnav a[href="/admin/users"]`)), "#uq")
	j.fill("uq", email)
	j.follow("search the users", chromedp.Submit(chromedp.ID("uq")), `table a[href="`+userPath+`"]`)
	j.follow("open the supplier's page", chromedp.Click(chromedp.CSS(`table a[href="`+userPath+`"]`)), "#role-"+userID)
	j.wantText("h1", name)
	details := j.text(".profile-main .facts")
	for _, want := range []string{"Đang hoạt động", "Thành viên doanh nghiệp", companyName, "Đã xác minh"} {
		if !strings.Contains(details, want) {
			j.fatalf("the approved supplier's page does not show %q:\n%s", want, details)
		}
	}
	j.choose("role-"+userID, string(sihub.RoleCompanyAdmin))
	j.follow("make the supplier their company's admin", chromedp.Click(chromedp.CSS(`form[action="`+userPath+`/role"] button`)), ".flash")
	j.wantText(".flash", "Đã đổi vai trò.")
	j.wantText(".profile-main .facts", "Quản trị viên doanh nghiệp")
	j.signOut()

	// 3. The supplier opens the mailed link, signs in and edits the
	// company's profile.
	j.open(strings.TrimPrefix(confirmLink, base), ".banner-ok")
	j.wantText(".banner-ok", "Đã xác nhận địa chỉ email "+email)
	// Signed out, the confirmation offers to sign in, then back to the account.
	j.follow("sign in from the confirmation", chromedp.Click(chromedp.CSS(`main a[href="/signin?next=/account"]`)), "#f-signin-email")
	j.wantPath("/signin")
	j.fillSignIn(email, password, "/account")
	j.wantText(".banner-ok", "Tài khoản đang hoạt động với vai trò Quản trị viên doanh nghiệp của "+companyName)
	if s := j.text(`section[aria-labelledby="status-h"]`); strings.Contains(s, "Bước") {
		j.fatalf("the active account still lists steps to take:\n%s", s)
	}
	j.follow("open my company from the menu", chromedp.Click(chromedp.CSS(`.mainnav a[href="`+companyPath+`"]`)), ".profile-head h1")
	j.wantText(".profile-head .badge-ok", "Đã xác minh")
	j.follow("edit the profile", chromedp.Click(chromedp.CSS(`a[href="`+companyPath+`/edit"]`)), "#f-capabilities_text")
	j.wantText("h1", "Sửa hồ sơ: "+companyName)
	j.fill("f-capabilities_text", capability)
	j.fill("f-description", description)
	j.follow("save the profile", chromedp.Click(chromedp.CSS(`form.company-form button[type="submit"]`)), ".flash")
	j.wantPath(companyPath)
	j.wantText(".flash", "Đã lưu thay đổi.")
	profile := j.text(".profile-main")
	molding := taxonomy.TermLabel(taxonomy.KindProcess, "injection_molding", sihub.VI)
	for _, want := range []string{capability, description, molding} {
		if !strings.Contains(profile, want) {
			j.fatalf("the saved profile does not show %q:\n%s", want, profile)
		}
	}
	j.signOut()

	// 4. The admin finds the edit in the audit log, by the supplier's
	// email, with the changed field, under the chain's head; the chain
	// checks out, and the company's history has it too.
	j.signIn(admin.email, admin.password, "/")
	j.follow("open the audit log from the menu", chromedp.Click(chromedp.CSS(`.mainnav a[href="/admin/audit"]`)), "#a-actor")
	head := j.text("main .panel .mono strong")
	if !regexp.MustCompile(`^\d+:[0-9a-f]{16,}$`).MatchString(head) {
		j.fatalf("the audit log's chain head reads %q; want seq:hash", head)
	}
	j.fill("a-actor", email)
	j.follow("filter the log by the supplier", chromedp.Submit(chromedp.ID("a-actor")), "table")
	update := j.auditRow("Sửa hồ sơ doanh nghiệp", email)
	for _, want := range []string{"Năng lực sản xuất", capability, "Giới thiệu", description, "#" + companyID} {
		if !strings.Contains(update, want) {
			j.fatalf("the audit record of the supplier's edit does not show %q:\n%s", want, update)
		}
	}
	j.follow("check the chain", chromedp.Click(chromedp.CSS(`form[action="/admin/audit/verify"] button`)), ".banner-ok")
	if j.exists(".banner-error") {
		j.fatalf("the audit chain does not verify:\n%s", j.text("main"))
	}

	j.open(companyPath, ".profile-head h1")
	j.follow("open the company's history", chromedp.Click(chromedp.CSS(`.staff-actions a[href="`+companyPath+`/history"]`)), "h1")
	j.wantText("h1", "Lịch sử thay đổi của "+companyName)
	j.auditRow("Sửa hồ sơ doanh nghiệp", email)
	j.auditRow("Xác minh doanh nghiệp", admin.email)
	// The company was created by the sign-up, before anyone was signed in.
	j.auditRow("Tạo doanh nghiệp", "")
	t.Logf("signed up, verified, approved, confirmed, edited and audited company %s (%s) in %v", companyID, taxCode, time.Since(start).Round(time.Millisecond))
}

// journey drives one browser tab through SIHub's pages and fails the test
// with the page it was on.
type journey struct {
	t    *testing.T
	ctx  context.Context
	base string
}

func (j *journey) fatalf(format string, args ...any) {
	j.t.Helper()
	where, _ := chromedp.Run(j.ctx, chromedp.Location())
	main, _ := chromedp.Run(j.ctx, chromedp.Evaluate[string](`(document.querySelector('main') || document.body || {}).innerText || ''`))
	if len(main) > 3000 {
		main = main[:3000] + "…"
	}
	j.t.Fatalf(format+"\n\non page %s:\n%s", append(args, where, main)...)
}

// do runs actions that need no new page, failing on error as "while what".
func (j *journey) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	j.t.Helper()
	// A step that hangs fails alone, leaving the browser to show where.
	ctx, cancel := context.WithTimeout(j.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		j.fatalf("%s: %v", what, err)
	}
}

// open loads path and waits until sel shows.
func (j *journey) open(path, sel string) {
	j.t.Helper()
	j.do("open "+path, chromedp.Navigate(j.base+path), chromedp.WaitVisible(chromedp.CSS(sel)))
}

// follow runs act, which leaves the page (a link or a form's button), and
// waits until another page has loaded and shows sel: a selector that the
// page left may also have must not pass for the next one.
func (j *journey) follow(what string, act chromedp.Action[chromedp.Void], sel string) {
	j.t.Helper()
	j.do(what, chromedp.Evaluate[chromedp.Void](`document.documentElement.dataset.journeyOld = '1'`), act)
	deadline := time.Now().Add(20 * time.Second)
	for {
		// The evaluation fails while the pages change over.
		loaded, err := chromedp.Run(j.ctx, chromedp.Evaluate[bool](
			`document.readyState === 'complete' && !document.documentElement.dataset.journeyOld`))
		if err == nil && loaded {
			break
		}
		if time.Now().After(deadline) {
			j.fatalf("%s: no new page loaded in 20s (last error: %v)", what, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	wait, cancel := context.WithTimeout(j.ctx, 10*time.Second)
	defer cancel()
	if err := chromedp.Do(wait, chromedp.WaitVisible(chromedp.CSS(sel))); err != nil {
		j.fatalf("%s: the page shows no %s: %v", what, sel, err)
	}
}

// fill types value into the empty input or textarea of this id.
func (j *journey) fill(id, value string) {
	j.t.Helper()
	j.do("type into #"+id, chromedp.SendKeys(chromedp.ID(id), value))
	if got, err := chromedp.Run(j.ctx, chromedp.Value(chromedp.ID(id))); err != nil || got != value {
		j.fatalf("#%s holds %q after typing %q (%v)", id, got, value, err)
	}
}

// choose picks the option of this value in the select of this id.
func (j *journey) choose(id, value string) {
	j.t.Helper()
	j.do("choose "+value+" in #"+id, chromedp.SetValue(chromedp.ID(id), value))
	if got, err := chromedp.Run(j.ctx, chromedp.Value(chromedp.ID(id))); err != nil || got != value {
		j.fatalf("#%s has %q selected, not %q (%v)", id, got, value, err)
	}
}

func (j *journey) text(sel string) string {
	j.t.Helper()
	v, err := chromedp.Run(j.ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		j.fatalf("read %s: %v", sel, err)
	}
	return v
}

// wantText fails unless the visible text of sel contains want.
func (j *journey) wantText(sel, want string) {
	j.t.Helper()
	if got := j.text(sel); !strings.Contains(got, want) {
		j.fatalf("%s reads %q; want it to contain %q", sel, got, want)
	}
}

func (j *journey) attr(sel, name string) string {
	j.t.Helper()
	v, err := chromedp.Run(j.ctx, chromedp.Evaluate[string](jsf(`(document.querySelector(%s) || {}).getAttribute?.(%s) || ''`, sel, name)))
	if err != nil || v == "" {
		j.fatalf("%s has no %s (%v)", sel, name, err)
	}
	return v
}

func (j *journey) exists(sel string) bool {
	j.t.Helper()
	ok, err := chromedp.Run(j.ctx, chromedp.Evaluate[bool](jsf(`document.querySelector(%s) !== null`, sel)))
	if err != nil {
		j.fatalf("look for %s: %v", sel, err)
	}
	return ok
}

func (j *journey) path() string {
	j.t.Helper()
	p, err := chromedp.Run(j.ctx, chromedp.Evaluate[string](`location.pathname`))
	if err != nil {
		j.fatalf("read the location: %v", err)
	}
	return p
}

func (j *journey) wantPath(want string) {
	j.t.Helper()
	if got := j.path(); got != want {
		j.fatalf("the browser is at %s; want %s", got, want)
	}
}

// mark gives the element the JavaScript expression finds (written with
// %s for the JSON of args) the attribute data-journey, alone on the page,
// so that selectors can start from it; it reports whether one was found.
func (j *journey) mark(expr string, args ...any) bool {
	j.t.Helper()
	ok, err := chromedp.Run(j.ctx, chromedp.Evaluate[bool](`(() => {
		document.querySelectorAll('[data-journey]').forEach(e => e.removeAttribute('data-journey'));
		const el = `+jsf(expr, args...)+`;
		if (!el) return false;
		el.setAttribute('data-journey', '');
		return true;
	})()`))
	if err != nil {
		j.fatalf("find an element: %v", err)
	}
	return ok
}

// requestRow marks the row of the table of requests to join that lists
// email and returns its text.
func (j *journey) requestRow(email string) string {
	j.t.Helper()
	if !j.mark(`[...document.querySelectorAll('main table tbody tr')].find(r => r.textContent.includes(%s))`, email) {
		j.fatalf("no request to join from %s is listed", email)
	}
	return j.text("[data-journey]")
}

// auditRow marks the first row of the audit table for action (as the log
// names it) by actor and returns its text.
func (j *journey) auditRow(action, actor string) string {
	j.t.Helper()
	if !j.mark(`[...document.querySelectorAll('main table tbody tr')].find(r =>
		r.cells[1].textContent.trim().startsWith(%s) && r.cells[2].textContent.trim().startsWith(%s))`, actor, action) {
		j.fatalf("the log shows no %q by %s", action, actor)
	}
	return j.text("[data-journey]")
}

// signIn signs in from the menu's link and checks the page it lands on.
func (j *journey) signIn(email, password, landing string) {
	j.t.Helper()
	j.follow("open the sign-in page from the menu", chromedp.Click(chromedp.CSS(`.mainnav a[href^="/signin"]`)), "#f-signin-email")
	j.fillSignIn(email, password, landing)
}

func (j *journey) fillSignIn(email, password, landing string) {
	j.t.Helper()
	j.wantText("h1", "Đăng nhập SIHub")
	j.fill("f-signin-email", email)
	j.fill("f-signin-password", password)
	j.follow("sign in as "+email, chromedp.Click(chromedp.CSS(`form[action="/signin"] button[type="submit"]`)), `.mainnav form[action="/signout"]`)
	j.wantPath(landing)
	if got := j.attr(`.mainnav a[href="/account"]`, "href"); got != "/account" {
		j.fatalf("signed in as %s, the menu has no account link", email)
	}
}

func (j *journey) signOut() {
	j.t.Helper()
	j.follow("sign out", chromedp.Click(chromedp.CSS(`.mainnav form[action="/signout"] button`)), ".flash")
	j.wantText(".flash", "Bạn đã đăng xuất.")
	if j.exists(`.mainnav a[href="/account"]`) {
		j.fatalf("signed out, the menu still links an account")
	}
}

// jsf formats a JavaScript expression, writing each arg as JSON (a string
// literal for a string).
func jsf(format string, args ...any) string {
	lits := make([]any, len(args))
	for i, a := range args {
		b, err := json.Marshal(a)
		if err != nil {
			panic(err)
		}
		lits[i] = string(b)
	}
	return fmt.Sprintf(format, lits...)
}

func demoAccountOf(t *testing.T, role sihub.Role) demoAccount {
	t.Helper()
	for _, a := range demoAccounts {
		if a.role == role {
			return a
		}
	}
	t.Fatalf("the demo has no %s account", role)
	return demoAccount{}
}

// newTaxCode returns a valid Ho Chi Minh City tax code that no demo
// company has.
func newTaxCode(t *testing.T) string {
	t.Helper()
	for n := 31877000; n < 31878000; n++ {
		first9 := fmt.Sprintf("%09d", n)
		d := sihub.TaxCheckDigit(first9)
		if d < 0 {
			continue
		}
		code := first9 + strconv.Itoa(d)
		if _, err := sihub.ParseTaxCode(code); err != nil {
			t.Fatalf("computed tax code %s: %v", code, err)
		}
		if !bytes.Contains(demoCompanies, []byte(code)) && code != demoBuyerTaxCode && code != demoSupplierTaxCode {
			return code
		}
	}
	t.Fatal("no free tax code found")
	return ""
}
