package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/trustelem/zxcvbn"
	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: OWASP's recommended minimum (19 MiB, 2 passes, 1
// lane). They are stored in each hash, so raising them later keeps old
// hashes verifiable.
const (
	argonMemory  = 19 * 1024 // KiB
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// MinPasswordLength is the shortest password accepted for a new user.
const MinPasswordLength = 8

// MinPasswordScore is the lowest zxcvbn score (0–4) a new password may have:
// 2 means at least about a million guesses against zxcvbn's lists of
// common passwords, words, names, keyboard patterns, repeats and dates.
const MinPasswordScore = 2

// WeakPassword says why a password is too easy to guess ("" when it is
// not): shorter than MinPasswordLength, or a common password, a pattern, or
// close to the e-mail (NIST SP 800-63B §5.1.1.2 asks for a check against
// such lists). The check is zxcvbn's (github.com/trustelem/zxcvbn, a port
// of Dropbox's estimator with its frequency lists).
func WeakPassword(password, email string) string {
	if len([]rune(password)) < MinPasswordLength {
		return fmt.Sprintf("must have at least %d characters", MinPasswordLength)
	}
	if strings.TrimSpace(password) == "" {
		return "must not be only spaces"
	}
	var inputs []string
	if email != "" {
		local, domain, _ := strings.Cut(email, "@")
		inputs = []string{email, local, domain, "hrbridge", "smarthr", "jobkan"}
	}
	if len(password) <= 100 { // zxcvbn's time grows with length; long ones are not common
		if r := zxcvbn.PasswordStrength(password, inputs); r.Score < MinPasswordScore {
			return "is too easy to guess (a common password, a pattern or close to the e-mail); use a longer passphrase"
		}
	}
	return ""
}

// HashPassword returns an argon2id hash in the PHC string format,
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>.
func HashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches hash (made by HashPassword).
func VerifyPassword(hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("not an argon2id hash")
	}
	var (
		version   int
		mem, time uint32
		threads   uint8
	)
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errors.New("unsupported argon2 version")
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &time, &threads); err != nil {
		return false, fmt.Errorf("argon2 parameters: %w", err)
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, err
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(password), salt, time, mem, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

var (
	dummyOnce sync.Once
	dummy     string
)

// burnPasswordCheck costs what a real verification costs, so that an unknown
// e-mail cannot be told from a wrong password by the response time.
func burnPasswordCheck(password string) {
	dummyOnce.Do(func() { dummy, _ = HashPassword(RandomToken()) })
	_, _ = VerifyPassword(dummy, password)
}

// RandomToken returns 32 random bytes, base64url without padding (43 characters).
func RandomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashToken is the stored form of a session id, CSRF token or API token:
// hex SHA-256. These are 256-bit random values, so a fast hash suffices.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// tokenEqual compares a presented token with a stored hash in constant time.
func tokenEqual(token, hash string) bool {
	return subtle.ConstantTimeCompare([]byte(HashToken(token)), []byte(hash)) == 1
}
