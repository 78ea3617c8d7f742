package sihub

import "time"

// The authorization policy: the one place that says who may see and change
// what. Handlers ask it and never look at roles themselves, so that a rule
// is changed here once and the route × role test in the web package checks
// every page and API call against it.

// Principal is who is asking: a user signed in through a session or an API
// token, or nobody (a nil *Principal or one with no User: an anonymous
// visitor). Every method is safe on nil.
type Principal struct {
	User *User
	// Scope limits an API token; it is "" for a browser session, which
	// may do everything its user may.
	Scope TokenScope
}

// Anonymous is the principal of a visitor who has not signed in.
var Anonymous = &Principal{}

func (p *Principal) user() *User {
	if p == nil || !p.User.Active() {
		return nil
	}
	return p.User
}

// SignedIn reports whether a person is signed in, whatever their status.
func (p *Principal) SignedIn() bool { return p != nil && p.User != nil }

// UserID returns the signed-in user's id, 0 for anonymous.
func (p *Principal) UserID() int64 {
	if p == nil || p.User == nil {
		return 0
	}
	return p.User.ID
}

// writes reports whether p's credentials allow changes at all: a session,
// or a read-write token.
func (p *Principal) writes() bool {
	return p.user() != nil && p.Scope != ScopeRead
}

func (p *Principal) has(roles ...Role) bool {
	u := p.user()
	if u == nil {
		return false
	}
	for _, r := range roles {
		if u.Role == r {
			return true
		}
	}
	return false
}

// Staff reports whether p is active center staff (admins included).
func (p *Principal) Staff() bool { return p.has(RoleCenterAdmin, RoleCenterStaff) }

// Admin reports whether p is an active center administrator.
func (p *Principal) Admin() bool { return p.has(RoleCenterAdmin) }

// Official reports whether p is an active official of the Department.
func (p *Principal) Official() bool { return p.has(RoleOfficial) }

// MemberOf reports whether p is an active member (or admin) of company id.
func (p *Principal) MemberOf(companyID int64) bool {
	u := p.user()
	return u != nil && companyID != 0 && u.Role.OfCompany() && u.CompanyID == companyID
}

// CompanyAdminOf reports whether p is an active admin of company id.
func (p *Principal) CompanyAdminOf(companyID int64) bool {
	return p.MemberOf(companyID) && p.User.Role == RoleCompanyAdmin
}

// CompanyID is the company p belongs to with an active company role, 0
// otherwise.
func (p *Principal) CompanyID() int64 {
	if u := p.user(); u != nil && u.Role.OfCompany() {
		return u.CompanyID
	}
	return 0
}

// CanReadCompany: an archived profile is withdrawn from the public; staff
// and the company's own people still see it.
func (p *Principal) CanReadCompany(c *Company) bool {
	return c != nil && (!c.Archived || p.Staff() || p.MemberOf(c.ID))
}

// CanSeeArchived reports whether directory searches may include archived
// companies for p.
func (p *Principal) CanSeeArchived() bool { return p.Staff() }

// CanEditCompany: a company edits only its own profile; staff edit all;
// officials change nothing.
func (p *Principal) CanEditCompany(c *Company) bool {
	return c != nil && p.writes() && (p.Staff() || p.MemberOf(c.ID))
}

// CanCreateCompany: new companies come from staff (by form, API or import)
// and from sign-up, which creates them unverified.
func (p *Principal) CanCreateCompany() bool { return p.writes() && p.Staff() }

// CanVerify covers verifying, unverifying, archiving and unarchiving
// companies: the center's judgement.
func (p *Principal) CanVerify() bool { return p.writes() && p.Staff() }

// CanChangeTaxCode: the tax code is what a company is known and joined
// by, and what the center verified, so only staff change it.
func (p *Principal) CanChangeTaxCode() bool { return p.writes() && p.Staff() }

// CanImport covers company imports and their jobs and reports.
func (p *Principal) CanImport() bool { return p.writes() && p.Staff() }

