package match

import (
	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/taxonomy"
)

// Prepare readies a company for storage; see PrepareWarn, whose warnings it
// drops.
func Prepare(c *sihub.Company) error {
	_, err := PrepareWarn(c)
	return err
}

// PrepareWarn readies a company for storage, the same way for every path that
// writes one (import, edit form, API): it validates the fields a person
// entered, places the address on the 2025 map (old province and ward names are
// mapped, not rejected), checks the sector codes and recognizes capabilities,
// materials, certifications and equipment from the text fields.
//
// Problems that make the company invalid come back as an ErrInvalid error;
// warnings — items of a capability column that matched nothing in the
// taxonomy — do not stop it being stored, but the person who typed them
// should see them.
func PrepareWarn(c *sihub.Company) (warnings sihub.Problems, err error) {
	var p sihub.Problems
	if err := c.Validate(); err != nil {
		p = append(p, sihub.FieldsOf(err)...)
	}
	c.ProvinceCode, c.WardCode = ResolveAddress(c.Address, c.ProvinceInput)
	if c.ProvinceInput != "" && c.ProvinceCode == "" {
		p.Add("province", sihub.M("Không nhận ra tỉnh/thành phố %q.", "Province %q is not recognized.", c.ProvinceInput))
	}
	// Parks are written many ways ("KCN VSIP I", "VSIP 1", "Vietnam Singapore
	// Industrial Park"); store the park's official name so that the directory
	// counts and filters one park as one.
	if park, ok := ResolvePark(c.IndustrialPark); ok {
		c.IndustrialPark = park.Name
		if c.ProvinceCode == "" {
			c.ProvinceCode = park.ProvinceCode
		}
	}
	sectors := c.Sectors[:0:0]
	for _, s := range c.Sectors {
		if _, ok := taxonomy.VSICByCode(s); ok {
			sectors = append(sectors, s)
		} else if s25, ok := taxonomy.VSICFrom2018(s); ok {
			sectors = append(sectors, s25)
		} else {
			p.Add("sectors", sihub.M("Mã ngành %q không có trong VSIC 2025 (ngành C – chế biến, chế tạo).",
				"Sector code %q is not a VSIC 2025 manufacturing code (section C).", s))
		}
	}
	c.Sectors = sectors
	return Analyze(c), p.Err()
}
