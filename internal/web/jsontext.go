package web

import (
	"bytes"
	"encoding/json"
	"io"
	"strconv"
	"unicode/utf8"

	"haven/internal/haven"
)

// checkJSONText refuses a JSON body holding text that no field may hold
// (haven.CheckText, S22), naming each field by its path in the body, as
// children[0].name. It reads the raw body, not the decoded value, because
// encoding/json silently turns invalid UTF-8 and a lone surrogate escape
// (\ud800) into U+FFFD; and it reads every string, key or value, at any
// depth, so nothing a struct, slice, map or pointer field decodes escapes
// it. raw must be syntactically valid JSON: callers decode it first or
// after, and a body that is not JSON is their 400.
func checkJSONText(raw []byte) error {
	type frame struct {
		array   bool
		index   int
		key     string
		wantKey bool
	}
	var stack []frame
	path := func() string {
		var b []byte
		for _, f := range stack {
			if f.array {
				b = append(append(append(b, '['), strconv.Itoa(f.index)...), ']')
				continue
			}
			if len(b) > 0 {
				b = append(b, '.')
			}
			b = append(b, f.key...)
		}
		return string(b)
	}
	// done moves the innermost object or array on past a value.
	done := func() {
		if n := len(stack); n > 0 {
			if stack[n-1].array {
				stack[n-1].index++
			} else {
				stack[n-1].wantKey = true
			}
		}
	}
	fields := map[string]string{}
	dec := json.NewDecoder(bytes.NewReader(raw))
	for {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			break // not JSON: the caller's decoder says so
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, frame{wantKey: true})
			case '[':
				stack = append(stack, frame{array: true})
			default:
				stack = stack[:len(stack)-1]
				done()
			}
			continue
		case string:
			n := len(stack)
			isKey := n > 0 && !stack[n-1].array && stack[n-1].wantKey
			if isKey {
				stack[n-1].key, stack[n-1].wantKey = t, false
			}
			p := haven.CheckText(t)
			if seg := raw[start:dec.InputOffset()]; !utf8.Valid(seg) || loneSurrogate(seg) {
				p = haven.TextNotUTF8
			}
			if p != haven.TextOK {
				at := path()
				if !utf8.ValidString(at) || haven.CheckText(at) != haven.TextOK {
					at = haven.ShowText(at) // a bad key is named, marked, not echoed
				}
				if _, seen := fields[at]; !seen {
					fields[at] = p.Message(at)
				}
			}
			if isKey {
				continue
			}
		}
		done()
	}
	if len(fields) > 0 {
		return &textError{err: haven.Invalid(fields)}
	}
	return nil
}

// loneSurrogate reports whether a JSON string's raw text escapes half of a
// UTF-16 surrogate pair without the other half, which is not a character.
func loneSurrogate(seg []byte) bool {
	for i := 0; i < len(seg); i++ {
		if seg[i] != '\\' || i+1 >= len(seg) {
			continue
		}
		if seg[i+1] != 'u' || i+6 > len(seg) {
			i++ // \" \\ \n and the like
			continue
		}
		v, err := strconv.ParseUint(string(seg[i+2:i+6]), 16, 16)
		if err != nil {
			return true
		}
		switch {
		case v >= 0xdc00 && v <= 0xdfff:
			return true
		case v >= 0xd800 && v < 0xdc00:
			if i+12 > len(seg) || seg[i+6] != '\\' || seg[i+7] != 'u' {
				return true
			}
			lo, err := strconv.ParseUint(string(seg[i+8:i+12]), 16, 16)
			if err != nil || lo < 0xdc00 || lo > 0xdfff {
				return true
			}
			i += 6
		}
		i += 5
	}
	return false
}