// CanSeeContacts: contact persons are personal data, shown to staff, to the
// company's own people and to active members of verified companies (buyers
// and suppliers who have been checked); the web layer also limits how many
// companies' contacts a non-staff user views per day.
func (p *Principal) CanSeeContacts(c *Company) bool {
	if c == nil {
		return false
	}
	if p.Staff() || p.MemberOf(c.ID) {
		return true
	}
	u := p.user()
	return u != nil && u.Role.OfCompany() && u.CompanyVerified
}

// ContactViewsLimited reports whether p's contact views count against the
// daily limit: everyone's but staff's and their own company's.
func (p *Principal) ContactViewsLimited(c *Company) bool {
	return !p.Staff() && !p.MemberOf(c.ID)
}

// CanReadDocument: a document is as visible as its company's profile.
func (p *Principal) CanReadDocument(c *Company) bool { return p.CanReadCompany(c) }

// CanChangeDocuments: uploading and deleting follow the profile's editing.
func (p *Principal) CanChangeDocuments(c *Company) bool { return p.CanEditCompany(c) }

// CanEraseContact: staff erase a contact person's data on request.
func (p *Principal) CanEraseContact() bool { return p.writes() && p.Staff() }

// CanSeeHistory: a company's change history is shown to staff and to the
// company's own people.
func (p *Principal) CanSeeHistory(c *Company) bool {
	return c != nil && (p.Staff() || p.MemberOf(c.ID))
}

// CanBrowseAudit: the whole audit log, its head and the email outbox are
// for center administrators.
func (p *Principal) CanBrowseAudit() bool { return p.Admin() }

// CanReadOutbox: with no mail server configured, admins read the outbox.
func (p *Principal) CanReadOutbox() bool { return p.Admin() }

// CanListUsers: staff see every user; a company admin sees their own
// company's people (ListUsersOf).
func (p *Principal) CanListUsers() bool { return p.Staff() }

// CanListUsersOf reports whether p may see the people of company id.
func (p *Principal) CanListUsersOf(companyID int64) bool {
	return p.Staff() || p.CompanyAdminOf(companyID)
}

// CanSeeUser: a person sees their own account; staff see everyone; a
// company admin sees their company's people.
func (p *Principal) CanSeeUser(u *User) bool {
	if u == nil {
		return false
	}
	return p.SignedIn() && p.User.ID == u.ID || p.Staff() || u.Role.OfCompany() && p.CompanyAdminOf(u.CompanyID)
}

// CanDecideJoin: a request to join a verified company goes to its admins
// (staff may decide too); for an unverified or new company only staff
// decide, so that nobody gains control of a company by being first to type
// its public tax code.
func (p *Principal) CanDecideJoin(u *User, c *Company) bool {
	if u == nil || !u.Role.OfCompany() || !p.writes() {
		return false
	}
	if p.Staff() {
		return true
	}
	return c != nil && c.Verified && c.ID == u.CompanyID && p.CompanyAdminOf(c.ID)
}

// CanInvite reports whether p may invite someone with role to company
// companyID (0 for the center and the Department): staff invite staff and
// officials, only admins invite admins; company admins invite colleagues.
func (p *Principal) CanInvite(role Role, companyID int64) bool {
	if !p.writes() || !role.Valid() {
		return false
	}
	switch {
	case role == RoleCenterAdmin || role == RoleOfficial:
		return p.Admin()
	case role == RoleCenterStaff:
		return p.Staff()
	case role.OfCompany():
		return companyID != 0 && (p.Staff() || p.CompanyAdminOf(companyID))
	}
	return false
}

// CanInviteToAnyCompany: staff invite people to any company, named by tax
// code; company admins only to their own.
func (p *Principal) CanInviteToAnyCompany() bool { return p.writes() && p.Staff() }

