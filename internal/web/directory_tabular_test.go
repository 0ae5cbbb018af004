package web_test

import (
	"archive/zip"
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"haven/internal/access"
	"haven/internal/directory"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// sendFile posts a file to u as the import form does.
func sendFile(t *testing.T, c *http.Client, u string, file []byte) response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "directory.zip")
	_, _ = fw.Write(file)
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, u, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: string(b)}
}

// rezip rewrites one file of a package.
func rezip(t *testing.T, pkg []byte, file string, edit func(string) string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		if f.Name == file {
			b = []byte(edit(string(b)))
		}
		w, _ := zw.Create(f.Name)
		_, _ = w.Write(b)
	}
	_ = zw.Close()
	return out.Bytes()
}

// The public export is open data with no sign-in, as an attachment; an
// editor imports it back (a changed row updates its entry, with history and
// an audit row), and a package with a bad row, a file that is not a package
// and one over the size limit are each refused with a clear message and
// nothing written.
func TestDirectoryExportAndImport(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newAuthEnv(t, db)
		public := e.browser()
		res := send(t, public, "GET", e.ts.URL+"/directory/export.zip", nil)
		if res.status != 200 || res.header.Get("Content-Type") != "application/zip" ||
			res.header.Get("Content-Disposition") != `attachment; filename="haven-directory-hsds.zip"` {
			t.Fatalf("export: %d %v", res.status, res.header)
		}
		pkg := []byte(res.body)
		ss, total, err := db.ListServices(t.Context(), directory.Query{Page: 1, PerPage: directory.MaxPerPage})
		if err != nil || total == 0 {
			t.Fatalf("services: %d, %v", total, err)
		}
		imp, err := directory.ReadPackage(pkg, directory.ReadOptions{KnownArea: func(c string) bool { _, ok := access.LocalAuthorityByCode(c); return ok }})
		if err != nil || len(imp.Services) != total || len(imp.Report.Rejected) != 0 {
			t.Fatalf("export read back: %d of %d services, %+v, %v", len(imp.Services), total, imp.Report.Rejected, err)
		}
		// Field history names who made each change: it is not open data.
		if strings.Contains(res.body, "metadata.csv") || strings.Contains(res.body, "haven-user:") {
			t.Error("the export carries field history")
		}

		editor := e.signIn(t, e.account(access.RoleDirectoryEditor))
		if res := send(t, editor, "GET", e.ts.URL+"/directory/import", nil); res.status != 200 || !strings.Contains(res.body, `type="file"`) {
			t.Fatalf("form: %d", res.status)
		}
		target := ss[len(ss)-1]
		if target.PracticeID != 0 {
			target = ss[0]
		}
		// The target's own row: demo services share descriptions.
		changed := rezip(t, pkg, "services.csv", func(s string) string {
			lines := strings.Split(s, "\n")
			for i, l := range lines {
				if strings.HasPrefix(l, target.ID+",") {
					lines[i] = strings.Replace(l, target.Description, "Changed by an import (fictional).", 1)
				}
			}
			return strings.Join(lines, "\n")
		})
		res = sendFile(t, editor, e.ts.URL+"/directory/import", changed)
		if res.status != 200 || !strings.Contains(res.body, "Imported") || !strings.Contains(res.body, "0 services created, 1 updated") {
			t.Fatalf("import: %d\n%s", res.status, res.body)
		}
		got, err := db.Service(t.Context(), target.ID)
		if err != nil || got.Description != "Changed by an import (fictional)." {
			t.Errorf("after import: %q, %v", got.Description, err)
		}
		if es, err := db.AuditEntries(t.Context(), store.AuditFilter{RecordType: "dir-import", Page: store.Page{Limit: 5}}); err != nil || len(es) != 1 {
			t.Errorf("audit rows: %d, %v", len(es), err)
		}

		// A bad last row: a table of rejections, and nothing written.
		bad := rezip(t, changed, "services.csv", func(s string) string {
			return strings.Replace(s, "Changed by an import (fictional).", "Changed <b>again</b>.", 1)
		})
		res = sendFile(t, editor, e.ts.URL+"/directory/import", bad)
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Rows refused") || !strings.Contains(res.body, "must not contain &lt; or &gt;") ||
			!strings.Contains(res.body, `class="haven-table-scroll"`) || strings.Contains(res.body, "<b>again") {
			t.Errorf("bad row: %d\n%s", res.status, res.body)
		}
		if got, _ := db.Service(t.Context(), target.ID); got.Description != "Changed by an import (fictional)." {
			t.Errorf("a refused package was written: %q", got.Description)
		}
		for _, tc := range []struct {
			name   string
			file   []byte
			status int
			want   string
		}{
			{"not a zip", []byte("id,name\n1,x\n"), http.StatusUnprocessableEntity, "The file must be a .zip file"},
			{"empty", nil, http.StatusUnprocessableEntity, "The selected file is empty"},
			{"too large", bytes.Repeat([]byte("x"), 11<<20), http.StatusRequestEntityTooLarge, "The file must be smaller than 10 MB"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				res := sendFile(t, editor, e.ts.URL+"/directory/import", tc.file)
				if res.status != tc.status || !strings.Contains(res.body, tc.want) || !strings.Contains(res.body, "govuk-error-summary") {
					t.Errorf("%d, want %d with %q", res.status, tc.status, tc.want)
				}
			})
		}
	})
}
