package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/sihub-org/sihub/internal/sheet"
	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store"
)

// maxImportBytes bounds an uploaded spreadsheet.
const maxImportBytes = 200 << 20

// Import jobs live in the database (store.ImportJob), so that any instance
// behind a load balancer can serve a job's page and report; the import itself
// runs in the instance that received the upload, which also keeps the latest
// progress of its own jobs in memory (liveJob).
const (
	maxJobs       = 32 // imports running at once in one instance
	jobTimeout    = time.Hour
	progressFlush = 500 * time.Millisecond // at most one progress write per job per flush
	shownIssues   = 1000                   // problems listed on the job page; the CSV has them all
)

// liveJob is the progress of an import running in this process. The import
// reports it from inside its write transaction, so it must not wait for the
// database (on SQLite the single writer connection is the import's own):
// flushProgress copies it to the store in the background.
type liveJob struct {
	mu    sync.Mutex
	phase string
	rows  int
	seq   int // counts progress reports, so the flusher knows what is new
}

func (j *liveJob) progress(phase string, rows int) {
	j.mu.Lock()
	j.phase, j.rows = phase, rows
	j.seq++
	j.mu.Unlock()
}

func (j *liveJob) get() (phase string, rows, seq int) {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.phase, j.rows, j.seq
}

// liveJobs are the imports running in this process.
type liveJobs struct {
	mu   sync.Mutex
	jobs map[string]*liveJob
}

var errTooManyImports = sihub.Errorf(sihub.ErrRateLimited,
	"Đang có quá nhiều lượt nhập chạy cùng lúc; hãy thử lại sau ít phút.",
	"Too many imports are running; please try again in a few minutes.")

// reserve checks that another import may start in this process.
func (g *liveJobs) reserve() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.jobs) >= maxJobs {
		return errTooManyImports
	}
	return nil
}

func (g *liveJobs) add(id string) *liveJob {
	j := &liveJob{phase: "queued"}
	g.mu.Lock()
	g.jobs[id] = j
	g.mu.Unlock()
	return j
}

func (g *liveJobs) remove(id string) {
	g.mu.Lock()
	delete(g.jobs, id)
	g.mu.Unlock()
}

func (g *liveJobs) get(id string) (*liveJob, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	j, ok := g.jobs[id]
	return j, ok
}

// upload is a spreadsheet spooled to a temporary file.
type upload struct {
	path, name  string
	dryRun      bool
	skipInvalid bool
}

func (u *upload) remove() { os.Remove(u.path) }

// spoolExt keeps the extension of an uploaded file name, which tells the
// importer its format, when it is a plain short one.
func spoolExt(name string) string {
	ext := strings.ToLower(filepath.Ext(name))
	if len(ext) < 2 || len(ext) > 6 || strings.ContainsFunc(ext[1:], func(r rune) bool { return (r < 'a' || r > 'z') && (r < '0' || r > '9') }) {
		return ""
	}
	return ext
}

var errImportTooLarge = sihub.Errorf(sihub.ErrTooLarge, "Tệp quá lớn (tối đa 200 MiB).", "The file is too large (at most 200 MiB).")

