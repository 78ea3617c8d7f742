package sihub

// CompanyFilter selects companies in the directory. The web layer and the
// CLI fill it; package match turns the search box text Q into Terms and
// Words; package store runs it.
type CompanyFilter struct {
	Q string // the search box as typed, kept for display

	// Terms are index tokens (see match.IndexTokens) that must all be
	// present: recognized processes, materials, certifications… Each inner
	// slice is a set of alternatives, any one of which satisfies it (a folded
	// word that could be one of several terms).
	Terms [][]string
	// Words are folded words that must each begin some indexed word.
	Words []string

	Processes      []string // taxonomy process codes, any of
	Sectors        []string // VSIC codes, any of (a 2- or 3-digit code matches its children)
	Certifications []string // taxonomy certification codes, any of
	Provinces      []string // 2025 province codes, any of
	Parks          []string // industrial park names, any of
	SizeBands      []string // SizeMicro…, any of
	Verified       *bool
	Kind           Kind // "" for all; Supplier also matches Both, and Buyer too
	TaxCodes       []string

	IncludeArchived bool

	Sort   string // SortRelevance (default), SortName, SortEmployees, SortFounded, SortUpdated
	Limit  int    // 0 means the default page size
	Offset int
}

// Sort orders for the directory.
const (
	SortRelevance = "relevance"
	SortName      = "name"
	SortEmployees = "employees"
	SortFounded   = "founded"
	SortUpdated   = "updated"
)

// SortOrders lists the valid sort orders.
var SortOrders = []string{SortRelevance, SortName, SortEmployees, SortFounded, SortUpdated}

// Page sizes.
const (
	DefaultLimit = 20
	MaxLimit     = 500
)

// FacetValue is one value of a facet and how many companies in the current
// result have it.
type FacetValue struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Facets are the counts shown beside the directory, each computed over the
// result with every filter applied except the facet's own.
type Facets struct {
	Processes      []FacetValue `json:"processes"`
	Sectors        []FacetValue `json:"sectors"` // 2-digit VSIC divisions
	Certifications []FacetValue `json:"certifications"`
	Provinces      []FacetValue `json:"provinces"`
	Parks          []FacetValue `json:"parks"`
	SizeBands      []FacetValue `json:"size_bands"`
	Verified       []FacetValue `json:"verified"` // "true", "false"
}

// CompanyPage is one page of a directory query.
type CompanyPage struct {
	Items  []*Company `json:"items"`
	Total  int        `json:"total"`
	Facets *Facets    `json:"facets,omitempty"`
}
