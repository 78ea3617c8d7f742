package web

import "github.com/sihub-org/sihub/internal/sihub"

// adminTexts are the words of the administration pages: users and
// requests to join, invitations, the audit log and the outbox.
var adminTexts = map[string]sihub.Msg{}
