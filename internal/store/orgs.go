package store

import (
	"context"
	"strings"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
)

// NewOrg is what creating an organization needs. NameKey is the folded name
// that must be unique (case, accents and spaces removed).
type NewOrg struct {
	Name, NameKey, Slug           string
	Country, City, Address, VATID string
	Products                      access.ProductSet
	Package                       string
	Seats                         int
	BillingName, BillingEmail     string
	PONumber                      string
}

const orgCols = `o.id, o.name, o.slug, o.country, o.city, o.address, o.vat_id, o.products, o.package, o.seats,
	o.billing_name, o.billing_email, o.po_number, o.perm_version, o.created_at`

func scanOrg(sc interface{ Scan(...any) error }, o *domain.Org) error {
	var products string
	err := sc.Scan(&o.ID, &o.Name, &o.Slug, &o.Country, &o.City, &o.Address, &o.VATID, &products, &o.Package,
		&o.Seats, &o.BillingName, &o.BillingEmail, &o.PONumber, &o.PermVersion, &o.CreatedAt)
	if err != nil {
		return err
	}
	o.Products = parseProducts(products)
	return nil
}

// parseProducts reads the stored comma list; keys unknown to this binary are dropped.
func parseProducts(s string) access.ProductSet { return access.ParseStoredProducts(s) }

func productsString(p access.ProductSet) string { return strings.Join(p.Keys(), ",") }

// CreateOrg inserts an organization with its predefined groups. ErrConflict
// when the name or slug is taken (the unique indexes decide races).
func (tx *Tx) CreateOrg(ctx context.Context, n NewOrg) (domain.Org, error) {
	res, err := tx.Exec(ctx, `INSERT INTO organizations (name, name_key, slug, country, city, address, vat_id, products,
		package, seats, billing_name, billing_email, po_number, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		n.Name, n.NameKey, n.Slug, n.Country, n.City, n.Address, n.VATID, productsString(n.Products), n.Package, n.Seats,
		n.BillingName, n.BillingEmail, n.PONumber, tx.Now())
	if clash, ok := tx.s.d.uniqueViolation(err); ok {
		if strings.Contains(clash, "slug") {
			return domain.Org{}, conflict("slug")
		}
		return domain.Org{}, conflict("name")
	}
	if err != nil {
		return domain.Org{}, err
	}
	id, _ := res.LastInsertId()
	for _, g := range access.PredefinedGroups(n.Products) {
		if _, err := tx.CreateGroup(ctx, id, g.Name, g.Description, g.Set, g.Key); err != nil {
			return domain.Org{}, err
		}
	}
	return tx.OrgByID(ctx, id)
}

// conflict names the unique field that is taken: a conflict *domain.Error
// whose Field is the column; errors.Is(err, ErrConflict) holds.
func conflict(field string) *domain.Error {
	e := domain.Conflict(field, "%s already taken", field)
	e.Err = ErrConflict
	return e
}

// OrgByID loads an organization.
func (r reads) OrgByID(ctx context.Context, id int64) (domain.Org, error) {
	return one(r.q.queryRow(ctx, `SELECT `+orgCols+` FROM organizations o WHERE o.id = ?`, id), scanOrg)
}

// ListVersions is the organization's members_version and perm_version
// now, for a page rendered after its request wrote (the auth context read
// them when the request began).
func (r reads) ListVersions(ctx context.Context, orgID int64) (members, perm int64, err error) {
	err = r.q.queryRow(ctx, `SELECT COALESCE(members_version, 0), perm_version FROM organizations WHERE id = ?`, orgID).Scan(&members, &perm)
	return members, perm, err
}

// OrgBySlug loads an organization.
func (r reads) OrgBySlug(ctx context.Context, slug string) (domain.Org, error) {
	return one(r.q.queryRow(ctx, `SELECT `+orgCols+` FROM organizations o WHERE o.slug = ?`, slug), scanOrg)
}

// OrgNameTaken reports whether a folded name is in use.
func (r reads) OrgNameTaken(ctx context.Context, nameKey string) (bool, error) {
	var n int
	err := r.q.queryRow(ctx, `SELECT COUNT(*) FROM organizations WHERE name_key = ?`, nameKey).Scan(&n)
	return n > 0, err
}

// OrgSlugTaken reports whether a slug is in use.
func (r reads) OrgSlugTaken(ctx context.Context, slug string) (bool, error) {
	var n int
	err := r.q.queryRow(ctx, `SELECT COUNT(*) FROM organizations WHERE slug = ?`, slug).Scan(&n)
	return n > 0, err
}

// UserOrg is one organization of a user, with the user's role there.
type UserOrg struct {
	Org          domain.Org
	MembershipID int64
	Role         access.Role
	Status       string
}

// OrgsOfUser lists the organizations a user belongs to, by name.
func (r reads) OrgsOfUser(ctx context.Context, userID int64) ([]UserOrg, error) {
	rows, err := r.q.query(ctx, `SELECT `+orgCols+`, m.id, m.role, m.status FROM memberships m
		JOIN organizations o ON o.id = m.org_id WHERE m.user_id = ? ORDER BY o.name COLLATE NOCASE`, userID)
	return collect(rows, err, func(sc scanner, uo *UserOrg) error {
		var products string
		o := &uo.Org
		err := sc.Scan(&o.ID, &o.Name, &o.Slug, &o.Country, &o.City, &o.Address, &o.VATID, &products, &o.Package,
			&o.Seats, &o.BillingName, &o.BillingEmail, &o.PONumber, &o.PermVersion, &o.CreatedAt,
			&uo.MembershipID, &uo.Role, &uo.Status)
		o.Products = parseProducts(products)
		return err
	})
}

// UpdateOrg saves an organization's editable settings (the products change
// bumps perm_version through a trigger).
func (tx *Tx) UpdateOrg(ctx context.Context, o domain.Org, nameKey string) error {
	_, err := tx.Exec(ctx, `UPDATE organizations SET name = ?, name_key = ?, country = ?, city = ?, address = ?, vat_id = ?,
		products = ?, package = ?, seats = ?, billing_name = ?, billing_email = ?, po_number = ? WHERE id = ?`,
		o.Name, nameKey, o.Country, o.City, o.Address, o.VATID, productsString(o.Products), o.Package, o.Seats,
		o.BillingName, o.BillingEmail, o.PONumber, o.ID)
	if tx.s.isUnique(err) {
		return conflict("name")
	}
	return err
}