// CanManageUser reports whether p may change u's role or status (disable,
// re-enable): center admins manage everyone but themselves, staff manage
// company people, company admins their own company's people except
// themselves (so that no company is left without an admin by accident).
func (p *Principal) CanManageUser(u *User) bool {
	if u == nil || !p.writes() || u.ID == p.UserID() || u.Status == StatusErased {
		return false
	}
	switch {
	case p.Admin():
		return true
	case p.Staff():
		return u.Role.OfCompany()
	}
	return u.Role.OfCompany() && p.CompanyAdminOf(u.CompanyID)
}

// CanGrant reports whether p may give a user of u's organisation the role
// role: the same rules as inviting.
func (p *Principal) CanGrant(u *User, role Role) bool {
	if !p.CanManageUser(u) || role.Org() != u.Role.Org() {
		return false
	}
	return p.CanInvite(role, u.CompanyID)
}

// CanEraseUser: a person erases their own account; an admin erases anyone's
// on request.
func (p *Principal) CanEraseUser(u *User) bool {
	if u == nil || u.Status == StatusErased || p == nil || p.User == nil || p.Scope == ScopeRead {
		return false
	}
	return p.User.ID == u.ID || p.Admin()
}

// CanExport: the export holds what the public directory shows (contacts
// only for those who may see them), so anyone may export.
func (p *Principal) CanExport() bool { return true }

// CanUseAccount reports whether p may manage their own account (sessions,
// tokens, data download): any signed-in person with a session, whatever
// their membership's status; tokens cannot manage tokens.
func (p *Principal) CanUseAccount() bool {
	return p != nil && p.User != nil && p.User.Status != StatusErased && p.Scope == ""
}

// Demands. A buyer's people manage its demands and see their matches and
// target prices; staff manage all and act for any buyer. Verified companies'
// people see open demands the buyer showed to verified suppliers; a
// center-only demand is seen by the center and the buyer alone (it is still
// matched against every supplier). Officials read the reports, not demands.

// CanSeeDemand reports whether p may see demand d. Other buyers do not see
// a buyer's part list: it tells what the buyer is about to make.
func (p *Principal) CanSeeDemand(d *Demand) bool {
	if d == nil {
		return false
	}
	if p.Staff() || p.MemberOf(d.BuyerID) {
		return true
	}
	return p.verifiedSupplier() && d.Status == DemandOpen && d.Visibility == VisibleVerified
}

// verifiedSupplier reports whether p acts for a verified company that
// supplies (a supplier, or a company that both buys and supplies).
func (p *Principal) verifiedSupplier() bool {
	u := p.user()
	return u != nil && u.Role.OfCompany() && u.CompanyVerified && u.CompanyKind != Buyer
}

// buys reports whether p acts for a company that buys (a buyer, or a
// company that both buys and supplies).
func (p *Principal) buys() bool {
	u := p.user()
	return u != nil && u.Role.OfCompany() && (u.CompanyKind == Buyer || u.CompanyKind == Both)
}

// CanListDemands: the center, buyers (their own) and suppliers (those
// shown to them); the list shows each only what CanSeeDemand allows.
func (p *Principal) CanListDemands() bool { return p.Staff() || p.CompanyID() != 0 }

// CanManageDemand covers editing a demand, its status and its files.
func (p *Principal) CanManageDemand(d *Demand) bool {
	return d != nil && p.writes() && (p.Staff() || p.MemberOf(d.BuyerID))
}

// CanCreateDemandFor reports whether p may create demands for buyer
// company buyerID (by form, API or import): staff for any company, a
// buying company's people for their own. A supplier does not post demands:
// they would reach its competitors as opportunities.
func (p *Principal) CanCreateDemandFor(buyerID int64) bool {
	return buyerID != 0 && p.writes() && (p.Staff() || (p.MemberOf(buyerID) && p.buys()))
}

// CanImportDemands: staff import any buyer's list; a buying company's
// people import their own (every row must name their company).
func (p *Principal) CanImportDemands() bool {
	return p.writes() && (p.Staff() || (p.CompanyID() != 0 && p.buys()))
}

