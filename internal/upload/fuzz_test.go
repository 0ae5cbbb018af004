package upload

import (
	"bytes"
	"testing"
	"unicode/utf8"
)

// FuzzCheck: no input panics, and whatever is accepted is one of the
// allowed types; accepted text is UTF-8 with no markup.
func FuzzCheck(f *testing.F) {
	for _, b := range [][]byte{
		pdfFile(f), xlsxFile(f), zipFile(f, docxParts()), zipFile(f, pptxParts()), pngFile(f, 2, 2), jpegFile(f),
		[]byte("plain text\n"), []byte("<svg onload=alert(1)>"), []byte("%PDF-1.4\n<html>\n%%EOF"),
		overlapDOCX(f), zipFile(f, with(docxParts(), part{"word/vbaProject.bin", "x"})), hugePNG(f, 1<<20, 1<<20),
	} {
		f.Add(b)
	}
	small := DefaultLimits
	small.MaxInflated, small.MaxSize = 4<<20, 1<<20
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := small.Check(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			if ReasonOf(err) == "" || err.Error() == "" {
				t.Fatalf("refusal without a reason or message: %v", err)
			}
			return
		}
		if _, ok := ByContentType(got.ContentType); !ok {
			t.Fatalf("accepted as %+v", got)
		}
		if got.Kind == Text && (!utf8.Valid(b) || markupIn(b, textMarkup)) {
			t.Fatalf("accepted %q as text", b)
		}
	})
}
