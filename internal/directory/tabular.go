package directory

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The HSDS tabular form (issue 20 item 6): a CSV data package, that is a
// .zip holding datapackage.json and one CSV file per table. Haven reads the
// tables its model has, checks every row, and reports each row it refuses
// with the table, row, column and why; it writes its public directory as the
// same package, so an export read back gives the same entries.
//
// The upload is hostile until read: its size, each table's unpacked size
// and their total are counted while reading (a zip's declared sizes are
// not trusted), and rows, columns and fields are bounded.

// Limits bound what a package may hold.
type Limits struct {
	Upload  int64 // the .zip itself, in bytes
	Entry   int64 // one file, unpacked
	Total   int64 // every file read, unpacked
	Files   int   // entries in the zip
	Rows    int   // rows in one table
	Columns int   // columns in one table
	Field   int   // bytes in one field
}

// DefaultLimits are ample for the national directory (about 1,000 services
// export to well under 2 MB) and small enough to refuse a zip bomb.
var DefaultLimits = Limits{Upload: 10 << 20, Entry: 20 << 20, Total: 60 << 20, Files: 64, Rows: 50_000, Columns: 100, Field: 10_000}

// PackageError is a package Haven cannot read at all; its message is safe to
// show to the person who uploaded it.
type PackageError struct{ Message string }

func (e *PackageError) Error() string { return e.Message }

func packageErr(format string, args ...any) error {
	return &PackageError{Message: fmt.Sprintf(format, args...)}
}

// TableReport is how many rows of one file were read.
type TableReport struct {
	File string
	Rows int
}

// Rejection is one refused row: its file, its row number as a spreadsheet
// shows it (the header is row 1), the column at fault and why.
type Rejection struct {
	File   string
	Row    int
	Column string
	Reason string
}

// Report is what reading a package found.
type Report struct {
	Tables   []TableReport
	Rejected []Rejection
	// Ignored are files and columns Haven's model has no place for.
	Ignored []string
}

// Import is a package read into Haven's entries, with its report. It may
// be written only if the report rejects nothing.
type Import struct {
	Organisations []Organisation
	Services      []Service
	Report        Report
}

// ReadOptions say what Haven already knows.
type ReadOptions struct {
	Limits Limits
	// KnownArea says whether an authority code is one of England's.
	KnownArea func(code string) bool
	// KnownOrganisation says whether Haven has an organisation with this id
	// (a service may belong to one that is not in the package).
	KnownOrganisation func(id string) bool
}

// table is one HSDS table Haven reads and writes: its resource name in
// datapackage.json, its usual file name and the columns Haven uses, the
// required ones marked by Required.
type table struct {
	Resource, File string
	Columns        []column
	// Alt is another file name the table is found under.
	Alt string
}

type column struct {
	Name, Type, Format string
	Required           bool
}

func col(name string) column   { return column{Name: name, Type: "string"} }
func req(name string) column   { return column{Name: name, Type: "string", Required: true} }
func idCol(name string) column { return column{Name: name, Type: "string", Format: "uuid"} }
func reqID(name string) column {
	return column{Name: name, Type: "string", Format: "uuid", Required: true}
}
func typed(name, t, f string) column { return column{Name: name, Type: t, Format: f} }

// The tables, in the order they are read (a table's references point at
// tables before it).
var (
	tOrganisations = table{"organization", "organizations.csv", []column{reqID("id"), req("name"), req("description"), typed("email", "string", "email"), typed("website", "string", "uri")}, ""}
	tServices      = table{"service", "services.csv", []column{reqID("id"), reqID("organization_id"), req("name"), req("description"),
		typed("url", "string", "uri"), typed("email", "string", "email"), req("status"), col("application_process"), col("eligibility_description"),
		typed("assured_date", "date", ""), typed("last_modified", "datetime", ""),
		col("haven_status"), typed("haven_self_referral", "boolean", ""), typed("haven_start_date", "date", "")}, ""}
	tLocations = table{"location", "locations.csv", []column{reqID("id"), req("location_type"), idCol("organization_id"), col("name"),
		typed("latitude", "number", ""), typed("longitude", "number", "")}, ""}
	tAddresses = table{"address", "addresses.csv", []column{reqID("id"), reqID("location_id"), col("address_1"), col("city"),
		col("state_province"), col("postal_code"), col("country"), col("address_type")}, ""}
	tServiceAtLocations = table{"service_at_location", "service_at_location.csv", []column{reqID("id"), reqID("service_id"), reqID("location_id")}, "service_at_locations.csv"}
	tServiceAreas       = table{"service_area", "service_areas.csv", []column{reqID("id"), reqID("service_id"), col("name"), col("extent_type"), req("uri")}, ""}
	tContacts           = table{"contact", "contacts.csv", []column{reqID("id"), reqID("service_id"), col("name"), col("title"), typed("email", "string", "email")}, ""}
	tPhones             = table{"phone", "phones.csv", []column{reqID("id"), reqID("service_id"), req("number"), col("description")}, ""}
	tSchedules          = table{"schedule", "schedules.csv", []column{reqID("id"), reqID("service_id"), col("freq"), col("byday"), col("opens_at"), col("closes_at"), col("description")}, ""}
	tFunding            = table{"funding", "funding.csv", []column{reqID("id"), reqID("service_id"), req("source")}, ""}
	tTaxonomies         = table{"taxonomy", "taxonomies.csv", []column{reqID("id"), req("name"), req("description")}, ""}
	tTerms              = table{"taxonomy_term", "taxonomy_terms.csv", []column{reqID("id"), col("code"), req("name"), req("description"), idCol("taxonomy_id"), col("taxonomy")}, ""}
	tAttributes         = table{"attribute", "attributes.csv", []column{reqID("id"), reqID("link_id"), reqID("taxonomy_term_id"), col("link_type"), col("link_entity")}, "attribute.csv"}
	// Field history is Haven's own: an import's changes are recorded as
	// such, so a package's metadata is counted and set aside.
	tMetadata = table{"metadata", "metadata.csv", nil, ""}
)

