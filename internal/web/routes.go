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

// routes lists every URL SIHub serves. Handlers that change data check
// canWrite (auth.go) themselves; the GET pages only hide their buttons.
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

		// Everything else: 404, or 405 when the path exists for another method.
		{"/", s.notFound},
	}
	rs = append(rs, s.accountRoutes()...)
	return append(rs, s.adminRoutes()...)
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
