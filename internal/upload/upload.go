// Package upload decides whether an uploaded file may be kept, by what it
// holds and never by its name: PDF, Word, Excel and PowerPoint documents
// (Office Open XML), PNG and JPEG images, and plain text. Everything else is
// refused with a message that names the problem, so that nothing Haven keeps
// can run as a web page, a script or a macro when someone downloads it.
package upload

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Kind names an allowed type of file.
type Kind string

const (
	PDF  Kind = "pdf"
	DOCX Kind = "docx"
	XLSX Kind = "xlsx"
	PPTX Kind = "pptx"
	PNG  Kind = "png"
	JPEG Kind = "jpeg"
	Text Kind = "text"
)

// Type is what a file was found to be: the content type and extension to
// serve it with come from here, never from what the uploader sent.
type Type struct {
	Kind        Kind
	Label       string // for people: "PDF", "Word document"
	ContentType string
	Ext         string // with its dot
}

var types = []Type{
	{PDF, "PDF", "application/pdf", ".pdf"},
	{DOCX, "Word document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"},
	{XLSX, "Excel spreadsheet", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"},
	{PPTX, "PowerPoint presentation", "application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx"},
	{PNG, "PNG image", "image/png", ".png"},
	{JPEG, "JPEG image", "image/jpeg", ".jpg"},
	{Text, "Text file", "text/plain; charset=utf-8", ".txt"},
}

// TypeOf returns the Type of an allowed kind.
func TypeOf(k Kind) (Type, bool) {
	for _, t := range types {
		if t.Kind == k {
			return t, true
		}
	}
	return Type{}, false
}

// ByContentType returns the allowed Type served as ct, so that a content
// type read back from storage is only ever one of the allow-list's.
func ByContentType(ct string) (Type, bool) {
	for _, t := range types {
		if t.ContentType == ct {
			return t, true
		}
	}
	return Type{}, false
}

// Reason says why a file was refused, for tests and for counting refusals
// without logging anything about the file.
type Reason string

const (
	ReasonEmpty    Reason = "empty"
	ReasonTooLarge Reason = "too_large"
	ReasonType     Reason = "type"     // not one of the allowed types
	ReasonMarkup   Reason = "markup"   // HTML, SVG, XML or script, whatever it is named
	ReasonActive   Reason = "active"   // macros, ActiveX, embedded objects, PDF JavaScript
	ReasonBomb     Reason = "bomb"     // expands to far more than its size
	ReasonDamaged  Reason = "damaged"  // claims to be an allowed type but does not read as one
	ReasonTooBig   Reason = "too_big"  // an image with too many pixels
	ReasonEncoding Reason = "encoding" // text that is not UTF-8
)

// Error is a refusal. Message is safe to show beside the file field.
type Error struct {
	Reason  Reason
	Message string
}

func (e *Error) Error() string { return e.Message }

// ReasonOf returns why err refused a file, or "" if it is not a refusal.
func ReasonOf(err error) Reason {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Reason
	}
	return ""
}

// Allowed lists the allowed types for messages and hints.
const Allowed = "a PDF, Word document (DOCX), Excel spreadsheet (XLSX), PowerPoint presentation (PPTX), PNG or JPEG image, or plain text file"

// Limits bound what Check will read. The zero value is not useful: start
// from DefaultLimits.
type Limits struct {
	MaxSize     int64 // bytes in the file as uploaded
	MaxEntries  int   // files inside an Office document
	MaxInflated int64 // bytes inside an Office document, all entries together
	MaxRatio    int64 // inflated to compressed, per entry, once it passes ratioFloor
	MaxPixels   int64 // width × height of an image
}

// DefaultLimits fit the resource library: guides, slides and spreadsheets
// of a few megabytes. Real Office documents inflate about 5 to 20 times;
// a zip bomb inflates a thousand times or more (deflate's limit is 1032:1).
var DefaultLimits = Limits{
	MaxSize:     20 << 20,
	MaxEntries:  2000,
	MaxInflated: 200 << 20,
	MaxRatio:    200,
	MaxPixels:   80_000_000,
}

// MaxSize is the largest file DefaultLimits accept.
const MaxSize = 20 << 20

// ratioFloor is how much an entry may inflate before its ratio counts:
// small XML parts (a styles sheet of repeated tags) compress very well.
const ratioFloor = 1 << 20

// Check reads the file of size bytes from r and returns its type, or an
// *Error saying why it is refused.
func Check(r io.ReaderAt, size int64) (Type, error) { return DefaultLimits.Check(r, size) }

// TooLarge is the refusal of a file over the limit.
func (l Limits) TooLarge() *Error {
	return &Error{ReasonTooLarge, "The selected file must be smaller than " + megabytes(l.MaxSize)}
}

func megabytes(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d KB", (n+1023)>>10)
}

var (
	errEmpty    = &Error{ReasonEmpty, "The selected file is empty"}
	errType     = &Error{ReasonType, "The selected file must be " + Allowed}
	errMarkup   = &Error{ReasonMarkup, "The selected file contains web page code (HTML, SVG, XML or a script), which Haven does not accept whatever the file is called. Save it as a PDF and upload that"}
	errLegacy   = &Error{ReasonType, "The selected file is an older Office document (such as .doc, .xls or .ppt): save it as a .docx, .xlsx or .pptx and upload that"}
	errMacro    = &Error{ReasonActive, "The selected file contains macros, ActiveX controls or embedded objects: save it without them (as .docx, .xlsx or .pptx) and upload that"}
	errExternal = &Error{ReasonActive, "The selected file fetches a template, image or other content from elsewhere when it opens: remove those links (ordinary hyperlinks are fine), save it and upload that"}
	errPDFCode  = &Error{ReasonActive, "The selected PDF contains JavaScript or launch actions: save or print it to a new PDF without them and upload that"}
	errBomb     = &Error{ReasonBomb, "The selected file expands to far more than its size, so Haven cannot check it. Save it again and upload that"}
	errNotUTF8  = &Error{ReasonEncoding, "The selected text file must be saved as UTF-8"}
)