var tables = []*table{&tOrganisations, &tServices, &tLocations, &tAddresses, &tServiceAtLocations, &tServiceAreas, &tContacts,
	&tPhones, &tSchedules, &tFunding, &tTaxonomies, &tTerms, &tAttributes, &tMetadata}

// onsAreaURI is where an authority's ONS code is published; a service
// area's uri ends in the code.
const onsAreaURI = "http://statistics.data.gov.uk/id/statistical-geography/"

var (
	onsCode   = regexp.MustCompile(`^E(06|07|08|09|10)[0-9]{6}$`)
	clockTime = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$`)
	weekdays  = regexp.MustCompile(`^(MO|TU|WE|TH|FR|SA|SU)(,(MO|TU|WE|TH|FR|SA|SU))*$`)
)

// rawTable is one CSV file as read: its header and rows by column name.
type rawTable struct {
	file   string
	header []string
	rows   []rawRow
	// missing are required columns the header lacks, reported once there
	// and not again on every row.
	missing map[string]bool
}

type rawRow struct {
	line int
	vals map[string]string
}

// reader holds the state of one ReadPackage.
type reader struct {
	opts  ReadOptions
	rep   Report
	total int64
	files map[string]*zip.File
}

// ReadPackage reads a CSV data package into Haven's entries. A package it
// cannot read at all is a *PackageError; a row it refuses is in the report.
func ReadPackage(data []byte, opts ReadOptions) (*Import, error) {
	if opts.Limits == (Limits{}) {
		opts.Limits = DefaultLimits
	}
	if opts.KnownArea == nil {
		opts.KnownArea = func(string) bool { return false }
	}
	if opts.KnownOrganisation == nil {
		opts.KnownOrganisation = func(string) bool { return false }
	}
	lim := opts.Limits
	if int64(len(data)) > lim.Upload {
		return nil, packageErr("The file must be smaller than %s", megabytes(lim.Upload))
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, packageErr("The file must be a .zip file holding a CSV data package")
	}
	if len(zr.File) > lim.Files {
		return nil, packageErr("The .zip file must hold %d files or fewer", lim.Files)
	}
	rd := &reader{opts: opts, files: map[string]*zip.File{}}
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		// A package zipped with its folder has its files one level down.
		name := strings.ToLower(path.Base(f.Name))
		if _, dup := rd.files[name]; dup {
			return nil, packageErr("The .zip file holds %s twice", name)
		}
		rd.files[name] = f
	}
	paths, err := rd.datapackage()
	if err != nil {
		return nil, err
	}
	raw := map[string]*rawTable{}
	used := map[string]bool{"datapackage.json": true}
	for _, t := range tables {
		file := paths[t.Resource]
		if file == "" {
			file = t.File
			if _, ok := rd.files[file]; !ok && t.Alt != "" {
				file = t.Alt
			}
		}
		if _, ok := rd.files[file]; !ok {
			continue
		}
		used[file] = true
		rt, err := rd.readCSV(file, t)
		if err != nil {
			return nil, err
		}
		raw[t.Resource] = rt
		rd.rep.Tables = append(rd.rep.Tables, TableReport{File: file, Rows: len(rt.rows)})
	}
	if raw["service"] == nil {
		return nil, packageErr("The package has no services table (services.csv)")
	}
	var unused []string
	for name := range rd.files {
		if !used[name] {
			unused = append(unused, name)
		}
	}
	slices.Sort(unused)
	for _, name := range unused {
		rd.rep.Ignored = append(rd.rep.Ignored, name+": Haven's directory has no table for it")
	}
	if mt := raw["metadata"]; mt != nil {
		rd.rep.Ignored = append(rd.rep.Ignored, mt.file+": Haven keeps its own field history, recording this import")
	}
	imp := rd.build(raw)
	imp.Report = rd.rep
	return imp, nil
}

func megabytes(n int64) string { return strconv.FormatInt(n>>20, 10) + " MB" }

// datapackage reads datapackage.json, if there is one, for where each
// resource's file is: packages name the same tables differently
// (attributes.csv, attribute.csv).
func (rd *reader) datapackage() (map[string]string, error) {
	if _, ok := rd.files["datapackage.json"]; !ok {
		rd.rep.Ignored = append(rd.rep.Ignored, "datapackage.json: not in the package, so tables were found by their usual HSDS file names")
		return nil, nil
	}
	b, err := rd.readFile("datapackage.json", 1<<20)
	if err != nil {
		return nil, err
	}
	var dp struct {
		Resources []struct {
			Name string `json:"name"`
			Path any    `json:"path"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(b, &dp); err != nil {
		return nil, packageErr("datapackage.json is not a data package description (JSON): %s", jsonProblem(err))
	}
	out := map[string]string{}
	for _, r := range dp.Resources {
		p, ok := r.Path.(string)
		if !ok || r.Name == "" {
			continue
		}
		known := false
		for _, t := range tables {
			known = known || t.Resource == r.Name
		}
		if known {
			out[r.Name] = strings.ToLower(path.Base(p))
		}
	}
	return out, nil
}

