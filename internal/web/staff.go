package web

import (
	"net/http"
	"strconv"

	"github.com/sihub-org/sihub/internal/sihub"
)

// Staff actions on a company: the center's verification and archiving, as
// page forms (redirect back to the profile) and API calls (api.go answers
// with the company).

func (s *server) verifyPage(verified bool) handlerFunc {
	done := map[bool]string{true: "verified", false: "unverified"}[verified]
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := s.setVerified(r, verified)
		if err != nil {
			return err
		}
		http.Redirect(w, r, "/companies/"+strconv.FormatInt(id, 10)+"?done="+done, http.StatusSeeOther)
		return nil
	}
}

func (s *server) archivePage(archived bool) handlerFunc {
	done := map[bool]string{true: "archived", false: "unarchived"}[archived]
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := s.setArchived(r, archived)
		if err != nil {
			return err
		}
		http.Redirect(w, r, "/companies/"+strconv.FormatInt(id, 10)+"?done="+done, http.StatusSeeOther)
		return nil
	}
}

func (s *server) apiArchive(archived bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := s.setArchived(r, archived)
		if err != nil {
			return err
		}
		return s.writeCompany(w, r, http.StatusOK, id)
	}
}

func (s *server) apiVerify(verified bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := s.setVerified(r, verified)
		if err != nil {
			return err
		}
		return s.writeCompany(w, r, http.StatusOK, id)
	}
}

func (s *server) setVerified(r *http.Request, verified bool) (int64, error) {
	p := principal(r)
	if err := allow(p, p.CanVerify()); err != nil {
		return 0, err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return 0, err
	}
	return id, s.db.SetVerified(r.Context(), id, verified, verifier(p.User))
}

// verifier is the name a verification shows on the public profile: the
// staff member's name (the audit trail links it to their account), never
// their email address.
func verifier(u *sihub.User) string {
	if u.Name != "" {
		return u.Name
	}
	return "SIHub"
}

func (s *server) setArchived(r *http.Request, archived bool) (int64, error) {
	p := principal(r)
	if err := allow(p, p.CanVerify()); err != nil {
		return 0, err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return 0, err
	}
	return id, s.db.SetArchived(r.Context(), id, archived)
}
