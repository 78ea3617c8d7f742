package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
)

// Demands: a buyer's sourcing requests (sihub.Demand), one row per part,
// keyed by the buyer and the buyer's reference.

// DemandFilter selects demands. Empty fields select everything; Limit 0
// means sihub.MaxLimit.
type DemandFilter struct {
	BuyerID      int64
	BuyerTaxCode string
	Ref          string
	Status       sihub.DemandStatus
	Visibility   sihub.DemandVisibility
	// Query keeps demands whose ref, titles or description contain it,
	// compared folded (no diacritics, any case).
	Query  string
	Limit  int
	Offset int
}

const demandCols = `d.id, d.buyer_id, c.tax_code, c.name, d.ref, d.title, d.title_en, d.description,
	d.processes_text, d.materials_text, d.certifications_text, d.min_capacity_text,
	d.processes, d.materials, d.certifications, d.min_capacity, d.inferred,
	d.annual_volume, d.unit, d.province_input, d.delivery_province, d.deadline,
	d.status, d.visibility, d.created_at, d.updated_at, d.target_price, d.currency, d.terms`

const demandFrom = ` FROM demands d JOIN companies c ON c.id = d.buyer_id`

// demandWriteCols are the columns a write sets, in demandValues order.
var demandWriteCols = []string{"ref", "title", "title_en", "description",
	"processes_text", "materials_text", "certifications_text", "min_capacity_text",
	"processes", "materials", "certifications", "min_capacity", "inferred",
	"annual_volume", "unit", "province_input", "delivery_province", "deadline",
	"status", "visibility", "updated_at", "target_price", "currency", "terms", "search"}

// scanDemand reads one row of demandCols. Lists are never nil, so that a
// demand reads back the same however it was written.
func scanDemand(row interface{ Scan(...any) error }) (*sihub.Demand, error) {
	var (
		d                                      sihub.Demand
		procs, mats, certs, capacity, inferred string
		volume, status, visibility, price      string
		deadline                               sql.NullTime
	)
	err := row.Scan(&d.ID, &d.BuyerID, &d.BuyerTaxCode, &d.BuyerName, &d.Ref, &d.Title, &d.TitleEn, &d.Description,
		&d.ProcessesText, &d.MaterialsText, &d.CertificationsText, &d.MinCapacityText,
		&procs, &mats, &certs, &capacity, &inferred,
		&volume, &d.Unit, &d.ProvinceInput, &d.DeliveryProvince, &deadline,
		&status, &visibility, &d.CreatedAt, &d.UpdatedAt, &price, &d.Currency, &d.Terms)
	if err != nil {
		return nil, err
	}
	for _, l := range []struct {
		src string
		dst *[]string
	}{{procs, &d.Processes}, {mats, &d.Materials}, {certs, &d.Certifications}, {inferred, &d.Inferred}} {
		if err := json.Unmarshal([]byte(l.src), l.dst); err != nil {
			return nil, err
		}
		*l.dst = nonNil(*l.dst)
	}
	if capacity != "" {
		d.MinCapacity = new(sihub.CapacityReq)
		if err := json.Unmarshal([]byte(capacity), d.MinCapacity); err != nil {
			return nil, err
		}
	}
	if volume != "" {
		if d.AnnualVolume, err = strconv.ParseFloat(volume, 64); err != nil {
			return nil, err
		}
	}
	if price != "" {
		if d.TargetPrice, err = strconv.ParseFloat(price, 64); err != nil {
			return nil, err
		}
	}
	if deadline.Valid {
		t := deadline.Time.UTC()
		d.Deadline = &t
	}
	d.Status, d.Visibility = sihub.DemandStatus(status), sihub.DemandVisibility(visibility)
	d.CreatedAt, d.UpdatedAt = d.CreatedAt.UTC(), d.UpdatedAt.UTC()
	return &d, nil
}

