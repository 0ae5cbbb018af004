package upload

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"haven/internal/document"
)

// The fixtures are real files, built here so that nothing binary is checked in.

func pdfFile(t testing.TB) []byte {
	t.Helper()
	p := document.NewPDF(document.Meta{Title: "Fictional practice guide", Lang: "en-GB", Created: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)})
	p.Title("Working with grief and loss")
	p.Para("A fictional guide for practitioners.", 4)
	b, err := p.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func xlsxFile(t testing.TB) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetCellValue("Sheet1", "A1", "Sessions offered"); err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellValue("Sheet1", "B1", 12); err != nil {
		t.Fatal(err)
	}
	b, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func pngFile(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	img.Set(0, 0, color.RGBA{29, 112, 184, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jpegFile(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// hugePNG is a real PNG whose header claims width × height pixels.
func hugePNG(t testing.TB, w, h uint32) []byte {
	b := pngFile(t, 1, 1)
	// The IHDR chunk follows the 8-byte signature: length(4) type(4) data(13) crc(4).
	binary.BigEndian.PutUint32(b[16:], w)
	binary.BigEndian.PutUint32(b[20:], h)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

type part struct {
	name, body string
}

const (
	wordMain = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
	pptMain  = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
	rootRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="%s"/></Relationships>`
)

func contentTypesXML(overrides ...string) string {
	s := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>`
	for i := 0; i+1 < len(overrides); i += 2 {
		s += `<Override PartName="` + overrides[i] + `" ContentType="` + overrides[i+1] + `"/>`
	}
	return s + `</Types>`
}

func docxParts() []part {
	return []part{
		{"[Content_Types].xml", contentTypesXML("/word/document.xml", wordMain)},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>A fictional referral guide.</w:t></w:r></w:p></w:body></w:document>`},
	}
}

func pptxParts() []part {
	return []part{
		{"[Content_Types].xml", contentTypesXML("/ppt/presentation.xml", pptMain)},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="ppt/presentation.xml"/></Relationships>`},
		{"ppt/presentation.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>`},
	}
}

func zipFile(t testing.TB, parts []part) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, p := range parts {
		w, err := zw.Create(p.name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, p.body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func with(parts []part, extra ...part) []part {
	out := append([]part(nil), parts...)
	for _, e := range extra {
		replaced := false
		for i := range out {
			if out[i].name == e.name {
				out[i], replaced = e, true
			}
		}
		if !replaced {
			out = append(out, e)
		}
	}
	return out
}

// deflatedZeros is n zero bytes deflated (n a whole number of megabytes),
// made without holding or compressing them all: a megabyte of zeros is
// deflated once and its block repeated, which still decodes to zeros
// because every back-reference in it points at zeros; an empty final block
// ends the stream. 1 GB comes to about a megabyte.
func deflatedZeros(t testing.TB, n int64) (raw []byte, crc uint32) {
	t.Helper()
	zeros := make([]byte, 1<<20)
	var block bytes.Buffer
	fw, err := flate.NewWriter(&block, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(zeros)
	if err := fw.Flush(); err != nil { // a sync flush: the block ends on a byte boundary, not final
		t.Fatal(err)
	}
	var b bytes.Buffer
	h := crc32.NewIEEE()
	for range n >> 20 {
		b.Write(block.Bytes())
		h.Write(zeros)
	}
	b.WriteString("\x03\x00") // a final block holding nothing
	return b.Bytes(), h.Sum32()
}

// bombDOCX is a Word document whose main part is size zero bytes, with
// the size the archive declares for it (declared 0 means the truth).
func bombDOCX(t testing.TB, size int64, declared uint64) []byte {
	t.Helper()
	raw, crc := deflatedZeros(t, size)
	if declared == 0 {
		declared = uint64(size)
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, p := range docxParts()[:2] {
		w, _ := zw.Create(p.name)
		io.WriteString(w, p.body)
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "word/document.xml", Method: zip.Deflate, CRC32: crc,
		CompressedSize64: uint64(len(raw)), UncompressedSize64: declared})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(raw)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// overlapDOCX is a Word document whose central directory names a second
// entry that shares the first one's data: Fifield's overlapping zip bomb.
func overlapDOCX(t testing.TB) []byte {
	t.Helper()
	b := zipFile(t, docxParts())
	eocd := bytes.LastIndex(b, []byte("PK\x05\x06"))
	cdOff := int(binary.LittleEndian.Uint32(b[eocd+16:]))
	cdLen := int(binary.LittleEndian.Uint32(b[eocd+12:]))
	cd := b[cdOff : cdOff+cdLen]
	// Copy the last central directory record (word/document.xml) under a new name of the same length.
	last := bytes.LastIndex(cd, []byte("PK\x01\x02"))
	rec := bytes.Clone(cd[last:])
	copy(rec[46:], "word/documenX.xml")
	out := append(bytes.Clone(b[:cdOff+cdLen]), rec...)
	end := bytes.Clone(b[eocd:])
	binary.LittleEndian.PutUint16(end[8:], binary.LittleEndian.Uint16(end[8:])+1)
	binary.LittleEndian.PutUint16(end[10:], binary.LittleEndian.Uint16(end[10:])+1)
	binary.LittleEndian.PutUint32(end[12:], uint32(cdLen+len(rec)))
	return append(out, end...)
}

func manyEntries(t testing.TB, n int) []byte {
	parts := docxParts()
	for i := range n {
		parts = append(parts, part{name: "word/media/e" + string(rune('a'+i%26)) + itoa(i) + ".xml"})
	}
	return zipFile(t, parts)
}

func itoa(i int) string {
	var b [20]byte
	n := len(b)
	for {
		n--
		b[n] = byte('0' + i%10)
		i /= 10
		if i == 0 {
			return string(b[n:])
		}
	}
}
