package directory

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"haven/internal/document"
)

// Synthetic authorities for the tests (real ONS codes, fictional services).
var testAreas = map[string]string{"E08000035": "Leeds", "E06000001": "Hartlepool", "E10000002": "Buckinghamshire"}

func knownTestArea(code string) bool  { _, ok := testAreas[code]; return ok }
func testAreaName(code string) string { return testAreas[code] }

// testDirectory is two organisations and three services using every part
// of the model, with values a spreadsheet would take for formulas.
func testDirectory() ([]Organisation, []Service) {
	orgs := []Organisation{
		{ID: NameID("org:a"), Name: "Fictional Trust North", Description: "A fictional charity.", Email: "hello@example.org", Website: "https://example.org"},
		{ID: NameID("org:b"), Name: "Example Council", Description: "A fictional council."},
	}
	model, who, host := Taxonomies[0].Terms, Taxonomies[2].Terms, Taxonomies[4].Terms
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	services := []Service{
		{ID: NameID("svc:1"), OrganisationID: orgs[0].ID, Funding: FundingLocal, StartDate: day(2021, 4, 1), LastVerified: day(2026, 1, 15),
			Entry: Entry{Name: "Fictional Pause North", Description: "=HYPERLINK(\"http://example.org\") is text here, not a formula.",
				Status: StatusActive, Email: "pause@example.org", Website: "https://example.org/pause", Phone: "+44 1632 960001",
				HowToRefer: "Ask your social worker; you may refer yourself.", SelfReferral: true, Eligibility: "Mothers in Leeds.",
				Postcode: "LS1 1AA", ServiceAreas: []string{"E08000035", "E06000001"}, Terms: []string{model[0].ID, who[0].ID, who[1].ID, host[1].ID}},
			Locations: []Location{{ID: NameID("loc:1"), Name: "Fictional House", Address: "1 Example Street", City: "Leeds", Postcode: "LS1 1AA",
				HasPosition: true, Latitude: 53.7997, Longitude: -1.5492, ServiceAtLocationID: NameID("sal:1")}},
			Contacts:  []Contact{{ID: NameID("con:1"), Name: "Duty worker", Title: "@team lead", Email: "duty@example.org"}},
			Phones:    []PhoneNumber{{ID: NameID("ph:1"), Number: "+44 1632 960001", Description: "Office"}, {ID: NameID("ph:2"), Number: "01632 960002"}},
			Schedules: []Schedule{{ID: NameID("sch:1"), Freq: "WEEKLY", ByDay: "MO,TU,WE", OpensAt: "09:00", ClosesAt: "17:00", Description: "-weekdays"}},
		},
		{ID: NameID("svc:2"), OrganisationID: orgs[1].ID,
			Entry: Entry{Name: "Example FDAC", Description: "A fictional court team.", Status: StatusInDevelopment,
				HowToRefer: "Through the court.", ServiceAreas: []string{"E10000002"}, Terms: []string{model[1].ID}},
		},
		{ID: NameID("svc:3"), OrganisationID: orgs[1].ID, Funding: FundingNational,
			Entry: Entry{Name: "Example closed service", Description: "Closed for now.", Status: StatusTempClosed,
				HowToRefer: "Not taking referrals.", ServiceAreas: []string{"E06000001"}, Postcode: "TS24 7BT"},
			Locations: []Location{{ID: NameID("loc:3"), Postcode: "TS24 7BT", ServiceAtLocationID: NameID("sal:3")}},
		},
	}
	return orgs, services
}