func jsonProblem(err error) string {
	if se, ok := errors.AsType[*json.SyntaxError](err); ok {
		return "it stops making sense at byte " + strconv.FormatInt(se.Offset, 10)
	}
	return "it does not have the shape of one"
}

// readFile unpacks one file, counting what it reads against the limits:
// the sizes a zip declares are not trusted.
func (rd *reader) readFile(name string, max int64) ([]byte, error) {
	f := rd.files[name]
	rc, err := f.Open()
	if err != nil {
		return nil, packageErr("%s cannot be unpacked from the .zip file", name)
	}
	defer rc.Close()
	lim := min(max, rd.opts.Limits.Total-rd.total)
	b, err := io.ReadAll(io.LimitReader(rc, lim+1))
	rd.total += int64(len(b))
	switch {
	case int64(len(b)) > lim && lim < max:
		return nil, packageErr("The package is larger than %s when unpacked", megabytes(rd.opts.Limits.Total))
	case int64(len(b)) > lim:
		return nil, packageErr("%s is larger than %s when unpacked", name, megabytes(max))
	case err != nil:
		return nil, packageErr("%s is damaged in the .zip file", name)
	}
	return b, nil
}

// readCSV reads one table. Rows that cannot be read are rejected here; the
// rest are checked by build.
func (rd *reader) readCSV(file string, t *table) (*rawTable, error) {
	lim := rd.opts.Limits
	b, err := rd.readFile(file, lim.Entry)
	if err != nil {
		return nil, err
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) // a spreadsheet's byte order mark
	cr := csv.NewReader(bytes.NewReader(b))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	rt := &rawTable{file: file, missing: map[string]bool{}}
	header, err := cr.Read()
	if err == io.EOF {
		return rt, nil
	}
	if err != nil {
		rd.reject(file, 1, "", "The header row cannot be read as CSV")
		return rt, nil
	}
	if len(header) > lim.Columns {
		return nil, packageErr("%s has more than %d columns", file, lim.Columns)
	}
	known := map[string]bool{}
	for _, c := range t.Columns {
		known[c.Name] = true
	}
	var unknown []string
	seen := map[string]bool{}
	for _, h := range header {
		h = strings.TrimSpace(h)
		if seen[h] {
			return nil, packageErr("%s has the column %q twice", file, clip(h))
		}
		seen[h] = true
		rt.header = append(rt.header, h)
		if !known[h] && t.Columns != nil {
			unknown = append(unknown, clip(h))
		}
	}
	if len(unknown) > 0 {
		rd.rep.Ignored = append(rd.rep.Ignored, file+": columns not in Haven's model: "+strings.Join(unknown, ", "))
	}
	for _, c := range t.Columns {
		if c.Required && !seen[c.Name] {
			rd.reject(file, 1, c.Name, "The column "+c.Name+" is missing")
			rt.missing[c.Name] = true
		}
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			// FieldPos panics after an error: the error has the line.
			line := 1
			if pe, ok := errors.AsType[*csv.ParseError](err); ok {
				line = pe.StartLine
			}
			// After a quoting error the rest of the file cannot be trusted.
			rd.reject(file, line, "", "This row cannot be read as CSV (check its quotation marks); the rows after it were not read")
			break
		}
		line, _ := cr.FieldPos(0)
		if len(rt.rows) >= lim.Rows {
			return nil, packageErr("%s has more than %d rows", file, lim.Rows)
		}
		if len(rec) != len(header) {
			rd.reject(file, line, "", fmt.Sprintf("This row has %d values but the header has %d", len(rec), len(header)))
			rt.rows = append(rt.rows, rawRow{line: line})
			continue
		}
		row := rawRow{line: line, vals: make(map[string]string, len(rec))}
		bad := false
		for i, v := range rec {
			switch {
			case len(v) > lim.Field:
				rd.reject(file, line, rt.header[i], fmt.Sprintf("The value must be %d characters or fewer", lim.Field))
				bad = true
			case !utf8.ValidString(v):
				rd.reject(file, line, rt.header[i], "The value is not text (UTF-8)")
				bad = true
			}
			row.vals[rt.header[i]] = unneutralise(v)
		}
		if bad {
			row.vals = nil
		}
		rt.rows = append(rt.rows, row)
	}
	return rt, nil
}