// spool copies body to a temporary file, refusing more than maxImportBytes.
func spool(body io.Reader, name string) (string, error) {
	f, err := os.CreateTemp("", "sihub-import-*"+spoolExt(name))
	if err != nil {
		return "", err
	}
	n, err := io.Copy(f, io.LimitReader(body, maxImportBytes+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > maxImportBytes {
		err = errImportTooLarge
	}
	if err != nil {
		os.Remove(f.Name())
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return "", errImportTooLarge
		}
		if sihub.ErrorCode(err) == sihub.ErrTooLarge {
			return "", err
		}
		return "", sihub.Errorf(sihub.ErrInvalid, "Không nhận được trọn tệp tải lên.", "The upload did not arrive complete.")
	}
	return f.Name(), nil
}

// readImportUpload spools a multipart upload ("file", with "dry_run" and
// "skip_invalid" checkboxes) to a temporary file.
func readImportUpload(w http.ResponseWriter, r *http.Request) (*upload, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxImportBytes+64<<10)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, sihub.Errorf(sihub.ErrInvalid, "Yêu cầu phải là biểu mẫu multipart/form-data có trường file.",
			"The request must be multipart/form-data with a file field.")
	}
	u := &upload{}
	fail := func(err error) (*upload, error) {
		if u.path != "" {
			u.remove()
		}
		return nil, err
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return fail(errImportTooLarge)
			}
			return fail(sihub.Errorf(sihub.ErrInvalid, "Không đọc được tệp tải lên.", "The upload could not be read."))
		}
		switch part.FormName() {
		case "file":
			if u.path != "" {
				part.Close()
				continue
			}
			u.name = sihub.SafeFileName(part.FileName())
			if u.path, err = spool(part, part.FileName()); err != nil {
				return fail(err)
			}
		case "dry_run", "skip_invalid":
			b, _ := io.ReadAll(io.LimitReader(part, 16))
			on := isTrue(string(b))
			if part.FormName() == "dry_run" {
				u.dryRun = on
			} else {
				u.skipInvalid = on
			}
		}
		part.Close()
	}
	if u.path == "" {
		return nil, (&sihub.Problems{{Field: "file", Msg: catalogue["import.nofile"]}}).Err()
	}
	return u, nil
}

// readAPIUpload spools the file of an API import: a multipart "file", or
// a raw body whose Content-Type names CSV or XLSX (the query's name, if
// any, names it in the report). The query's dry_run and skip_invalid
// override the form's checkboxes.
func readAPIUpload(w http.ResponseWriter, r *http.Request) (*upload, error) {
	q := r.URL.Query()
	var u *upload
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "multipart/form-data" {
		var err error
		if u, err = readImportUpload(w, r); err != nil {
			return nil, err
		}
	} else {
		name := q.Get("name")
		switch mt {
		case "text/csv", "text/plain", "text/tab-separated-values":
			name = defaultExt(name, ".csv")
		case sihub.TypeXLSX:
			name = defaultExt(name, ".xlsx")
		case "application/octet-stream":
		default:
			return nil, sihub.Errorf(sihub.ErrUnsupported, "Loại nội dung %q không được hỗ trợ; gửi CSV, XLSX hoặc multipart/form-data.",
				"Content type %q is not supported; send CSV, XLSX or multipart/form-data.", mt)
		}
		path, err := spool(http.MaxBytesReader(w, r.Body, maxImportBytes+1), name)
		if err != nil {
			return nil, err
		}
		u = &upload{path: path, name: sihub.SafeFileName(name)}
	}
	if v := q.Get("dry_run"); v != "" {
		u.dryRun = isTrue(v)
	}
	if v := q.Get("skip_invalid"); v != "" {
		u.skipInvalid = isTrue(v)
	}
	return u, nil
}

// writeImportResult answers an API import: the report, or, for a file
// rejected whole, 422 with both the error and the report.
func writeImportResult(w http.ResponseWriter, r *http.Request, rep *sheet.Report, err error) error {
	lang := langFromRequest(r)
	if err != nil {
		if rep == nil || sihub.ErrorCode(err) == sihub.ErrInternal {
			return err
		}
		status := httpStatus(err)
		if status == http.StatusBadRequest {
			status = http.StatusUnprocessableEntity
		}
		writeJSON(w, status, apiErrorBody{Error: newAPIError(err, lang), Report: newReportJSON(rep, lang)})
		return nil
	}
	if outcome(rep, nil) == "rejected" {
		writeJSON(w, http.StatusUnprocessableEntity, apiErrorBody{
			Error:  apiError{Code: sihub.ErrInvalid, Message: catalogue["job.rejected"].In(lang)},
			Report: newReportJSON(rep, lang),
		})
		return nil
	}
	writeJSON(w, http.StatusOK, newReportJSON(rep, lang))
	return nil
}

func isTrue(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "true", "on", "yes":
		return true
	}
	return false
}

// ---- Pages

type importPage struct {
	basePage
}

