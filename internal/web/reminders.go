package web

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store"
)

// Reminders of the RFQ work, sent by reminderRound (run every minute by
// Server.Run): a deadline 48 and 24 hours ahead to suppliers that have not
// answered (new, viewed or draft); "quote received" to the buyer when a
// revision is submitted; the round's summary to the buyer once its
// deadline passed (how many quoted, declined, let it expire); a case's
// next step overdue to its owner. Each is sent once, ever, with however
// many instances: store.SendReminder claims it and writes its notes in
// one transaction.
//
// Who gets them: every active person concerned, each a note in their
// language, listed in their notifications (/notifications) whatever they
// chose; the store emails it at once to those who chose immediate emails,
// keeps it for the next daily digest of those who chose it, and sends no
// email to those who chose none (users.notify). A reminder nobody is to
// receive is still claimed, so that nobody gets it late.
//
// The look back is bounded: a quote submitted, a deadline passed or a step
// due more than reminderLookBack ago (a server down for long, or data from
// before reminders existed) is not reminded any more.

const reminderLookBack = 7 * 24 * time.Hour

// quoteLookBack bounds "quote received": news a day old is no news.
const quoteLookBack = 24 * time.Hour

// reminderRound sends the reminders due at s.now().
func (s *server) reminderRound(ctx context.Context) error {
	now := s.now()
	rc := &reminderCache{s: s, demands: map[int64]*sihub.Demand{}, rfqs: map[int64]*sihub.RFQ{}}
	var errs []error
	for _, step := range []func(context.Context, *reminderCache, time.Time) error{
		s.deadlineReminders, s.quoteReminders, s.closedRoundReminders, s.overdueStepReminders,
	} {
		if err := step(ctx, rc, now); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// reminderCache keeps the demands and rounds one round reads.
type reminderCache struct {
	s       *server
	demands map[int64]*sihub.Demand
	rfqs    map[int64]*sihub.RFQ
}

func (c *reminderCache) demand(ctx context.Context, id int64) (*sihub.Demand, error) {
	if d, ok := c.demands[id]; ok {
		return d, nil
	}
	d, err := c.s.db.Demand(ctx, id)
	if err == nil {
		c.demands[id] = d
	}
	return d, err
}

func (c *reminderCache) rfq(ctx context.Context, id int64) (*sihub.RFQ, error) {
	if r, ok := c.rfqs[id]; ok {
		return r, nil
	}
	r, err := c.s.db.RFQ(ctx, id)
	if err == nil {
		c.rfqs[id] = r
	}
	return r, err
}

// deadlineReminders tells the suppliers that have not answered that a
// deadline comes. A supplier invited after a reminder's window opened (a
// round made 30 hours before its deadline has no 48-hour reminder) is not
// reminded in that window: its invitation just told it the deadline.
func (s *server) deadlineReminders(ctx context.Context, rc *reminderCache, now time.Time) error {
	due, err := s.db.DueDeadlineReminders(ctx, now)
	if err != nil {
		return err
	}
	var errs []error
	for _, x := range due {
		window, key := 48*time.Hour, "mail.quote.deadline48"
		if x.Kind == store.RemindDeadline24 {
			window, key = 24*time.Hour, "mail.quote.deadline24"
		}
		var notes []store.Note
		if x.Invitation.CreatedAt.Before(x.RFQ.Deadline.Add(-window)) {
			d, err := rc.demand(ctx, x.Invitation.DemandID)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			to, err := s.db.CompanyRecipients(ctx, x.Invitation.CompanyID)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			notes = notesFor(to, func(u *sihub.User) store.Note {
				lang := u.Lang
				title := demandTitle(lang, d)
				deadline := formatTime(lang, x.RFQ.Deadline, true)
				return store.Note{UserID: u.ID, Kind: x.Kind, Link: invitationPath(x.Invitation.ID),
					Subject: tr(lang, key+".subject", title, x.RFQ.Round),
					Body:    tr(lang, "note.deadline.body", u.CompanyName, x.RFQ.Round, title, d.BuyerName, deadline),
					Mail: tr(lang, key+".body", greetingName(u), u.CompanyName, x.RFQ.Round, title, d.BuyerName,
						deadline, s.link(invitationPath(x.Invitation.ID)), s.link("/account#notify"))}
			})
		}
		if _, err := s.db.SendReminder(ctx, store.Reminder{Kind: x.Kind, ObjectID: x.Invitation.ID, Due: x.RFQ.Deadline}, notes); err != nil {
			errs = append(errs, fmt.Errorf("reminder %s of invitation %d: %w", x.Kind, x.Invitation.ID, err))
		}
	}
	return errors.Join(errs...)
}

// quoteReminders tells the buyer of each quote revision submitted. A
// sealed round's mail says that a quote came, never its figures, which
// stay hidden until the deadline.
func (s *server) quoteReminders(ctx context.Context, rc *reminderCache, now time.Time) error {
	qs, err := s.db.QuotesUnreminded(ctx, now.Add(-quoteLookBack))
	if err != nil {
		return err
	}
	return remindEach(qs, func(q *sihub.Quote) string { return fmt.Sprintf("quote %d", q.ID) },
		func(q *sihub.Quote) error { return s.quoteReminder(ctx, rc, q) })
}

func (s *server) quoteReminder(ctx context.Context, rc *reminderCache, q *sihub.Quote) error {
	rq, err := rc.rfq(ctx, q.RFQID)
	if err != nil {
		return err
	}
	d, err := rc.demand(ctx, rq.DemandID)
	if err != nil {
		return err
	}
	iv, err := s.db.Invitation(ctx, q.InvitationID)
	if err != nil {
		return err
	}
	to, err := s.buyerRecipients(ctx, d, rq)
	if err != nil {
		return err
	}
	notes := notesFor(to, func(u *sihub.User) store.Note {
		lang := u.Lang
		title := demandTitle(lang, d)
		sealed := tr(lang, "mail.quote.received.open")
		if rq.Sealed {
			sealed = tr(lang, "mail.quote.received.sealed", formatTime(lang, rq.Deadline, true))
		}
		return store.Note{UserID: u.ID, Kind: store.NoteQuote, Link: rfqRoundPath(rq.ID),
			Subject: tr(lang, "mail.quote.received.subject", iv.CompanyName, title),
			Body:    tr(lang, "note.received.body", iv.CompanyName, q.Revision, rq.Round, title, sealed),
			Mail: tr(lang, "mail.quote.received.body", greetingName(u), iv.CompanyName, q.Revision, rq.Round, title, sealed,
				s.link(rfqRoundPath(rq.ID)), s.link("/account#notify"))}
	})
	_, err = s.db.SendReminder(ctx, store.Reminder{Kind: store.RemindQuoteReceived, ObjectID: q.ID, Due: *q.SubmittedAt}, notes)
	return err
}

// closedRoundReminders sends the buyer each closed round's summary.
func (s *server) closedRoundReminders(ctx context.Context, rc *reminderCache, now time.Time) error {
	rs, err := s.db.ClosedRoundsUnreminded(ctx, now.Add(-reminderLookBack), now)
	if err != nil {
		return err
	}
	return remindEach(rs, func(rq *sihub.RFQ) string { return fmt.Sprintf("round %d", rq.ID) },
		func(rq *sihub.RFQ) error { return s.closedRoundReminder(ctx, rc, rq, now) })
}

func (s *server) closedRoundReminder(ctx context.Context, rc *reminderCache, rq *sihub.RFQ, now time.Time) error {
	d, err := rc.demand(ctx, rq.DemandID)
	if err != nil {
		return err
	}
	invs, err := s.db.Invitations(ctx, rq.ID)
	if err != nil {
		return err
	}
	counts := map[sihub.InvitationState]int{}
	for _, iv := range invs {
		counts[iv.StateAt(rq, now)]++
	}
	to, err := s.buyerRecipients(ctx, d, rq)
	if err != nil {
		return err
	}
	notes := notesFor(to, func(u *sihub.User) store.Note {
		lang := u.Lang
		title := demandTitle(lang, d)
		return store.Note{UserID: u.ID, Kind: store.NoteClosed, Link: rfqRoundPath(rq.ID),
			Subject: tr(lang, "mail.quote.closed.subject", rq.Round, title),
			Body: tr(lang, "note.closed.body", len(invs), counts[sihub.InvQuoted], counts[sihub.InvDeclined],
				counts[sihub.InvExpired]),
			Mail: tr(lang, "mail.quote.closed.body", greetingName(u), rq.Round, title, formatTime(lang, rq.Deadline, true),
				len(invs), counts[sihub.InvQuoted], counts[sihub.InvDeclined], counts[sihub.InvExpired],
				s.link(rfqRoundPath(rq.ID)), s.link("/account#notify"))}
	})
	_, err = s.db.SendReminder(ctx, store.Reminder{Kind: store.RemindDeadlinePassed, ObjectID: rq.ID, Due: rq.Deadline}, notes)
	return err
}

// overdueStepReminders tells each overdue case's owner.
func (s *server) overdueStepReminders(ctx context.Context, rc *reminderCache, now time.Time) error {
	cs, err := s.db.OverdueCasesUnreminded(ctx, now.Add(-reminderLookBack), now)
	if err != nil {
		return err
	}
	return remindEach(cs, func(c *sihub.Case) string { return fmt.Sprintf("case %d", c.ID) },
		func(c *sihub.Case) error { return s.overdueStepReminder(ctx, rc, c) })
}

// remindEach sends the reminder of every item, going on past a failure
// (one bad row must not hold back the others), and returns the failures,
// each named.
func remindEach[T any](items []T, name func(T) string, send func(T) error) error {
	var errs []error
	for _, x := range items {
		if err := send(x); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name(x), err))
		}
	}
	return errors.Join(errs...)
}