// clip shortens a column name for the report.
func clip(s string) string {
	if utf8.RuneCountInString(s) > 40 {
		return string([]rune(s)[:40]) + "…"
	}
	if !utf8.ValidString(s) {
		return strings.ToValidUTF8(s, "?")
	}
	return s
}

func (rd *reader) reject(file string, line int, column, reason string) {
	rd.rep.Rejected = append(rd.rep.Rejected, Rejection{File: file, Row: line, Column: column, Reason: reason})
}

// row is one row being checked.
type row struct {
	rd *reader
	t  *rawTable
	rawRow
	ok bool
}

func (r *row) reject(column, reason string) {
	r.ok = false
	if !r.t.missing[column] {
		r.rd.reject(r.t.file, r.line, column, reason)
	}
}

func (r *row) get(c string) string { return r.vals[c] }

// id reads a UUID column, in the lower case Haven writes.
func (r *row) id(c string, required bool) string {
	v := strings.ToLower(strings.TrimSpace(r.get(c)))
	switch {
	case v == "" && required:
		r.reject(c, "Enter an id (a UUID, like 3f2504e0-4f89-41d3-9a0c-0305e82c3301)")
	case v != "" && !ValidID(v):
		r.reject(c, "The id must be a UUID, like 3f2504e0-4f89-41d3-9a0c-0305e82c3301")
	}
	return v
}

// text reads a text column: markup is refused, as it is in the forms.
func (r *row) text(c string, required bool, max int) string {
	v := strings.TrimSpace(r.get(c))
	switch {
	case v == "" && required:
		r.reject(c, "Enter a value: the column is required")
	case utf8.RuneCountInString(v) > max:
		r.reject(c, fmt.Sprintf("The value must be %d characters or fewer", max))
	case strings.ContainsAny(v, "<>"):
		r.reject(c, "The value must not contain < or > (markup is not accepted)")
	}
	return v
}

func (r *row) date(c string) time.Time {
	v := strings.TrimSpace(r.get(c))
	if v == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		r.reject(c, "The date must be a real date written like 2026-04-01")
	}
	return t
}

func (r *row) email(c string) string {
	v := strings.TrimSpace(r.get(c))
	if v != "" && !emailLike(v) {
		r.reject(c, "Enter an email address in the correct format, like name@example.org")
	}
	return v
}

// rows runs check on each readable row of a table (nil if the package
// does not have it), reporting duplicate ids.
func (rd *reader) rows(rt *rawTable, check func(r *row)) {
	if rt == nil {
		return
	}
	ids := map[string]int{}
	for _, rr := range rt.rows {
		if rr.vals == nil {
			continue
		}
		r := &row{rd: rd, t: rt, rawRow: rr, ok: true}
		if id := strings.ToLower(strings.TrimSpace(r.get("id"))); id != "" {
			if first, dup := ids[id]; dup {
				r.reject("id", fmt.Sprintf("The id is used already, on row %d", first))
				continue
			}
			ids[id] = r.line
		}
		check(r)
	}
}

// allIDs are every id a table has, read or refused, so that a row pointing
// at a refused row is not reported twice.
func allIDs(rt *rawTable) map[string]int {
	out := map[string]int{}
	if rt == nil {
		return out
	}
	for _, r := range rt.rows {
		if id := strings.ToLower(strings.TrimSpace(r.vals["id"])); id != "" {
			out[id] = r.line
		}
	}
	return out
}

// entryColumns are where each of Entry.Check's fields is in the package.
var entryColumns = map[string]string{
	"name": "name", "description": "description", "status": "status", "email": "email", "website": "url",
	"how-to-refer": "application_process", "eligibility": "eligibility_description",
}

