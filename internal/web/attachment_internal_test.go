package web

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"haven/internal/access"
	"haven/internal/filestore"
)

// attachmentServer is a Haven server with two extra routes, so the helpers
// run behind the real middleware (its security headers, the body limit):
// GET /test/files/{key} serves a stored file and POST /test/upload reads one.
func attachmentServer(t *testing.T) (*httptest.Server, filestore.Store) {
	t.Helper()
	files, err := filestore.NewLocal(filepath.Join(t.TempDir(), "files"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewServer(Options{Files: files})
	if err != nil {
		t.Fatal(err)
	}
	s.mux.Handle("GET /test/files/{key}", s.adapt(route{pattern: "GET /test/files/{key}", perm: access.PermPublic,
		handler: func(w http.ResponseWriter, r *http.Request) error {
			return s.serveAttachment(w, r, s.uploads, r.PathValue("key"), r.URL.Query().Get("name"), r.URL.Query().Get("type"))
		}}))
	s.mux.Handle("POST /test/upload", s.adapt(route{pattern: "POST /test/upload", perm: access.PermPublic, maxBody: maxUploadBody,
		handler: func(w http.ResponseWriter, r *http.Request) error {
			up, fe, err := readUpload(r, "file")
			if err != nil {
				return err
			}
			if fe != nil {
				p := &errorPage{Status: http.StatusUnprocessableEntity, Heading: "Upload a resource"}
				p.Errors = []FieldError{*fe}
				return s.render(w, r, http.StatusUnprocessableEntity, "error.html", p)
			}
			io.WriteString(w, "kind="+string(up.Type.Kind)+" name="+up.Name+" title="+r.PostFormValue("title")+" bytes="+strconv.Itoa(len(up.Data)))
			return nil
		}}))
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return ts, files
}

func TestServeAttachment(t *testing.T) {
	ts, files := attachmentServer(t)
	store := func(body, ct string) string {
		key := filestore.NewKey()
		if err := files.Put(t.Context(), key, strings.NewReader(body), int64(len(body)), ct); err != nil {
			t.Fatal(err)
		}
		return key
	}
	pdf := store("%PDF-1.4 fictional\n%%EOF\n", "application/pdf")
	page := store("<html><script>alert(1)</script></html>", "text/html")
	tests := []struct {
		name, key, dlName, ctype string
		method                   string
		wantStatus               int
		wantType                 string
		wantDisposition          string
		wantBody                 string
	}{
		{name: "a PDF", key: pdf, dlName: "Guide to contact", ctype: "application/pdf", wantStatus: 200, wantType: "application/pdf",
			wantDisposition: `attachment; filename="Guide to contact.pdf"; filename*=UTF-8''Guide%20to%20contact.pdf`, wantBody: "%PDF-1.4 fictional\n%%EOF\n"},
		{name: "a name with its extension already", key: pdf, dlName: "guide.PDF", ctype: "application/pdf", wantStatus: 200, wantType: "application/pdf",
			wantDisposition: `attachment; filename="guide.pdf"; filename*=UTF-8''guide.pdf`},
		{name: "a Welsh name", key: pdf, dlName: "Canllaw — café", ctype: "application/pdf", wantStatus: 200, wantType: "application/pdf",
			wantDisposition: `attachment; filename="Canllaw _ caf_.pdf"; filename*=UTF-8''Canllaw%20%E2%80%94%20caf%C3%A9.pdf`},
		{name: "a hostile name", key: pdf, dlName: "../../etc/\"x\"\r\nSet-Cookie: a=b;\u202egpj.exe", ctype: "application/pdf", wantStatus: 200, wantType: "application/pdf",
			wantDisposition: `attachment; filename="x-Set-Cookie- a=b-gpj.exe.pdf"; filename*=UTF-8''x-Set-Cookie-%20a%3Db-gpj.exe.pdf`},
		{name: "a type not on the allow-list goes as bytes", key: page, dlName: "page", ctype: "text/html", wantStatus: 200, wantType: "application/octet-stream",
			wantDisposition: `attachment; filename="page"; filename*=UTF-8''page`, wantBody: "<html><script>alert(1)</script></html>"},
		{name: "HEAD sends headers only", method: http.MethodHead, key: pdf, dlName: "g", ctype: "application/pdf", wantStatus: 200, wantType: "application/pdf",
			wantDisposition: `attachment; filename="g.pdf"; filename*=UTF-8''g.pdf`},
		{name: "an unknown key", key: filestore.NewKey(), dlName: "x", ctype: "application/pdf", wantStatus: 404},
		{name: "not a key", key: "..%2F..%2Fetc%2Fpasswd", dlName: "x", ctype: "application/pdf", wantStatus: 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := tt.method
			if method == "" {
				method = http.MethodGet
			}
			req, _ := http.NewRequest(method, ts.URL+"/test/files/"+tt.key+"?"+url.Values{"name": {tt.dlName}, "type": {tt.ctype}}.Encode(), nil)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.wantStatus)
			}
			h := res.Header
			if h.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("X-Content-Type-Options %q", h.Get("X-Content-Type-Options"))
			}
			if tt.wantStatus != 200 {
				if h.Get("Content-Disposition") != "" || h.Get("Content-Security-Policy") == attachmentCSP {
					t.Errorf("an error page with the attachment's headers: %v", h)
				}
				return
			}
			for k, want := range map[string]string{"Content-Type": tt.wantType, "Content-Disposition": tt.wantDisposition,
				"Content-Security-Policy": "default-src 'none'; sandbox", "Cache-Control": "private, no-store"} {
				if got := h.Values(k); len(got) != 1 || got[0] != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
			if tt.wantBody != "" && string(body) != tt.wantBody {
				t.Errorf("body %q", body)
			}
			if method == http.MethodHead && len(body) != 0 {
				t.Errorf("HEAD sent a body")
			}
		})
	}
}