func exportZip(t testing.TB, orgs []Organisation, services []Service) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WritePackage(&buf, orgs, services, testAreaName, CSV{Write: document.WriteCSVRows, MediaType: document.CSVMediaType}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func readOpts() ReadOptions { return ReadOptions{KnownArea: knownTestArea} }

func TestPackageRoundTrip(t *testing.T) {
	orgs, services := testDirectory()
	for i := range services {
		services[i].LastModified = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	}
	imp, err := ReadPackage(exportZip(t, orgs, services), readOpts())
	if err != nil {
		t.Fatal(err)
	}
	if len(imp.Report.Rejected) > 0 {
		t.Fatalf("export rejected on import: %+v", imp.Report.Rejected)
	}
	if len(imp.Report.Ignored) > 0 {
		t.Errorf("Haven's own export has columns or files it ignores: %q", imp.Report.Ignored)
	}
	for i := range services {
		services[i].LastModified = time.Time{} // Haven sets it on writing
	}
	if d := cmp.Diff(orgs, imp.Organisations); d != "" {
		t.Errorf("organisations (-exported +imported):\n%s", d)
	}
	if d := cmp.Diff(services, imp.Services); d != "" {
		t.Errorf("services (-exported +imported):\n%s", d)
	}
}

// The export neutralises formula signs for spreadsheets (the rule every CSV
// Haven writes follows) and the import takes the quote off again.
func TestPackageNeutralisesFormulas(t *testing.T) {
	orgs, services := testDirectory()
	files := unzip(t, exportZip(t, orgs, services))
	for file, want := range map[string]string{
		"services.csv":  `"'=HYPERLINK(""http://example.org"") is text here`,
		"phones.csv":    "'+44 1632 960001",
		"contacts.csv":  "'@team lead",
		"schedules.csv": "'-weekdays",
	} {
		if !strings.Contains(files[file], want) {
			t.Errorf("%s does not hold %s:\n%s", file, want, files[file])
		}
	}
	// A number is not a formula: a longitude west of Greenwich stays a number.
	if !strings.Contains(files["locations.csv"], ",53.7997,-1.5492") {
		t.Errorf("locations.csv:\n%s", files["locations.csv"])
	}
}

func unzip(t *testing.T, data []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		_, _ = b.ReadFrom(rc)
		rc.Close()
		out[f.Name] = b.String()
	}
	return out
}

