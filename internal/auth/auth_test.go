package auth

import (
	"bufio"
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"
)

// S1: length rules by code point, no composition rules, no truncation.
func TestS1PasswordLength(t *testing.T) {
	tests := []struct {
		name   string
		pw     string
		wantOK bool
	}{
		{"11 characters", "kx7-qrv-mzp", false},
		{"12 characters", "kx7-qrv-mzpw", true},
		{"64 characters", strings.Repeat("tangerine-", 6) + "owl!", true},
		{"128 characters", strings.Repeat("q7", 64), true},
		{"129 characters", strings.Repeat("q7", 64) + "x", false},
		{"emoji counted by code point", "🦉🌙🍐🚲🧭🎻🪁🧩🌵🐚🪴🎈", true},
		{"only lower-case letters is fine", "marmalade cloud lantern", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := PasswordProblem(tt.pw)
			if (got == "") != tt.wantOK {
				t.Errorf("PasswordProblem(%q) = %q, want ok=%v", tt.pw, got, tt.wantOK)
			}
		})
	}
}

// S1: a long password whose tail differs must not match (no bcrypt-style truncation at 72 bytes).
func TestS1NoTruncation(t *testing.T) {
	base := strings.Repeat("a-long-passphrase-", 5) // 90 bytes
	h, err := HashPassword(base + "one")
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := CheckPassword(h, base+"two"); ok {
		t.Error("a password differing only after 72 bytes matched")
	}
	if ok, _ := CheckPassword(h, base+"one"); !ok {
		t.Error("the right password did not match")
	}
}

// S2: every password on the embedded NCSC list that is long enough to pass
// the length rule is still refused.
func TestS2CommonPasswordsRefused(t *testing.T) {
	sc := bufio.NewScanner(bytes.NewReader(commonList))
	lines, long := 0, 0
	for sc.Scan() {
		lines++
		pw := sc.Text()
		if PasswordProblem(pw) == "" {
			t.Fatalf("common password %q was accepted", pw)
		}
		if len([]rune(pw)) >= MinPasswordLen {
			long++
		}
	}
	if lines < 3000 || long == 0 {
		t.Fatalf("blocklist has %d lines (%d long enough to test the list itself), want at least 3,000", lines, long)
	}
	for _, pw := range []string{"havenhavenhaven", "Pause12345678!", "password1234567", "PRACTITIONER2026"} {
		if PasswordProblem(pw) == "" {
			t.Errorf("context-word password %q accepted", pw)
		}
	}
	if PasswordProblem("leedsleedsleeds", "leeds") == "" {
		t.Error("a password made of the Practice's area was accepted")
	}
}

// S3: argon2id at OWASP's parameters, recorded in the PHC string.
func TestS3HashParameters(t *testing.T) {
	h, err := HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q does not carry the OWASP argon2id parameters", h)
	}
	h2, _ := HashPassword("correct horse battery staple")
	if h == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
	for _, bad := range []string{"", "$2a$10$abc", "$argon2id$v=19$m=0,t=2,p=1$AAAA$AAAA"} {
		if ok, err := CheckPassword(bad, "x"); ok || err == nil {
			t.Errorf("CheckPassword(%q) = %v, %v; want a malformed-hash error", bad, ok, err)
		}
	}
}

// S5: a TOTP code works once, within one step of skew, and never three steps late.
func TestS5TOTP(t *testing.T) {
	key, err := NewTOTPKey("Haven", "sam@example.org")
	if err != nil {
		t.Fatal(err)
	}
	secret := key.Secret()
	now := time.Date(2026, 11, 22, 10, 0, 15, 0, time.UTC)
	code, _ := TOTPCode(secret, now)

	step, ok := CheckTOTP(secret, code, now, 0)
	if !ok {
		t.Fatal("current code refused")
	}
	if _, ok := CheckTOTP(secret, code, now, step); ok {
		t.Error("the same code was accepted twice (replay)")
	}
	prev, _ := TOTPCode(secret, now.Add(-30*time.Second))
	if _, ok := CheckTOTP(secret, prev, now, 0); !ok {
		t.Error("code from one step ago refused (skew)")
	}
	old, _ := TOTPCode(secret, now.Add(-90*time.Second))
	if _, ok := CheckTOTP(secret, old, now, 0); ok {
		t.Error("code from three steps ago accepted")
	}
	if _, ok := CheckTOTP(secret, "12345", now, 0); ok {
		t.Error("five-digit code accepted")
	}
	png, err := QRCodePNG(key)
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Errorf("QR code is not a PNG: %v", err)
	}
}

// S9: tokens carry at least 128 random bits and are stored only as hashes.
func TestS9Tokens(t *testing.T) {
	a, b := NewToken(), NewToken()
	if a == b {
		t.Fatal("two tokens are equal")
	}
	if len(a) < 50 { // 256 bits in base32 is 52 characters
		t.Errorf("token %q is too short", a)
	}
	if HashToken(a) == a || len(HashToken(a)) != 64 {
		t.Error("HashToken does not hash")
	}
	codes := NewRecoveryCodes(10)
	seen := map[string]bool{}
	for _, c := range codes {
		if seen[c] || len(c) != 11 {
			t.Errorf("bad or repeated recovery code %q", c)
		}
		seen[c] = true
		if NormaliseRecoveryCode(strings.ToUpper(strings.ReplaceAll(c, "-", " "))) != c {
			t.Errorf("recovery code %q does not survive being typed differently", c)
		}
	}
}

func BenchmarkS3HashPassword(b *testing.B) {
	for b.Loop() {
		HashPassword("correct horse battery staple")
	}
}

// S7: an unknown account costs the same as a wrong password, because the
// dummy hash runs at the same parameters. The fastest of alternating trials
// is compared, since a busy machine only ever adds time.
func TestS7UnknownAccountTakesAsLong(t *testing.T) {
	h, err := HashPassword("the-real-password-here")
	if err != nil {
		t.Fatal(err)
	}
	const trials = 15
	var wrong, unknown []time.Duration
	for range trials {
		start := time.Now()
		CheckPassword(h, "a-wrong-password-guess")
		wrong = append(wrong, time.Since(start))
		start = time.Now()
		CheckNoAccount("a-wrong-password-guess")
		unknown = append(unknown, time.Since(start))
	}
	// The bounds are loose because a shared CI machine is noisy; what they
	// catch is an unknown account skipping the hash, which is a thousand
	// times faster, not a few per cent.
	ratio := float64(slices.Min(unknown)) / float64(slices.Min(wrong))
	if ratio < 0.5 || ratio > 2 {
		t.Errorf("unknown account fastest %v, wrong password fastest %v: ratio %.2f, want 0.5 to 2", slices.Min(unknown), slices.Min(wrong), ratio)
	}
}
