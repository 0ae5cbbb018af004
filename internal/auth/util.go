package auth

import (
	"crypto/subtle"
	"encoding/base32"
	"strings"
)

func constantTimeEqual(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

func decodeSecret(s string) ([]byte, error) {
	s = strings.ToUpper(strings.TrimRight(s, "="))
	return base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(s)
}

// encodeToken encodes token bytes in lower-case base32 without padding: URL- and cookie-safe.
func encodeToken(b []byte) string {
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}
