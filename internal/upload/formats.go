package upload

import (
	"archive/zip"
	"bytes"
	"cmp"
	"compress/flate"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"hash/crc32"
	"image/jpeg"
	"image/png"
	"io"
	"math"
	"path"
	"slices"
	"strings"
)

// checkPDF wants a PDF that ends as one and carries no active content
// that a reader would run. JavaScript hidden in a compressed object
// stream is not seen here: the file is only ever downloaded, never shown
// by Haven, and readers ask before they run it.
func checkPDF(r io.ReaderAt, size int64) error {
	tail := make([]byte, min(size, 1024))
	if _, err := r.ReadAt(tail, size-int64(len(tail))); err != nil && !errors.Is(err, io.EOF) {
		return damaged("PDF")
	}
	if !bytes.Contains(tail, []byte("%%EOF")) {
		return damaged("PDF")
	}
	found, err := scan(r, size, []string{"/JavaScript", "/Launch"}, false)
	if err != nil {
		return damaged("PDF")
	}
	if found {
		return errPDFCode
	}
	return nil
}

// checkImage reads the image's header only: its size in pixels bounds
// what anyone who opens it will have to decode.
func (l Limits) checkImage(r io.ReaderAt, size int64, k Kind) error {
	decode := png.DecodeConfig
	if k == JPEG {
		decode = jpeg.DecodeConfig
	}
	cfg, err := decode(io.NewSectionReader(r, 0, size))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return damaged(kindLabel(k))
	}
	if int64(cfg.Width)*int64(cfg.Height) > l.MaxPixels {
		return &Error{ReasonTooBig, fmt.Sprintf("The selected image has too many pixels: make it smaller than %d megapixels and upload it again", l.MaxPixels/1_000_000)}
	}
	return nil
}

// The main part of each Office Open XML type, by its content type.
var mainParts = []struct {
	kind        Kind
	part        string
	contentType string
}{
	{DOCX, "word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"},
	{XLSX, "xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"},
	{PPTX, "ppt/presentation.xml", "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"},
}

type contentTypes struct {
	Defaults []struct {
		Extension   string `xml:"Extension,attr"`
		ContentType string `xml:"ContentType,attr"`
	} `xml:"Default"`
	Overrides []struct {
		PartName    string `xml:"PartName,attr"`
		ContentType string `xml:"ContentType,attr"`
	} `xml:"Override"`
}

type relationships struct {
	Rels []struct {
		Type       string `xml:"Type,attr"`
		TargetMode string `xml:"TargetMode,attr"`
	} `xml:"Relationship"`
}

// Parts that hold code or opaque objects. printerSettings*.bin is the one
// binary part Excel writes into ordinary workbooks.
var activeExt = []string{".bin", ".docm", ".xlsm", ".pptm", ".dotm", ".xlam", ".ppam", ".exe", ".dll", ".js", ".vbs",
	".hta", ".bat", ".cmd", ".ps1", ".jar", ".scr", ".msi", ".lnk", ".wsf", ".com"}

func activePart(name string) bool {
	lower := strings.ToLower(name)
	if strings.Contains("/"+lower, "/activex/") || path.Base(lower) == "vbadata.xml" {
		return true
	}
	if strings.Contains(lower, "/printersettings/printersettings") && strings.HasSuffix(lower, ".bin") {
		return false
	}
	return slices.Contains(activeExt, path.Ext(lower))
}

const officeLabel = "Office document"