// build checks every row and assembles the entries.
func (rd *reader) build(raw map[string]*rawTable) *Import {
	imp := &Import{}
	orgIDs := allIDs(raw["organization"])
	rd.rows(raw["organization"], func(r *row) {
		o := Organisation{ID: r.id("id", true), Name: r.text("name", true, 200), Description: r.text("description", true, 2000), Email: r.email("email")}
		if w := strings.TrimSpace(r.get("website")); w != "" {
			if !websiteLike(w) {
				r.reject("website", "Enter a web address that starts with https://")
			}
			o.Website = w
		}
		if r.ok {
			imp.Organisations = append(imp.Organisations, o)
		}
	})

	serviceIDs := allIDs(raw["service"])
	services := map[string]*Service{}
	lines := map[string]int{}
	var order []string
	rd.rows(raw["service"], func(r *row) {
		s := Service{ID: r.id("id", true), OrganisationID: r.id("organization_id", true)}
		if _, inPackage := orgIDs[s.OrganisationID]; s.OrganisationID != "" && ValidID(s.OrganisationID) && !inPackage && !rd.opts.KnownOrganisation(s.OrganisationID) {
			r.reject("organization_id", "No organisation has this id, in the package or in Haven")
		}
		s.Name, s.Description = strings.TrimSpace(r.get("name")), strings.TrimSpace(r.get("description"))
		s.Website, s.Email = strings.TrimSpace(r.get("url")), strings.TrimSpace(r.get("email"))
		s.HowToRefer, s.Eligibility = strings.TrimSpace(r.get("application_process")), strings.TrimSpace(r.get("eligibility_description"))
		switch st, local := Status(strings.TrimSpace(r.get("status"))), Status(strings.TrimSpace(r.get("haven_status"))); {
		case local == StatusInDevelopment && st == StatusInactive:
			s.Status = StatusInDevelopment
		case local != "":
			r.reject("haven_status", `The only local status is "in development", with status "inactive"`)
		case st.Valid() && st != StatusInDevelopment:
			s.Status = st
		default:
			r.reject("status", "The status must be active, inactive, defunct or temporarily closed")
			s.Status = StatusActive // reported once, here, not again by Check
		}
		s.LastVerified, s.StartDate = r.date("assured_date"), r.date("haven_start_date")
		switch v := strings.ToLower(strings.TrimSpace(r.get("haven_self_referral"))); v {
		case "", "false":
		case "true":
			s.SelfReferral = true
		default:
			r.reject("haven_self_referral", "Self-referral must be true or false")
		}
		if r.ok {
			services[s.ID] = &s
			lines[s.ID] = r.line
			order = append(order, s.ID)
		}
	})
	// service finds the service a child row belongs to: nil if it was
	// refused (already reported) or is not in the package (reported here).
	service := func(r *row, c string) *Service {
		id := r.id(c, true)
		if id == "" || !ValidID(id) {
			return nil
		}
		if _, ok := serviceIDs[id]; !ok {
			r.reject(c, "No service in services.csv has this id")
			return nil
		}
		return services[id]
	}

	type place struct {
		loc  Location
		line int
		has  bool // has an address
	}
	locs := map[string]*place{}
	locIDs := allIDs(raw["location"])
	rd.rows(raw["location"], func(r *row) {
		l := Location{ID: r.id("id", true), Name: r.text("name", false, 200)}
		if t := strings.TrimSpace(r.get("location_type")); t != "physical" {
			r.reject("location_type", `Haven keeps physical locations only: the location_type must be "physical"`)
		}
		lat, lon := strings.TrimSpace(r.get("latitude")), strings.TrimSpace(r.get("longitude"))
		if lat != "" || lon != "" {
			var err1, err2 error
			l.Latitude, err1 = strconv.ParseFloat(lat, 64)
			l.Longitude, err2 = strconv.ParseFloat(lon, 64)
			switch {
			case err1 != nil || math.IsNaN(l.Latitude) || l.Latitude < -90 || l.Latitude > 90:
				r.reject("latitude", "The latitude must be a number of degrees from -90 to 90, given with the longitude")
			case err2 != nil || math.IsNaN(l.Longitude) || l.Longitude < -180 || l.Longitude > 180:
				r.reject("longitude", "The longitude must be a number of degrees from -180 to 180, given with the latitude")
			default:
				l.HasPosition = true
			}
		}
		if r.ok {
			locs[l.ID] = &place{loc: l, line: r.line}
		}
	})
	rd.rows(raw["address"], func(r *row) {
		id := r.id("location_id", true)
		// HSDS wants every part of an address; Haven keeps what a person
		// needs to find the place, and a location may have only a postcode.
		a := Location{Address: r.text("address_1", false, 200), City: r.text("city", false, 100), Postcode: r.text("postal_code", false, 10)}
		r.text("state_province", false, 100)
		r.text("country", false, 2)
		if t := strings.TrimSpace(r.get("address_type")); t != "" && t != "physical" && t != "postal" {
			r.reject("address_type", `The address_type must be "physical" or "postal"`)
		}
		if _, ok := locIDs[id]; id != "" && ValidID(id) && !ok {
			r.reject("location_id", "No location in locations.csv has this id")
		}
		p := locs[id]
		if p != nil && p.has {
			r.reject("location_id", "Haven keeps one address for each location: this location has one already")
		}
		if r.ok && p != nil {
			p.loc.Address, p.loc.City, p.loc.Postcode, p.has = a.Address, a.City, a.Postcode, true
		}
	})
	linked := map[string]string{} // location id → service id
	rd.rows(raw["service_at_location"], func(r *row) {
		sid := r.id("id", true)
		s := service(r, "service_id")
		lid := r.id("location_id", true)
		if _, ok := locIDs[lid]; lid != "" && ValidID(lid) && !ok {
			r.reject("location_id", "No location in locations.csv has this id")
		}
		if other, ok := linked[lid]; ok && other != "" {
			r.reject("location_id", "Haven keeps each location for one service: this location is linked to another service already")
		}
		if r.ok && s != nil && locs[lid] != nil {
			l := locs[lid].loc
			l.ServiceAtLocationID = sid
			linked[lid] = s.ID
			s.Locations = append(s.Locations, l)
			if s.Postcode == "" {
				s.Postcode = l.Postcode
			}
		}
	})
	rd.rows(raw["service_area"], func(r *row) {
		s := service(r, "service_id")
		uri := strings.TrimSpace(r.get("uri"))
		code := uri[strings.LastIndex(uri, "/")+1:]
		if !onsCode.MatchString(code) || !rd.opts.KnownArea(code) {
			r.reject("uri", "The uri must end in the ONS code of a local authority in England, like "+onsAreaURI+"E08000035")
		}
		if r.ok && s != nil {
			if slices.Contains(s.ServiceAreas, code) {
				r.reject("uri", "The service has this area already")
				return
			}
			s.ServiceAreas = append(s.ServiceAreas, code)
		}
	})
	rd.rows(raw["contact"], func(r *row) {
		c := Contact{ID: r.id("id", true)}
		s := service(r, "service_id")
		c.Name, c.Title, c.Email = r.text("name", false, 200), r.text("title", false, 200), r.email("email")
		if r.ok && s != nil {
			s.Contacts = append(s.Contacts, c)
		}
	})
	rd.rows(raw["phone"], func(r *row) {
		p := PhoneNumber{ID: r.id("id", true)}
		s := service(r, "service_id")
		p.Number, p.Description = r.text("number", true, 30), r.text("description", false, 500)
		if p.Number != "" && !phoneLike(p.Number) {
			r.reject("number", "Enter a telephone number, like 01632 960 001")
		}
		if r.ok && s != nil {
			s.Phones = append(s.Phones, p)
			if s.Phone == "" {
				s.Phone = p.Number
			}
		}
	})
	rd.rows(raw["schedule"], func(r *row) {
		sc := Schedule{ID: r.id("id", true)}
		s := service(r, "service_id")
		sc.Freq, sc.ByDay = strings.TrimSpace(r.get("freq")), strings.TrimSpace(r.get("byday"))
		if sc.Freq != "" && sc.Freq != "WEEKLY" && sc.Freq != "MONTHLY" {
			r.reject("freq", "The freq must be WEEKLY or MONTHLY")
		}
		if sc.ByDay != "" && !weekdays.MatchString(sc.ByDay) {
			r.reject("byday", "The byday must be days like MO,TU,WE")
		}
		for _, c := range []string{"opens_at", "closes_at"} {
			if v := strings.TrimSpace(r.get(c)); v != "" && !clockTime.MatchString(v) {
				r.reject(c, "The time must be a time of day like 09:30")
			}
		}
		sc.OpensAt, sc.ClosesAt = strings.TrimSpace(r.get("opens_at")), strings.TrimSpace(r.get("closes_at"))
		sc.Description = r.text("description", false, 500)
		if r.ok && s != nil {
			s.Schedules = append(s.Schedules, sc)
		}
	})
	rd.rows(raw["funding"], func(r *row) {
		s := service(r, "service_id")
		f := Funding(strings.TrimSpace(r.get("source")))
		if f != FundingNational && f != FundingLocal {
			r.reject("source", `Haven records funding as "national" or "local"`)
		}
		if r.ok && s != nil {
			if s.Funding != "" {
				r.reject("service_id", "The service has a funding row already")
				return
			}
			s.Funding = f
		}
	})
	rd.rows(raw["taxonomy"], func(r *row) {
		id := r.id("id", true)
		known := false
		for _, t := range Taxonomies {
			known = known || t.ID == id
		}
		if id != "" && !known {
			r.reject("id", "This is not one of Haven's taxonomies: the directory uses its own (see /openreferral/taxonomies)")
		}
	})
	rd.rows(raw["taxonomy_term"], func(r *row) {
		id := r.id("id", true)
		if _, _, ok := TermByID(id); id != "" && !ok {
			r.reject("id", "This is not one of Haven's taxonomy terms: the directory uses its own (see /openreferral/taxonomy_terms)")
		}
	})
	rd.rows(raw["attribute"], func(r *row) {
		term := r.id("taxonomy_term_id", true)
		s := service(r, "link_id")
		if _, _, ok := TermByID(term); term != "" && ValidID(term) && !ok {
			r.reject("taxonomy_term_id", "This is not one of Haven's taxonomy terms (see /openreferral/taxonomy_terms)")
		}
		if r.ok && s != nil {
			if slices.Contains(s.Terms, term) {
				r.reject("taxonomy_term_id", "The service has this term already")
				return
			}
			s.Terms = append(s.Terms, term)
		}
	})

	// Each service's entry is checked as an editor's form is.
	for _, id := range order {
		s := services[id]
		for _, p := range s.Entry.Check(rd.opts.KnownArea) {
			c, reason := entryColumns[p.Field], p.Message
			switch p.Field {
			case "phone":
				continue // checked on its own row
			case "areas":
				c, reason = "id", "The service needs at least one row in service_areas.csv with a local authority's ONS code"
			case "terms":
				c = "id"
				reason = "The service's taxonomy terms (attributes.csv): " + strings.ToLower(p.Message[:1]) + p.Message[1:]
			}
			rd.reject(tServices.File, lines[id], c, reason)
		}
		imp.Services = append(imp.Services, *s)
	}
	slices.SortStableFunc(rd.rep.Rejected, func(a, b Rejection) int {
		if a.File != b.File {
			return fileOrder(a.File) - fileOrder(b.File)
		}
		return a.Row - b.Row
	})
	return imp
}

