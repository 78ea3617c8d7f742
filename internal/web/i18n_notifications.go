package web

import "github.com/sihub-org/sihub/internal/sihub"

// notificationTexts are the texts of the in-app notification list.
var notificationTexts = map[string]sihub.Msg{}