// checkOOXML reads the zip's central directory and inflates every entry,
// counting the bytes that come out rather than trusting the sizes the
// archive declares, then checks the parts.
func (l Limits) checkOOXML(r io.ReaderAt, size int64) (Kind, error) {
	n, err := entryCount(r, size)
	if err != nil {
		return "", damaged(officeLabel)
	}
	if n > l.MaxEntries {
		return "", errBomb
	}
	zr, err := zip.NewReader(r, size)
	if err != nil || len(zr.File) > l.MaxEntries {
		return "", damaged(officeLabel)
	}
	// Entries that share their data (Fifield's overlapping zip bomb) or
	// reach past the end.
	type span struct{ start, end int64 }
	spans := make([]span, 0, len(zr.File))
	seen := map[string]bool{}
	for _, f := range zr.File {
		name := f.Name
		lower := strings.ToLower(name)
		if name == "" || strings.HasPrefix(name, "/") || strings.ContainsAny(name, "\\\x00") || slices.Contains(strings.Split(name, "/"), "..") || seen[lower] {
			return "", damaged(officeLabel)
		}
		seen[lower] = true
		if activePart(name) {
			return "", errMacro
		}
		if f.Flags&0x1 != 0 || (f.Method != zip.Store && f.Method != zip.Deflate) {
			return "", damaged(officeLabel)
		}
		off, err := f.DataOffset()
		if err != nil || off < 0 || off > size || f.CompressedSize64 > math.MaxInt64 {
			return "", damaged(officeLabel)
		}
		csize := int64(f.CompressedSize64) // #nosec G115 -- at most MaxInt64, checked just above
		if csize > size-off {
			return "", damaged(officeLabel)
		}
		spans = append(spans, span{off, off + csize})
	}
	slices.SortFunc(spans, func(a, b span) int { return cmp.Compare(a.start, b.start) })
	for i := 1; i < len(spans); i++ {
		if spans[i].start < spans[i-1].end {
			return "", errBomb
		}
	}

	var ct []byte
	var rels [][]byte
	var total int64
	for _, f := range zr.File {
		keep := f.Name == "[Content_Types].xml" || strings.HasSuffix(strings.ToLower(f.Name), ".rels")
		body, err := l.inflate(f, &total, keep)
		if err != nil {
			return "", err
		}
		switch {
		case f.Name == "[Content_Types].xml":
			ct = body
		case keep:
			rels = append(rels, body)
		}
	}
	if ct == nil {
		return "", errType // a zip, but not an Office document
	}
	var types contentTypes
	if xml.Unmarshal(ct, &types) != nil {
		return "", damaged(officeLabel)
	}
	declared := map[string]string{}
	for _, d := range types.Defaults {
		if active(d.ContentType) {
			return "", errMacro
		}
	}
	for _, o := range types.Overrides {
		if active(o.ContentType) {
			return "", errMacro
		}
		declared[strings.ToLower(strings.TrimPrefix(o.PartName, "/"))] = o.ContentType
	}
	var kind Kind
	for _, m := range mainParts {
		if declared[m.part] != m.contentType {
			continue
		}
		if kind != "" || !seen[m.part] {
			return "", damaged(officeLabel)
		}
		kind = m.kind
	}
	if kind == "" {
		return "", errType // a template, a macro-free .docm renamed, an OpenDocument file …
	}
	for _, b := range rels {
		var rs relationships
		if xml.Unmarshal(b, &rs) != nil {
			return "", damaged(officeLabel)
		}
		for _, rel := range rs.Rels {
			// Links out are fine; anything else fetched from elsewhere when
			// the document opens (a remote template, image or object) is not.
			if strings.EqualFold(rel.TargetMode, "External") && !strings.HasSuffix(rel.Type, "/hyperlink") {
				return "", errExternal
			}
		}
	}
	return kind, nil
}

func active(contentType string) bool {
	lower := strings.ToLower(contentType)
	for _, w := range []string{"macroenabled", "vbaproject", "activex", "oleobject", "vbadata"} {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}

// inflate reads one entry to its end, adding what comes out to *total and
// stopping as soon as the total or the entry's ratio of inflated bytes to
// compressed bytes actually read passes its limit. With keep it returns
// the entry (the small XML parts that are parsed).
func (l Limits) inflate(f *zip.File, total *int64, keep bool) ([]byte, error) {
	raw, err := f.OpenRaw()
	if err != nil {
		return nil, damaged(officeLabel)
	}
	in := &countReader{r: raw}
	var src io.Reader = in
	if f.Method == zip.Deflate {
		fr := flate.NewReader(in)
		defer fr.Close()
		src = fr
	}
	var kept bytes.Buffer
	crc := crc32.NewIEEE()
	buf := make([]byte, 32<<10)
	var n int64
	for {
		m, err := src.Read(buf)
		if m > 0 {
			n += int64(m)
			*total += int64(m)
			if *total > l.MaxInflated || (n > ratioFloor && n > l.MaxRatio*max(in.n, 1)) {
				return nil, errBomb
			}
			crc.Write(buf[:m])
			if keep {
				if kept.Len()+m > 4<<20 {
					return nil, errBomb // an XML part of that size is not an honest one
				}
				kept.Write(buf[:m])
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, damaged(officeLabel)
		}
	}
	// The sizes and checksum the archive declared must match what came out.
	if uint64(n) != f.UncompressedSize64 || crc.Sum32() != f.CRC32 {
		return nil, damaged(officeLabel)
	}
	return kept.Bytes(), nil
}

type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// entryCount reads the number of entries from the end-of-central-directory
// record, before archive/zip allocates a header for each of them.
func entryCount(r io.ReaderAt, size int64) (int, error) {
	const eocdLen = 22
	if size < eocdLen {
		return 0, errors.New("too short")
	}
	tailLen := min(size, eocdLen+65535)
	tail := make([]byte, tailLen)
	if _, err := r.ReadAt(tail, size-tailLen); err != nil && !errors.Is(err, io.EOF) {
		return 0, err
	}
	i := bytes.LastIndex(tail, []byte("PK\x05\x06"))
	if i < 0 || len(tail)-i < eocdLen {
		return 0, errors.New("no end of central directory")
	}
	n := binary.LittleEndian.Uint16(tail[i+10:])
	if n == 0xffff {
		return 0, errors.New("zip64: not used by documents this small")
	}
	return int(n), nil
}