func TestDownloadFilename(t *testing.T) {
	tests := []struct{ name, ext, want string }{
		{"Guide", ".pdf", "Guide.pdf"},
		{"Guide.pdf", ".pdf", "Guide.pdf"},
		{"report.html", ".pdf", "report.html.pdf"},
		{`C:\Users\someone\Desktop\notes.txt`, ".txt", "notes.txt"},
		{"   ", ".txt", "download.txt"},
		{"...", ".png", "download.png"},
		{"CON", ".txt", "download CON.txt"},
		{"a\x00b\x7fc\u200bd\u2066e", ".txt", "abcde.txt"},
		{strings.Repeat("é", 300), ".pdf", strings.Repeat("é", 120) + ".pdf"},
		{"", "", "download"},
	}
	for _, tt := range tests {
		if got := downloadFilename(tt.name, tt.ext); got != tt.want {
			t.Errorf("downloadFilename(%q, %q) = %q, want %q", tt.name, tt.ext, got, tt.want)
		}
	}
}

// multipartBody is a form with a title and, unless name is "", a file.
func multipartBody(t *testing.T, name string, file []byte, title string) (*bytes.Buffer, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("title", title)
	if name != "" {
		fw, err := mw.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(file)
	}
	mw.Close()
	return &b, mw.FormDataContentType()
}

