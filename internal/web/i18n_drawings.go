package web

import "github.com/sihub-org/sihub/internal/sihub"

// drawingTexts are the texts of the drawing pages.
var drawingTexts = map[string]sihub.Msg{}
