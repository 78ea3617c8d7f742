package match
import ("testing";"github.com/sihub-org/sihub/internal/taxonomy")
func TestCountTax(t *testing.T){ t.Log(len(taxonomy.Processes()), len(taxonomy.Materials()), len(taxonomy.Certifications()), len(taxonomy.EquipmentKinds()))
fam:=map[string]bool{}; for _,m:=range taxonomy.Materials(){fam[m.Family]=true}; t.Log(len(fam)) }
