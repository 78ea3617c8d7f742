package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/sihub-org/sihub/internal/sihub"
)

type route struct {
	pattern string
	handler handlerFunc
}

// routes lists every URL SIHub serves. Every handler asks the policy (sihub.Principal, via principal(r) in auth.go)
// what its caller may do; TestRouteRoleMatrix holds each route to it.
func (s *server) routes() []route {
	rs := []route{
		// Directory pages, Vietnamese by default, English by switch.
		{"GET /{$}", s.home},
		{"GET /companies", s.directory},
		{"GET /companies/new", s.newCompanyForm},
		{"POST /companies", s.createCompanyForm},
		{"GET /companies/{id}", s.profile},
		{"GET /companies/{id}/edit", s.editCompanyForm},
		{"POST /companies/{id}", s.updateCompanyForm},
		{"POST /companies/{id}/verify", s.verifyPage(true)},
		{"POST /companies/{id}/unverify", s.verifyPage(false)},
		{"POST /companies/{id}/archive", s.archivePage(true)},
		{"POST /companies/{id}/unarchive", s.archivePage(false)},
		{"POST /companies/{id}/documents", s.uploadDocumentPage},
		{"GET /documents/{id}", s.downloadDocument},
		{"POST /documents/{id}/delete", s.deleteDocumentPage},
		{"GET /export", s.export},

		// Import: upload, background job with progress, report.
		{"GET /import", s.importForm},
		{"POST /import", s.startImport},
		{"GET /import/{job}", s.importJob},
		{"GET /import/{job}/report.csv", s.importReportCSV},
		{"GET /templates/companies.csv", s.companyTemplate("csv")},
		{"GET /templates/companies.xlsx", s.companyTemplate("xlsx")},

		{"GET /lang/{lang}", s.setLang},
		{"GET /static/", s.serveStatic},
		{"GET /healthz", s.healthz},
		{"GET /metrics", s.metricsPage},

		// JSON API, described by /api/v1/openapi.json.
		{"GET /api/v1/openapi.json", s.openAPI},
		{"GET /api/v1/companies", s.apiListCompanies},
		{"POST /api/v1/companies", s.apiCreateCompany},
		{"GET /api/v1/companies/by-tax-code/{tax_code}", s.apiCompanyByTaxCode},
		{"GET /api/v1/companies/{id}", s.apiGetCompany},
		{"PUT /api/v1/companies/{id}", s.apiUpdateCompany},
		{"POST /api/v1/companies/{id}/archive", s.apiArchive(true)},
		{"POST /api/v1/companies/{id}/unarchive", s.apiArchive(false)},
		{"POST /api/v1/companies/{id}/verify", s.apiVerify(true)},
		{"POST /api/v1/companies/{id}/unverify", s.apiVerify(false)},
		{"POST /api/v1/companies/{id}/documents", s.apiUploadDocument},
		{"GET /api/v1/documents/{id}", s.apiGetDocument},
		{"GET /api/v1/documents/{id}/content", s.apiDocumentContent},
		{"DELETE /api/v1/documents/{id}", s.apiDeleteDocument},
		{"POST /api/v1/imports/companies", s.apiImport},
		{"GET /api/v1/exports/companies", s.apiExport},
		{"GET /api/v1/taxonomy/{kind}", s.apiTaxonomy},

		// Accounts (accounts.go): sign-up, sign-in, password reset, the
		// account page, the privacy notice, and the account's JSON API.
		{"GET /signin", s.signInForm},
		{"POST /signin", s.signIn},
		{"POST /signout", s.signOut},
		{"POST /signout/everywhere", s.signOutEverywhere},
		{"GET /signup", s.signUpForm},
		{"POST /signup", s.signUp},
		{"GET /confirm/{token}", s.confirmEmail},
		{"POST /account/confirm", s.resendConfirmation},
		{"GET /password/forgot", s.forgotForm},
		{"POST /password/forgot", s.forgotPassword},
		{"GET /reset/{token}", s.resetForm},
		{"POST /reset/{token}", s.resetPassword},
		{"GET /account", s.accountPage},
		{"POST /account", s.updateAccount},
		{"POST /account/password", s.changePassword},
		{"POST /account/sessions/{id}/delete", s.endSessionPage},
		{"POST /account/tokens", s.createTokenPage},
		{"POST /account/tokens/{id}/revoke", s.revokeTokenPage},
		{"GET /account/data", s.myData},
		{"POST /account/erase", s.eraseAccount},
		{"GET /privacy", s.privacy},

		{"GET /api/v1/me", s.apiMe},
		{"GET /api/v1/me/tokens", s.apiTokens},
		{"POST /api/v1/me/tokens", s.apiCreateToken},
		{"DELETE /api/v1/me/tokens/{id}", s.apiRevokeToken},
		{"GET /api/v1/me/data", s.myData},

		// Administration (users.go, invite.go, auditpages.go): people and
		// requests to join, invitations, the audit trail, the outbox.
		// People and requests to join.
		{"GET /admin/users", s.usersPage},
		{"GET /admin/requests", s.requestsPage},
		{"GET /companies/{id}/people", s.peoplePage},
		{"GET /users/{id}", s.userPage},
		{"POST /users/{id}/approve", s.userActionPage(actApprove)},
		{"POST /users/{id}/reject", s.userActionPage(actReject)},
		{"POST /users/{id}/role", s.userActionPage(actRole)},
		{"POST /users/{id}/disable", s.userActionPage(actDisable)},
		{"POST /users/{id}/enable", s.userActionPage(actEnable)},
		{"POST /users/{id}/erase", s.userActionPage(actErase)},

		// Invitations.
		{"GET /invite", s.inviteForm},
		{"POST /invite", s.invitePost},
		{"GET /invitations/{token}", s.invitationForm},
		{"POST /invitations/{token}", s.invitationPost},

		// Audit trail, company history, outbox, contact erasure.
		{"GET /admin/audit", s.auditPage},
		{"POST /admin/audit/verify", s.auditVerifyPage},
		{"GET /companies/{id}/history", s.historyPage},
		{"GET /admin/outbox", s.outboxPage},
		{"POST /companies/{id}/contacts/{position}/erase", s.eraseContactPage},

		// JSON API.
		{"GET /api/v1/users", s.apiUsers},
		{"GET /api/v1/users/{id}", s.apiUser},
		{"POST /api/v1/users/{id}/approve", s.apiUserAction(actApprove)},
		{"POST /api/v1/users/{id}/reject", s.apiUserAction(actReject)},
		{"POST /api/v1/users/{id}/disable", s.apiUserAction(actDisable)},
		{"POST /api/v1/users/{id}/enable", s.apiUserAction(actEnable)},
		{"PUT /api/v1/users/{id}/role", s.apiUserAction(actRole)},
		{"POST /api/v1/invitations", s.apiInvite},
		{"GET /api/v1/audit", s.apiAudit},
		{"GET /api/v1/audit/head", s.apiAuditHead},
		{"POST /api/v1/audit/verify", s.apiAuditVerify},
		// Not /api/v1/companies/{id}/history, which would overlap GET
		// /api/v1/companies/by-tax-code/{tax_code}.
		{"GET /api/v1/audit/companies/{id}", s.apiHistory},
		{"GET /api/v1/outbox", s.apiOutbox},
	}
	// Demands and their matches (demands.go); opportunities, the
	// supply-gap view and notification settings (opportunities.go).
	rs = append(rs, s.demandRoutes()...)
	rs = append(rs, s.opportunityRoutes()...)
	rs = append(rs, s.drawingRoutes()...) // a demand's files, terms and downloads (drawings.go)
	// RFQs: the buyer's rounds, quotes compared, the pipeline (rfqs.go);
	// the supplier's invitations and quotes, the center board (quotes.go).
	rs = append(rs, s.rfqRoutes()...)
	rs = append(rs, s.quoteRoutes()...)
	rs = append(rs, s.rfqFileRoutes()...)      // files of rounds and quotes (rfqfiles.go)
	rs = append(rs, s.notificationRoutes()...) // each person's in-app notifications (notifications.go)
	// Everything else: 404, or 405 when the path exists for another method.
	return append(rs, route{"/", s.notFound})
}

