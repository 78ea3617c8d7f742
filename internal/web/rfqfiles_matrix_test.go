package web

import (
	"context"
	"net/url"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
)

// The route × role entries of the files of rounds and quotes
// (rfqfiles.go). Every request is about a fresh open round on a fresh
// demand of company A (the buyer) inviting company B (otherAdmin's, the
// supplier), so that one asker's upload or deletion does not spoil the
// next. The buyer's files of a round are the buyer's and the center's
// (company B, which has not accepted the terms, reads none of them); a
// draft file of B's quote is B's alone; a submitted one of an open round
// is read by the buyer and the center too.

const quoteFileReaders = "admin staff ownAdmin ownMember otherAdmin"

func rfqFileMatrix() map[string]matrixRoute {
	onRound := func(method, format string) func(*matrixFixture, string) call {
		return func(f *matrixFixture, _ string) call {
			c := call{method: method, path: pathf(format, matrixFileRound(f).rq.ID)}
			if method == "POST" {
				c.multipart = true
			}
			return c
		}
	}
	onRoundFile := func(method, format string) func(*matrixFixture, string) call {
		return func(f *matrixFixture, _ string) call {
			rd := matrixFileRound(f)
			c := call{method: method, path: pathf(format, rd.rq.ID, matrixRFQFile(f, rd.rq.ID, 0).ID)}
			if method == "POST" {
				c.form = url.Values{}
			}
			return c
		}
	}
	onInv := func(method, format string) func(*matrixFixture, string) call {
		return func(f *matrixFixture, _ string) call {
			c := call{method: method, path: pathf(format, matrixFileRound(f).invs[0].ID)}
			if method == "POST" {
				c.multipart = true
			}
			return c
		}
	}
	// A file of B's quote: still in the draft, or submitted.
	onQuoteFile := func(method, format string, submitted bool) func(*matrixFixture, string) call {
		return func(f *matrixFixture, _ string) call {
			rd := matrixFileRound(f)
			iv := rd.invs[0]
			file := matrixRFQFile(f, rd.rq.ID, iv.ID)
			if submitted {
				q := sihub.Quote{InvitationID: iv.ID, UnitPrice: 12500, Currency: "VND", DeliveryPlace: "Bình Dương"}
				if err := f.e.db.SaveDraft(context.Background(), &q, time.Now()); err != nil {
					f.t.Fatal(err)
				}
				if _, err := f.e.db.SubmitQuote(context.Background(), iv.ID, time.Now()); err != nil {
					f.t.Fatal(err)
				}
			}
			c := call{method: method, path: pathf(format, iv.ID, file.ID)}
			if method == "POST" {
				c.form = url.Values{}
			}
			return c
		}
	}
	return map[string]matrixRoute{
		"POST /rfqs/{id}/files":                            {ownPeople, onRound("POST", "/rfqs/%d/files")},
		"GET /rfqs/{id}/files/{file}":                      {ownPeople, onRoundFile("GET", "/rfqs/%d/files/%d")},
		"POST /rfqs/{id}/files/{file}/delete":              {ownPeople, onRoundFile("POST", "/rfqs/%d/files/%d/delete")},
		"POST /invitations/{id}/quote/files":               {invitedOnly, onInv("POST", "/invitations/%d/quote/files")},
		"GET /invitations/{id}/quote/files/{file}":         {invitedOnly, onQuoteFile("GET", "/invitations/%d/quote/files/%d", true)},
		"POST /invitations/{id}/quote/files/{file}/delete": {invitedOnly, onQuoteFile("POST", "/invitations/%d/quote/files/%d/delete", false)},

		"GET /api/v1/rfqs/{id}/files":                       {ownPeople, onRound("GET", "/api/v1/rfqs/%d/files")},
		"POST /api/v1/rfqs/{id}/files":                      {ownPeople, onRound("POST", "/api/v1/rfqs/%d/files")},
		"GET /api/v1/rfqs/{id}/files/{file}/content":        {ownPeople, onRoundFile("GET", "/api/v1/rfqs/%d/files/%d/content")},
		"DELETE /api/v1/rfqs/{id}/files/{file}":             {ownPeople, onRoundFile("DELETE", "/api/v1/rfqs/%d/files/%d")},
		"GET /api/v1/invitations/{id}/files":                {quoteFileReaders, onInv("GET", "/api/v1/invitations/%d/files")},
		"POST /api/v1/invitations/{id}/files":               {invitedOnly, onInv("POST", "/api/v1/invitations/%d/files")},
		"GET /api/v1/invitations/{id}/files/{file}/content": {quoteFileReaders, onQuoteFile("GET", "/api/v1/invitations/%d/files/%d/content", true)},
		"DELETE /api/v1/invitations/{id}/files/{file}":      {invitedOnly, onQuoteFile("DELETE", "/api/v1/invitations/%d/files/%d", false)},
	}
}

// matrixFileRound opens an open round on a fresh demand of company A
// inviting company B, due three days after the store's (real) clock.
func matrixFileRound(f *matrixFixture) testRound {
	f.t.Helper()
	return newRound(f.e, drawingDemand(f), time.Now().Add(72*time.Hour), false, f.B)
}

// matrixRFQFile adds a PNG to round rfqID: the round's own when invID is
// 0, else to invitation invID's draft.
func matrixRFQFile(f *matrixFixture, rfqID, invID int64) *sihub.RFQFile {
	f.t.Helper()
	file := &sihub.RFQFile{RFQID: rfqID, InvitationID: invID, Name: "bản-vẽ.png", ContentType: sihub.TypePNG}
	if err := f.e.db.AddRFQFile(context.Background(), file, pngBytes); err != nil {
		f.t.Fatal(err)
	}
	return file
}
