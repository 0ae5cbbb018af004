package web

import (
	"errors"
	"io"
	"net/http"
	"path"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"haven/internal/filestore"
	"haven/internal/haven"
	"haven/internal/upload"
)

// attachmentCSP replaces the pages' policy for a stored file: a browser
// that showed one anyway would run nothing and load nothing, with the
// document in a sandbox of its own origin.
const attachmentCSP = "default-src 'none'; sandbox"

// serveAttachment sends a stored upload as a download, never shown in the
// browser: whatever is in the file, it cannot act as one of Haven's pages.
// contentType is the one upload.Check found; anything not on the
// allow-list goes as application/octet-stream. downloadName is what the
// file is saved as, made safe and given the type's extension.
func (s *Server) serveAttachment(w http.ResponseWriter, r *http.Request, files filestore.Store, key, downloadName, contentType string) error {
	if files == nil {
		return haven.ErrNotFound
	}
	rc, info, err := files.Open(r.Context(), key)
	if err != nil {
		return err
	}
	defer rc.Close()
	ct, ext := "application/octet-stream", ""
	if t, ok := upload.ByContentType(contentType); ok {
		ct, ext = t.ContentType, t.Ext
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("Content-Disposition", contentDisposition(downloadFilename(downloadName, ext)))
	h.Set("Content-Length", strconv.FormatInt(info.Size, 10))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", attachmentCSP)
	h.Set("Cache-Control", "private, no-store")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("X-Download-Options", "noopen") // old Internet Explorer: save, never open in place
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return nil
	}
	if _, err := io.Copy(w, rc); err != nil {
		// The headers have gone: nothing to show, but the log says the
		// download broke (the key is Haven's, not personal data).
		s.log.Warn("attachment incomplete", "request_id", infoFrom(r.Context()).id, "error", err.Error())
	}
	return nil
}

// downloadFilename makes name safe to suggest for saving: no folders, no
// control or direction-changing characters, none that file systems refuse,
// at most 120 characters, ending in ext.
func downloadFilename(name, ext string) string {
	name = name[strings.LastIndexAny(name, `/\`)+1:]
	name = strings.Map(func(r rune) rune {
		switch {
		case r == utf8.RuneError, unicode.IsControl(r), haven.IsBidiControl(r), !unicode.IsPrint(r) && r != ' ':
			return -1
		case strings.ContainsRune(`"*:<>?|;%`, r):
			return '-'
		}
		return r
	}, name)
	name = strings.Join(strings.Fields(name), " ")
	if ext != "" && strings.EqualFold(path.Ext(name), ext) {
		name = name[:len(name)-len(ext)]
	}
	name = strings.Trim(name, " .-")
	if r := []rune(name); len(r) > 120 {
		name = strings.TrimRight(string(r[:120]), " .-")
	}
	base := strings.ToUpper(name)
	if i := strings.IndexByte(base, '.'); i >= 0 {
		base = base[:i]
	}
	switch base {
	case "", "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "LPT1", "LPT2", "LPT3":
		name = "download " + name
		name = strings.TrimSpace(name)
	}
	return name + ext
}

// contentDisposition is an attachment header with an ASCII name for old
// clients and the UTF-8 name (RFC 6266, RFC 8187) for the rest.
func contentDisposition(name string) string {
	ascii := strings.Map(func(r rune) rune {
		if r > '~' || r < ' ' || r == '"' || r == '\\' {
			return '_'
		}
		return r
	}, name)
	var enc strings.Builder
	for _, b := range []byte(name) {
		if b < 0x80 && (b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || strings.IndexByte("!#$&+-.^_`|~", b) >= 0) {
			enc.WriteByte(b)
			continue
		}
		enc.WriteString("%" + strings.ToUpper(strconv.FormatUint(uint64(b)|0x100, 16)[1:]))
	}
	return `attachment; filename="` + ascii + `"; filename*=UTF-8''` + enc.String()
}

// maxUploadBody is the body limit for a route that takes a file: the
// file's limit and room for the form's other fields. Set it as the route's
// maxBody.
const maxUploadBody = upload.MaxSize + 256<<10

// errFileTooLarge answers a form whose file is over the limit before any
// of it is read (413): there is nothing of the form to show again.
var errFileTooLarge = &statusError{http.StatusRequestEntityTooLarge,
	upload.DefaultLimits.TooLarge().Message + ". Go back and choose a smaller file."}

// readOptionalUpload is readUpload for a form whose file may be left out:
// a form sent with no file chosen has no file and no problem.
func readOptionalUpload(r *http.Request, field string) (*uploadedFile, *FieldError, error) {
	up, fe, err := readUpload(r, field)
	if fe != nil && r.MultipartForm != nil && len(r.MultipartForm.File[field]) == 0 {
		return nil, nil, nil
	}
	return up, fe, err
}

// uploadedFile is a file that passed upload.Check.
type uploadedFile struct {
	Type upload.Type
	Data []byte
	// Name is what the uploader's computer called it, made safe, without
	// its extension: a default title or download name, never a path or key.
	Name string
}

// readUpload reads a multipart form whose file is in field. The error is
// errFileTooLarge (413) for a body over maxUploadBody, or 400 for a body
// that is not a form. A missing, empty, oversized or refused file comes
// back as a FieldError for the form's error summary (422), with the
// other fields in r.PostForm, checked as parseForm checks any form.
// The whole body is held in memory, never spilled to a temporary file.
func readUpload(r *http.Request, field string) (*uploadedFile, *FieldError, error) {
	// #nosec G120 -- the route's maxBody wraps the body in a MaxBytesReader (adapt, middleware.go)
	if err := r.ParseMultipartForm(maxUploadBody); err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return nil, nil, errFileTooLarge
		}
		return nil, nil, badRequest("The form could not be read. Choose the file again and send it.")
	}
	defer r.MultipartForm.RemoveAll()
	if err := checkFormText(r); err != nil {
		return nil, nil, err
	}
	f, hdr, err := r.FormFile(field)
	if err != nil {
		return nil, &FieldError{Field: field, Message: "Select a file"}, nil
	}
	defer f.Close()
	if hdr.Size > upload.MaxSize {
		return nil, &FieldError{Field: field, Message: upload.DefaultLimits.TooLarge().Message}, nil
	}
	t, err := upload.Check(f, hdr.Size)
	if ue, ok := errors.AsType[*upload.Error](err); ok {
		return nil, &FieldError{Field: field, Message: ue.Message}, nil
	}
	if err != nil {
		return nil, nil, err
	}
	data := make([]byte, hdr.Size)
	if _, err := f.ReadAt(data, 0); err != nil && !errors.Is(err, io.EOF) {
		return nil, nil, badRequest("The file could not be read. Choose it again and send it.")
	}
	name := downloadFilename(hdr.Filename, "")
	if ext := path.Ext(name); ext != "" {
		name = strings.TrimSpace(strings.TrimSuffix(name, ext))
	}
	return &uploadedFile{Type: t, Data: data, Name: name}, nil, nil
}