func (s *server) importForm(w http.ResponseWriter, r *http.Request) error {
	if p := principal(r); !p.CanImport() {
		return refuse(p)
	}
	p := &importPage{s.base(r, "import.title")}
	p.Nav = "import"
	s.render(w, r, http.StatusOK, "import", p)
	return nil
}

func (s *server) startImport(w http.ResponseWriter, r *http.Request) error {
	if p := principal(r); !p.CanImport() {
		return refuse(p)
	}
	u, err := readImportUpload(w, r)
	if err != nil {
		return err
	}
	if err := s.jobs.reserve(); err != nil {
		u.remove()
		return err
	}
	// The import outlives the request but writes on behalf of its actor.
	ctx, done, err := s.startWork(sihub.WithActor(context.Background(), sihub.ActorFrom(r.Context())))
	if err != nil {
		u.remove()
		return err
	}
	job, err := s.db.CreateImportJob(r.Context(), u.name, langFromRequest(r))
	if err != nil {
		done()
		u.remove()
		return err
	}
	live := s.jobs.add(job.ID)
	go func() {
		defer done()
		defer s.jobs.remove(job.ID)
		s.runImport(ctx, job.ID, live, u)
	}()
	http.Redirect(w, r, "/import/"+job.ID, http.StatusSeeOther)
	return nil
}

// runImport runs an import in the background, detached from the request
// that started it (the browser is already on the job page) but not from the
// server: ctx is cancelled when the server closes.
func (s *server) runImport(ctx context.Context, id string, live *liveJob, u *upload) {
	defer u.remove()
	ctx, cancel := context.WithTimeout(ctx, jobTimeout)
	defer cancel()
	stop, flushed := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(flushed)
		s.flushProgress(ctx, id, live, stop)
	}()
	var (
		rep *sheet.Report
		err error
	)
	func() {
		defer func() {
			if p := recover(); p != nil {
				s.log.Error("import panic", "job", id, "panic", fmt.Sprint(p))
				rep, err = nil, fmt.Errorf("import panic: %v", p)
			}
		}()
		rep, err = sheet.ImportCompanies(ctx, u.path, sheet.Options{
			DryRun: u.dryRun, SkipInvalid: u.skipInvalid, Name: u.name, Progress: live.progress,
		}, s.db)
	}()
	err = s.stopped(ctx, err)
	if err == errShuttingDown {
		s.log.Warn("import cancelled by shutdown", "job", id, "file", u.name)
	} else if err != nil && sihub.ErrorCode(err) == sihub.ErrInternal {
		s.log.Error("import", "job", id, "file", u.name, "error", err)
	}
	close(stop)
	<-flushed
	s.finishJob(context.WithoutCancel(ctx), id, rep, err)
}

// flushProgress copies the progress of job id to the store every
// progressFlush until stop is closed.
func (s *server) flushProgress(ctx context.Context, id string, live *liveJob, stop <-chan struct{}) {
	t := time.NewTicker(progressFlush)
	defer t.Stop()
	written := 0
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		phase, rows, seq := live.get()
		if seq == written {
			continue
		}
		if err := s.db.UpdateImportJob(ctx, id, phase, rows); err != nil {
			if ctx.Err() == nil {
				s.log.Warn("import progress", "job", id, "error", err)
			}
			continue
		}
		written = seq
	}
}

// finishJob records the outcome of job id; ctx is not the import's, which
// shutdown may have cancelled.
func (s *server) finishJob(ctx context.Context, id string, rep *sheet.Report, err error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	var (
		report  []byte
		failure *sihub.Msg
	)
	if rep != nil {
		var jerr error
		if report, jerr = json.Marshal(rep); jerr != nil {
			s.log.Error("import report", "job", id, "error", jerr)
			report, err = nil, errors.Join(err, jerr)
		}
	}
	if err != nil {
		m := sihub.ErrorMsg(err)
		failure = &m
	}
	if err := s.db.FinishImportJob(ctx, id, report, failure); err != nil {
		s.log.Error("import job not recorded", "job", id, "error", err)
	}
}