func damaged(label string) *Error {
	return &Error{ReasonDamaged, "The selected file looks like a " + label + " but is damaged or incomplete. Open it, save it again and upload that"}
}

// Check is Check with these limits.
func (l Limits) Check(r io.ReaderAt, size int64) (Type, error) {
	switch {
	case size <= 0:
		return Type{}, errEmpty
	case size > l.MaxSize:
		return Type{}, l.TooLarge()
	}
	head := make([]byte, min(size, 1024))
	if _, err := r.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return Type{}, damaged("file")
	}
	var k Kind
	var err error
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		k, err = PDF, checkPDF(r, size)
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		k, err = PNG, l.checkImage(r, size, PNG)
	case bytes.HasPrefix(head, []byte("\xff\xd8\xff")):
		k, err = JPEG, l.checkImage(r, size, JPEG)
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		k, err = l.checkOOXML(r, size)
	case bytes.HasPrefix(head, []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")):
		return Type{}, errLegacy // Compound File: .doc, .xls, .ppt, or an encrypted Office file
	default:
		k, err = Text, l.checkText(r, size)
	}
	if err != nil {
		return Type{}, err
	}
	if k != Text {
		// A polyglot: an allowed binary type that a browser ignoring our
		// headers could still read as a page. Sniffers look at the start;
		// the whole file is searched only for tags long enough that
		// compressed data holds one by chance in about one 20 MB file in
		// 25 million (<script: 2^6 spellings in 2^56 values, at 2×10^7 places).
		if markupIn(head, headMarkup) {
			return Type{}, errMarkup
		}
		if found, err := scan(r, size, bodyMarkup, true); err != nil {
			return Type{}, damaged(kindLabel(k))
		} else if found {
			return Type{}, errMarkup
		}
	}
	t, _ := TypeOf(k)
	return t, nil
}

func kindLabel(k Kind) string {
	t, _ := TypeOf(k)
	return t.Label
}

// textMarkup makes text a web page, an image that runs script or a
// program; it is matched case-insensitively anywhere in a text file.
var textMarkup = []string{
	"<html", "<!doctype", "<head", "<body", "<script", "<svg", "<?xml", "<iframe", "<object",
	"<embed", "<meta", "<link", "<style", "<img", "<form", "<xml", "<?php", "<%", "<a ", "<a\t", "<a\n",
	"<base", "<frame", "<math", "<template", "<video", "<audio", "<input", "<button", "javascript:",
	"<!entity", "<xsl:", "xmlns",
}

// headMarkup is searched for in the first kilobyte of a binary file, where
// content sniffers look. It leaves out what image metadata (XMP) holds.
var headMarkup = []string{"<html", "<!doctype", "<head", "<body", "<script", "<svg", "<iframe", "<object", "<embed"}

// bodyMarkup is searched for through the whole of a binary file.
var bodyMarkup = []string{"<script", "<!doctype html", "<iframe", "javascript:"}

func markupIn(b []byte, tags []string) bool {
	lower := bytes.ToLower(b)
	for _, t := range tags {
		if bytes.Contains(lower, []byte(t)) {
			return true
		}
	}
	return false
}

// scan reports whether any of needles occurs in the file (ignoring case if
// fold), reading it in overlapping chunks so no match is missed at a
// boundary.
func scan(r io.ReaderAt, size int64, needles []string, fold bool) (bool, error) {
	overlap := 0
	for _, n := range needles {
		overlap = max(overlap, len(n))
	}
	buf := make([]byte, 64<<10)
	for off := int64(0); off < size; {
		n, err := r.ReadAt(buf[:min(int64(len(buf)), size-off)], off)
		if err != nil && !errors.Is(err, io.EOF) {
			return false, err
		}
		if n == 0 {
			return false, io.ErrUnexpectedEOF
		}
		if fold && markupIn(buf[:n], needles) {
			return true, nil
		}
		for _, nd := range needles {
			if !fold && bytes.Contains(buf[:n], []byte(nd)) {
				return true, nil
			}
		}
		if off+int64(n) >= size {
			break
		}
		off += int64(max(n-overlap, 1))
	}
	return false, nil
}

// checkText accepts UTF-8 with no NUL or other control characters than
// tab, line feed, carriage return and form feed, and no markup.
func (l Limits) checkText(r io.ReaderAt, size int64) error {
	b := make([]byte, size)
	if _, err := r.ReadAt(b, 0); err != nil && !errors.Is(err, io.EOF) {
		return damaged("text file")
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	if !isText(b) {
		return errType
	}
	s := string(b)
	if !utf8.ValidString(s) {
		return errNotUTF8
	}
	if strings.HasPrefix(s, "#!") || markupIn(b, textMarkup) {
		return errMarkup
	}
	return nil
}

// isText reports whether b has no bytes that only binary files have.
func isText(b []byte) bool {
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' {
			return false
		}
		if c == 0x7f {
			return false
		}
	}
	return true
}