// fileOrder sorts rejections by table, in reading order.
func fileOrder(file string) int {
	for i, t := range tables {
		if file == t.File || file == t.Alt {
			return i
		}
	}
	return len(tables)
}

// formulaStarts are the signs a written cell starting with one gets a quote
// in front of (internal/document's rule for every CSV Haven writes), so that
// a spreadsheet shows text and runs nothing; unneutralise takes it off again
// when a package is read.
const formulaStarts = "=+-@\t\r＝＋－＠"

func unneutralise(s string) string {
	if rest, ok := strings.CutPrefix(s, "'"); ok && rest != "" && strings.ContainsRune(formulaStarts, []rune(rest)[0]) {
		return rest
	}
	return s
}

// CSV writes one table of a package: its header and rows, with each text
// cell made safe for spreadsheets (every CSV Haven writes goes through
// internal/document, which does that). numeric marks the columns that hold
// numbers, written as they are. MediaType names the files' type in the
// package's descriptor.
type CSV struct {
	Write     func(w io.Writer, header []string, rows [][]string, numeric []bool) error
	MediaType string
}

// WritePackage writes organisations and services (public data only, as the
// Open Referral API shows them) as a CSV data package.
// areaName names an authority by its ONS code.
func WritePackage(w io.Writer, orgs []Organisation, services []Service, areaName func(code string) string, csvOut CSV) error {
	zw := zip.NewWriter(w)
	type out struct {
		t    *table
		rows [][]string
	}
	add := func(o *out, vals ...string) { o.rows = append(o.rows, vals) }
	orgT, svcT, locT, addrT := &out{t: &tOrganisations}, &out{t: &tServices}, &out{t: &tLocations}, &out{t: &tAddresses}
	salT, areaT, conT, phT := &out{t: &tServiceAtLocations}, &out{t: &tServiceAreas}, &out{t: &tContacts}, &out{t: &tPhones}
	schT, fundT, taxT, termT, attrT := &out{t: &tSchedules}, &out{t: &tFunding}, &out{t: &tTaxonomies}, &out{t: &tTerms}, &out{t: &tAttributes}
	for _, o := range orgs {
		add(orgT, o.ID, o.Name, o.Description, o.Email, o.Website)
	}
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(time.DateOnly)
	}
	for _, s := range services {
		local := ""
		if s.Status == StatusInDevelopment {
			local = string(s.Status)
		}
		add(svcT, s.ID, s.OrganisationID, s.Name, s.Description, s.Website, s.Email, s.Status.HSDS(), s.HowToRefer, s.Eligibility,
			date(s.LastVerified), s.LastModified.UTC().Format(time.RFC3339), local, strconv.FormatBool(s.SelfReferral), date(s.StartDate))
		for _, l := range s.Locations {
			lat, lon := "", ""
			if l.HasPosition {
				lat, lon = strconv.FormatFloat(l.Latitude, 'f', -1, 64), strconv.FormatFloat(l.Longitude, 'f', -1, 64)
			}
			add(locT, l.ID, "physical", s.OrganisationID, l.Name, lat, lon)
			if l.Postcode != "" || l.Address != "" {
				add(addrT, NameID("address:"+l.ID), l.ID, l.Address, l.City, "England", l.Postcode, "GB", "physical")
			}
			add(salT, l.ServiceAtLocationID, s.ID, l.ID)
		}
		for _, code := range s.ServiceAreas {
			add(areaT, NameID("area:"+s.ID+":"+code), s.ID, areaName(code), "local_authority", onsAreaURI+code)
		}
		for _, c := range s.Contacts {
			add(conT, c.ID, s.ID, c.Name, c.Title, c.Email)
		}
		for _, p := range s.Phones {
			add(phT, p.ID, s.ID, p.Number, p.Description)
		}
		for _, sc := range s.Schedules {
			add(schT, sc.ID, s.ID, sc.Freq, sc.ByDay, sc.OpensAt, sc.ClosesAt, sc.Description)
		}
		if s.Funding != "" {
			add(fundT, NameID("funding:"+s.ID), s.ID, string(s.Funding))
		}
		for _, id := range s.Terms {
			add(attrT, NameID("attribute:"+s.ID+":"+id), s.ID, id, "service", "service")
		}
	}
	for _, tax := range Taxonomies {
		add(taxT, tax.ID, tax.Name, tax.Description)
		for _, t := range tax.Terms {
			add(termT, t.ID, t.Code, t.Name, tax.Name+": "+t.Name, tax.ID, tax.Name)
		}
	}
	all := []*out{orgT, svcT, locT, addrT, salT, areaT, conT, phT, schT, fundT, taxT, termT, attrT}
	ts := make([]*table, len(all))
	for i, o := range all {
		ts[i] = o.t
	}
	if err := writeDescriptor(zw, ts, csvOut.MediaType); err != nil {
		return err
	}
	for _, o := range all {
		f, err := zw.Create(o.t.File)
		if err != nil {
			return err
		}
		header := make([]string, len(o.t.Columns))
		numeric := make([]bool, len(o.t.Columns))
		for i, c := range o.t.Columns {
			header[i], numeric[i] = c.Name, c.Type == "number"
		}
		if err := csvOut.Write(f, header, o.rows, numeric); err != nil {
			return err
		}
	}
	return zw.Close()
}

