package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/sihub-org/sihub/internal/match"
	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/taxonomy"
)

// Labels for taxonomy codes in the page's language. An unknown code shows
// as itself: data recognized by an older taxonomy stays readable.

func processLabel(lang sihub.Lang, code string) string {
	return taxonomy.TermLabel(taxonomy.KindProcess, code, lang)
}

func materialLabel(lang sihub.Lang, code string) string {
	return taxonomy.TermLabel(taxonomy.KindMaterial, code, lang)
}

// certLabel is a scheme's usual name ("IATF 16949"), the same in both
// languages.
func certLabel(code string) string {
	return taxonomy.TermLabel(taxonomy.KindCertification, code, sihub.VI)
}

func certTitle(lang sihub.Lang, code string) string {
	if c, ok := taxonomy.CertificationByCode(code); ok {
		return c.Title(lang)
	}
	return ""
}

func equipmentLabel(lang sihub.Lang, code string) string {
	return taxonomy.TermLabel(taxonomy.KindEquipment, code, lang)
}

// understood lists the terms recognized in a search, in the page's
// language: the first reading of each, which is the one the recognizer
// prefers (the others are alternatives it also accepts).
func understood(lang sihub.Lang, q string) []string {
	if q == "" {
		return nil
	}
	terms, _ := match.ParseQuery(q)
	var out []string
	for _, alts := range terms {
		for _, tok := range alts {
			if kind, code, ok := match.TermOfToken(tok); ok {
				if l := taxonomy.TermLabel(kind, code, lang); !slices.Contains(out, l) {
					out = append(out, l)
				}
				break
			}
		}
	}
	return out
}

func provinceName(lang sihub.Lang, code string) string {
	if code == "" {
		return ""
	}
	if p, ok := taxonomy.ProvinceByCode(code); ok {
		return p.Label(lang)
	}
	return code
}

func wardName(code string) string {
	if code == "" {
		return ""
	}
	if w, ok := taxonomy.WardByCode(code); ok {
		return w.Name
	}
	return ""
}

func vsicName(lang sihub.Lang, code string) string {
	if v, ok := taxonomy.VSICByCode(code); ok {
		return v.Label(lang)
	}
	return ""
}

// formerProvince returns the province as the company wrote it when that
// was one of the provinces merged away in 2025 ("Bình Dương", now part of
// Ho Chi Minh City), so the profile can say "(formerly Bình Dương)".
func formerProvince(input, code string) string {
	if input == "" || code == "" {
		return ""
	}
	now, ok := taxonomy.ProvinceByCode(code)
	if !ok {
		return ""
	}
	in := match.Fold(input)
	for _, old := range taxonomy.OldProvinces() {
		// Codes carry over (Long An's 80 is now Tây Ninh's): compare names.
		if old.NewCode != code || match.Fold(old.FullName) == match.Fold(now.FullName) {
			continue
		}
		if in == match.Fold(old.Name) || in == match.Fold(old.FullName) || in == match.Fold(old.NameEn) {
			return old.Name
		}
	}
	return ""
}

// facetLabel names a facet value for people.
func facetLabel(lang sihub.Lang, key, value string) string {
	switch key {
	case pProcess:
		return processLabel(lang, value)
	case pSector:
		if n := vsicName(lang, value); n != "" {
			return value + " · " + n
		}
	case pCert:
		return certLabel(value)
	case pProvince:
		return provinceName(lang, value)
	case pPark:
		if p, ok := taxonomy.ParkByName(value); ok {
			return p.Label(lang)
		}
	case pSize:
		return sizeLabel(lang, value)
	case pVerified:
		return tr(lang, "verified."+value)
	}
	return value
}

// ---- GET /api/v1/taxonomy/{kind}

type taxonomyItem struct {
	Code     string   `json:"code"`
	VI       string   `json:"vi"`
	EN       string   `json:"en"`
	Label    string   `json:"label,omitempty"`    // certifications: the scheme's usual name
	Parent   string   `json:"parent,omitempty"`   // processes: broader process; vsic: the code one level up
	Sector   string   `json:"sector,omitempty"`   // processes: supporting-industry sector
	Family   string   `json:"family,omitempty"`   // materials
	Unit     string   `json:"unit,omitempty"`     // equipment: capacity unit
	Level    int      `json:"level,omitempty"`    // vsic: 1 section … 5 sub-class
	Province string   `json:"province,omitempty"` // parks: 2025 province code
	Aliases  []string `json:"aliases,omitempty"`
}

// taxonomyKinds are the vocabularies the API serves, in the order the
// OpenAPI document lists them.
var taxonomyKinds = []string{"processes", "materials", "certifications", "equipment", "sectors", "provinces", "vsic", "parks"}

func taxonomyItems(kind string) ([]taxonomyItem, bool) {
	var out []taxonomyItem
	switch kind {
	case "processes":
		for _, p := range taxonomy.Processes() {
			out = append(out, taxonomyItem{Code: p.Code, VI: p.VI, EN: p.EN, Parent: p.Parent, Sector: p.Sector, Aliases: aliasTexts(p.Aliases)})
		}
	case "materials":
		for _, m := range taxonomy.Materials() {
			out = append(out, taxonomyItem{Code: m.Code, VI: m.VI, EN: m.EN, Family: m.Family, Sector: m.Sector, Aliases: aliasTexts(m.Aliases)})
		}
	case "certifications":
		for _, c := range taxonomy.Certifications() {
			out = append(out, taxonomyItem{Code: c.Code, VI: c.VI, EN: c.EN, Label: c.Name, Aliases: aliasTexts(c.Aliases)})
		}
	case "equipment":
		for _, e := range taxonomy.EquipmentKinds() {
			out = append(out, taxonomyItem{Code: e.Code, VI: e.VI, EN: e.EN, Unit: e.Unit, Aliases: aliasTexts(e.Aliases)})
		}
	case "sectors":
		for _, s := range taxonomy.Sectors() {
			out = append(out, taxonomyItem{Code: s.Code, VI: s.VI, EN: s.EN})
		}
	case "provinces":
		for _, p := range taxonomy.Provinces() {
			out = append(out, taxonomyItem{Code: p.Code, VI: p.Name, EN: p.NameEn})
		}
	case "vsic":
		for _, v := range taxonomy.VSICCodes() {
			out = append(out, taxonomyItem{Code: v.Code, VI: v.NameVI, EN: v.NameEN, Parent: v.Parent, Level: v.Level})
		}
	case "parks":
		for _, p := range taxonomy.Parks() {
			out = append(out, taxonomyItem{Code: p.Name, VI: p.Name, EN: p.NameEn, Province: p.ProvinceCode, Aliases: p.Aliases})
		}
	default:
		return nil, false
	}
	if out == nil {
		out = []taxonomyItem{}
	}
	return out, true
}

func aliasTexts(as []taxonomy.Alias) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.Text
	}
	return out
}

func (s *server) apiTaxonomy(w http.ResponseWriter, r *http.Request) error {
	kind := r.PathValue("kind")
	items, ok := taxonomyItems(kind)
	if !ok {
		return sihub.Errorf(sihub.ErrNotFound, "Không có danh mục %q; các danh mục: %s.", "There is no vocabulary %q; the vocabularies are: %s.",
			kind, strings.Join(taxonomyKinds, ", "))
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	writeJSON(w, http.StatusOK, map[string]any{"kind": kind, "items": items})
	return nil
}
