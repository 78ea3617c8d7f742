package web

import (
	"context"

	"github.com/sihub-org/sihub/internal/sihub"
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

// link makes a site path absolute, for emails.
func (s *server) link(path string) string { return s.baseURL + path }
