package web

import "github.com/sihub-org/sihub/internal/sihub"

// accountTexts are the words of the account pages: sign-up, sign-in,
// password reset, the account page and the privacy notice.
var accountTexts = map[string]sihub.Msg{}
