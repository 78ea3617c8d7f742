package sihub

import (
	"encoding/json"
	"testing"
	"time"
)

// BenchmarkAuditSeal seals the record of a company's creation, the
// commonest and largest record (one per row of an import).
func BenchmarkAuditSeal(b *testing.B) {
	c := &Company{TaxCode: "0312345678", Name: "Công ty TNHH Cơ khí Chính xác Đông Á", NameEn: "Dong A Precision Engineering Co., Ltd",
		Address: "Lô 12, đường số 3, KCN Sóng Thần 2", ProvinceInput: "Bình Dương", ProvinceCode: "79", WardCode: "26734",
		CapabilitiesText: "Phay CNC, ép nhựa, dập kim loại tấm", MaterialsText: "SUS304, ABS, PP", CertificationsText: "ISO 9001:2015",
		EquipmentText: "12 máy ép 80-450 tấn", Employees: 150, Founded: 2004, Products: "Linh kiện xe máy", Sectors: []string{"25920", "2599"},
		Capabilities: []Capability{{Process: "cnc_milling", Core: true, Source: "declared", Evidence: "Phay CNC"},
			{Process: "injection_molding", Source: "inferred", Evidence: "ép nhựa"}},
		Contacts: []Contact{{Name: "Hoàng Thị Mai", Role: "Kinh doanh", Email: "mai@donga.vn"}, {Name: "Lê Văn Tám", Email: "tam@donga.vn"}},
		Website:  "https://donga.example.vn", Email: "info@donga.example.vn", Phone: "0274 3123 456", Description: "Gia công chính xác"}
	after, err := json.Marshal(c)
	if err != nil {
		b.Fatal(err)
	}
	a := &AuditRecord{Seq: 1, At: time.Now(), Actor: "import", Action: "company.import", ObjectType: "company", ObjectID: 1, After: after}
	b.ReportAllocs()
	for b.Loop() {
		a.Seal()
	}
}
