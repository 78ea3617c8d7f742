package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/sihub-org/sihub/internal/sheet"
	"github.com/sihub-org/sihub/internal/sihub"
)

// maxImportBytes bounds an uploaded spreadsheet.
const maxImportBytes = 200 << 20

// Import jobs live in memory: a small registry of the last imports, each
// kept for an hour after it finishes. A deployment with more than one
// instance behind a load balancer must move the registry to the database,
// since the job page may be served by another instance than the import.
const (
	maxJobs     = 32
	jobTTL      = time.Hour
	jobTimeout  = time.Hour
	shownIssues = 1000 // problems listed on the job page; the CSV has them all
)

type importJob struct {
	ID   string
	File string

	mu       sync.Mutex
	phase    string
	rows     int
	done     bool
	finished time.Time
	report   *sheet.Report
	err      error
}

func (j *importJob) progress(phase string, rows int) {
	j.mu.Lock()
	j.phase, j.rows = phase, rows
	j.mu.Unlock()
}

func (j *importJob) finish(rep *sheet.Report, err error, now time.Time) {
	j.mu.Lock()
	j.report, j.err, j.done, j.finished = rep, err, true, now
	j.mu.Unlock()
}

type jobSnapshot struct {
	phase    string
	rows     int
	done     bool
	finished time.Time
	report   *sheet.Report
	err      error
}

func (j *importJob) snapshot() jobSnapshot {
	j.mu.Lock()
	defer j.mu.Unlock()
	return jobSnapshot{j.phase, j.rows, j.done, j.finished, j.report, j.err}
}

// expired reports whether the job finished more than jobTTL before now.
func (j *importJob) expired(now time.Time) bool {
	s := j.snapshot()
	return s.done && now.Sub(s.finished) > jobTTL
}

type jobRegistry struct {
	mu   sync.Mutex
	now  func() time.Time
	jobs map[string]*importJob
}

func newJobRegistry(now func() time.Time) *jobRegistry {
	return &jobRegistry{now: now, jobs: map[string]*importJob{}}
}

var errTooManyImports = sihub.Errorf(sihub.ErrRateLimited,
	"Đang có quá nhiều lượt nhập chạy cùng lúc; hãy thử lại sau ít phút.",
	"Too many imports are running; please try again in a few minutes.")

// add registers a new job, first dropping finished jobs past their hour and,
// when the registry is full, the oldest finished one.
func (g *jobRegistry) add(file string) (*importJob, error) {
	var b [16]byte
	rand.Read(b[:])
	j := &importJob{ID: hex.EncodeToString(b[:]), File: file, phase: "queued"}
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	oldest, oldestAt := "", time.Time{}
	for id, x := range g.jobs {
		s := x.snapshot()
		switch {
		case !s.done:
		case now.Sub(s.finished) > jobTTL:
			delete(g.jobs, id)
		case oldest == "" || s.finished.Before(oldestAt):
			oldest, oldestAt = id, s.finished
		}
	}
	if len(g.jobs) >= maxJobs {
		if oldest == "" {
			return nil, errTooManyImports
		}
		delete(g.jobs, oldest)
	}
	g.jobs[j.ID] = j
	return j, nil
}

func (g *jobRegistry) get(id string) (*importJob, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	j, ok := g.jobs[id]
	if ok && j.expired(g.now()) {
		delete(g.jobs, id)
		return nil, false
	}
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
	if err := requireWrite(r); err != nil {
		return err
	}
	p := &importPage{s.base(r, "import.title")}
	p.Nav = "import"
	s.render(w, r, http.StatusOK, "import", p)
	return nil
}

func (s *server) startImport(w http.ResponseWriter, r *http.Request) error {
	if err := requireWrite(r); err != nil {
		return err
	}
	u, err := readImportUpload(w, r)
	if err != nil {
		return err
	}
	ctx, done, err := s.startWork(context.Background())
	if err != nil {
		u.remove()
		return err
	}
	job, err := s.jobs.add(u.name)
	if err != nil {
		done()
		u.remove()
		return err
	}
	go func() {
		defer done()
		s.runImport(ctx, job, u)
	}()
	http.Redirect(w, r, "/import/"+job.ID, http.StatusSeeOther)
	return nil
}

// runImport runs an import in the background, detached from the request
// that started it (the browser is already on the job page) but not from the
// server: ctx is cancelled when the server closes.
func (s *server) runImport(ctx context.Context, job *importJob, u *upload) {
	defer u.remove()
	ctx, cancel := context.WithTimeout(ctx, jobTimeout)
	defer cancel()
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("import panic", "job", job.ID, "panic", fmt.Sprint(p))
			job.finish(nil, fmt.Errorf("import panic: %v", p), s.now())
		}
	}()
	rep, err := sheet.ImportCompanies(ctx, u.path, sheet.Options{
		DryRun: u.dryRun, SkipInvalid: u.skipInvalid, Name: u.name, Progress: job.progress,
	}, s.db)
	err = s.stopped(ctx, err)
	if err == errShuttingDown {
		s.log.Warn("import cancelled by shutdown", "job", job.ID, "file", u.name)
	} else if err != nil && sihub.ErrorCode(err) == sihub.ErrInternal {
		s.log.Error("import", "job", job.ID, "file", u.name, "error", err)
	}
	job.finish(rep, err, s.now())
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

func (s *server) job(r *http.Request) (*importJob, error) {
	if err := requireWrite(r); err != nil {
		return nil, err
	}
	j, ok := s.jobs.get(r.PathValue("job"))
	if !ok {
		return nil, sihub.Errorf(sihub.ErrNotFound, "Không tìm thấy lượt nhập này; kết quả chỉ được giữ một giờ.",
			"This import was not found; results are kept for an hour.")
	}
	return j, nil
}

func (s *server) importJob(w http.ResponseWriter, r *http.Request) error {
	j, err := s.job(r)
	if err != nil {
		return err
	}
	snap := j.snapshot()
	p := &jobPage{basePage: s.base(r, "job.title"), ID: j.ID, File: j.File, Running: !snap.done, Rows: snap.rows}
	p.Nav = "import"
	p.Phase = snap.phase
	if hasKey("job.phase." + snap.phase) {
		p.Phase = tr(p.Lang, "job.phase."+snap.phase)
	}
	if snap.done {
		if snap.report != nil {
			rep := *snap.report
			if len(rep.Problems) > shownIssues {
				p.Truncated = len(rep.Problems) - shownIssues + rep.Omitted
				rep.Problems = rep.Problems[:shownIssues]
			} else if rep.Omitted > 0 {
				p.Truncated = rep.Omitted
			}
			p.Report = &rep
		}
		p.Outcome = outcome(snap.report, snap.err)
		if snap.err != nil {
			p.Failed = sihub.ErrorMsg(snap.err).In(p.Lang)
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
	snap := j.snapshot()
	if snap.report == nil {
		return sihub.Errorf(sihub.ErrNotFound, "Lượt nhập này chưa có báo cáo.", "This import has no report yet.")
	}
	name := strings.TrimSuffix(j.File, filepath.Ext(j.File)) + "-report.csv"
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", contentDisposition("attachment", name))
	return snap.report.WriteCSV(w, langFromRequest(r))
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