// Routes returns every route pattern, e.g. "GET /companies/{id}", in the
// order routes.go lists them: for tests comparing them with the OpenAPI
// document, and for the permission matrix.
func Routes() []string {
	var s server
	rs := s.routes()
	out := make([]string, len(rs))
	for i, rt := range rs {
		out[i] = rt.pattern
	}
	return out
}

// isAPI reports whether r is for the JSON API, whose errors are JSON.
func isAPI(r *http.Request) bool {
	return r.URL.Path == "/api" || strings.HasPrefix(r.URL.Path, "/api/")
}

var probeMethods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete}

func (s *server) notFound(w http.ResponseWriter, r *http.Request) error {
	var allow []string
	for _, m := range probeMethods {
		if m == r.Method {
			continue
		}
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, p := s.mux.Handler(probe); p != "" && p != "/" {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		if slices.Contains(allow, http.MethodGet) {
			allow = append(allow, http.MethodHead)
		}
		w.Header().Set("Allow", strings.Join(allow, ", "))
		return &statusError{http.StatusMethodNotAllowed, sihub.Errorf(sihub.ErrInvalid,
			"Phương thức %s không dùng được cho địa chỉ này.", "Method %s is not allowed for this address.", r.Method)}
	}
	return sihub.Errorf(sihub.ErrNotFound, "Không tìm thấy trang.", "Page not found.")
}
