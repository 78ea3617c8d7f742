package web

import "github.com/sihub-org/sihub/internal/sihub"

// opportunityTexts are the texts of the opportunity pages.
var opportunityTexts = map[string]sihub.Msg{}
