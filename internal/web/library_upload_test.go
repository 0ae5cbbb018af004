package web_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/document"
	"haven/internal/library"
	"haven/internal/store/storetest"
)

// multipartProposal is the propose form with a file, as a browser sends it.
func multipartProposal(t *testing.T, title, link, fileName string, file []byte) (io.Reader, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range map[string]string{"title": title, "summary": "A fictional guide.", "type": "guide", "topics": "grief-loss",
		"audiences": "practitioners", "author": "A. Writer (fictional)", "date-day": "3", "date-month": "2", "date-year": "2026",
		"licence": "cc-by-4", "link": link, "idempotency_key": strings.Repeat("K", 20) + title[:4]} {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	fw, err := mw.CreateFormFile("file", fileName)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(file)
	mw.Close()
	return &b, mw.FormDataContentType()
}

// Uploads in the library (issue 21 item 4): a real PDF is proposed with
// the form, stored under a generated name, and once published is served as
// an attachment with its own strict policy; HTML named .pdf, an SVG with a
// script and a file over the limit are refused with a clear message and
// nothing saved; a proposal's file is not public.
func TestLibraryUploads(t *testing.T) {
	db := storetest.SQLite(t)
	e := newAuthEnv(t, db)
	staff := e.signIn(t, e.account(access.RolePractitioner))
	post := func(title, link, name string, file []byte) response {
		body, ct := multipartProposal(t, title, link, name, file)
		req, _ := http.NewRequest("POST", e.ts.URL+"/library/propose", body)
		req.Header.Set("Content-Type", ct)
		res, err := staff.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return response{res.StatusCode, res.Header, string(b)}
	}
	proposed := func() int {
		rs, err := db.ProposedResources(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		return len(rs)
	}
	before := proposed()
	for _, c := range []struct {
		name, file string
		data       []byte
		want       string
	}{
		{"html named pdf", "guide.pdf", []byte("<!doctype html><html><script>alert(1)</script></html>"), "The selected file"},
		{"svg with script", "chart.png", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), "The selected file"},
		{"empty", "empty.txt", nil, "The selected file"},
	} {
		res := post("Refused "+c.name, "", c.file, c.data)
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, c.want) {
			t.Errorf("%s: %d\n%s", c.name, res.status, res.body)
		}
	}
	if res := post("Too big", "", "big.txt", bytes.Repeat([]byte("a"), 21<<20)); res.status != http.StatusRequestEntityTooLarge || !strings.Contains(res.body, "20 MB") {
		t.Errorf("a file over the limit: %d", res.status)
	}
	if n := proposed(); n != before {
		t.Fatalf("a refused upload made %d proposals", n-before)
	}
	pdf := document.NewPDF(document.Meta{Title: "Fictional guide", Lang: "en-GB", Created: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)})
	pdf.Title("Grief and loss: a fictional guide")
	data, err := pdf.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if res := post("Both a link and a file", "https://example.org/x", "guide.pdf", data); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Give a link or a file, not both") {
		t.Errorf("both: %d", res.status)
	}
	if res := post("Grief guide with a file", "", "../../etc/Grief guide.pdf", data); res.status != http.StatusSeeOther {
		t.Fatalf("a real PDF: %d\n%s", res.status, res.body)
	}
	var mine library.Resource
	rs, _ := db.ProposedResources(t.Context())
	for _, r := range rs {
		if r.Title == "Grief guide with a file" {
			mine = r
		}
	}
	if mine.File.Key == "" || mine.File.Name != "Grief guide.pdf" || mine.File.Type != "application/pdf" || mine.File.Size != int64(len(data)) || mine.Link != "" {
		t.Fatalf("stored %+v", mine.File)
	}
	if strings.Contains(mine.File.Key, "Grief") {
		t.Error("the stored name is the uploader's")
	}
	fileURL := e.ts.URL + "/library/resources/" + itoa(mine.ID) + "/file"
	if res := send(t, e.browser(), "GET", fileURL, nil); res.status != http.StatusNotFound {
		t.Errorf("a proposal's file is public: %d", res.status)
	}
	if err := db.PublishResource(t.Context(), audit.Event{RequestID: "test"}, mine.ID); err != nil {
		t.Fatal(err)
	}
	page := send(t, e.browser(), "GET", e.ts.URL+"/library/resources/"+itoa(mine.ID), nil)
	if !strings.Contains(page.body, "Download the file") || !strings.Contains(page.body, "Grief guide.pdf") {
		t.Errorf("the resource page offers no download")
	}
	res := send(t, e.browser(), "GET", fileURL, nil)
	h := res.header
	if res.status != 200 || res.body != string(data) || h.Get("Content-Type") != "application/pdf" || h.Get("X-Content-Type-Options") != "nosniff" ||
		!strings.HasPrefix(h.Get("Content-Disposition"), "attachment;") || h.Get("Content-Security-Policy") != "default-src 'none'; sandbox" {
		t.Errorf("download %d %v", res.status, h)
	}
}