func (s *server) overdueStepReminder(ctx context.Context, rc *reminderCache, c *sihub.Case) error {
	d, err := rc.demand(ctx, c.DemandID)
	if err != nil {
		return err
	}
	var notes []store.Note
	u, err := s.db.User(ctx, c.Owner)
	switch {
	case sihub.ErrorCode(err) == sihub.ErrNotFound:
	case err != nil:
		return err
	case u.Active() && (&sihub.Principal{User: u}).CanMoveCase(d):
		supplier, err := s.db.Company(ctx, c.CompanyID)
		if err != nil {
			return err
		}
		lang := u.Lang
		title := demandTitle(lang, d)
		stage, due := tr(lang, "rfq.stage."+string(c.Stage)), formatTime(lang, *c.NextStepAt, true)
		notes = append(notes, store.Note{UserID: u.ID, Kind: store.NoteOverdue, Link: demandPath(d.ID) + "/cases",
			Subject: tr(lang, "mail.quote.overdue.subject", supplier.Name, title),
			Body:    tr(lang, "note.overdue.body", supplier.Name, title, stage, due),
			Mail: tr(lang, "mail.quote.overdue.body", greetingName(u), supplier.Name, title, stage, due,
				s.link(demandPath(d.ID)+"/cases"), s.link("/account#notify"))})
	}
	_, err = s.db.SendReminder(ctx, store.Reminder{Kind: store.RemindStepOverdue, ObjectID: c.ID, Due: *c.NextStepAt}, notes)
	return err
}
