package reunify

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"haven/internal/haven"
)

// The SSDA903 episodes file (DfE, "Children looked after return"): one row
// per episode of care, CSV with a header, dates as dd/mm/yyyy. HOME_POST and
// PL_POST are postcodes (the child's home and the placement's): Haven accepts
// the columns, so a file exported from another system loads, and drops their
// values without reading them. It never stores or shows a child's postcode.
var EpisodeColumns = []string{"CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER",
	"DEC", "REC", "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"}

// MaxEpisodeRows is the most rows one file may hold: a large authority's
// whole history is well under it, and it bounds what an upload can cost.
const MaxEpisodeRows = 200000

// dateLayout is the 903's date format.
const dateLayout = "02/01/2006"

// FileEpisode is one row of an episodes file: the episode, the child's ID in
// the authority's records, and the fields Haven keeps beside the episode.
type FileEpisode struct {
	Row      int    // the row in the file, the header being row 1
	ChildRef string // CHILD
	Episode
	CIN string // category of need
	URN string // the placement's Ofsted unique reference number, if any
}

// Same reports whether two episodes of a child say the same thing.
func (a FileEpisode) Same(b FileEpisode) bool {
	return a.ChildRef == b.ChildRef && a.StartsOn == b.StartsOn && a.RNE == b.RNE && a.LegalStatus == b.LegalStatus &&
		a.Placement == b.Placement && a.Provider == b.Provider && a.EndsOn == b.EndsOn && a.REC == b.REC &&
		a.PlaceChange == b.PlaceChange && a.CIN == b.CIN && a.URN == b.URN
}

// Problem is one reason a row (or the file) was rejected, in plain English.
// Row 0 is the file as a whole; Column is the 903 column name, or "" for a
// rule about the row or the child's episodes together.
type Problem struct {
	Row    int
	Column string
	Value  string
	Why    string
	Child  string // the row's CHILD, if it could be read
}

// Problems is a file's report, in row order.
type Problems []Problem

func (ps *Problems) add(row int, col, value, why string) {
	*ps = append(*ps, Problem{Row: row, Column: col, Value: value, Why: why})
}

// Rows is the number of distinct rows with a problem.
func (ps Problems) Rows() int {
	seen := map[int]bool{}
	for _, p := range ps {
		if p.Row > 0 {
			seen[p.Row] = true
		}
	}
	return len(seen)
}

func (ps Problems) sort() {
	slices.SortStableFunc(ps, func(a, b Problem) int { return a.Row - b.Row })
}

// ErrNotEpisodesFile is a file that cannot be read as an episodes file at
// all; its Problems say why.
var ErrNotEpisodesFile = errors.New("reunify: not an SSDA903 episodes file")

// ParseEpisodes reads an episodes file and checks each row on its own: the
// columns, each code against the 903 code lists, each date. It returns the
// rows it could read and every problem it found; the rules between a
// child's episodes are CheckEpisodes'. A file that is not CSV, or lacks the
// 903 header, gives one problem for row 0 and no episodes.
func ParseEpisodes(r io.Reader, today haven.Date) ([]FileEpisode, Problems) {
	var ps Problems
	data, err := io.ReadAll(io.LimitReader(r, 64<<20+1))
	if err != nil {
		ps.add(0, "", "", "The file could not be read")
		return nil, ps
	}
	if len(data) > 64<<20 {
		ps.add(0, "", "", "The file must be smaller than 64 MB")
		return nil, ps
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a spreadsheet's byte order mark
	if !utf8.Valid(data) {
		ps.add(0, "", "", "The file must be a CSV file saved as UTF-8 text")
		return nil, ps
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		ps.add(0, "", "", "The file is empty or is not a CSV file")
		return nil, ps
	}
	idx, why := headerIndex(header)
	if why != "" {
		ps.add(1, "", "", why)
		return nil, ps
	}
	var out []FileEpisode
	seen := map[string]int{} // child and start → first row
	for row := 2; ; row++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				ps.add(pe.Line, "", "", "The row is not valid CSV: "+pe.Err.Error())
			} else {
				ps.add(row, "", "", "The row is not valid CSV")
			}
			return out, ps // the reader cannot find the next row reliably
		}
		if row-1 > MaxEpisodeRows {
			ps.add(row, "", "", fmt.Sprintf("The file must have %d rows or fewer", MaxEpisodeRows))
			return out, ps
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		if len(rec) != len(header) {
			ps.add(row, "", "", fmt.Sprintf("The row has %d columns but the header has %d", len(rec), len(header)))
			continue
		}
		e, rowPs := parseRow(row, rec, idx, today)
		for i := range rowPs {
			rowPs[i].Child = e.ChildRef
		}
		ps = append(ps, rowPs...)
		if e.ChildRef == "" || e.StartsOn.IsZero() {
			continue // nothing to key it by; its problems say why
		}
		key := e.ChildRef + "|" + e.StartsOn.String()
		if first, dup := seen[key]; dup {
			ps.add(row, "DECOM", e.StartsOn.Time().Format(dateLayout),
				fmt.Sprintf("Child %s already has an episode starting on this date, in row %d", e.ChildRef, first))
			ps[len(ps)-1].Child = e.ChildRef
			continue
		}
		seen[key] = row
		if len(rowPs) == 0 {
			out = append(out, e)
		}
	}
	ps.sort()
	return out, ps
}