func zipFiles(t testing.TB, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write([]byte(files[n]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Each bad value is refused with its file, row, column and a reason, and
// nothing else in the package is.
func TestReadPackageRejectsBadRows(t *testing.T) {
	orgs, services := testDirectory()
	good := unzip(t, exportZip(t, orgs, services))
	svc1, org1 := services[0].ID, orgs[0].ID
	cases := []struct {
		name         string
		file, from   string
		to           string
		known        func(string) bool // Haven's organisations
		wantFile     string
		wantRow      int
		wantColumn   string
		wantInReason string
	}{
		{name: "id not a UUID", file: "organizations.csv", from: org1 + ",Fictional", to: "org-1,Fictional",
			wantFile: "organizations.csv", wantRow: 2, wantColumn: "id", wantInReason: "UUID"},
		{name: "markup in a name", file: "services.csv", from: "Fictional Pause North", to: "Fictional <b>Pause</b>",
			wantFile: "services.csv", wantRow: 2, wantColumn: "name", wantInReason: "< or >"},
		{name: "organisation unknown", file: "services.csv", from: svc1 + "," + org1, to: svc1 + "," + NameID("nobody"),
			wantFile: "services.csv", wantRow: 2, wantColumn: "organization_id", wantInReason: "No organisation"},
		{name: "status unknown", file: "services.csv", from: ",active,", to: ",open,",
			wantFile: "services.csv", wantRow: 2, wantColumn: "status", wantInReason: "active, inactive"},
		{name: "date not a date", file: "services.csv", from: "2026-01-15", to: "15/01/2026",
			wantFile: "services.csv", wantRow: 2, wantColumn: "assured_date", wantInReason: "2026-04-01"},
		{name: "email malformed", file: "services.csv", from: "pause@example.org", to: "pause(at)example.org",
			wantFile: "services.csv", wantRow: 2, wantColumn: "email", wantInReason: "email address"},
		{name: "url not http", file: "services.csv", from: "https://example.org/pause", to: "javascript:alert(1)",
			wantFile: "services.csv", wantRow: 2, wantColumn: "url", wantInReason: "https://"},
		{name: "how to refer missing", file: "services.csv", from: "Through the court.", to: "",
			wantFile: "services.csv", wantRow: 3, wantColumn: "application_process", wantInReason: "how to refer"},
		{name: "phone not a phone", file: "phones.csv", from: "01632 960002", to: "call us",
			wantFile: "phones.csv", wantRow: 3, wantColumn: "number", wantInReason: "telephone number"},
		{name: "term not Haven's", file: "attributes.csv", from: Taxonomies[0].Terms[1].ID, to: NameID("other taxonomy"),
			wantFile: "attributes.csv", wantRow: 6, wantColumn: "taxonomy_term_id", wantInReason: "Haven's taxonomy terms"},
		{name: "two models", file: "attributes.csv", from: Taxonomies[4].Terms[1].ID, to: Taxonomies[0].Terms[2].ID,
			wantFile: "services.csv", wantRow: 2, wantColumn: "id", wantInReason: "choose one service model"},
		{name: "area unknown", file: "service_areas.csv", from: "statistical-geography/E10000002", to: "statistical-geography/E10009999",
			wantFile: "service_areas.csv", wantRow: 4, wantColumn: "uri", wantInReason: "ONS code"},
		{name: "child of no service", file: "contacts.csv", from: NameID("con:1") + "," + svc1, to: NameID("con:1") + "," + NameID("svc:none"),
			wantFile: "contacts.csv", wantRow: 2, wantColumn: "service_id", wantInReason: "No service"},
		{name: "funding not Haven's", file: "funding.csv", from: ",local", to: ",grants from a charity",
			wantFile: "funding.csv", wantRow: 2, wantColumn: "source", wantInReason: "national"},
		{name: "duplicate id", file: "phones.csv", from: NameID("ph:2"), to: NameID("ph:1"),
			wantFile: "phones.csv", wantRow: 3, wantColumn: "id", wantInReason: "row 2"},
		{name: "latitude out of range", file: "locations.csv", from: "53.7997", to: "153.7997",
			wantFile: "locations.csv", wantRow: 2, wantColumn: "latitude", wantInReason: "-90 to 90"},
		{name: "time malformed", file: "schedules.csv", from: "09:00", to: "9am",
			wantFile: "schedules.csv", wantRow: 2, wantColumn: "opens_at", wantInReason: "09:30"},
		{name: "short row", file: "contacts.csv", from: ",Duty worker,'@team lead,duty@example.org", to: ",Duty worker",
			wantFile: "contacts.csv", wantRow: 2, wantColumn: "", wantInReason: "has 3 values but the header has 5"},
		{name: "bad quoting", file: "phones.csv", from: ",Office", to: `,Off"ice`,
			wantFile: "phones.csv", wantRow: 2, wantColumn: "", wantInReason: "quotation marks"},
		{name: "invalid UTF-8", file: "contacts.csv", from: "Duty worker", to: "Duty \xff worker",
			wantFile: "contacts.csv", wantRow: 2, wantColumn: "name", wantInReason: "UTF-8"},
		{name: "required column missing", file: "funding.csv", from: "id,service_id,source", to: "id,service_id,origin",
			wantFile: "funding.csv", wantRow: 1, wantColumn: "source", wantInReason: "missing"},
		// A service may belong to an organisation Haven has already.
		{name: "organisation in Haven", file: "organizations.csv", from: org1 + ",Fictional Trust North,A fictional charity.,hello@example.org,https://example.org\n", to: "",
			known: func(id string) bool { return id == org1 }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			files := map[string]string{}
			for k, v := range good {
				files[k] = v
			}
			if !strings.Contains(files[c.file], c.from) {
				t.Fatalf("%s has no %q", c.file, c.from)
			}
			files[c.file] = strings.Replace(files[c.file], c.from, c.to, 1)
			opts := readOpts()
			opts.KnownOrganisation = c.known
			imp, err := ReadPackage(zipFiles(t, files), opts)
			if err != nil {
				t.Fatal(err)
			}
			got := imp.Report.Rejected
			if c.wantFile == "" {
				if len(got) != 0 {
					t.Fatalf("rejected %+v", got)
				}
				return
			}
			if len(got) == 0 {
				t.Fatalf("nothing rejected")
			}
			// The row at fault; a service may also lose what it needs by it
			// (its only area), which is reported on the service's row.
			if len(got) > 2 || !slices.ContainsFunc(got, func(r Rejection) bool {
				return r.File == c.wantFile && r.Row == c.wantRow && r.Column == c.wantColumn && strings.Contains(r.Reason, c.wantInReason)
			}) {
				t.Errorf("rejected %+v, want %s row %d column %q with %q", got, c.wantFile, c.wantRow, c.wantColumn, c.wantInReason)
			}
		})
	}
}

func TestReadPackageRefusesHostilePackages(t *testing.T) {
	orgs, services := testDirectory()
	good := unzip(t, exportZip(t, orgs, services))
	small := Limits{Upload: 1 << 20, Entry: 1 << 20, Total: 2 << 20, Files: 20, Rows: 100, Columns: 20, Field: 3000}
	withServices := func(extra string) map[string]string {
		f := map[string]string{}
		for k, v := range good {
			f[k] = v
		}
		f["services.csv"] += extra
		return f
	}
	zeros := strings.Repeat("0", 3<<20)
	cases := []struct {
		name  string
		data  []byte
		limit Limits
		want  string
	}{
		{"not a zip", []byte("id,name\n"), small, "must be a .zip"},
		{"too big to upload", make([]byte, 2<<20), small, "smaller than 1 MB"},
		// A zip bomb: 3 MB of zeros packs into a few kilobytes.
		{"one file unpacks too large", zipFiles(t, withServices(zeros)), small, "services.csv is larger than 1 MB"},
		{"all files unpack too large", zipFiles(t, map[string]string{"services.csv": "id\n", "metadata.csv": zeros[:900_000], "organizations.csv": zeros[:900_000], "phones.csv": zeros[:900_000]}),
			small, "package is larger than 2 MB"},
		{"too many files", zipFiles(t, func() map[string]string {
			f := map[string]string{}
			for i := range 21 {
				f[strings.Repeat("x", i+1)+".csv"] = "id\n"
			}
			return f
		}()), small, "20 files or fewer"},
		{"too many rows", zipFiles(t, withServices(strings.Repeat("\n", 0)+strings.Repeat(services[0].ID+",x\n", 101))), small, "more than 100 rows"},
		{"too many columns", zipFiles(t, map[string]string{"services.csv": strings.Repeat("c,", 30) + "d\n"}), small, "more than 20 columns"},
		{"no services", zipFiles(t, map[string]string{"organizations.csv": good["organizations.csv"]}), small, "no services table"},
		{"datapackage.json not JSON", zipFiles(t, map[string]string{"datapackage.json": "{", "services.csv": "id\n"}), small, "datapackage.json is not"},
		{"same file twice", zipFiles(t, map[string]string{"services.csv": "id\n", "a/services.csv": "id\n"}), small, "services.csv twice"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadPackage(c.data, ReadOptions{Limits: c.limit, KnownArea: knownTestArea})
			pe, ok := errors.AsType[*PackageError](err)
			if !ok || !strings.Contains(pe.Message, c.want) {
				t.Fatalf("err = %v, want a PackageError with %q", err, c.want)
			}
		})
	}
	// A field longer than the limit is refused as a row, not a package.
	long := withServices("")
	long["contacts.csv"] = strings.Replace(long["contacts.csv"], "Duty worker", strings.Repeat("d", 3001), 1)
	imp, err := ReadPackage(zipFiles(t, long), ReadOptions{Limits: small, KnownArea: knownTestArea})
	if err != nil || len(imp.Report.Rejected) != 1 || imp.Report.Rejected[0].Column != "name" {
		t.Fatalf("long field: %v %+v", err, imp)
	}
}

// officialPackage zips one of the official example packages.
func officialPackage(t testing.TB, dir string, datapackage string) []byte {
	t.Helper()
	files := map[string]string{}
	paths, _ := filepath.Glob(filepath.Join("testdata", "hsds", dir, "*.csv"))
	if len(paths) == 0 {
		t.Fatalf("no CSV files in %s", dir)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(p)] = string(b)
	}
	if datapackage != "" {
		b, err := os.ReadFile(filepath.Join("testdata", "hsds", datapackage))
		if err != nil {
			t.Fatal(err)
		}
		files["datapackage.json"] = string(b)
	}
	return zipFiles(t, files)
}

