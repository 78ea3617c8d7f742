package store

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
)

// Passwords are hashed with argon2id at OWASP's recommended minimum
// (19 MiB, two passes, one lane) and stored as PHC strings, which carry
// their parameters: raising them later leaves old hashes verifiable.
const (
	argonMemory  = 19456 // KiB
	argonTime    = 2
	argonThreads = 1
	argonSaltLen = 16
	argonKeyLen  = 32
)

// hashPassword returns the PHC string of password with a new random salt.
// It takes tens of milliseconds: call it outside write transactions.
func hashPassword(password string) string {
	salt := make([]byte, argonSaltLen)
	rand.Read(salt) // never fails (crypto/rand)
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

// verifyPassword reports whether password matches the PHC string phc.
// An empty or malformed phc is checked against a dummy hash, so that the
// time taken does not tell an unknown email, or an account without a
// password, from a wrong password.
func verifyPassword(phc, password string) bool {
	m, t, p, salt, key, ok := parsePHC(phc)
	if !ok {
		m, t, p, salt, key, _ = parsePHC(dummyHash())
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1 && ok
}

// dummyHash is hashed against when there is no real hash to check.
var dummyHash = sync.OnceValue(func() string { return hashPassword("sihub dummy password") })

// parsePHC reads "$argon2id$v=19$m=…,t=…,p=…$salt$key". Parameters beyond
// sane bounds are refused, so that a damaged row cannot make a sign-in
// allocate gigabytes.
func parsePHC(phc string) (m, t uint32, p uint8, salt, key []byte, ok bool) {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return 0, 0, 0, nil, nil, false
	}
	var pp uint32
	if n, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &pp); err != nil || n != 3 ||
		parts[3] != fmt.Sprintf("m=%d,t=%d,p=%d", m, t, pp) || m < 8 || m > 1<<21 || t < 1 || t > 20 || pp < 1 || pp > 16 {
		return 0, 0, 0, nil, nil, false
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return 0, 0, 0, nil, nil, false
	}
	key, err = base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(key) < 16 || len(key) > 64 {
		return 0, 0, 0, nil, nil, false
	}
	return m, t, uint8(pp), salt, key, true
}

// newSecret returns a random secret for a cookie, a link or (prefixed) an
// API token: 32 bytes from crypto/rand, base64url without padding.
func newSecret() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}

// secretHash is what the tables keep of a secret: its hex SHA-256. The
// secrets are random and long, so a fast hash suffices.
func secretHash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}
