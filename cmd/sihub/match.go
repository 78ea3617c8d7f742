package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sihub-org/sihub/internal/match"
	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store"
)

// matchedSupplier is one supplier in match's output.
type matchedSupplier struct {
	ID       int64       `json:"id"`
	TaxCode  string      `json:"tax_code"`
	Name     string      `json:"name"`
	Verified bool        `json:"verified"`
	Score    float64     `json:"score"`
	Reasons  []sihub.Msg `json:"reasons"`
	Gaps     []sihub.Msg `json:"gaps,omitempty"`
}

// matchLine is match's output for one demand, one JSON object per line.
type matchLine struct {
	Demand        *sihub.Demand     `json:"demand"`
	Matches       []matchedSupplier `json:"matches"`
	NearMisses    []matchedSupplier `json:"near_misses"`
	Qualified     int               `json:"qualified"`
	NearMissCount int               `json:"near_miss_count"`
}

func cmdMatch(ctx context.Context, e *env, args []string) error {
	fs, dsn := e.flags("match", "(--ref BUYER_TAX:REF | --all) --json",
		"Rank the suppliers for demands: the qualified ones (every required process and certification, the\n"+
			"minimum capacity), best first, with the reasons, and the near misses (every required process, one\n"+
			"or two closable requirements missing), with the gaps to close. With --json, one JSON object per\n"+
			"demand per line: {\"demand\":…,\"matches\":[…],\"near_misses\":[…]}.")
	ref := fs.String("ref", "", "one demand: the buyer's tax code and the demand's reference, BUYER_TAX:REF")
	all := fs.Bool("all", false, "every demand")
	limit := fs.Int("limit", 20, "most suppliers listed in each list")
	asJSON := fs.Bool("json", false, "print JSON lines instead of text")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 || (*ref == "") == !*all || *limit < 1 {
		fs.Usage()
		return errors.New("match needs --ref BUYER_TAX:REF or --all, and a --limit of 1 or more")
	}
	db, err := e.open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()

	var demands []*sihub.Demand
	if *ref != "" {
		tc, r, ok := strings.Cut(*ref, ":")
		if !ok || tc == "" || r == "" {
			return fmt.Errorf("--ref %q: write the buyer's tax code, a colon and the reference, e.g. 0301234567:P-100", *ref)
		}
		d, err := db.DemandByRef(ctx, tc, r)
		if err != nil {
			return userError(err)
		}
		demands = []*sihub.Demand{d}
	} else {
		for f := (store.DemandFilter{Limit: sihub.MaxLimit}); ; f.Offset += f.Limit {
			page, err := db.Demands(ctx, f)
			if err != nil {
				return err
			}
			demands = append(demands, page...)
			if len(page) < f.Limit {
				break
			}
		}
	}

	start := time.Now()
	var suppliers []*sihub.Company
	for c, err := range db.EachCompany(ctx, sihub.CompanyFilter{}) {
		if err != nil {
			return err
		}
		suppliers = append(suppliers, c)
	}
	ix := match.NewIndex(suppliers)
	e.log.Info("supplier index built", "suppliers", ix.Len(), "duration", time.Since(start).Round(time.Millisecond))

	now := time.Now()
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	for _, d := range demands {
		if err := ctx.Err(); err != nil {
			return err
		}
		res := ix.Match(d, now, *limit)
		line := matchLine{Demand: d, Matches: make([]matchedSupplier, len(res.Matches)),
			NearMisses: make([]matchedSupplier, len(res.NearMisses)), Qualified: res.Qualified, NearMissCount: res.NearMissCount}
		for i, m := range res.Matches {
			line.Matches[i] = supplierOf(m.Company, m.Score, m.Reasons, nil)
		}
		for i, m := range res.NearMisses {
			line.NearMisses[i] = supplierOf(m.Company, m.Score, m.Reasons, m.Gaps)
		}
		if *asJSON {
			if err := enc.Encode(line); err != nil {
				return err
			}
			continue
		}
		writeMatchText(e, &line)
	}
	return nil
}

func supplierOf(c *sihub.Company, score float64, reasons, gaps []sihub.Msg) matchedSupplier {
	return matchedSupplier{ID: c.ID, TaxCode: c.TaxCode, Name: c.Name, Verified: c.Verified, Score: score,
		Reasons: nonNilMsgs(reasons), Gaps: gaps}
}

func nonNilMsgs(ms []sihub.Msg) []sihub.Msg {
	if ms == nil {
		return []sihub.Msg{}
	}
	return ms
}

// writeMatchText prints one demand's result for the operator, in English.
func writeMatchText(e *env, l *matchLine) {
	d := l.Demand
	title := d.TitleEn
	if title == "" {
		title = d.Title
	}
	fmt.Fprintf(e.stdout, "%s:%s  %s — %d qualified, %d near misses\n", sihub.FormatTaxCode(d.BuyerTaxCode), d.Ref, title,
		l.Qualified, l.NearMissCount)
	for i, m := range l.Matches {
		fmt.Fprintf(e.stdout, "  %2d. %s %s (%.3f)\n", i+1, sihub.FormatTaxCode(m.TaxCode), m.Name, m.Score)
		for _, r := range m.Reasons {
			fmt.Fprintf(e.stdout, "        %s\n", r.EN)
		}
	}
	for _, m := range l.NearMisses {
		fmt.Fprintf(e.stdout, "   near miss: %s %s\n", sihub.FormatTaxCode(m.TaxCode), m.Name)
		for _, g := range m.Gaps {
			fmt.Fprintf(e.stdout, "        %s\n", g.EN)
		}
	}
}