// demandValues returns the values of demandWriteCols for d.
func (db *DB) demandValues(d *sihub.Demand) ([]any, error) {
	lists := make([]string, 4)
	for i, l := range [][]string{d.Processes, d.Materials, d.Certifications, d.Inferred} {
		s, err := jsonList(l)
		if err != nil {
			return nil, err
		}
		lists[i] = s
	}
	capacity := ""
	if d.MinCapacity != nil {
		b, err := json.Marshal(d.MinCapacity)
		if err != nil {
			return nil, err
		}
		capacity = string(b)
	}
	volume, price := "", ""
	if d.AnnualVolume != 0 {
		volume = strconv.FormatFloat(d.AnnualVolume, 'g', -1, 64)
	}
	if d.TargetPrice != 0 {
		price = strconv.FormatFloat(d.TargetPrice, 'g', -1, 64)
	}
	var deadline sql.NullTime
	if d.Deadline != nil {
		deadline = sql.NullTime{Time: d.Deadline.UTC(), Valid: true}
	}
	return []any{d.Ref, d.Title, d.TitleEn, d.Description,
		d.ProcessesText, d.MaterialsText, d.CertificationsText, d.MinCapacityText,
		lists[0], lists[1], lists[2], capacity, lists[3],
		volume, d.Unit, d.ProvinceInput, d.DeliveryProvince, deadline,
		string(d.Status), string(d.Visibility), d.UpdatedAt, price, d.Currency, d.Terms, db.demandSearch(d)}, nil
}

// demandSearch is what DemandFilter.Query looks in: the ref, titles and
// description, folded by Options.SortKey (match.Fold in production) and
// stored with the demand, so that the filter and its count run in SQL.
func (db *DB) demandSearch(d *sihub.Demand) string {
	return db.sortKey(strings.Join([]string{d.Ref, d.Title, d.TitleEn, d.Description}, "\n"))
}

// readyDemand checks what the database relies on — full validation and the
// reading of requirements are match.PrepareDemand's job, done by the caller
// — and normalizes what is stored, so that a demand reads back as written.
func readyDemand(d *sihub.Demand) error {
	d.BuyerTaxCode = sihub.CompactTaxCode(d.BuyerTaxCode)
	d.Ref = strings.TrimSpace(d.Ref)
	if d.BuyerTaxCode == "" || d.Ref == "" {
		return sihub.Errorf(sihub.ErrInvalid, "Nhu cầu thiếu mã số thuế bên mua hoặc mã tham chiếu.",
			"A demand lacks the buyer's tax code or reference.")
	}
	for _, s := range []string{d.Ref, d.Title, d.TitleEn, d.Description, d.ProcessesText, d.MaterialsText,
		d.CertificationsText, d.MinCapacityText, d.Unit, d.ProvinceInput, d.BuyerName, d.Currency, d.Terms} {
		if !storable(s) {
			return unstorable("demand")
		}
	}
	if d.Deadline != nil {
		t := d.Deadline.UTC().Truncate(time.Microsecond)
		d.Deadline = &t
	}
	d.Processes, d.Materials = nonNil(d.Processes), nonNil(d.Materials)
	d.Certifications, d.Inferred = nonNil(d.Certifications), nonNil(d.Inferred)
	return nil
}

// auditedDemand is a demand as the audit trail records it: what people set,
// without the id (the record's object), the buyer's name (the company's)
// and the timestamps every write moves.
type auditedDemand struct {
	*sihub.Demand
	ID        omitted `json:"id,omitempty"`
	BuyerName omitted `json:"buyer_name,omitempty"`
	CreatedAt omitted `json:"created_at,omitempty"`
	UpdatedAt omitted `json:"updated_at,omitempty"`
}

