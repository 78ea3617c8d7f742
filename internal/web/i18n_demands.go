package web

import "github.com/sihub-org/sihub/internal/sihub"

// demandTexts are the texts of the demand pages.
var demandTexts = map[string]sihub.Msg{}
