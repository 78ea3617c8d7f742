// Package match turns free text into taxonomy codes and ranks companies.
// It is pure: no SQL, no HTTP, no files but the embedded taxonomy.
package match

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Fold lower-cases s, decomposes it (NFD), drops the combining marks and maps
// đ/Đ to d, so that "Ép Nhựa" and "ep nhua" compare equal. Users often type
// Vietnamese without diacritics; every comparison that must forgive that goes
// through Fold.
func Fold(s string) string {
	// Fast path: plain ASCII needs only lower-casing.
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ' || r == 'Đ':
			r = 'd'
		default:
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Lower returns s in NFC and lower case, keeping its diacritics: text written
// with diacritics is matched on its exact accented form, so that "đúc" (cast)
// is never taken for "đục" (chisel).
func Lower(s string) string {
	return strings.ToLower(norm.NFC.String(s))
}