// headerIndex maps each 903 column to its place in the header. Every column
// must be there once, and no other: a file of another shape (the header
// file, the missing-episodes file) is refused whole.
func headerIndex(header []string) (map[string]int, string) {
	idx := map[string]int{}
	for i, h := range header {
		h = strings.ToUpper(strings.TrimSpace(h))
		if !slices.Contains(EpisodeColumns, h) {
			return nil, fmt.Sprintf("The header has a column %q that is not in the SSDA903 episodes file: the columns are %s", clip(h), strings.Join(EpisodeColumns, ", "))
		}
		if _, dup := idx[h]; dup {
			return nil, fmt.Sprintf("The header has the column %s twice", h)
		}
		idx[h] = i
	}
	var missing []string
	for _, c := range EpisodeColumns {
		if _, ok := idx[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, "The header is missing the column" + plural(len(missing)) + " " + strings.Join(missing, ", ")
	}
	return idx, ""
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// clip keeps an echoed value short and printable in the report.
func clip(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return -1
		}
		return r
	}, s)
	if utf8.RuneCountInString(s) > 40 {
		return string([]rune(s)[:40]) + "…"
	}
	return s
}

// parseRow reads one row's fields and checks each on its own.
func parseRow(row int, rec []string, idx map[string]int, today haven.Date) (FileEpisode, Problems) {
	var ps Problems
	get := func(col string) string {
		v := strings.TrimSpace(rec[idx[col]])
		// A spreadsheet's quote in front of a formula sign (as Haven's own
		// export writes it) is not part of the value.
		if len(v) > 1 && v[0] == '\'' && strings.ContainsRune("=+-@", rune(v[1])) {
			v = v[1:]
		}
		return v
	}
	e := FileEpisode{Row: row}

	ref := get("CHILD")
	switch {
	case ref == "":
		ps.add(row, "CHILD", "", "Enter the child's ID")
	case utf8.RuneCountInString(ref) > 10 || !refChars(ref):
		ps.add(row, "CHILD", clip(ref), "The child's ID must be 10 letters, digits or hyphens or fewer")
	default:
		e.ChildRef = ref
	}

	e.StartsOn = parseDate(&ps, row, "DECOM", get("DECOM"), "the date the episode started", true)
	e.EndsOn = parseDate(&ps, row, "DEC", get("DEC"), "the date the episode ended", false)
	if !e.StartsOn.IsZero() && today.Before(e.StartsOn) {
		ps.add(row, "DECOM", get("DECOM"), "The episode cannot start in the future")
	}
	if !e.EndsOn.IsZero() && today.Before(e.EndsOn) {
		ps.add(row, "DEC", get("DEC"), "The episode cannot end in the future")
	}
	if !e.StartsOn.IsZero() && !e.EndsOn.IsZero() && e.EndsOn.Before(e.StartsOn) {
		ps.add(row, "DEC", get("DEC"), "The episode cannot end before it started (DECOM "+get("DECOM")+")")
	}

	e.RNE = code(&ps, row, "RNE", get("RNE"), NewEpisodeReasons, "reason for the new episode", true)
	e.LegalStatus = code(&ps, row, "LS", get("LS"), LegalStatuses, "legal status", true)
	e.CIN = code(&ps, row, "CIN", get("CIN"), CategoriesOfNeed, "category of need", false)
	e.Placement = code(&ps, row, "PLACE", get("PLACE"), Placements, "placement type", true)
	e.Provider = code(&ps, row, "PLACE_PROVIDER", get("PLACE_PROVIDER"), Providers, "placement provider", false)
	e.REC = code(&ps, row, "REC", get("REC"), CeasedReasons, "reason the episode ended", false)
	e.PlaceChange = code(&ps, row, "REASON_PLACE_CHANGE", get("REASON_PLACE_CHANGE"), PlacementChanges, "reason for the placement change", false)

	switch dec, rec := get("DEC"), get("REC"); {
	case dec == "" && rec != "":
		ps.add(row, "DEC", "", "Enter the date the episode ended: the row gives a reason it ended (REC "+clip(rec)+")")
	case dec != "" && rec == "":
		ps.add(row, "REC", "", "Enter the reason the episode ended: the row gives the date it ended (DEC "+clip(dec)+")")
	}

	urn := get("URN")
	switch {
	case urn == "" || urn == "XXXXXXX": // the 903's "no URN"
	case len(urn) > 8 || !alnum(urn):
		ps.add(row, "URN", clip(urn), "The placement's URN must be up to 8 letters and digits, or XXXXXXX if it has none")
	default:
		e.URN = urn
	}
	// HOME_POST and PL_POST are dropped unread: see EpisodeColumns.
	return e, ps
}