// CanCreateBuyers: an import naming an unknown buyer creates it; only staff
// may, as with every new company.
func (p *Principal) CanCreateBuyers() bool { return p.CanCreateCompany() }

// CanSeeMatches: the ranked suppliers and near misses of a demand are the
// buyer's and the center's.
func (p *Principal) CanSeeMatches(d *Demand) bool {
	return d != nil && (p.Staff() || p.MemberOf(d.BuyerID))
}

// CanSeeTargetPrice: the buyer and the center only, never suppliers.
func (p *Principal) CanSeeTargetPrice(d *Demand) bool { return p.CanSeeMatches(d) }

// CanAcceptTerms: a supplier company's person who sees the demand, or
// whose company is invited to quote on it (invited: even when the demand
// is the center's only or no longer open), accepts its confidentiality
// terms for the company.
func (p *Principal) CanAcceptTerms(d *Demand, invited bool) bool {
	return d != nil && p.writes() && p.CompanyID() != 0 && !p.MemberOf(d.BuyerID) && p.seesAsSupplier(d, invited)
}

// CanReadDrawings reports whether p may download demand d's files (and the
// files of its RFQ rounds): the buyer and the center always, a supplier
// once its company accepted the terms (accepted) and while it still sees
// the demand or is invited to quote on it (invited).
func (p *Principal) CanReadDrawings(d *Demand, invited, accepted bool) bool {
	if p.CanSeeMatches(d) {
		return true
	}
	return accepted && p.CompanyID() != 0 && p.seesAsSupplier(d, invited)
}

// seesAsSupplier: p sees d as a supplier does, from the open catalogue or
// by its company's invitation to quote.
func (p *Principal) seesAsSupplier(d *Demand, invited bool) bool {
	return p.CanSeeDemand(d) || invited && p.CompanyID() != 0 && !p.MemberOf(d.BuyerID)
}

// CanSeeDownloads: the buyer and the center see who downloaded the files.
func (p *Principal) CanSeeDownloads(d *Demand) bool { return p.CanSeeMatches(d) }

// CanSeeOpportunities reports whether p may see the demands company
// companyID qualifies or nearly qualifies for: staff, and the people of a
// company that supplies.
func (p *Principal) CanSeeOpportunities(companyID int64) bool {
	return companyID != 0 && (p.Staff() || (p.MemberOf(companyID) && p.user().CompanyKind != Buyer))
}

// CanSeeSupplyGaps: the supply-gap view is the center's working list.
func (p *Principal) CanSeeSupplyGaps() bool { return p.Staff() }

// RFQs and the pipeline. The buyer's people, and staff acting for the
// buyer, ask for quotes, answer questions and move cases; an invited
// supplier sees the round, asks, and quotes for its own company. Quotes
// are the most guarded data in SIHub: a supplier sees only its own
// company's, and a sealed round hides submitted quotes from everyone, the
// buyer and the center too, until its deadline. Officials see none of it.

// CanRequestQuotes covers creating rounds, inviting suppliers and
// extending deadlines for demand d.
func (p *Principal) CanRequestQuotes(d *Demand) bool { return p.CanManageDemand(d) }

// CanSeeRFQ reports whether p may see demand d's rounds: the buyer and the
// center, and the people of a supplier company that was invited (invited,
// as the caller found it for p's company). An invitation shows the round
// even for a demand p could not otherwise see, such as a center-only one.
func (p *Principal) CanSeeRFQ(d *Demand, invited bool) bool {
	return d != nil && (p.CanSeeMatches(d) || invited && p.CompanyID() != 0)
}

// CanQuote covers saving drafts, submitting, revising and declining under
// invitation iv: the invited company's active people only. A buyer never
// quotes on its own demand, and the invitation must be for d.
func (p *Principal) CanQuote(d *Demand, iv *Invitation) bool {
	return d != nil && iv != nil && iv.DemandID == d.ID && iv.CompanyID != d.BuyerID &&
		p.writes() && p.MemberOf(iv.CompanyID)
}

