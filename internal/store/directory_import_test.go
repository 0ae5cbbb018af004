package store_test

import (
	"bytes"
	"errors"
	"testing"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/directory"
	"haven/internal/document"
	"haven/internal/haven"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

func knownLA(code string) bool { _, ok := access.LocalAuthorityByCode(code); return ok }

func laName(code string) string { la, _ := access.LocalAuthorityByCode(code); return la.Name }

// exportDirectory is the whole directory read back through the tabular form.
func exportDirectory(t *testing.T, db *store.DB) *directory.Import {
	t.Helper()
	ctx := t.Context()
	ss, _, err := db.ListServices(ctx, directory.Query{Page: 1, PerPage: 1000})
	if err != nil {
		t.Fatal(err)
	}
	os, _, err := db.ListDirOrganisations(ctx, directory.Query{Page: 1, PerPage: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := directory.WritePackage(&buf, os, ss, laName, directory.CSV{Write: document.WriteCSVRows, MediaType: document.CSVMediaType}); err != nil {
		t.Fatal(err)
	}
	imp, err := directory.ReadPackage(buf.Bytes(), directory.ReadOptions{KnownArea: knownLA})
	if err != nil {
		t.Fatal(err)
	}
	if len(imp.Report.Rejected) > 0 {
		t.Fatalf("Haven's own export refused: %+v", imp.Report.Rejected)
	}
	return imp
}

func countServices(t *testing.T, db *store.DB) int {
	t.Helper()
	_, n, err := db.ListServices(t.Context(), directory.Query{Page: 1, PerPage: 1})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportDirectoryCreatesAndUpdatesWithHistory(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		f := seedDirectory(t, db)
		ev := audit.Event{UserID: 1}

		// Importing Haven's own export again changes nothing.
		res, err := db.ImportDirectory(ctx, ev, exportDirectory(t, db), "Editor One")
		if err != nil {
			t.Fatal(err)
		}
		if res != (store.DirImportResult{ServicesUnchanged: 4}) {
			t.Errorf("re-import of the export: %+v", res)
		}

		imp := exportDirectory(t, db)
		newOrg := directory.Organisation{ID: directory.NameID("import:org"), Name: "Wharfe Trust (fictional)", Description: "Imported."}
		imp.Organisations = append(imp.Organisations, newOrg)
		imp.Services = append(imp.Services, directory.Service{ID: directory.NameID("import:svc"), OrganisationID: newOrg.ID,
			Entry: directory.Entry{Name: "Wharfe Service", Description: "Imported.", Status: directory.StatusActive, HowToRefer: "Ring.",
				ServiceAreas: []string{"E08000035"}, Phone: "01632 960100"},
			Phones: []directory.PhoneNumber{{ID: directory.NameID("import:phone"), Number: "01632 960100"}}})
		for i := range imp.Services {
			if imp.Services[i].ID == f.aire.ID {
				imp.Services[i].Description = "Support after removal, now county-wide."
				imp.Services[i].Phones[0].Number, imp.Services[i].Phone = "0113 496 0999", "0113 496 0999"
			}
		}
		res, err = db.ImportDirectory(ctx, ev, imp, "Editor One")
		if err != nil {
			t.Fatal(err)
		}
		if want := (store.DirImportResult{OrganisationsCreated: 1, ServicesCreated: 1, ServicesUpdated: 1, ServicesUnchanged: 3}); res != want {
			t.Errorf("import: %+v, want %+v", res, want)
		}
		aire, err := db.Service(ctx, f.aire.ID)
		if err != nil {
			t.Fatal(err)
		}
		if aire.Description != "Support after removal, now county-wide." || aire.Phone != "0113 496 0999" || len(aire.Locations) != 1 || aire.Version != 2 {
			t.Errorf("aire after import: %+v", aire)
		}
		hist, err := db.ServiceHistory(ctx, f.aire.ID)
		if err != nil {
			t.Fatal(err)
		}
		fields := map[string]string{}
		for _, h := range hist {
			if h.Action == "import" {
				fields[h.Field] = h.Replacement
				if h.By != "Editor One" {
					t.Errorf("history by %q", h.By)
				}
			}
		}
		if len(fields) != 2 || fields["description"] != aire.Description || fields["phone"] != "0113 496 0999" {
			t.Errorf("import history: %v", fields)
		}
		wharfe, err := db.Service(ctx, directory.NameID("import:svc"))
		if err != nil || wharfe.OrganisationID != newOrg.ID || wharfe.Phone != "01632 960100" {
			t.Errorf("new service: %+v, %v", wharfe, err)
		}
		if h, _ := db.ServiceHistory(ctx, wharfe.ID); len(h) == 0 || h[0].Action != "import" {
			t.Errorf("new service history: %+v", h)
		}
		// A Practice's entry keeps the Practice's name whatever the package says.
		imp = exportDirectory(t, db)
		for i := range imp.Services {
			if imp.Services[i].Name == "North Vale Practice" {
				imp.Services[i].Name = "Renamed by a package"
				imp.Services[i].Description = "Changed by a package."
			}
		}
		if _, err := db.ImportDirectory(ctx, ev, imp, "Editor One"); err != nil {
			t.Fatal(err)
		}
		ss, _, _ := db.ListServices(ctx, directory.Query{Search: "North Vale", Page: 1, PerPage: 5})
		if len(ss) != 1 || ss[0].Description != "Changed by a package." {
			t.Errorf("practice entry after import: %+v", ss)
		}
	})
}

// All or nothing: a package whose last row is bad writes nothing at all,
// whether the reader refuses the row or the database does.
func TestImportDirectoryWritesNothingWhenTheLastRowIsBad(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		f := seedDirectory(t, db)
		before := countServices(t, db)
		good := func() *directory.Import {
			imp := exportDirectory(t, db)
			imp.Organisations = append(imp.Organisations, directory.Organisation{ID: directory.NameID("bad:org"), Name: "New Org (fictional)", Description: "New."})
			for i := range imp.Services {
				imp.Services[i].Description += " Changed."
			}
			imp.Services = append(imp.Services, directory.Service{ID: directory.NameID("bad:svc"), OrganisationID: directory.NameID("bad:org"),
				Entry: directory.Entry{Name: "Last Service", Description: "Last.", Status: directory.StatusActive, HowToRefer: "Ring.", ServiceAreas: []string{"E08000035"}}})
			return imp
		}
		// The reader refused the last row.
		refused := good()
		refused.Report.Rejected = []directory.Rejection{{File: "services.csv", Row: 6, Column: "name", Reason: "Enter the service's name"}}
		if _, err := db.ImportDirectory(ctx, audit.Event{}, refused, "Editor One"); !errors.Is(err, haven.ErrInvalid) {
			t.Fatalf("err = %v, want ErrInvalid", err)
		}
		// The database refuses the last row: its location is already
		// another service's.
		clash := good()
		last := &clash.Services[len(clash.Services)-1]
		last.Locations = []directory.Location{{ID: f.aire.Locations[0].ID, Postcode: "LS1 1AA", ServiceAtLocationID: directory.NameID("bad:sal")}}
		if _, err := db.ImportDirectory(ctx, audit.Event{}, clash, "Editor One"); !errors.Is(err, haven.ErrConflict) {
			t.Fatalf("err = %v, want ErrConflict", err)
		}
		if n := countServices(t, db); n != before {
			t.Errorf("%d services, want %d", n, before)
		}
		aire, err := db.Service(ctx, f.aire.ID)
		if err != nil || aire.Description != f.aire.Description || aire.Version != 1 {
			t.Errorf("aire changed: %+v, %v", aire, err)
		}
		if ok, _ := db.DirOrganisationExists(ctx, directory.NameID("bad:org")); ok {
			t.Error("the new organisation was written")
		}
		if h, _ := db.ServiceHistory(ctx, f.aire.ID); len(h) == 0 || h[len(h)-1].Action != "create" {
			t.Errorf("history written: %+v", h)
		}
	})
}
