package taxonomy

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"strings"
	"sync"
)

//go:embed data/cert_bodies.tsv
var certBodiesTSV []byte

// CertBody is a certification body: an organisation that audits companies
// and issues their certificates.
type CertBody struct {
	Name    string  // the name shown to users, e.g. "TÜV SÜD"
	Aliases []Alias // every way of writing it, Name first; HintCase marks an acronym matched only as written
}

var certBodies = sync.OnceValue(func() []CertBody {
	bs, err := parseCertBodies(certBodiesTSV)
	if err != nil {
		// The file is embedded and loaded by the tests: a failure here is a
		// broken build.
		panic("taxonomy: " + err.Error())
	}
	return bs
})

// CertBodies returns the known certification bodies in file order. The
// slice is shared: do not modify it.
func CertBodies() []CertBody { return certBodies() }

func parseCertBodies(data []byte) ([]CertBody, error) {
	const name = "cert_bodies.tsv"
	var out []CertBody
	seen := map[string]string{} // lower-case alias → body, so that no alias names two bodies
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), " \r")
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 2 {
			return nil, fmt.Errorf("%s:%d: %d columns, want 2", name, n, len(f))
		}
		b := CertBody{Name: strings.TrimSpace(f[0])}
		if b.Name == "" {
			return nil, fmt.Errorf("%s:%d: empty name", name, n)
		}
		b.Aliases = []Alias{{Text: b.Name}}
		if list := strings.TrimSpace(f[1]); list != "-" {
			for _, s := range strings.Split(list, "|") {
				a, err := parseAlias(s)
				if err != nil {
					return nil, fmt.Errorf("%s:%d: %v", name, n, err)
				}
				if a.Hint&^HintCase != 0 {
					return nil, fmt.Errorf("%s:%d: alias %q: only the hint = applies to bodies", name, n, s)
				}
				switch i := aliasIndex(b.Aliases, a.Text); {
				case i < 0:
					b.Aliases = append(b.Aliases, a)
				case a.Hint != 0:
					b.Aliases[i] = a // "=UL" makes the name itself case-exact
				}
			}
		}
		for _, a := range b.Aliases {
			k := strings.ToLower(a.Text)
			if other, dup := seen[k]; dup && other != b.Name {
				return nil, fmt.Errorf("%s:%d: alias %q also names %s", name, n, a.Text, other)
			}
			seen[k] = b.Name
		}
		out = append(out, b)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no bodies", name)
	}
	return out, nil
}

func aliasIndex(as []Alias, text string) int {
	for i, a := range as {
		if a.Text == text {
			return i
		}
	}
	return -1
}