// CanSeeQuote reports whether p may see quote q of round r of demand d at
// now. A supplier sees its own company's quotes, drafts included, and no
// other's, before or after the deadline. The buyer and the center see
// submitted quotes only, and only once r.QuotesVisible(now): at once for
// an open round, after the deadline for a sealed one.
func (p *Principal) CanSeeQuote(d *Demand, q *Quote, r *RFQ, now time.Time) bool {
	if d == nil || q == nil || r == nil || q.RFQID != r.ID || r.DemandID != d.ID {
		return false
	}
	if q.CompanyID != d.BuyerID && p.MemberOf(q.CompanyID) {
		return true
	}
	return p.CanSeeMatches(d) && q.Submitted() && r.QuotesVisible(now)
}

// CanAsk: the invited company's people ask clarification questions.
func (p *Principal) CanAsk(iv *Invitation) bool {
	return iv != nil && p.writes() && p.MemberOf(iv.CompanyID)
}

// CanAnswer: the buyer and the center answer questions, to every invitee.
func (p *Principal) CanAnswer(d *Demand) bool { return p.CanManageDemand(d) }

// CanMoveCase covers moving a case of demand d through the pipeline,
// awarding and losing it.
func (p *Principal) CanMoveCase(d *Demand) bool { return p.CanManageDemand(d) }

// CanSeeCase reports whether p may see case c of demand d: whole for the
// buyer and the center; the supplier of the case sees its own stage only
// (Case.For removes the rest), so it knows where it stands.
func (p *Principal) CanSeeCase(d *Demand, c *Case) bool {
	if d == nil || c == nil || c.DemandID != d.ID {
		return false
	}
	return p.CanSeeMatches(d) || p.MemberOf(c.CompanyID)
}

// CanSeeBoard: the pipeline across all buyers is the center's.
func (p *Principal) CanSeeBoard() bool { return p.Staff() }

// Files of RFQ rounds and quotes (RFQFile). The buyer's files of a round
// are drawings of its demand: added and removed by who requests quotes,
// read by whoever reads the demand's drawings. A supplier's files go with
// its quote and are guarded like it: its own company's people handle them,
// and the buyer and the center read a file only once it is part of a
// submitted revision they may see.

// CanChangeRoundFiles covers adding and deleting the buyer's files of
// demand d's rounds.
func (p *Principal) CanChangeRoundFiles(d *Demand) bool { return p.CanRequestQuotes(d) }

// CanReadRoundFiles reports whether p may download the buyer's files of
// demand d's rounds: the drawing rule (CanReadDrawings).
func (p *Principal) CanReadRoundFiles(d *Demand, invited, accepted bool) bool {
	return p.CanReadDrawings(d, invited, accepted)
}

// CanChangeQuoteFiles covers adding and deleting the files of the quote
// under invitation iv: who may quote (CanQuote).
func (p *Principal) CanChangeQuoteFiles(d *Demand, iv *Invitation) bool { return p.CanQuote(d, iv) }

// CanSeeQuoteFile reports whether p may see file f, sent with a quote in
// round r of demand d, at now; q is the invitation's quote of revision
// f.Revision (nil for a draft's file). The supplier's own company's people
// see its files, drafts included; the buyer and the center only those of a
// submitted revision they may see (CanSeeQuote: a sealed round hides them
// until the deadline); another supplier never.
func (p *Principal) CanSeeQuoteFile(d *Demand, f *RFQFile, q *Quote, r *RFQ, now time.Time) bool {
	if d == nil || f == nil || r == nil || f.InvitationID == 0 || f.RFQID != r.ID || r.DemandID != d.ID {
		return false
	}
	if f.CompanyID != d.BuyerID && p.MemberOf(f.CompanyID) {
		return true
	}
	return f.Revision > 0 && q != nil && q.InvitationID == f.InvitationID && q.Revision == f.Revision &&
		q.CompanyID == f.CompanyID && p.CanSeeQuote(d, q, r, now)
}
