package web

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/sihub-org/sihub/internal/match"
	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store"
)

// New opportunities reach suppliers by email. Each notice round takes the
// demands opened or changed since they were last noticed
// (store.UnnoticedDemands) and records a notice for every verified
// supplier company that qualifies or nearly qualifies for one; a company is
// noticed of a demand once, ever (store.AddDemandNotices), and its people
// who chose immediate emails get one each, queued with the notice. Those
// who chose the daily digest get one email a day at most listing the
// notices of their company since their last digest and the notifications
// waiting for it (digestRound; staff, who have no company, get the
// notifications); those who chose none get no email. A center-only demand
// is never noticed: suppliers must not learn of it.

// noticeBatch is how many demands a round takes at most.
const noticeBatch = 50

// noticeRound tells the suppliers of newly opened or changed demands.
func (s *server) noticeRound(ctx context.Context) error {
	ds, err := s.db.UnnoticedDemands(ctx, noticeBatch)
	if err != nil || len(ds) == 0 {
		return err
	}
	ix, err := s.matcher(ctx)
	if err != nil {
		return err
	}
	now := s.now()
	var errs []error
	for _, d := range ds {
		// A demand is marked only once its notices are recorded: one
		// whose telling failed is taken up again by the next round, and
		// nobody hears twice.
		err := s.noticeDemand(ctx, ix, d, now)
		if err == nil {
			err = s.db.MarkNoticed(ctx, d.ID, d.UpdatedAt)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("demand %d: %w", d.ID, err))
		}
	}
	return errors.Join(errs...)
}

// fit is why a company fits a demand, or what it lacks.
type fit struct {
	reasons, gaps []sihub.Msg
}

func (s *server) noticeDemand(ctx context.Context, ix *match.Index, d *sihub.Demand, now time.Time) error {
	if !current(d, now) || d.Visibility == sihub.VisibleCenter {
		return nil
	}
	res := ix.Match(d, now, 0)
	var ns []store.DemandNotice
	fits := map[int64]fit{}
	// Only verified companies' people see demands (Principal.CanSeeDemand):
	// a notice to another company would tell nobody.
	add := func(c *sihub.Company, qualified bool, f fit) {
		if c.ID == d.BuyerID || !c.Verified {
			return
		}
		ns = append(ns, store.DemandNotice{CompanyID: c.ID, Qualified: qualified})
		fits[c.ID] = f
	}
	for _, m := range res.Matches {
		add(m.Company, true, fit{reasons: m.Reasons})
	}
	for _, m := range res.NearMisses {
		add(m.Company, false, fit{reasons: m.Reasons, gaps: m.Gaps})
	}
	if len(ns) == 0 {
		return nil
	}
	_, err := s.db.AddDemandNotices(ctx, d.ID, ns, func(n store.DemandNotice, to []*sihub.User) ([]store.OutMail, error) {
		var out []store.OutMail
		for _, u := range to {
			if !(&sihub.Principal{User: u}).CanSeeDemand(d) {
				continue
			}
			out = append(out, s.opportunityMail(u, d, n.Qualified, fits[n.CompanyID]))
		}
		return out, nil
	})
	return err
}

// opportunityMail tells u of demand d.
func (s *server) opportunityMail(u *sihub.User, d *sihub.Demand, qualified bool, f fit) store.OutMail {
	lang := u.Lang
	title := demandTitle(lang, d)
	return store.OutMail{
		To:      u.Email,
		Subject: tr(lang, "opportunity.new.subject", title),
		Body: tr(lang, "opportunity.new.body", greetingName(u), u.CompanyName, title, d.BuyerName, deadlineText(lang, d),
			fitText(lang, qualified, f, ""), s.link(demandPath(d.ID)), s.link("/account#notify")),
	}
}

// greetingName is how an email greets u.
func greetingName(u *sihub.User) string {
	if u.Name != "" {
		return u.Name
	}
	return u.Email
}

func deadlineText(lang sihub.Lang, d *sihub.Demand) string {
	if d.Deadline == nil {
		return tr(lang, "opportunity.nodeadline")
	}
	return formatTime(lang, *d.Deadline, false)
}