// The official examples are generic (a US-style counselling service with a
// taxonomy of its own): Haven reads them and refuses what its directory
// cannot hold, each for a reason that says what to change.
func TestOfficialExamplePackages(t *testing.T) {
	cases := []struct {
		name, dir, datapackage string
		// want are (file, column) pairs that must be refused.
		want [][2]string
		// ignored must be noted as set aside.
		ignored []string
	}{
		{name: "HSDS 3.0 example", dir: "examples/csv",
			want: [][2]string{{"service_areas.csv", "uri"}, {"funding.csv", "source"}, {"taxonomy_terms.csv", "id"},
				{"taxonomies.csv", "id"}, {"attributes.csv", "link_id"}, {"services.csv", "id"}, {"locations.csv", "latitude"}, {"phones.csv", "number"}},
			ignored: []string{"datapackage.json", "programs.csv", "metadata.csv", "services.csv: columns"}},
		{name: "Open Referral UK example", dir: "uk-profile/examples/csv", datapackage: "uk-profile/datapackage.json",
			want:    [][2]string{{"service_areas.csv", "uri"}, {"funding.csv", "source"}, {"phones.csv", "service_id"}, {"attribute.csv", "link_id"}},
			ignored: []string{"programs.csv", "addresses.csv"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			imp, err := ReadPackage(officialPackage(t, c.dir, c.datapackage), readOpts())
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range imp.Report.Rejected {
				t.Logf("refused: %s row %d %s: %s", r.File, r.Row, r.Column, r.Reason)
				if r.Reason == "" || r.Row < 1 {
					t.Errorf("a rejection with no reason or row: %+v", r)
				}
			}
			for _, n := range imp.Report.Ignored {
				t.Logf("ignored: %s", n)
			}
			for _, w := range c.want {
				if !slices.ContainsFunc(imp.Report.Rejected, func(r Rejection) bool { return r.File == w[0] && r.Column == w[1] }) {
					t.Errorf("%s %s not refused", w[0], w[1])
				}
			}
			for _, w := range c.ignored {
				if !slices.ContainsFunc(imp.Report.Ignored, func(n string) bool { return strings.HasPrefix(n, w) }) {
					t.Errorf("%s not noted as ignored", w)
				}
			}
			if len(imp.Report.Tables) < 5 {
				t.Errorf("tables read: %+v", imp.Report.Tables)
			}
		})
	}
}

