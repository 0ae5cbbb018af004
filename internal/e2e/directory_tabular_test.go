package e2e

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"path/filepath"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"haven/internal/access"
)

// The directory's import page (issue 20 item 6), empty and with a report
// of refused rows, checked with axe at 1280 and 320 px.
func init() {
	pages = append(pages,
		pageCase{name: "directory import", journey: roleVisit(access.RoleDirectoryEditor, "", "/directory/import"), status: 200, want: "CSV data package"},
		pageCase{name: "directory import with refused rows", journey: dirImportRefused, status: 422, want: "Rows refused"},
	)
}

// dirImportRefused uploads a package whose one service has a made-up
// organisation and no service area: both are refused, nothing is written.
func dirImportRefused(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if err := s.shareSession(ctx, access.RoleDirectoryEditor, ""); err != nil {
		return nil, err
	}
	if _, err := visit(ctx, s, "/directory/import", "/directory/import", 200); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("services.csv")
	if err != nil {
		return nil, err
	}
	_, _ = w.Write([]byte("id,organization_id,name,description,status,application_process\n" +
		"0b0e1f52-7a55-4a57-8d1e-3f6c1e0a0001,0b0e1f52-7a55-4a57-8d1e-3f6c1e0a0002,Fictional Service,Made up.,active,Ring.\n"))
	if err := zw.Close(); err != nil {
		return nil, err
	}
	path := filepath.Join(os.TempDir(), "haven-e2e-directory-refused.zip")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		return nil, err
	}
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{path})); err != nil {
		return nil, err
	}
	last()
	return pressButton(ctx, "Check and import")
}
