package upload

import (
	"bytes"
	"compress/flate"
	"hash/crc32"
	"io"
	"strings"
	"testing"
	"time"
)

func TestCheck(t *testing.T) {
	docx := docxParts()
	tests := []struct {
		name     string
		file     func(testing.TB) []byte
		want     Kind
		reason   Reason
		contains string // in the message shown to the uploader
	}{
		// Allowed, each a real file of its kind.
		{name: "PDF from internal/document", file: pdfFile, want: PDF},
		{name: "XLSX from excelize", file: xlsxFile, want: XLSX},
		{name: "DOCX", file: func(t testing.TB) []byte { return zipFile(t, docx) }, want: DOCX},
		{name: "PPTX", file: func(t testing.TB) []byte { return zipFile(t, pptxParts()) }, want: PPTX},
		{name: "DOCX with a hyperlink out", want: DOCX, file: func(t testing.TB) []byte {
			return zipFile(t, with(docx, part{"word/_rels/document.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://www.gov.uk/" TargetMode="External"/></Relationships>`}))
		}},
		{name: "XLSX with Excel's printer settings", want: DOCX, file: func(t testing.TB) []byte {
			return zipFile(t, with(docx, part{"word/printerSettings/printerSettings1.bin", "\x00\x01"}))
		}},
		{name: "PNG", file: func(t testing.TB) []byte { return pngFile(t, 4, 3) }, want: PNG},
		{name: "JPEG", file: jpegFile, want: JPEG},
		{name: "plain text", file: text("Notes from the practice forum, 3 March.\nBring the fictional case study.\n"), want: Text},
		{name: "text with a byte-order mark and Welsh", file: text("\ufeffCroeso — welcome, naïve café\r\n"), want: Text},
		{name: "text comparing numbers", file: text("Fewer than 5 < 10 and 10 > 5.\n"), want: Text},

		// Disguised: whatever they are called, these are pages or scripts.
		{name: "HTML named .pdf", file: text("<!DOCTYPE html>\n<html><body><script>alert(1)</script></body></html>"), reason: ReasonMarkup, contains: "web page code"},
		{name: "HTML with leading blank lines", file: text("\n\n   <HTML><p>hi</p></HTML>"), reason: ReasonMarkup},
		{name: "SVG with script named .png", file: text(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>`), reason: ReasonMarkup},
		{name: "SVG with an XML prolog", file: text("<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), reason: ReasonMarkup},
		{name: "script tag in the middle of text", file: text("Dear colleague,\nplease read <script src=x></script> this.\n"), reason: ReasonMarkup},
		{name: "shell script", file: text("#!/bin/sh\nrm -rf /\n"), reason: ReasonMarkup},
		{name: "javascript: link in text", file: text("click JavaScript:alert(1)"), reason: ReasonMarkup},
		{name: "PDF header then HTML", file: text("%PDF-1.7\n<html><script>alert(1)</script></html>\n%%EOF\n"), reason: ReasonMarkup},
		{name: "PNG with HTML after its end", file: func(t testing.TB) []byte {
			return append(pngFile(t, 2, 2), "<html><script>alert(1)</script>"...)
		}, reason: ReasonMarkup},
		{name: "PDF with a script tag deep inside", file: func(t testing.TB) []byte {
			b := pdfFile(t)
			i := bytes.LastIndex(b, []byte("%%EOF"))
			return append(append(append([]byte{}, b[:i]...), strings.Repeat("x", 5000)+"<SCRIPT>alert(1)</SCRIPT>\n"...), b[i:]...)
		}, reason: ReasonMarkup},

		// Active content.
		{name: "DOCX with a macro project", file: func(t testing.TB) []byte {
			return zipFile(t, with(docx, part{"word/vbaProject.bin", "\xd0\xcf\x11\xe0"}))
		}, reason: ReasonActive, contains: "macros"},
		{name: "macro-enabled main part", file: func(t testing.TB) []byte {
			return zipFile(t, with(docx, part{"[Content_Types].xml", contentTypesXML("/word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml")}))
		}, reason: ReasonActive},
		{name: "ActiveX control", file: func(t testing.TB) []byte {
			return zipFile(t, with(docx, part{"word/activeX/activeX1.xml", "<ax/>"}))
		}, reason: ReasonActive},
		{name: "embedded OLE object", file: func(t testing.TB) []byte {
			return zipFile(t, with(docx, part{"word/embeddings/oleObject1.bin", "x"}))
		}, reason: ReasonActive},
		{name: "remote template", file: func(t testing.TB) []byte {
			return zipFile(t, with(docx, part{"word/_rels/settings.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="https://evil.example/t.dotm" TargetMode="External"/></Relationships>`}))
		}, reason: ReasonActive, contains: "from elsewhere"},
		{name: "PDF with JavaScript", file: func(t testing.TB) []byte {
			return []byte("%PDF-1.4\n1 0 obj << /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n%%EOF\n")
		}, reason: ReasonActive, contains: "JavaScript"},
		{name: "PDF with a launch action past the first chunk", file: func(t testing.TB) []byte {
			return []byte("%PDF-1.4\n" + strings.Repeat("% padding\n", 10_000) + "2 0 obj << /S /Launch /F (calc.exe) >> endobj\n%%EOF\n")
		}, reason: ReasonActive},
		{name: "a name that only looks like JavaScript in another case", want: PDF, file: func(t testing.TB) []byte {
			return []byte("%PDF-1.4\n1 0 obj << /Type /Catalog /Title (/javascript guide) >> endobj\n%%EOF\n")
		}},

		// Zip bombs: sizes are counted while inflating, never read from the archive.
		{name: "1 GB of zeros in a DOCX", file: func(t testing.TB) []byte { return bombDOCX(t, 1<<30, 0) }, reason: ReasonBomb, contains: "expands"},
		{name: "a bomb that declares a small size", file: func(t testing.TB) []byte { return bombDOCX(t, 64<<20, 100) }, reason: ReasonBomb},
		{name: "entries sharing their data", file: overlapDOCX, reason: ReasonBomb},
		{name: "too many entries", file: func(t testing.TB) []byte { return manyEntries(t, 2001) }, reason: ReasonBomb},

		// Not allowed, or not what they claim.
		{name: "empty", file: text(""), reason: ReasonEmpty, contains: "The selected file is empty"},
		{name: "GIF", file: text("GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04"), reason: ReasonType, contains: "must be a PDF"},
		{name: "Windows program", file: text("MZ\x90\x00\x03\x00\x00\x00\x04\x00"), reason: ReasonType},
		{name: "old Word document", file: text("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00\x00\x00"), reason: ReasonType, contains: ".docx"},
		{name: "a zip that is not an Office document", file: func(t testing.TB) []byte { return zipFile(t, []part{{"notes.txt", "hello"}}) }, reason: ReasonType},
		{name: "a Word template", file: func(t testing.TB) []byte {
			return zipFile(t, with(docx, part{"[Content_Types].xml", contentTypesXML("/word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml")}))
		}, reason: ReasonType},
		{name: "content types naming a missing part", file: func(t testing.TB) []byte { return zipFile(t, docx[:2]) }, reason: ReasonDamaged},
		{name: "path traversal in a part name", file: func(t testing.TB) []byte { return zipFile(t, with(docx, part{"../../etc/passwd", "x"})) }, reason: ReasonDamaged},
		{name: "truncated DOCX", file: func(t testing.TB) []byte { b := zipFile(t, docx); return b[:len(b)-30] }, reason: ReasonDamaged},
		{name: "truncated PDF", file: func(t testing.TB) []byte { b := pdfFile(t); return b[:len(b)/2] }, reason: ReasonDamaged, contains: "damaged"},
		{name: "truncated PNG", file: func(t testing.TB) []byte { return pngFile(t, 2, 2)[:20] }, reason: ReasonDamaged},
		{name: "PNG claiming 100,000 × 100,000 pixels", file: func(t testing.TB) []byte { return hugePNG(t, 100_000, 100_000) }, reason: ReasonTooBig, contains: "80 megapixels"},
		{name: "Latin-1 text", file: text("caf\xe9 au lait\n"), reason: ReasonEncoding, contains: "UTF-8"},
		{name: "UTF-16 text", file: text("\xff\xfeh\x00i\x00"), reason: ReasonType},
		{name: "text with a NUL", file: text("hello\x00world"), reason: ReasonType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := tt.file(t)
			start := time.Now()
			got, err := Check(bytes.NewReader(b), int64(len(b)))
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
			if tt.reason != "" {
				if err == nil {
					t.Fatalf("accepted as %s; want refused (%s)", got.Kind, tt.reason)
				}
				if r := ReasonOf(err); r != tt.reason {
					t.Errorf("refused for %q (%v); want %q", r, err, tt.reason)
				}
				if !strings.Contains(err.Error(), tt.contains) {
					t.Errorf("message %q does not say %q", err, tt.contains)
				}
				return
			}
			if err != nil {
				t.Fatalf("refused (%s): %v", ReasonOf(err), err)
			}
			want, _ := TypeOf(tt.want)
			if got != want {
				t.Errorf("got %+v, want %+v", got, want)
			}
		})
	}
}

func text(s string) func(testing.TB) []byte { return func(testing.TB) []byte { return []byte(s) } }

// A file over the limit is refused before a byte of it is read.
func TestCheckTooLarge(t *testing.T) {
	_, err := Check(unreadable{}, MaxSize+1)
	if ReasonOf(err) != ReasonTooLarge || err.Error() != "The selected file must be smaller than 20 MB" {
		t.Errorf("got %v", err)
	}
	small := Limits{MaxSize: 1000, MaxEntries: 10, MaxInflated: 1 << 20, MaxRatio: 100, MaxPixels: 100}
	b := bytes.Repeat([]byte("a"), 1001)
	if _, err := small.Check(bytes.NewReader(b), int64(len(b))); ReasonOf(err) != ReasonTooLarge || !strings.Contains(err.Error(), "1 KB") {
		t.Errorf("got %v", err)
	}
	if _, err := small.Check(bytes.NewReader(b[:1000]), 1000); err != nil {
		t.Errorf("a file of exactly the limit: %v", err)
	}
}

type unreadable struct{}

func (unreadable) ReadAt([]byte, int64) (int, error) { panic("read a file over the limit") }

// The total inflated limit holds across entries: many parts each under the
// ratio floor still add up.
func TestCheckInflatedTotal(t *testing.T) {
	parts := docxParts()
	for i := range 20 {
		parts = append(parts, part{"word/media/p" + itoa(i) + ".xml", strings.Repeat("<w:p/>", 100_000)})
	}
	b := zipFile(t, parts)
	l := DefaultLimits
	l.MaxInflated = 5 << 20
	if _, err := l.Check(bytes.NewReader(b), int64(len(b))); ReasonOf(err) != ReasonBomb {
		t.Errorf("got %v, want a bomb", err)
	}
	if _, err := DefaultLimits.Check(bytes.NewReader(b), int64(len(b))); err != nil {
		t.Errorf("under the default limits: %v", err)
	}
}

func TestByContentType(t *testing.T) {
	for _, ct := range []string{"text/html", "image/svg+xml", "application/octet-stream", ""} {
		if _, ok := ByContentType(ct); ok {
			t.Errorf("%q is allowed", ct)
		}
	}
	if got, ok := ByContentType("application/pdf"); !ok || got.Ext != ".pdf" {
		t.Errorf("application/pdf: %+v %v", got, ok)
	}
}

// The bomb fixture is honest: it does inflate to what it says.
func TestDeflatedZerosInflates(t *testing.T) {
	raw, crc := deflatedZeros(t, 64<<20)
	h := crc32.NewIEEE()
	n, err := io.Copy(h, flate.NewReader(bytes.NewReader(raw)))
	if err != nil || n != 64<<20 || h.Sum32() != crc {
		t.Errorf("inflated %d bytes, err %v, crc match %v", n, err, h.Sum32() == crc)
	}
	if len(raw) > 128<<10 {
		t.Errorf("64 MB of zeros took %d bytes", len(raw))
	}
}