func alnum(s string) bool {
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// parseDate reads a dd/mm/yyyy date; what names it for the reader.
func parseDate(ps *Problems, row int, col, v, what string, required bool) haven.Date {
	if v == "" {
		if required {
			ps.add(row, col, "", "Enter "+what)
		}
		return haven.Date{}
	}
	t, err := time.Parse(dateLayout, v)
	if err != nil || t.Year() < 1900 {
		ps.add(row, col, clip(v), "Enter "+what+" as a real date in the form dd/mm/yyyy, for example 27/03/2025")
		return haven.Date{}
	}
	return haven.NewDate(t.Year(), t.Month(), t.Day())
}

// code checks v against a 903 code list; what names the field for the reader.
func code(ps *Problems, row int, col, v string, list CodeList, what string, required bool) string {
	v = strings.ToUpper(v)
	if v == "" {
		if required {
			ps.add(row, col, "", "Enter the "+what)
		}
		return ""
	}
	if !list.Has(v) {
		ps.add(row, col, clip(v), fmt.Sprintf("%q is not a %s code in the SSDA903 code list", clip(v), what))
		return ""
	}
	return v
}

// CheckEpisodes applies the return's rules between the episodes of one
// child, oldest first by start date: the first episode starts with RNE S;
// episodes do not overlap; only the last may be open; an episode ending X1
// is followed by a new one the same day, which does not start with S; an
// episode with any other RNE follows an X1 end on its start date; and after
// a real exit the next episode starts with S. eps are the child's episodes
// as they will be after an import, some from the file (Row > 0) and some
// already recorded (Row 0); a problem is reported against the file's row.
func CheckEpisodes(eps []FileEpisode) Problems {
	var ps Problems
	eps = slices.Clone(eps)
	slices.SortStableFunc(eps, func(a, b FileEpisode) int { return a.StartsOn.Time().Compare(b.StartsOn.Time()) })
	at := func(e, other FileEpisode) int { // blame the file's row
		if e.Row > 0 {
			return e.Row
		}
		return other.Row
	}
	d := func(x haven.Date) string { return x.Time().Format(dateLayout) }
	for i, e := range eps {
		if i == 0 {
			if e.RNE != "S" && e.Row > 0 {
				ps.add(e.Row, "RNE", e.RNE, "The child's first episode must start with RNE S (started to be looked after)")
			}
			continue
		}
		prev := eps[i-1]
		row := at(e, prev)
		if row == 0 {
			continue // two recorded episodes: not this file's doing
		}
		switch {
		case prev.Open():
			ps.add(row, "DECOM", d(e.StartsOn), fmt.Sprintf("The episode starting %s is still open: only a child's last episode may be open", d(prev.StartsOn)))
			continue
		case e.StartsOn.Before(prev.EndsOn):
			ps.add(row, "DECOM", d(e.StartsOn), fmt.Sprintf("The episode overlaps the one from %s to %s: an episode must start on or after the day the one before it ended", d(prev.StartsOn), d(prev.EndsOn)))
			continue
		}
		switch {
		case prev.REC == "X1" && e.StartsOn != prev.EndsOn:
			ps.add(at(prev, e), "REC", "X1", fmt.Sprintf("An episode ending X1 must be followed by a new episode the same day (%s), but the next starts %s", d(prev.EndsOn), d(e.StartsOn)))
		case prev.REC == "X1" && e.RNE == "S":
			ps.add(row, "RNE", "S", fmt.Sprintf("The episode before ended X1 on %s, so the child was still looked after: RNE cannot be S", d(prev.EndsOn)))
		case prev.REC != "X1" && e.RNE != "S":
			ps.add(row, "RNE", e.RNE, fmt.Sprintf("The episode before ended %s on %s, so the child left care: the next episode must start with RNE S", prev.REC, d(prev.EndsOn)))
		}
	}
	if n := len(eps); n > 0 {
		if last := eps[n-1]; last.REC == "X1" && last.Row > 0 {
			ps.add(last.Row, "REC", "X1", "An episode ending X1 must be followed by a new episode starting the same day, and the file has none")
		}
	}
	ps.sort()
	return ps
}

// EpisodeRecords is episodes as the rows of a 903 episodes file, in the
// order given, without the header (EpisodeColumns). The postcode columns are
// left empty: Haven does not keep them. The caller writes them through the
// document package, which neutralises a cell a spreadsheet would run; the
// parser takes that quote off again.
func EpisodeRecords(eps []FileEpisode) [][]string {
	date := func(x haven.Date) string {
		if x.IsZero() {
			return ""
		}
		return x.Time().Format(dateLayout)
	}
	out := make([][]string, 0, len(eps))
	for _, e := range eps {
		out = append(out, []string{e.ChildRef, date(e.StartsOn), e.RNE, e.LegalStatus, e.CIN, e.Placement, e.Provider,
			date(e.EndsOn), e.REC, e.PlaceChange, "", "", e.URN})
	}
	return out
}

// String is the report as plain text, a line a problem.
func (ps Problems) String() string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString("row " + strconv.Itoa(p.Row))
		if p.Column != "" {
			b.WriteString(" " + p.Column)
		}
		b.WriteString(": " + p.Why + "\n")
	}
	return b.String()
}