func TestReadUpload(t *testing.T) {
	ts, _ := attachmentServer(t)
	pdf := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
	tests := []struct {
		name        string
		fileName    string
		file        []byte
		title       string
		chunked     bool // no Content-Length: the limit is found while reading
		contentType string
		wantStatus  int
		want        []string
	}{
		{name: "a PDF, whatever it is called", fileName: "notes.txt", file: pdf, title: "Grief and loss", wantStatus: 200,
			want: []string{"kind=pdf name=notes title=Grief and loss bytes=" + strconv.Itoa(len(pdf))}},
		{name: "plain text", fileName: `C:\fakepath\Session plan.txt`, file: []byte("Session plan\n"), wantStatus: 200, want: []string{"kind=text name=Session plan "}},
		{name: "HTML named .pdf", fileName: "report.pdf", file: []byte("<!doctype html><html><script>alert(1)</script>"), wantStatus: 422,
			want: []string{"govuk-error-summary", `href="#file"`, "web page code"}},
		{name: "SVG with script named .png", fileName: "photo.png", file: []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), wantStatus: 422,
			want: []string{"govuk-error-summary", "web page code"}},
		{name: "an empty file", fileName: "empty.pdf", file: []byte{}, wantStatus: 422, want: []string{"The selected file is empty"}},
		{name: "no file", wantStatus: 422, want: []string{"govuk-error-summary", "Select a file"}},
		{name: "a file just over 20 MB", fileName: "big.txt", file: bytes.Repeat([]byte("a"), 20<<20+1), wantStatus: 422,
			want: []string{"govuk-error-summary", "The selected file must be smaller than 20 MB"}},
		{name: "a body over the limit", fileName: "huge.txt", file: bytes.Repeat([]byte("a"), 21<<20), wantStatus: 413,
			want: []string{"The selected file must be smaller than 20 MB"}},
		{name: "a body over the limit, length not given", fileName: "huge.txt", file: bytes.Repeat([]byte("a"), 21<<20), chunked: true, wantStatus: 413,
			want: []string{"The selected file must be smaller than 20 MB"}},
		{name: "a title with a control character", fileName: "a.pdf", file: pdf, title: "bad\x01title", wantStatus: 422},
		{name: "not a multipart form", contentType: "application/x-www-form-urlencoded", wantStatus: 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, ctype := multipartBody(t, tt.fileName, tt.file, tt.title)
			if tt.contentType != "" {
				ctype = tt.contentType
			}
			var r io.Reader = body
			if tt.chunked {
				r = io.MultiReader(body) // hides the length from net/http
			}
			req, _ := http.NewRequest(http.MethodPost, ts.URL+"/test/upload", r)
			req.Header.Set("Content-Type", ctype)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d\n%.2000s", res.StatusCode, tt.wantStatus, got)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(got), w) {
					t.Errorf("response does not contain %q:\n%.3000s", w, got)
				}
			}
		})
	}
}

// FuzzContentDisposition: whatever a resource is called, the header is one
// line of printable ASCII naming an attachment, and the name is no path.
func FuzzContentDisposition(f *testing.F) {
	for _, s := range []string{"Guide", "../../etc/passwd", "a\r\nSet-Cookie: x", "Canllaw — café", "\u202egpj.exe", "CON", "\"quoted\"", strings.Repeat("é", 200)} {
		f.Add(s, ".pdf")
	}
	f.Fuzz(func(t *testing.T, name, ext string) {
		if ext != "" && ext != ".pdf" && ext != ".txt" {
			ext = ".pdf"
		}
		fn := downloadFilename(name, ext)
		if fn == "" || strings.ContainsAny(fn, "/\\\"\r\n\x00") || !strings.HasSuffix(fn, ext) || strings.HasPrefix(fn, ".") || fn == ext {
			t.Fatalf("downloadFilename(%q, %q) = %q", name, ext, fn)
		}
		cd := contentDisposition(fn)
		for _, c := range []byte(cd) {
			if c < ' ' || c > '~' {
				t.Fatalf("header %q has byte %#x", cd, c)
			}
		}
		if !strings.HasPrefix(cd, `attachment; filename="`) || strings.Count(cd, `"`) != 2 || !strings.Contains(cd, "; filename*=UTF-8''") {
			t.Fatalf("header %q", cd)
		}
		const marker = "; filename*=UTF-8''"
		if got, err := url.PathUnescape(cd[strings.LastIndex(cd, marker)+len(marker):]); err != nil || got != fn {
			t.Fatalf("filename* %q decodes to %q, %v; want %q", cd, got, err, fn)
		}
	})
}
