// Package auth holds the rules for proving who someone is: password hashing
// and policy, TOTP second factors, recovery codes and session tokens. It does
// no I/O beyond reading its embedded blocklist.
package auth

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// OWASP's argon2id parameters: 19 MiB of memory, 2 passes, 1 lane.
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	saltLen      = 16
)

// Password length limits, counted in Unicode code points.
const (
	MinPasswordLen = 12
	MaxPasswordLen = 128
)

// Hasher holds argon2id parameters. Production uses DefaultHasher; tests that
// make many accounts may use cheaper parameters, which the hash records.
type Hasher struct {
	Memory uint32 // KiB
	Time   uint32
}

// DefaultHasher has OWASP's parameters.
var DefaultHasher = Hasher{Memory: argonMemory, Time: argonTime}

// HashPassword returns an argon2id hash at OWASP's parameters, in PHC string form.
func HashPassword(password string) (string, error) { return DefaultHasher.Hash(password) }

// Hash returns an argon2id hash in PHC string form, with its parameters.
func (h Hasher) Hash(password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, h.Time, h.Memory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, h.Memory, h.Time, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

var errBadHash = errors.New("auth: malformed password hash")

// CheckPassword reports whether password matches a hash made by HashPassword,
// using the parameters stored in the hash.
func CheckPassword(hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var version int
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 {
		return false, errBadHash
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, errBadHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, errBadHash
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want))) // #nosec G115 -- want is decoded from a hash Haven wrote (argonKeyLen bytes); no stored hash is 4 GiB
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is checked against when the account does not exist, so that an
// unknown email takes as long as a wrong password.
var dummyHash = sync.OnceValue(func() string {
	h, err := HashPassword("not a real password, only for timing")
	if err != nil {
		panic(err)
	}
	return h
})

// CheckNoAccount spends the same time as CheckPassword and always fails.
func CheckNoAccount(password string) {
	CheckPassword(dummyHash(), password)
}

//go:embed data/ncsc-pwned-passwords-top100k.txt
var commonList []byte

var common = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{}, 100_000)
	sc := bufio.NewScanner(bytes.NewReader(commonList))
	for sc.Scan() {
		set[strings.ToLower(sc.Text())] = struct{}{}
	}
	return set
})

// IsCommon reports whether password is on the NCSC list of breached passwords,
// ignoring case.
func IsCommon(password string) bool {
	_, ok := common()[strings.ToLower(password)]
	return ok
}

// contextWords are words anyone guessing a Haven password would try first.
var contextWords = []string{"haven", "pause", "password", "practice", "practitioner"}

// PasswordProblem returns why a new password is not acceptable, or "" if it
// is. There are no composition rules: length, and not being easy to guess.
// extra holds words about this account (its email, its Practice's area).
func PasswordProblem(password string, extra ...string) string {
	if !utf8.ValidString(password) {
		return "Password must be made of ordinary characters"
	}
	n := utf8.RuneCountInString(password)
	switch {
	case n < MinPasswordLen:
		return fmt.Sprintf("Password must be %d characters or more", MinPasswordLen)
	case n > MaxPasswordLen:
		return fmt.Sprintf("Password must be %d characters or fewer", MaxPasswordLen)
	case IsCommon(password):
		return "Password is too common: choose one that is harder to guess, like three random words"
	}
	lower := strings.ToLower(password)
	stripped := strings.Trim(lower, "0123456789!@#$%^&*()-_=+. ")
	for _, w := range append(contextWords, extra...) {
		w = strings.ToLower(strings.TrimSpace(w))
		if len(w) >= 4 && (stripped == w || strings.Count(lower, w)*len(w) >= len(lower)/2+1) {
			return "Password must not be mostly the name of the service, your Practice or your email address"
		}
	}
	return ""
}
