package web

import (
	"context"
	"fmt"
	"net/url"
	"sync/atomic"

	"github.com/sihub-org/sihub/internal/match"
	"github.com/sihub-org/sihub/internal/sihub"
)

// The route × role entries of a demand's drawings (drawings.go). Every
// request is about a fresh open demand of company A, visible to verified
// suppliers, with one file, so that a supplier's acceptance of the terms in
// one route does not open the files of the next. otherAdmin (company B,
// verified) is the supplier: it sees the demand and may accept its terms,
// but reads no file before accepting; the official does not see demands.

const (
	drawingSeers    = "admin staff ownAdmin ownMember otherAdmin" // CanSeeDemand
	drawingSupplier = "otherAdmin"                                // CanAcceptTerms
)

func drawingMatrix() map[string]matrixRoute {
	onFile := func(method, format string) func(*matrixFixture, string) call {
		return func(f *matrixFixture, _ string) call {
			d, file := drawingDemandWithFile(f)
			c := call{method: method, path: pathf(format, d.ID, file.ID)}
			if method == "POST" {
				c.form = url.Values{}
			}
			return c
		}
	}
	onDemand := func(method, format string) func(*matrixFixture, string) call {
		return func(f *matrixFixture, _ string) call {
			return call{method: method, path: pathf(format, drawingDemand(f).ID)}
		}
	}
	upload := func(format string) func(*matrixFixture, string) call {
		return func(f *matrixFixture, _ string) call {
			return call{method: "POST", path: pathf(format, drawingDemand(f).ID), multipart: true}
		}
	}
	// The digest of the terms as a supplier is shown them.
	digest := func(d *sihub.Demand) string {
		text, _ := drawingTerms(d, sihub.VI)
		return termsDigest(text)
	}
	return map[string]matrixRoute{
		"POST /demands/{id}/files":               {ownPeople, upload("/demands/%d/files")},
		"GET /demands/{id}/files/{file}":         {ownPeople, onFile("GET", "/demands/%d/files/%d")},
		"POST /demands/{id}/files/{file}/delete": {ownPeople, onFile("POST", "/demands/%d/files/%d/delete")},
		"POST /demands/{id}/terms": {drawingSupplier, func(f *matrixFixture, _ string) call {
			d := drawingDemand(f)
			return call{method: "POST", path: pathf("/demands/%d/terms", d.ID), form: url.Values{"terms_sha256": {digest(d)}}}
		}},
		"GET /api/v1/demands/{id}/files":                {ownPeople, onDemand("GET", "/api/v1/demands/%d/files")},
		"POST /api/v1/demands/{id}/files":               {ownPeople, upload("/api/v1/demands/%d/files")},
		"GET /api/v1/demands/{id}/files/{file}/content": {ownPeople, onFile("GET", "/api/v1/demands/%d/files/%d/content")},
		"DELETE /api/v1/demands/{id}/files/{file}":      {ownPeople, onFile("DELETE", "/api/v1/demands/%d/files/%d")},
		"GET /api/v1/demands/{id}/terms":                {drawingSeers, onDemand("GET", "/api/v1/demands/%d/terms")},
		"POST /api/v1/demands/{id}/terms": {drawingSupplier, func(f *matrixFixture, _ string) call {
			d := drawingDemand(f)
			return call{method: "POST", path: pathf("/api/v1/demands/%d/terms", d.ID), json: fmt.Sprintf(`{"terms_sha256":%q}`, digest(d))}
		}},
		"GET /api/v1/demands/{id}/downloads": {ownPeople, onDemand("GET", "/api/v1/demands/%d/downloads")},
	}
}

var drawingRefs atomic.Int64

// drawingDemand stores a new open demand of company A, visible to verified
// suppliers.
func drawingDemand(f *matrixFixture) *sihub.Demand {
	f.t.Helper()
	return newDrawingDemand(f.e, f.A, sihub.VisibleVerified)
}

// drawingDemandWithFile is drawingDemand with one PDF attached.
func drawingDemandWithFile(f *matrixFixture) (*sihub.Demand, *sihub.DemandFile) {
	f.t.Helper()
	d := drawingDemand(f)
	return d, addDrawingFile(f.e, d, "bản-vẽ.pdf", drawingPDF)
}

// newDrawingDemand stores an open demand of buyer with visibility v, read
// the way every write path reads it.
func newDrawingDemand(e *testEnv, buyer *sihub.Company, v sihub.DemandVisibility) *sihub.Demand {
	e.t.Helper()
	d := &sihub.Demand{BuyerID: buyer.ID, BuyerTaxCode: buyer.TaxCode, Ref: fmt.Sprintf("DRW-%d", drawingRefs.Add(1)),
		Title: "Vỏ pin máy khoan", TitleEn: "Drill battery housing", ProcessesText: "ép phun nhựa", MaterialsText: "PC/ABS",
		Status: sihub.DemandOpen, Visibility: v}
	if _, err := match.PrepareDemand(d); err != nil {
		e.t.Fatalf("PrepareDemand: %v", err)
	}
	if err := e.db.CreateDemand(context.Background(), d); err != nil {
		e.t.Fatalf("CreateDemand: %v", err)
	}
	return d
}

// addDrawingFile attaches data to d as the store keeps an upload.
func addDrawingFile(e *testEnv, d *sihub.Demand, name string, data []byte) *sihub.DemandFile {
	e.t.Helper()
	safe, ct, err := sihub.CheckAttachment(name, "", data, sihub.DemandFileTypes)
	if err != nil {
		e.t.Fatalf("CheckAttachment %s: %v", name, err)
	}
	f := &sihub.DemandFile{DemandID: d.ID, Name: safe, ContentType: ct, Size: int64(len(data))}
	if err := e.db.AddDemandFile(context.Background(), f, data); err != nil {
		e.t.Fatalf("AddDemandFile: %v", err)
	}
	return f
}

// drawingPDF is a minimal PDF, as the sniffer knows one.
var drawingPDF = []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
