package web

import "github.com/sihub-org/sihub/internal/sihub"

// rfqFileTexts are the texts about the files of rounds and quotes.
var rfqFileTexts = map[string]sihub.Msg{}
