// Package doctest reads back the PDFs and spreadsheets that package document
// writes, for tests only: nothing outside _test.go files imports it. It reads
// a PDF the way a text-extracting reader does (cross-reference table, page
// tree, inflated content streams, and each font's ToUnicode CMap), so a test
// sees the words a reader or screen reader would get, not the bytes Haven
// happened to write.
package doctest

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"
)

// PDF is what was read out of a PDF file.
type PDF struct {
	// Pages holds each page's text, one entry per string shown (for fpdf,
	// one per line), in page order.
	Pages [][]string
	Title string // the document information's title
	Lang  string // the catalog's natural language
	// Outline is the bookmarks' titles, in order.
	Outline []string
}

// Text is every page's lines joined by newlines, pages by a blank line.
func (p PDF) Text() string {
	var pages []string
	for _, lines := range p.Pages {
		pages = append(pages, strings.Join(lines, "\n"))
	}
	return strings.Join(pages, "\n\n")
}

type reader struct {
	b     []byte
	objs  map[int][]byte // object number to its body, from "N 0 obj\n" to "endobj"
	cmaps map[int]*cmap  // ToUnicode maps read so far, by object number
}

var (
	reStartxref = regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`)
	reXrefHead  = regexp.MustCompile(`^xref\r?\n0 (\d+)\r?\n`)
	reXrefEntry = regexp.MustCompile(`(\d{10}) (\d{5}) ([nf])\s?\r?\n`)
)

// ReadPDF reads a PDF written with a classic cross-reference table, and fails
// on anything it cannot follow: an xref entry that does not point at its
// object, a stream whose length is wrong, a string shown in a font without a
// ToUnicode map, or a code the map does not cover.
func ReadPDF(b []byte) (PDF, error) {
	var out PDF
	if !bytes.HasPrefix(b, []byte("%PDF-1.")) {
		return out, errors.New("no %PDF header")
	}
	m := reStartxref.FindSubmatch(b)
	if m == nil {
		return out, errors.New("no startxref at the end")
	}
	xref, err := strconv.Atoi(string(m[1]))
	if err != nil || xref >= len(b) {
		return out, fmt.Errorf("startxref %s is outside the file", m[1])
	}
	head := reXrefHead.FindSubmatch(b[xref:])
	if head == nil {
		return out, fmt.Errorf("startxref %d does not point at an xref table", xref)
	}
	n, _ := strconv.Atoi(string(head[1]))
	r := &reader{b: b, objs: map[int][]byte{}, cmaps: map[int]*cmap{}}
	entries := reXrefEntry.FindAllSubmatch(b[xref:], n)
	if len(entries) != n {
		return out, fmt.Errorf("%d xref entries, the table says %d", len(entries), n)
	}
	for i, e := range entries {
		if string(e[3]) == "f" {
			continue
		}
		off, _ := strconv.Atoi(string(e[1]))
		want := strconv.Itoa(i) + " 0 obj"
		if off >= len(b) || !bytes.HasPrefix(b[off:], []byte(want)) {
			return out, fmt.Errorf("xref entry %d does not point at its object", i)
		}
		body := b[off+len(want):]
		// A stream's bytes may contain anything, "endobj" included: skip
		// them by their /Length before looking for the end of the object.
		end := 0
		if s := bytes.Index(body, []byte("stream")); s >= 0 && s < bytes.Index(body, []byte("endobj")) {
			l, err := intKey(body[:s], "Length")
			if err != nil {
				return out, fmt.Errorf("object %d: %w", i, err)
			}
			start := s + len("stream")
			if bytes.HasPrefix(body[start:], []byte("\r\n")) {
				start += 2
			} else {
				start++
			}
			if start+l > len(body) || !bytes.HasPrefix(bytes.TrimLeft(body[start+l:], "\r\n"), []byte("endstream")) {
				return out, fmt.Errorf("object %d: a stream is not %d bytes long", i, l)
			}
			end = start + l
		}
		e := bytes.Index(body[end:], []byte("endobj"))
		if e < 0 {
			return out, fmt.Errorf("object %d has no endobj", i)
		}
		r.objs[i] = body[:end+e]
	}
	trailer := b[xref:]
	root, err := r.ref(trailer, "Root")
	if err != nil {
		return out, fmt.Errorf("trailer: %w", err)
	}
	if size, err := intKey(trailer, "Size"); err != nil || size != n {
		return out, fmt.Errorf("trailer /Size is not %d", n)
	}
	catalog := r.objs[root]
	if m := regexp.MustCompile(`/Lang \(([^)]*)\)`).FindSubmatch(catalog); m != nil {
		out.Lang = string(m[1])
	}
	if info, err := r.ref(trailer, "Info"); err == nil {
		if s, ok := stringKey(r.objs[info], "Title"); ok {
			out.Title = s
		}
	}
	if outlines, err := r.ref(catalog, "Outlines"); err == nil {
		out.Outline = r.outline(outlines)
	}
	pagesN, err := r.ref(catalog, "Pages")
	if err != nil {
		return out, fmt.Errorf("catalog: %w", err)
	}
	kids, err := r.pageList(pagesN, 0)
	if err != nil {
		return out, err
	}
	if count, err := intKey(r.objs[pagesN], "Count"); err != nil || count != len(kids) {
		return out, fmt.Errorf("the page tree counts %d pages and lists %d", count, len(kids))
	}
	for i, kid := range kids {
		lines, err := r.pageText(kid)
		if err != nil {
			return out, fmt.Errorf("page %d: %w", i+1, err)
		}
		out.Pages = append(out.Pages, lines)
	}
	return out, nil
}

var reRef = map[string]*regexp.Regexp{}

func (r *reader) ref(in []byte, key string) (int, error) {
	re, ok := reRef[key]
	if !ok {
		re = regexp.MustCompile(`/` + key + `\s+(\d+) 0 R`)
		reRef[key] = re
	}
	m := re.FindSubmatch(in)
	if m == nil {
		return 0, fmt.Errorf("no /%s", key)
	}
	n, _ := strconv.Atoi(string(m[1]))
	if _, ok := r.objs[n]; !ok {
		return 0, fmt.Errorf("/%s points at missing object %d", key, n)
	}
	return n, nil
}

func intKey(in []byte, key string) (int, error) {
	m := regexp.MustCompile(`/` + key + `\s+(\d+)`).FindSubmatch(in)
	if m == nil {
		return 0, fmt.Errorf("no /%s", key)
	}
	return strconv.Atoi(string(m[1]))
}

// stringKey reads a literal string value, decoding UTF-16BE if it has a BOM.
func stringKey(in []byte, key string) (string, bool) {
	i := bytes.Index(in, []byte("/"+key+" ("))
	if i < 0 {
		return "", false
	}
	s, _, err := literal(in[i+len(key)+3:])
	if err != nil {
		return "", false
	}
	if bytes.HasPrefix(s, []byte{0xFE, 0xFF}) {
		return decodeUTF16(s[2:]), true
	}
	return string(s), true
}

func decodeUTF16(b []byte) string {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		u = append(u, binary.BigEndian.Uint16(b[i:]))
	}
	return string(utf16.Decode(u))
}

func (r *reader) outline(n int) []string {
	var titles []string
	var walk func(n, depth int)
	walk = func(n, depth int) {
		for seen := 0; seen < 1000 && depth < 10; seen++ {
			obj := r.objs[n]
			if t, ok := stringKey(obj, "Title"); ok {
				titles = append(titles, t)
			}
			if first, err := r.ref(obj, "First"); err == nil {
				walk(first, depth+1)
			}
			next, err := r.ref(obj, "Next")
			if err != nil {
				return
			}
			n = next
		}
	}
	if first, err := r.ref(r.objs[n], "First"); err == nil {
		walk(first, 0)
	}
	return titles
}

var reKids = regexp.MustCompile(`/Kids\s*\[([^\]]*)\]`)

func (r *reader) pageList(n, depth int) ([]int, error) {
	if depth > 10 {
		return nil, errors.New("the page tree is too deep")
	}
	obj := r.objs[n]
	if bytes.Contains(obj, []byte("/Type /Page\n")) || bytes.Contains(obj, []byte("/Type /Page ")) || bytes.Contains(obj, []byte("/Type/Page\n")) {
		return []int{n}, nil
	}
	m := reKids.FindSubmatch(obj)
	if m == nil {
		return nil, fmt.Errorf("object %d is neither a page nor a page tree", n)
	}
	var pages []int
	for _, k := range regexp.MustCompile(`(\d+) 0 R`).FindAllSubmatch(m[1], -1) {
		kid, _ := strconv.Atoi(string(k[1]))
		if _, ok := r.objs[kid]; !ok {
			return nil, fmt.Errorf("the page tree lists missing object %d", kid)
		}
		sub, err := r.pageList(kid, depth+1)
		if err != nil {
			return nil, err
		}
		pages = append(pages, sub...)
	}
	return pages, nil
}

// stream returns an object's stream, inflated if it is compressed.
func (r *reader) stream(n int) ([]byte, error) {
	obj := r.objs[n]
	s := bytes.Index(obj, []byte("stream"))
	if s < 0 {
		return nil, fmt.Errorf("object %d is not a stream", n)
	}
	l, err := intKey(obj[:s], "Length")
	if err != nil {
		return nil, err
	}
	start := s + len("stream")
	if bytes.HasPrefix(obj[start:], []byte("\r\n")) {
		start += 2
	} else {
		start++
	}
	data := obj[start : start+l]
	if !bytes.Contains(obj[:s], []byte("/FlateDecode")) {
		return data, nil
	}
	z, err := zlib.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("object %d: %w", n, err)
	}
	return io.ReadAll(io.LimitReader(z, 64<<20))
}

// cmap is a ToUnicode CMap: two-byte codes to text.
type cmap struct {
	chars  map[uint16]string
	ranges []bfrange
}

type bfrange struct {
	lo, hi uint16
	prefix []byte // the destination's leading bytes, UTF-16BE
	base   uint16 // the destination's last code unit, for lo
}

func (m *cmap) lookup(c uint16) (string, bool) {
	if s, ok := m.chars[c]; ok {
		return s, true
	}
	for _, r := range m.ranges {
		if c >= r.lo && c <= r.hi {
			u := r.base + (c - r.lo)
			return decodeUTF16(binary.BigEndian.AppendUint16(append([]byte{}, r.prefix...), u)), true
		}
	}
	return "", false
}

var (
	reBfchar  = regexp.MustCompile(`(?s)beginbfchar(.*?)endbfchar`)
	reBfrange = regexp.MustCompile(`(?s)beginbfrange(.*?)endbfrange`)
	reHex     = regexp.MustCompile(`<([0-9A-Fa-f]*)>`)
)

func parseCMap(b []byte) (*cmap, error) {
	m := &cmap{chars: map[uint16]string{}}
	hexes := func(s []byte) ([][]byte, error) {
		var out [][]byte
		for _, h := range reHex.FindAllSubmatch(s, -1) {
			v, err := hex.DecodeString(string(h[1]))
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	}
	code := func(v []byte) uint16 {
		if len(v) == 1 {
			return uint16(v[0])
		}
		return binary.BigEndian.Uint16(v)
	}
	for _, sec := range reBfchar.FindAllSubmatch(b, -1) {
		h, err := hexes(sec[1])
		if err != nil || len(h)%2 != 0 {
			return nil, errors.New("unreadable bfchar")
		}
		for i := 0; i < len(h); i += 2 {
			m.chars[code(h[i])] = decodeUTF16(h[i+1])
		}
	}
	for _, sec := range reBfrange.FindAllSubmatch(b, -1) {
		h, err := hexes(sec[1])
		if err != nil || len(h)%3 != 0 {
			return nil, errors.New("unreadable bfrange (arrays of destinations are not read)")
		}
		for i := 0; i < len(h); i += 3 {
			dst := h[i+2]
			if len(dst) < 2 {
				return nil, errors.New("bfrange destination shorter than two bytes")
			}
			m.ranges = append(m.ranges, bfrange{lo: code(h[i]), hi: code(h[i+1]), prefix: dst[:len(dst)-2], base: binary.BigEndian.Uint16(dst[len(dst)-2:])})
		}
	}
	if len(m.chars) == 0 && len(m.ranges) == 0 {
		return nil, errors.New("empty ToUnicode CMap")
	}
	return m, nil
}

var (
	reFontDict = regexp.MustCompile(`(?s)/Font\s*<<(.*?)>>`)
	reFontRef  = regexp.MustCompile(`/(\S+)\s+(\d+) 0 R`)
)

// fonts maps each font resource name of a page to its ToUnicode CMap.
func (r *reader) fonts(page []byte) (map[string]*cmap, error) {
	res := page
	if n, err := r.ref(page, "Resources"); err == nil {
		res = r.objs[n]
	}
	m := reFontDict.FindSubmatch(res)
	if m == nil {
		return nil, errors.New("no fonts")
	}
	fonts := map[string]*cmap{}
	for _, f := range reFontRef.FindAllSubmatch(m[1], -1) {
		n, _ := strconv.Atoi(string(f[2]))
		tu, err := r.ref(r.objs[n], "ToUnicode")
		if err != nil {
			return nil, fmt.Errorf("font %s has no ToUnicode map, so its text cannot be read back", f[1])
		}
		if cm, ok := r.cmaps[tu]; ok {
			fonts[string(f[1])] = cm
			continue
		}
		s, err := r.stream(tu)
		if err != nil {
			return nil, err
		}
		cm, err := parseCMap(s)
		if err != nil {
			return nil, fmt.Errorf("font %s: %w", f[1], err)
		}
		r.cmaps[tu] = cm
		fonts[string(f[1])] = cm
	}
	return fonts, nil
}

func (r *reader) pageText(n int) ([]string, error) {
	page := r.objs[n]
	fonts, err := r.fonts(page)
	if err != nil {
		return nil, err
	}
	c, err := r.ref(page, "Contents")
	if err != nil {
		return nil, err
	}
	content, err := r.stream(c)
	if err != nil {
		return nil, err
	}
	var lines []string
	var font *cmap
	var operands [][]byte // literal strings since the last operator
	var names []string
	for i := 0; i < len(content); {
		ch := content[i]
		switch {
		case ch == '(':
			s, used, err := literal(content[i+1:])
			if err != nil {
				return nil, err
			}
			operands = append(operands, s)
			i += 1 + used
		case ch == '/':
			j := i + 1
			for j < len(content) && !isDelim(content[j]) {
				j++
			}
			names = append(names, string(content[i+1:j]))
			i = j
		case ch == '[' || ch == ']' || isSpace(ch):
			i++
		case ch == '<' && i+1 < len(content) && content[i+1] != '<':
			j := bytes.IndexByte(content[i:], '>')
			if j < 0 {
				return nil, errors.New("unclosed hex string")
			}
			v, err := hex.DecodeString(string(bytes.Join(bytes.Fields(content[i+1:i+j]), nil)))
			if err != nil {
				return nil, err
			}
			operands = append(operands, v)
			i += j + 1
		default:
			j := i
			for j < len(content) && !isDelim(content[j]) {
				j++
			}
			if j == i {
				j++
			}
			op := string(content[i:j])
			i = j
			switch op {
			case "Tf":
				if len(names) == 0 {
					return nil, errors.New("a Tf operator without a font name")
				}
				f, ok := fonts[names[len(names)-1]]
				if !ok {
					return nil, fmt.Errorf("font %s is not in the page's resources", names[len(names)-1])
				}
				font = f
			case "Tj", "TJ", "'", `"`:
				if font == nil {
					return nil, errors.New("text shown before a font was chosen")
				}
				var b strings.Builder
				for _, s := range operands {
					if len(s)%2 != 0 {
						return nil, fmt.Errorf("odd-length string %q in a two-byte font", s)
					}
					for k := 0; k < len(s); k += 2 {
						code := binary.BigEndian.Uint16(s[k:])
						t, ok := font.lookup(code)
						if !ok {
							return nil, fmt.Errorf("code %04X is not in the font's ToUnicode map", code)
						}
						b.WriteString(t)
					}
				}
				lines = append(lines, b.String())
			}
			if op != "" && (op[0] < '0' || op[0] > '9') && op[0] != '-' && op[0] != '.' {
				operands, names = nil, nil
			}
		}
	}
	return lines, nil
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isDelim(c byte) bool { return isSpace(c) || strings.IndexByte("()<>[]{}/%", c) >= 0 }

// literal reads a PDF literal string after its opening parenthesis, and
// returns it unescaped with the number of bytes read, closing parenthesis
// included.
func literal(b []byte) ([]byte, int, error) {
	var out []byte
	depth := 0
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch c {
		case '\\':
			i++
			if i >= len(b) {
				return nil, 0, errors.New("string ends in a backslash")
			}
			switch e := b[i]; e {
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case '\r', '\n':
				// a line continuation
			default:
				if e >= '0' && e <= '7' {
					v := 0
					k := 0
					for ; k < 3 && i+k < len(b) && b[i+k] >= '0' && b[i+k] <= '7'; k++ {
						v = v*8 + int(b[i+k]-'0')
					}
					out = append(out, byte(v&0xff))
					i += k - 1
				} else {
					out = append(out, e)
				}
			}
		case '(':
			depth++
			out = append(out, c)
		case ')':
			if depth == 0 {
				return out, i + 1, nil
			}
			depth--
			out = append(out, c)
		default:
			out = append(out, c)
		}
	}
	return nil, 0, errors.New("unclosed string")
}
