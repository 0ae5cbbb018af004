package auth

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"image/png"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// TOTP follows RFC 6238: 30-second steps, 6 digits, SHA-1 (what every
// authenticator app supports), and one step of clock skew either way.
const (
	totpPeriod = 30
	totpSkew   = 1
)

// NewTOTPKey makes a new secret for an account, labelled with its email.
func NewTOTPKey(issuer, email string) (*otp.Key, error) {
	return totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: email, Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
}

// TOTPKeyFromSecret rebuilds the key (for its QR code) from a stored secret.
func TOTPKeyFromSecret(issuer, email, secret string) (*otp.Key, error) {
	return totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: email, Period: totpPeriod, Digits: otp.DigitsSix,
		Algorithm: otp.AlgorithmSHA1, Secret: mustDecodeSecret(secret)})
}

func mustDecodeSecret(s string) []byte {
	b, err := decodeSecret(s)
	if err != nil {
		return nil
	}
	return b
}

// QRCodePNG renders the key's otpauth:// URL as a PNG for authenticator apps.
func QRCodePNG(key *otp.Key) ([]byte, error) {
	img, err := key.Image(240, 240)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// TOTPCode returns the code for secret at time t; tests and the demo use it.
func TOTPCode(secret string, t time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, t, totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
}

// CheckTOTP reports whether code is valid for secret at now, within one step
// either way, and returns the step it matched. A code whose step is not after
// lastStep is refused, so that no code can be used twice.
func CheckTOTP(secret, code string, now time.Time, lastStep int64) (step int64, ok bool) {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) != 6 {
		return 0, false
	}
	cur := now.Unix() / totpPeriod
	for d := int64(-totpSkew); d <= totpSkew; d++ {
		s := cur + d
		if s <= lastStep {
			continue
		}
		want, err := TOTPCode(secret, time.Unix(s*totpPeriod, 0))
		if err == nil && constantTimeEqual(want, code) {
			return s, true
		}
	}
	return 0, false
}

// NewRecoveryCodes returns n single-use recovery codes, shown once to the user.
func NewRecoveryCodes(n int) []string {
	out := make([]string, n)
	for i := range out {
		t := strings.ToLower(rand.Text()[:10]) // 50 bits each
		out[i] = t[:5] + "-" + t[5:]
	}
	return out
}

// NormaliseRecoveryCode accepts what people type: any case, with or without the hyphen or spaces.
func NormaliseRecoveryCode(code string) string {
	c := strings.ToLower(strings.NewReplacer("-", "", " ", "").Replace(strings.TrimSpace(code)))
	if len(c) != 10 {
		return c
	}
	return c[:5] + "-" + c[5:]
}

// HashToken hashes a high-entropy secret (session token, recovery code, API
// token, enrolment link) for storage. These secrets are random, so a fast
// hash is enough; passwords use argon2id.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// NewToken returns a 256-bit random token, URL-safe.
func NewToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return encodeToken(b)
}
