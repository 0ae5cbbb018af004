package directory

import (
	"errors"
	"testing"
)

// FuzzReadPackage feeds the reader arbitrary bytes, starting from the
// official example packages and Haven's own export: it must never panic,
// must answer with a report or a PackageError (nothing else), and must not
// hand back an entry from a package it refused.
func FuzzReadPackage(f *testing.F) {
	orgs, services := testDirectory()
	f.Add(exportZip(f, orgs, services))
	f.Add(officialPackage(f, "examples/csv", ""))
	f.Add(officialPackage(f, "uk-profile/examples/csv", "uk-profile/datapackage.json"))
	f.Add(zipFiles(f, map[string]string{"services.csv": "id,organization_id,name\n\"a,b\n"}))
	f.Add([]byte("PK\x03\x04"))
	small := Limits{Upload: 1 << 20, Entry: 1 << 20, Total: 4 << 20, Files: 32, Rows: 1000, Columns: 50, Field: 5000}
	f.Fuzz(func(t *testing.T, data []byte) {
		imp, err := ReadPackage(data, ReadOptions{Limits: small, KnownArea: knownTestArea})
		if err != nil {
			if _, ok := errors.AsType[*PackageError](err); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			if imp != nil {
				t.Fatal("entries from a refused package")
			}
			return
		}
		for _, r := range imp.Report.Rejected {
			if r.Reason == "" || r.File == "" || r.Row < 1 {
				t.Fatalf("rejection without its place or reason: %+v", r)
			}
		}
		for _, s := range imp.Services {
			if !ValidID(s.ID) {
				t.Fatalf("service with id %q", s.ID)
			}
		}
	})
}
