package web

import "net/url"

// opportunityMatrix holds the route × role entries of the opportunity
// routes: a company's opportunities for its people and the center, the
// supply-gap view for the center, the notification setting for everyone
// signed in.
func opportunityMatrix() map[string]matrixRoute {
	return map[string]matrixRoute{
		"GET /companies/{id}/opportunities": {ownPeople, func(f *matrixFixture, _ string) call {
			return call{method: "GET", path: pathf("/companies/%d/opportunities", f.A.ID)}
		}},
		"GET /api/v1/companies/{id}/{view}": {ownPeople, func(f *matrixFixture, _ string) call {
			return call{method: "GET", path: pathf("/api/v1/companies/%d/opportunities", f.A.ID)}
		}},
		"GET /gaps":        {staffOnly, get("/gaps?none=1")},
		"GET /gaps.xlsx":   {staffOnly, get("/gaps.xlsx")},
		"GET /api/v1/gaps": {staffOnly, get("/api/v1/gaps")},
		"POST /account/notify": {signedIn, func(*matrixFixture, string) call {
			return call{method: "POST", path: "/account/notify", form: url.Values{"notify": {"daily"}}}
		}},
		"PUT /api/v1/me/notify": {signedIn, func(*matrixFixture, string) call {
			return call{method: "PUT", path: "/api/v1/me/notify", json: `{"notify":"daily"}`}
		}},
	}
}