// fitText says in plain lines, each after indent, why a company fits a
// demand, or, for a near miss, what it lacks first.
func fitText(lang sihub.Lang, qualified bool, f fit, indent string) string {
	var b strings.Builder
	list := func(key string, ms []sihub.Msg) {
		if len(ms) == 0 {
			return
		}
		b.WriteString(indent + tr(lang, key) + "\n")
		for _, m := range ms {
			b.WriteString(indent + "  - " + m.In(lang) + "\n")
		}
	}
	if qualified {
		list("opportunity.mail.fits", f.reasons)
	} else {
		list("opportunity.mail.gaps", f.gaps)
		list("opportunity.mail.has", f.reasons)
	}
	return strings.TrimRight(b.String(), "\n")
}

// digestBatch is how many digests digestRound claims per query.
const digestBatch = 100

// digestRound sends the daily digests that are due.
func (s *server) digestRound(ctx context.Context) error {
	var ix *match.Index
	var errs []error
	// Bounded, so that users some race leaves due cannot keep a round
	// going: the next round takes them.
	for range 20 {
		us, err := s.db.DueDigests(ctx, digestBatch)
		if err != nil || len(us) == 0 {
			return errors.Join(append(errs, err)...)
		}
		if ix == nil {
			if ix, err = s.matcher(ctx); err != nil {
				return err
			}
		}
		now := s.now()
		for _, u := range us {
			_, err := s.db.SendDigest(ctx, u.ID, func(u *sihub.User, ns []store.DigestNotice, notes []*store.Notification) (*store.OutMail, error) {
				return s.digestMail(ix, u, ns, notes, now), nil
			})
			if err != nil {
				errs = append(errs, fmt.Errorf("digest of user %d: %w", u.ID, err))
			}
		}
		if len(errs) > 0 || len(us) < digestBatch {
			return errors.Join(errs...)
		}
	}
	return nil
}

// digestMail lists for u the notices still worth telling — demands still
// current, that u may see, and that u's company still fits as it is now —
// and then the notifications that waited for the digest (each its subject
// and link); nil when there is nothing.
func (s *server) digestMail(ix *match.Index, u *sihub.User, ns []store.DigestNotice, notes []*store.Notification, now time.Time) *store.OutMail {
	lang := u.Lang
	p := &sihub.Principal{User: u}
	var items []string
	for _, n := range ns {
		d := n.Demand
		if !current(d, now) || !p.CanSeeDemand(d) {
			continue
		}
		a, ok := ix.Assess(d, u.CompanyID, now)
		if !ok || !a.Qualified && !a.Near {
			continue
		}
		kind := tr(lang, "opportunity.qualified")
		if !a.Qualified {
			kind = tr(lang, "opportunity.near")
		}
		items = append(items, tr(lang, "opportunity.digest.item", demandTitle(lang, d), d.BuyerName, kind, deadlineText(lang, d),
			fitText(lang, a.Qualified, fit{reasons: a.Reasons, gaps: a.Gaps}, "  "), s.link(demandPath(d.ID))))
	}
	if len(notes) == 0 {
		if len(items) == 0 {
			return nil
		}
		return &store.OutMail{
			To:      u.Email,
			Subject: tr(lang, "opportunity.digest.subject", len(items)),
			Body: tr(lang, "opportunity.digest.body", greetingName(u), u.CompanyName, strings.Join(items, "\n"),
				s.link("/companies/"+strconv.FormatInt(u.CompanyID, 10)+"/opportunities"), s.link("/account#notify")),
		}
	}
	var sections []string
	if len(items) > 0 {
		sections = append(sections, tr(lang, "digest.opportunities", u.CompanyName, strings.Join(items, "\n"),
			s.link("/companies/"+strconv.FormatInt(u.CompanyID, 10)+"/opportunities")))
	}
	var lines []string
	for _, n := range notes {
		line := "• " + n.Subject
		if n.Link != "" {
			line += "\n  " + s.link(n.Link)
		}
		lines = append(lines, line)
	}
	sections = append(sections, tr(lang, "digest.notes", strings.Join(lines, "\n"), s.link("/notifications")))
	subject := tr(lang, "digest.subject.notes", len(notes))
	if len(items) > 0 {
		subject = tr(lang, "digest.subject.both", len(items), len(notes))
	}
	return &store.OutMail{To: u.Email, Subject: subject,
		Body: tr(lang, "digest.body", greetingName(u), strings.Join(sections, "\n\n"), s.link("/account#notify"))}
}
