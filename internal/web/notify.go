package web

import (
	"context"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store"
)

// Email goes through the outbox (store.QueueMail): the sender (mail.go)
// delivers it by SMTP, or only logs it when no mail server is configured,
// in which case center admins read it on the outbox page.

// notify queues an email to to in lang, its subject and body taken from
// the catalogue keys key+".subject" and key+".body"; args fill the body's
// verbs (links first, made absolute by link).
func (s *server) notify(ctx context.Context, to string, lang sihub.Lang, key string, args ...any) error {
	subject := tr(lang, key+".subject")
	body := tr(lang, key+".body", args...)
	return s.db.QueueMail(ctx, to, subject, body)
}

// Emails that anyone can cause (password reset, a new confirmation, the
// news of a sign-up to the people who decide it) go at most mailBurst
// times in mailWindow to one address, so that the public forms cannot be
// used to flood someone's inbox.
const (
	mailBurst  = 3
	mailWindow = 15 * time.Minute
)

// mailFlooded reports whether to has had mailBurst emails in mailWindow.
func (s *server) mailFlooded(ctx context.Context, to string) (bool, error) {
	recent, _, err := s.db.Outbox(ctx, store.OutboxFilter{To: to, Limit: mailBurst})
	if err != nil {
		return false, err
	}
	n := 0
	for _, m := range recent {
		if storeNow().Sub(m.CreatedAt) < mailWindow {
			n++
		}
	}
	return n >= mailBurst, nil
}

// link makes a site path absolute, for emails.
func (s *server) link(path string) string { return s.baseURL + path }