type jobPage struct {
	basePage
	ID        string
	File      string
	Running   bool
	Phase     string
	Rows      int
	Report    *sheet.Report
	Failed    string
	Outcome   string // see outcome
	Truncated int
}

// outcome sums up an import: "failed" (the file could not be read or
// written), "committed", "dryrun", "rejected" (invalid rows, nothing
// saved) or "empty" (no data rows).
func outcome(rep *sheet.Report, err error) string {
	switch {
	case err != nil || rep == nil:
		return "failed"
	case rep.Committed:
		return "committed"
	case rep.DryRun:
		return "dryrun"
	case rep.Invalid > 0:
		return "rejected"
	}
	return "empty"
}

// shownJob is an import job as its page and report read it.
type shownJob struct {
	*store.ImportJob
	report *sheet.Report
	err    error // the failure, when the job failed
}

func (s *server) job(r *http.Request) (*shownJob, error) {
	if p := principal(r); !p.CanImport() {
		return nil, refuse(p)
	}
	j, err := s.db.ImportJob(r.Context(), r.PathValue("job"))
	if err != nil {
		return nil, err
	}
	sj := &shownJob{ImportJob: j}
	if j.Report != nil {
		sj.report = new(sheet.Report)
		if err := json.Unmarshal(j.Report, sj.report); err != nil {
			return nil, fmt.Errorf("import job %s: report: %w", j.ID, err)
		}
	}
	if j.Failure != nil {
		sj.err = &sihub.Error{Code: sihub.ErrInternal, Msg: *j.Failure}
	}
	if j.State == store.ImportRunning {
		// The instance running the job knows newer progress than the
		// store, which on SQLite hears nothing during the write.
		if live, ok := s.jobs.get(j.ID); ok {
			j.Phase, j.Rows, _ = live.get()
		}
	}
	return sj, nil
}

func (s *server) importJob(w http.ResponseWriter, r *http.Request) error {
	j, err := s.job(r)
	if err != nil {
		return err
	}
	done := j.State != store.ImportRunning
	p := &jobPage{basePage: s.base(r, "job.title"), ID: j.ID, File: j.File, Running: !done, Rows: j.Rows}
	p.Nav = "import"
	p.Phase = j.Phase
	if hasKey("job.phase." + j.Phase) {
		p.Phase = tr(p.Lang, "job.phase."+j.Phase)
	}
	if done {
		if j.report != nil {
			rep := *j.report
			if len(rep.Problems) > shownIssues {
				p.Truncated = len(rep.Problems) - shownIssues + rep.Omitted
				rep.Problems = rep.Problems[:shownIssues]
			} else if rep.Omitted > 0 {
				p.Truncated = rep.Omitted
			}
			p.Report = &rep
		}
		p.Outcome = outcome(j.report, j.err)
		if j.err != nil {
			p.Failed = sihub.ErrorMsg(j.err).In(p.Lang)
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "job", p)
	return nil
}

func (s *server) importReportCSV(w http.ResponseWriter, r *http.Request) error {
	j, err := s.job(r)
	if err != nil {
		return err
	}
	if j.report == nil {
		return sihub.Errorf(sihub.ErrNotFound, "Lượt nhập này chưa có báo cáo.", "This import has no report yet.")
	}
	name := strings.TrimSuffix(j.File, filepath.Ext(j.File)) + "-report.csv"
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", contentDisposition("attachment", name))
	return j.report.WriteCSV(w, langFromRequest(r))
}

func (s *server) companyTemplate(format string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		f, _ := sheet.ParseFormat(format)
		lang := langFromRequest(r)
		name := "sihub-mau-doanh-nghiep." + format
		if lang == sihub.EN {
			name = "sihub-companies-template." + format
		}
		w.Header().Set("Content-Type", contentTypeOf(f))
		w.Header().Set("Content-Disposition", contentDisposition("attachment", name))
		return sheet.WriteCompanyTemplate(w, f, lang)
	}
}

func contentTypeOf(f sheet.Format) string {
	if f == sheet.FormatXLSX {
		return sihub.TypeXLSX
	}
	return "text/csv; charset=utf-8"
}
