package taxonomy

import (
	"fmt"
	"slices"
	"strconv"
	"sync"

	"github.com/sihub-org/sihub/internal/sihub"
)

// VSIC is a code of the Vietnam Standard Industrial Classification 2025
// (Decision 36/2025/QĐ-TTg), section C (manufacturing) only: SIHub lists
// manufacturers.
type VSIC struct {
	Code   string // "C", then 2 to 5 digits: division, group, class, sub-class
	Parent string // the code one level up, "" for the section
	NameVI string
	NameEN string // "" below the groups, except in divisions 22-33
	Level  int    // 1 section, 2 division, 3 group, 4 class, 5 sub-class
}

// Label returns the title in lang; codes without an English title fall back
// to Vietnamese.
func (v VSIC) Label(lang sihub.Lang) string {
	if lang == sihub.EN && v.NameEN != "" {
		return v.NameEN
	}
	return v.NameVI
}

type vsicTables struct {
	codes []VSIC
	idx   map[string]int
	from  map[string][]string
}

var vsicData = sync.OnceValue(func() *vsicTables {
	t := &vsicTables{idx: map[string]int{}, from: map[string][]string{}}
	err := readPlaceTSV("vsic2025.tsv", 5, func(f []string) error {
		lvl, err := strconv.Atoi(f[1])
		if err != nil || lvl < 1 || lvl > 5 {
			return fmt.Errorf("bad level %q", f[1])
		}
		if f[2] != "" {
			if _, ok := t.idx[f[2]]; !ok {
				return fmt.Errorf("code %s: parent %s not listed before it", f[0], f[2])
			}
		}
		t.idx[f[0]] = len(t.codes)
		t.codes = append(t.codes, VSIC{Code: f[0], Level: lvl, Parent: f[2], NameVI: f[3], NameEN: f[4]})
		return nil
	})
	if err == nil {
		err = readPlaceTSV("vsic2018_to_2025.tsv", 2, func(f []string) error {
			to := splitList(f[1], ",")
			for _, c := range to {
				if _, ok := t.idx[c]; !ok {
					return fmt.Errorf("2018 code %s: unknown 2025 code %s", f[0], c)
				}
			}
			t.from[f[0]] = to
			return nil
		})
	}
	if err != nil {
		panic("taxonomy: " + err.Error())
	}
	return t
})

// VSICCodes returns the VSIC 2025 section C codes, each after its parent.
func VSICCodes() []VSIC { return slices.Clone(vsicData().codes) }

// VSICByCode returns the VSIC 2025 code c.
func VSICByCode(c string) (VSIC, bool) {
	t := vsicData()
	i, ok := t.idx[c]
	if !ok {
		return VSIC{}, false
	}
	return t.codes[i], true
}

// VSICFrom2018 returns the VSIC 2025 code that replaces VSIC 2018 code c
// (Decision 27/2018/QĐ-TTg), unchanged codes included. It reports false for
// codes that are not 2018 section C codes and for those the 2025 revision
// split or partly moved (1103 beer and malt, 2610 electronic components…).
// A code valid in both editions means different things only where the
// revision renumbered it, so callers should try VSICByCode first.
func VSICFrom2018(c string) (string, bool) {
	to := vsicData().from[c]
	if len(to) != 1 {
		return "", false
	}
	return to[0], true
}
