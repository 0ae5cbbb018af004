package haven

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// S22: every kind of character a text field must refuse, and the ordinary
// text it must keep (SECURITY.md S22; issue 16 items 3 and 4).
func TestS22CheckText(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		text     TextProblem // CheckText
		nameWant TextProblem // CheckName
	}{
		{"empty", "", TextOK, TextOK},
		{"plain", "Anna Testcase", TextOK, TextOK},
		{"accents and scripts", "Łucja Wiśniewska-Nguyễn, أمل, 李", TextOK, TextOK},
		{"tab and newline", "line one\n\tline two", TextOK, TextOK},
		{"browser CRLF", "line one\r\nline two\r\n", TextOK, TextOK},
		{"replacement character typed", "\uFFFD", TextOK, TextOK},
		{"emoji", "🙂", TextOK, TextOK},
		{"NUL", "a\x00b", TextControl, TextControl},
		{"BEL", "a\x07", TextControl, TextControl},
		{"ESC", "\x1b[2J", TextControl, TextControl},
		{"backspace", "ab\bc", TextControl, TextControl},
		{"lone CR", "a\rb", TextControl, TextControl},
		{"CR at the end", "a\r", TextControl, TextControl},
		{"CR CR LF", "a\r\r\n", TextControl, TextControl},
		{"DEL", "a\x7f", TextControl, TextControl},
		{"C1 NEL", "a\u0085", TextControl, TextControl},
		{"C1 CSI", "\u009b2J", TextControl, TextControl},
		{"C1 last", "\u009f", TextControl, TextControl},
		{"invalid byte", "a\xffb", TextNotUTF8, TextNotUTF8},
		{"truncated sequence", "caf\xc3", TextNotUTF8, TextNotUTF8},
		{"encoded surrogate", "\xed\xa0\x80", TextNotUTF8, TextNotUTF8},
		{"overlong slash", "\xc0\xaf", TextNotUTF8, TextNotUTF8},
		{"RLO", "Anna\u202Eesac", TextOK, TextBidi},
		{"LRE", "\u202Aa", TextOK, TextBidi},
		{"PDF", "a\u202C", TextOK, TextBidi},
		{"RLI", "\u2067a", TextOK, TextBidi},
		{"LRI", "\u2066a", TextOK, TextBidi},
		{"PDI", "a\u2069", TextOK, TextBidi},
		{"LRM", "a\u200Eb", TextOK, TextBidi},
		{"RLM", "a\u200Fb", TextOK, TextBidi},
		{"Arabic letter mark", "a\u061Cb", TextOK, TextBidi},
		{"zero-width joiner is not a bidi control", "a\u200Db", TextOK, TextOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CheckText(tt.in); got != tt.text {
				t.Errorf("CheckText(%q) = %d, want %d", tt.in, got, tt.text)
			}
			if got := CheckName(tt.in); got != tt.nameWant {
				t.Errorf("CheckName(%q) = %d, want %d", tt.in, got, tt.nameWant)
			}
			if shown := ShowText(tt.in); CheckText(shown) != TextOK || (tt.text == TextOK) != (shown == tt.in) {
				t.Errorf("ShowText(%q) = %q", tt.in, shown)
			}
			msg := NameError("First name", tt.in)
			if (msg == "") != (tt.nameWant == TextOK) || (msg != "" && !strings.HasPrefix(msg, "First name ")) {
				t.Errorf("NameError(%q) = %q: want a message naming the field exactly when refused", tt.in, msg)
			}
		})
	}
}

// S23: the shared text check under go test -fuzz. Whatever it accepts is
// valid UTF-8 with no forbidden control; whatever holds one is refused; a
// name it accepts holds no bidirectional control; and every refusal has a
// message naming the field.
func FuzzTextField(f *testing.F) {
	for _, s := range []string{"", "Anna", "a\r\nb", "a\rb", "\x00", "\x1b[31m", "\x07", "\x7f", "\u0085", "\u009b",
		"\xff", "\xed\xa0\x80", "\u202E", "\u2066x\u2069", "\u061c", "Łucja\n\tNguyễn", "\uFFFD"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		text, name := CheckText(s), CheckName(s)
		forbidden, bidi := false, false
		for i, r := range s {
			switch {
			case r == '\r':
				forbidden = forbidden || i+1 >= len(s) || s[i+1] != '\n'
			case r == '\t' || r == '\n':
			case r < 0x20 || r >= 0x7f && r <= 0x9f:
				forbidden = true
			}
			bidi = bidi || IsBidiControl(r)
		}
		if text == TextOK && (!utf8.ValidString(s) || forbidden) {
			t.Fatalf("CheckText accepted %q", s)
		}
		if text != TextOK && utf8.ValidString(s) && !forbidden {
			t.Fatalf("CheckText refused %q: %d", s, text)
		}
		if !utf8.ValidString(s) && text != TextNotUTF8 && text != TextControl {
			t.Fatalf("CheckText(%q) = %d for invalid UTF-8", s, text)
		}
		if shown := ShowText(s); CheckText(shown) != TextOK || (text == TextOK) != (shown == s) {
			t.Fatalf("ShowText(%q) = %q", s, shown)
		}
		if name == TextOK && (text != TextOK || bidi) {
			t.Fatalf("CheckName accepted %q", s)
		}
		if name != TextOK && text == TextOK && !bidi {
			t.Fatalf("CheckName refused %q: %d", s, name)
		}
		if msg := name.Message("Field"); (msg == "") != (name == TextOK) || msg != "" && !strings.HasPrefix(msg, "Field ") {
			t.Fatalf("CheckName(%q) message %q", s, msg)
		}
	})
}