// UpsertDemands writes ds, matched by (buyer tax code, ref), in one
// transaction: the first error rolls everything back. A buyer not in the
// directory is created as an unverified buyer company named d.BuyerName
// (an ErrInvalid when that is empty). An existing demand is replaced,
// keeping its ID and CreatedAt; when nothing changed nothing is written and
// UpdatedAt stays. The target price, currency and terms, which the import
// template has no column for, are kept from the stored demand when the
// imported one has none, so that re-importing a list never erases what was
// entered in the form. Each demand gets its ID, BuyerID and timestamps set.
// Every demand created or changed is audited as demand.import, every buyer
// created as company.create. A demand created, or whose requirements or
// status changed, is left for ClaimUnnoticedDemands.
func (db *DB) UpsertDemands(ctx context.Context, ds []*sihub.Demand) (created, updated int, err error) {
	start := time.Now()
	err = db.writeCompanies(ctx, "import demands", func(w *companyWriter) error {
		now := db.now()
		cols := strings.Join(demandWriteCols, ", ")
		ins, err := w.tx.PrepareContext(ctx, db.q(`INSERT INTO demands (buyer_id, `+cols+`, created_at) VALUES (?`+
			strings.Repeat(", ?", len(demandWriteCols)+1)+`) RETURNING id`))
		if err != nil {
			return err
		}
		defer ins.Close()
		upd, err := w.tx.PrepareContext(ctx, db.q(`UPDATE demands SET `+strings.Join(demandWriteCols, " = ?, ")+` = ? WHERE id = ?`))
		if err != nil {
			return err
		}
		defer upd.Close()
		find, err := w.tx.PrepareContext(ctx, db.q(`SELECT `+demandCols+demandFrom+` WHERE d.buyer_id = ? AND d.ref = ?`))
		if err != nil {
			return err
		}
		defer find.Close()
		unnoticed, err := w.tx.PrepareContext(ctx, db.q(`UPDATE demands SET noticed_at = NULL WHERE id = ?`))
		if err != nil {
			return err
		}
		defer unnoticed.Close()
		buyers := map[string]int64{}
		for _, d := range ds {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := readyDemand(d); err != nil {
				return err
			}
			id, ok := buyers[d.BuyerTaxCode]
			if !ok {
				if id, err = w.buyer(ctx, d, now); err != nil {
					return err
				}
				buyers[d.BuyerTaxCode] = id
			}
			d.BuyerID = id
			old, err := scanDemand(find.QueryRowContext(ctx, d.BuyerID, d.Ref))
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			if old == nil {
				newDemand(d)
				d.CreatedAt, d.UpdatedAt = now, now
				args, err := db.demandValues(d)
				if err != nil {
					return err
				}
				if err := ins.QueryRowContext(ctx, append([]any{d.BuyerID}, append(args, d.CreatedAt)...)...).Scan(&d.ID); err != nil {
					return err
				}
				created++
				if err := w.logDemand(ctx, nil, d); err != nil {
					return err
				}
				continue
			}
			updated++
			d.ID, d.CreatedAt, d.UpdatedAt = old.ID, old.CreatedAt, old.UpdatedAt
			keepFormOnly(old, d)
			same, err := sameDemand(old, d)
			if err != nil {
				return err
			}
			if same {
				continue
			}
			d.UpdatedAt = now
			args, err := db.demandValues(d)
			if err != nil {
				return err
			}
			if _, err := upd.ExecContext(ctx, append(args, d.ID)...); err != nil {
				return err
			}
			if requirementsChanged(old, d) {
				if _, err := unnoticed.ExecContext(ctx, d.ID); err != nil {
					return err
				}
			}
			if err := w.logDemand(ctx, old, d); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	db.log.Info("demands imported", "created", created, "updated", updated, "duration", time.Since(start).Round(time.Millisecond))
	return created, updated, nil
}

// newDemand gives a new demand the status and visibility it did not name:
// open, shown to verified suppliers.
func newDemand(d *sihub.Demand) {
	if d.Status == "" {
		d.Status = sihub.DemandOpen
	}
	if d.Visibility == "" {
		d.Visibility = sihub.VisibleVerified
	}
}

// keepUnnamed copies into d, a new version of demand old, the status and
// visibility it did not name: an update never publishes by omission.
func keepUnnamed(old, d *sihub.Demand) {
	if d.Status == "" {
		d.Status = old.Status
	}
	if d.Visibility == "" {
		d.Visibility = old.Visibility
	}
}

// keepFormOnly copies into d, an imported demand, what only the form sets
// (the target price and its currency, the terms) from old, its stored
// version, when the import gave none, and the status and visibility the
// file left blank.
func keepFormOnly(old, d *sihub.Demand) {
	keepUnnamed(old, d)
	if d.TargetPrice == 0 && d.Currency == "" {
		d.TargetPrice, d.Currency = old.TargetPrice, old.Currency
	}
	if d.Terms == "" {
		d.Terms = old.Terms
	}
}

// requirementsChanged reports whether b differs from a in what decides
// which suppliers match — processes, materials, certifications, minimum
// capacity — or who hears of it — status, visibility, deadline: then
// matching suppliers are told again (each company still once per demand).
func requirementsChanged(a, b *sihub.Demand) bool {
	capEq := a.MinCapacity == b.MinCapacity || a.MinCapacity != nil && b.MinCapacity != nil && *a.MinCapacity == *b.MinCapacity
	deadlineEq := a.Deadline == b.Deadline || a.Deadline != nil && b.Deadline != nil && a.Deadline.Equal(*b.Deadline)
	return !capEq || !deadlineEq || a.Status != b.Status || a.Visibility != b.Visibility || !slices.Equal(a.Processes, b.Processes) ||
		!slices.Equal(a.Materials, b.Materials) || !slices.Equal(a.Certifications, b.Certifications)
}

// buyer returns the id of the company with d's buyer tax code, creating it
// as an unverified buyer when it is not in the directory.
func (w *companyWriter) buyer(ctx context.Context, d *sihub.Demand, now time.Time) (int64, error) {
	old, err := w.find(ctx, w.byTC, d.BuyerTaxCode)
	if err != nil || old != nil {
		if old != nil {
			return old.id, nil
		}
		return 0, err
	}
	name := strings.TrimSpace(d.BuyerName)
	if name == "" {
		m := sihub.M("Bên mua %s chưa có trong danh bạ: cần tên bên mua để tạo.",
			"Buyer %s is not in the directory: its name is needed to create it.", sihub.FormatTaxCode(d.BuyerTaxCode))
		return 0, &sihub.Error{Code: sihub.ErrInvalid, Msg: m, Fields: []sihub.FieldError{{Field: "buyer_name", Msg: m}}}
	}
	c := &sihub.Company{Kind: sihub.Buyer, TaxCode: d.BuyerTaxCode, Name: name}
	if err := prepare(c); err != nil {
		return 0, err
	}
	if err := w.insert(ctx, c, now); err != nil {
		return 0, err
	}
	if err := w.logCompany(ctx, "company.create", nil, c); err != nil {
		return 0, err
	}
	return c.ID, nil
}

// logDemand appends demand.import for d, which was before (nil for a new
// demand), to the audit trail of w's transaction, sharing the trail the
// company records use so that the chain has one end.
func (w *companyWriter) logDemand(ctx context.Context, before, after *sihub.Demand) error {
	if w.trail == nil {
		a, err := w.db.newAuditor(ctx, w.tx)
		if err != nil {
			return err
		}
		w.trail = a
	}
	var b any
	if before != nil {
		b = auditedDemand{Demand: before}
	}
	return w.trail.add(ctx, "demand.import", "demand", after.ID, b, auditedDemand{Demand: after})
}

// sameDemand reports whether a and b hold the same audited fields.
func sameDemand(a, b *sihub.Demand) (bool, error) {
	x, err := json.Marshal(auditedDemand{Demand: a})
	if err != nil {
		return false, err
	}
	y, err := json.Marshal(auditedDemand{Demand: b})
	if err != nil {
		return false, err
	}
	return bytes.Equal(x, y), nil
}

// Demand returns demand id (ErrNotFound when none).
func (db *DB) Demand(ctx context.Context, id int64) (*sihub.Demand, error) {
	return db.demand(ctx, sihub.Errorf(sihub.ErrNotFound, "Không tìm thấy nhu cầu #%d.", "Demand #%d was not found.", id),
		`d.id = ?`, id)
}

// DemandByRef returns the demand of the buyer with buyerTaxCode with
// reference ref (ErrNotFound when none).
func (db *DB) DemandByRef(ctx context.Context, buyerTaxCode, ref string) (*sihub.Demand, error) {
	tc, ref := sihub.CompactTaxCode(buyerTaxCode), strings.TrimSpace(ref)
	return db.demand(ctx, sihub.Errorf(sihub.ErrNotFound, "Không tìm thấy nhu cầu %s của bên mua %s.",
		"Demand %s of buyer %s was not found.", ref, sihub.FormatTaxCode(tc)),
		`c.tax_code = ? AND d.ref = ?`, tc, ref)
}

// demand returns the demand cond selects, or notFound.
func (db *DB) demand(ctx context.Context, notFound error, cond string, args ...any) (*sihub.Demand, error) {
	var d *sihub.Demand
	err := db.read(ctx, "read demand", func(tx *sql.Tx) error {
		var err error
		d, err = scanDemand(tx.QueryRowContext(ctx, db.q(`SELECT `+demandCols+demandFrom+` WHERE `+cond), args...))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound
		}
		return err
	})
	return d, err
}

// where returns the conditions f sets, for demandFrom.
func (f *DemandFilter) where(db *DB) (string, []any) {
	var (
		conds []string
		args  []any
	)
	if f.BuyerID != 0 {
		conds, args = append(conds, "d.buyer_id = ?"), append(args, f.BuyerID)
	}
	if f.BuyerTaxCode != "" {
		conds, args = append(conds, "c.tax_code = ?"), append(args, queryValue(sihub.CompactTaxCode(f.BuyerTaxCode)))
	}
	if f.Ref != "" {
		conds, args = append(conds, "d.ref = ?"), append(args, queryValue(strings.TrimSpace(f.Ref)))
	}
	if f.Status != "" {
		conds, args = append(conds, "d.status = ?"), append(args, queryValue(string(f.Status)))
	}
	if f.Visibility != "" {
		conds, args = append(conds, "d.visibility = ?"), append(args, queryValue(string(f.Visibility)))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		conds, args = append(conds, `d.search LIKE ? ESCAPE '\'`), append(args, likePattern(db.sortKey(queryValue(q))))
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// Demands returns the demands f selects, by buyer tax code and ref.
func (db *DB) Demands(ctx context.Context, f DemandFilter) ([]*sihub.Demand, error) {
	where, args := f.where(db)
	if f.Limit <= 0 || f.Limit > sihub.MaxLimit {
		f.Limit = sihub.MaxLimit
	}
	query := `SELECT ` + demandCols + demandFrom + where +
		` ORDER BY c.tax_code, d.ref` + db.d.collateC + ` LIMIT ? OFFSET ?`
	args = append(args, f.Limit, max(f.Offset, 0))
	var ds []*sihub.Demand
	err := db.read(ctx, "list demands", func(tx *sql.Tx) error {
		var err error
		ds, err = db.queryDemands(ctx, tx, query, args...)
		return err
	})
	return ds, err
}

// CountDemands returns how many demands f selects, ignoring Limit and
// Offset: the total of Demands' pages.
func (db *DB) CountDemands(ctx context.Context, f DemandFilter) (int, error) {
	where, args := f.where(db)
	var n int
	err := db.read(ctx, "count demands", func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, db.q(`SELECT COUNT(*)`+demandFrom+where), args...).Scan(&n)
	})
	return n, err
}

// queryDemands returns the demands a query of demandCols selects.
func (db *DB) queryDemands(ctx context.Context, tx *sql.Tx, query string, args ...any) ([]*sihub.Demand, error) {
	rows, err := tx.QueryContext(ctx, db.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ds []*sihub.Demand
	for rows.Next() {
		d, err := scanDemand(rows)
		if err != nil {
			return nil, err
		}
		ds = append(ds, d)
	}
	return ds, rows.Err()
}

func demandNotFound(id int64) error {
	return sihub.Errorf(sihub.ErrNotFound, "Không tìm thấy nhu cầu #%d.", "Demand #%d was not found.", id)
}

// refTaken reports a reference the buyer already uses.
func refTaken(ref string) error {
	m := sihub.M("Bên mua đã có nhu cầu với mã tham chiếu %s.", "The buyer already has a demand with reference %s.", ref)
	return &sihub.Error{Code: sihub.ErrConflict, Msg: m, Fields: []sihub.FieldError{{Field: "ref", Msg: m}}}
}

// CreateDemand adds d for an existing buyer (d.BuyerID, or d.BuyerTaxCode
// when that is 0; never creates a buyer): ErrConflict when the buyer already
// has d.Ref, ErrNotFound when the buyer is unknown. Sets ID, BuyerID,
// BuyerTaxCode, BuyerName and timestamps; audited demand.create.
func (db *DB) CreateDemand(ctx context.Context, d *sihub.Demand) error {
	x := *d
	err := db.write(ctx, "create demand", func(tx *sql.Tx) error {
		var (
			row *sql.Row
			nf  error
		)
		if x.BuyerID != 0 {
			row, nf = tx.QueryRowContext(ctx, db.q(`SELECT id, tax_code, name FROM companies WHERE id = ?`), x.BuyerID), notFound("company", x.BuyerID)
		} else {
			tc := sihub.CompactTaxCode(x.BuyerTaxCode)
			row = tx.QueryRowContext(ctx, db.q(`SELECT id, tax_code, name FROM companies WHERE tax_code = ?`), queryValue(tc))
			nf = sihub.Errorf(sihub.ErrNotFound, "Không tìm thấy bên mua có mã số thuế %s.", "No buyer has the tax code %s.", sihub.FormatTaxCode(tc))
		}
		if err := row.Scan(&x.BuyerID, &x.BuyerTaxCode, &x.BuyerName); errors.Is(err, sql.ErrNoRows) {
			return nf
		} else if err != nil {
			return err
		}
		if err := readyDemand(&x); err != nil {
			return err
		}
		newDemand(&x)
		var n int
		if err := tx.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM demands WHERE buyer_id = ? AND ref = ?`), x.BuyerID, x.Ref).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return refTaken(x.Ref)
		}
		now := db.now()
		x.CreatedAt, x.UpdatedAt = now, now
		args, err := db.demandValues(&x)
		if err != nil {
			return err
		}
		// noticed_at stays NULL: the matching suppliers are yet to be told.
		err = tx.QueryRowContext(ctx, db.q(`INSERT INTO demands (buyer_id, `+strings.Join(demandWriteCols, ", ")+`, created_at) VALUES (?`+
			strings.Repeat(", ?", len(demandWriteCols)+1)+`) RETURNING id`), append([]any{x.BuyerID}, append(args, x.CreatedAt)...)...).Scan(&x.ID)
		if err != nil {
			if db.d.isUniqueViolation(err) {
				return refTaken(x.Ref)
			}
			return err
		}
		return db.audit(ctx, tx, "demand.create", "demand", x.ID, nil, auditedDemand{Demand: &x})
	})
	if err != nil {
		return err
	}
	*d = x
	return nil
}

// UpdateDemand replaces demand d.ID's fields (not its buyer) with d's.
// When d.UpdatedAt is set and differs from the stored value the write is
// refused with ErrConflict (someone else changed it meanwhile). Audited
// demand.update; a change of requirements or status makes the demand
// matched again for notifications (see ClaimUnnoticedDemands).
//
// d gets the buyer, CreatedAt and the new UpdatedAt; when nothing changed
// nothing is written and UpdatedAt stays.
func (db *DB) UpdateDemand(ctx context.Context, d *sihub.Demand) error {
	x := *d
	err := db.write(ctx, "update demand", func(tx *sql.Tx) error {
		old, err := scanDemand(tx.QueryRowContext(ctx, db.q(`SELECT `+demandCols+demandFrom+` WHERE d.id = ?`), x.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return demandNotFound(x.ID)
		}
		if err != nil {
			return err
		}
		if !x.UpdatedAt.IsZero() && !x.UpdatedAt.Equal(old.UpdatedAt) {
			return sihub.Errorf(sihub.ErrConflict,
				"Nhu cầu này đã được sửa sau khi bạn mở nó; hãy tải lại trang rồi sửa lại.",
				"This demand was changed after you opened it; reload the page and make your changes again.")
		}
		x.BuyerID, x.BuyerTaxCode, x.BuyerName, x.CreatedAt, x.UpdatedAt = old.BuyerID, old.BuyerTaxCode, old.BuyerName, old.CreatedAt, old.UpdatedAt
		if err := readyDemand(&x); err != nil {
			return err
		}
		keepUnnamed(old, &x)
		if same, err := sameDemand(old, &x); err != nil || same {
			return err
		}
		if x.Ref != old.Ref {
			var n int
			if err := tx.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM demands WHERE buyer_id = ? AND ref = ?`), x.BuyerID, x.Ref).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return refTaken(x.Ref)
			}
		}
		x.UpdatedAt = db.now()
		args, err := db.demandValues(&x)
		if err != nil {
			return err
		}
		set := strings.Join(demandWriteCols, " = ?, ") + " = ?"
		if requirementsChanged(old, &x) {
			set += ", noticed_at = NULL"
		}
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE demands SET `+set+` WHERE id = ?`), append(args, x.ID)...); err != nil {
			if db.d.isUniqueViolation(err) {
				return refTaken(x.Ref)
			}
			return err
		}
		return db.audit(ctx, tx, "demand.update", "demand", x.ID, auditedDemand{Demand: old}, auditedDemand{Demand: &x})
	})
	if err != nil {
		return err
	}
	*d = x
	return nil
}

// SetDemandStatus changes demand id's status, audited demand.status, and
// returns the demand as it now is.
func (db *DB) SetDemandStatus(ctx context.Context, id int64, status sihub.DemandStatus) (*sihub.Demand, error) {
	if !slices.Contains(sihub.DemandStatuses, status) {
		m := sihub.M("Trạng thái phải là draft, open, closed hoặc fulfilled.", "Status must be draft, open, closed or fulfilled.")
		return nil, &sihub.Error{Code: sihub.ErrInvalid, Msg: m, Fields: []sihub.FieldError{{Field: "status", Msg: m}}}
	}
	var d *sihub.Demand
	err := db.write(ctx, "set demand status", func(tx *sql.Tx) error {
		var err error
		d, err = scanDemand(tx.QueryRowContext(ctx, db.q(`SELECT `+demandCols+demandFrom+` WHERE d.id = ?`), id))
		if errors.Is(err, sql.ErrNoRows) {
			return demandNotFound(id)
		}
		if err != nil || d.Status == status {
			return err
		}
		before := map[string]sihub.DemandStatus{"status": d.Status}
		d.Status, d.UpdatedAt = status, db.now()
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE demands SET status = ?, updated_at = ?, noticed_at = NULL WHERE id = ?`),
			string(status), d.UpdatedAt, id); err != nil {
			return err
		}
		return db.audit(ctx, tx, "demand.status", "demand", id, before, map[string]sihub.DemandStatus{"status": status})
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// UnnoticedDemands returns up to limit open demands (oldest first; 0 means
// sihub.MaxLimit) whose matching suppliers have not been told since the
// demand was created or its requirements or status last changed, by
// whichever path wrote it: import, form, API or command line. Telling is
// safe to repeat — a company is noticed of a demand once, ever
// (AddDemandNotices) — so several instances may work on the same demand;
// MarkNoticed ends it.
func (db *DB) UnnoticedDemands(ctx context.Context, limit int) ([]*sihub.Demand, error) {
	if limit <= 0 || limit > sihub.MaxLimit {
		limit = sihub.MaxLimit
	}
	var ds []*sihub.Demand
	err := db.read(ctx, "unnoticed demands", func(tx *sql.Tx) error {
		var err error
		ds, err = db.queryDemands(ctx, tx, `SELECT `+demandCols+demandFrom+
			` WHERE d.noticed_at IS NULL AND d.status = ? ORDER BY d.id LIMIT ?`, string(sihub.DemandOpen), limit)
		return err
	})
	return ds, err
}

// MarkNoticed records that demand id's suppliers were told of it as it was
// at updatedAt. A demand changed since then stays unnoticed, so that the
// suppliers its new requirements match are told in their turn; and one
// whose telling failed midway is taken up again. Marking is bookkeeping,
// not a change to the demand: it is not audited and UpdatedAt stays.
func (db *DB) MarkNoticed(ctx context.Context, id int64, updatedAt time.Time) error {
	return db.write(ctx, "mark demand noticed", func(tx *sql.Tx) error {
		var stored time.Time
		err := tx.QueryRowContext(ctx, db.q(`SELECT updated_at FROM demands WHERE id = ? AND noticed_at IS NULL`), id).Scan(&stored)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !stored.Equal(updatedAt)) {
			return nil // gone, marked already, or changed since
		}
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, db.q(`UPDATE demands SET noticed_at = ? WHERE id = ?`), db.now(), id)
		return err
	})
}