// Every column Haven writes is a field of the same HSDS table (in the
// standard's tabular description), or one of Haven's haven_ extensions.
func TestPackageColumnsAreHSDS(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "hsds", "schema", "compiled", "tabular.json"))
	if err != nil {
		t.Fatal(err)
	}
	var desc struct {
		Properties map[string]struct {
			Items struct {
				Path       string                     `json:"path"`
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"items"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(b, &desc); err != nil {
		t.Fatal(err)
	}
	for _, tb := range tables {
		hsds, ok := desc.Properties[tb.Resource]
		if !ok {
			t.Errorf("%s is not an HSDS table", tb.Resource)
			continue
		}
		if hsds.Items.Path != tb.File {
			t.Errorf("%s: file %s, HSDS says %s", tb.Resource, tb.File, hsds.Items.Path)
		}
		for _, c := range tb.Columns {
			if _, ok := hsds.Items.Properties[c.Name]; !ok && !strings.HasPrefix(c.Name, "haven_") {
				t.Errorf("%s.%s is not an HSDS field", tb.Resource, c.Name)
			}
		}
	}
	// And datapackage.json names each resource and its fields.
	orgs, services := testDirectory()
	var dp struct {
		Resources []struct {
			Name, Path string
			Schema     struct{ Fields []struct{ Name string } }
		}
	}
	if err := json.Unmarshal([]byte(unzip(t, exportZip(t, orgs, services))["datapackage.json"]), &dp); err != nil {
		t.Fatal(err)
	}
	if len(dp.Resources) != 13 || dp.Resources[1].Name != "service" || dp.Resources[1].Path != "services.csv" || dp.Resources[1].Schema.Fields[2].Name != "name" {
		t.Errorf("datapackage.json resources: %+v", dp.Resources)
	}
}
