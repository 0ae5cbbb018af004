package haven

import (
	"strings"
	"unicode/utf8"
)

// The rules for what any text field may hold, in one place (SECURITY S22).
// Every form, every JSON API and every domain validator asks these, so that
// neither database is ever the one that finds a NUL, and nothing typed or
// sent can put a terminal escape, a bell or a byte that is not text into a
// page, a letter or a log.
//
// Allowed: valid UTF-8 with no control character except tab, newline, and
// a carriage return immediately followed by a newline. A browser sends a
// textarea's line breaks as CRLF, so CRLF is a newline and is kept as sent;
// a carriage return on its own (which some terminals use to overwrite a
// line) is refused. Forbidden controls are C0 (U+0000–U+001F) but those
// three, DEL (U+007F) and C1 (U+0080–U+009F).
//
// Names and references refuse, in addition, the bidirectional controls
// (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069): one of them in a
// name lets it display as something else, "Anna" reading as another woman
// in a list of referrals.

// TextProblem says why a value cannot be stored as text. The zero value is no problem.
type TextProblem int

const (
	TextOK      TextProblem = iota
	TextNotUTF8             // not valid UTF-8
	TextControl             // a control character other than tab, newline or CRLF
	TextBidi                // a bidirectional control, in a name or reference
)

// CheckText reports whether s may be stored in a text field.
func CheckText(s string) TextProblem {
	_, _, p := firstForbidden(s)
	return p
}

// firstForbidden finds the first byte sequence CheckText refuses: where it
// starts, how long it is, and why.
func firstForbidden(s string) (at, size int, p TextProblem) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf { // ASCII, the common case
			if (c < 0x20 || c == 0x7f) && !(c == '\t' || c == '\n' || c == '\r' && i+1 < len(s) && s[i+1] == '\n') {
				return i, 1, TextControl
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			return i, 1, TextNotUTF8
		}
		if r >= 0x80 && r <= 0x9f {
			return i, n, TextControl
		}
		i += n
	}
	return len(s), 0, TextOK
}

// ShowText replaces each character CheckText refuses with U+FFFD, so that
// what someone typed can be shown back to her, marked, without the
// characters themselves.
func ShowText(s string) string {
	at, size, p := firstForbidden(s)
	if p == TextOK {
		return s
	}
	var b strings.Builder
	for p != TextOK {
		b.WriteString(s[:at])
		b.WriteRune(utf8.RuneError)
		s = s[at+size:]
		at, size, p = firstForbidden(s)
	}
	b.WriteString(s)
	return b.String()
}

// CheckName is CheckText for a name or a reference: a person's, a child's,
// a member of staff's, a professional's, an organisation's. It refuses
// bidirectional controls as well.
func CheckName(s string) TextProblem {
	if p := CheckText(s); p != TextOK {
		return p
	}
	for _, r := range s {
		if IsBidiControl(r) {
			return TextBidi
		}
	}
	return TextOK
}

// IsBidiControl reports whether r is one of the invisible characters that
// change the direction text is shown in.
func IsBidiControl(r rune) bool {
	switch {
	case r == 0x061c, r == 0x200e, r == 0x200f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// Message is the problem as the person who typed it reads it, naming the
// field as its label does. It is "" for TextOK.
func (p TextProblem) Message(label string) string {
	switch p {
	case TextNotUTF8:
		return label + " contains characters Haven cannot read. Check it, or type it again"
	case TextControl:
		return label + " must not contain control characters"
	case TextBidi:
		return label + " must not contain hidden characters that change the direction of text"
	}
	return ""
}

// TextError is CheckText's message for s, naming the field by label, or "".
func TextError(label, s string) string { return CheckText(s).Message(label) }

// NameError is CheckName's message for s, naming the field by label, or "".
func NameError(label, s string) string { return CheckName(s).Message(label) }
