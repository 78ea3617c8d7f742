package sihub

import (
	_ "embed"
	"strings"
	"sync"
)

// commonpasswords.txt lists passwords of at least MinPasswordLen characters
// that people commonly use (its header names the sources), lower case, one
// per line; shorter ones are refused by length anyway.
//
//go:embed commonpasswords.txt
var commonPasswordsFile string

var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	m := map[string]struct{}{}
	for _, line := range strings.Split(commonPasswordsFile, "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			m[strings.ToLower(line)] = struct{}{}
		}
	}
	return m
})

// IsCommonPassword reports whether password is on the list of commonly used
// passwords, ignoring case, or is one character or a short run repeated
// ("aaaaaaaaaa", "abcabcabcabc").
func IsCommonPassword(password string) bool {
	p := strings.ToLower(password)
	if _, ok := commonPasswords()[p]; ok {
		return true
	}
	for n := 1; n <= 4 && n < len(p); n++ {
		if len(p)%n == 0 && strings.Repeat(p[:n], len(p)/n) == p {
			return true
		}
	}
	return false
}