// writeDescriptor writes datapackage.json: each resource with its file and
// fields, after the HSDS tabular description.
func writeDescriptor(zw *zip.Writer, ts []*table, mediaType string) error {
	type field struct {
		Name        string          `json:"name"`
		Type        string          `json:"type"`
		Format      string          `json:"format,omitempty"`
		Constraints map[string]bool `json:"constraints,omitempty"`
	}
	type resource struct {
		Name      string `json:"name"`
		Path      string `json:"path"`
		Profile   string `json:"profile"`
		Format    string `json:"format"`
		Mediatype string `json:"mediatype"`
		Encoding  string `json:"encoding"`
		Schema    struct {
			PrimaryKey string  `json:"primaryKey"`
			Fields     []field `json:"fields"`
		} `json:"schema"`
	}
	dp := struct {
		Name        string     `json:"name"`
		Title       string     `json:"title"`
		Description string     `json:"description"`
		Profile     string     `json:"profile"`
		Version     string     `json:"version"`
		Homepage    string     `json:"homepage"`
		Resources   []resource `json:"resources"`
	}{Name: "haven-directory", Title: "Haven national directory of services",
		Description: "Services for parents after recurrent care proceedings, in the Human Services Data Specification (HSDS) 3.0 tabular form, with Open Referral UK's profile. Columns starting haven_ are Haven's local extensions.",
		Profile:     "tabular-data-package", Version: "3.0.0", Homepage: "https://docs.openreferral.org"}
	for _, t := range ts {
		r := resource{Name: t.Resource, Path: t.File, Profile: "tabular-data-resource", Format: "csv", Mediatype: mediaType, Encoding: "utf-8"}
		r.Schema.PrimaryKey = "id"
		for _, c := range t.Columns {
			f := field{Name: c.Name, Type: c.Type, Format: c.Format}
			if c.Required {
				f.Constraints = map[string]bool{"required": true}
			}
			r.Schema.Fields = append(r.Schema.Fields, f)
		}
		dp.Resources = append(dp.Resources, r)
	}
	b, err := json.MarshalIndent(dp, "", "  ")
	if err != nil {
		return err
	}
	f, err := zw.Create("datapackage.json")
	if err != nil {
		return err
	}
	_, err = f.Write(append(b, '\n'))
	return err
}
