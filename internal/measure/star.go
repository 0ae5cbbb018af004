package measure

// Outcomes Star readings (issue 17 item 1). The Star belongs to Triangle
// Consulting, which licenses its use: Haven imports a service's readings
// only once an administrator records the deployment's licence, stores them
// as they came, lists them as a plain table, and never draws a Star scale
// or chart. Readings never enter the evaluation's figures.

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"haven/internal/haven"
)

// StarLicence is the name of the Outcomes Star's licence setting.
const StarLicence = "outcomes-star"

// Limits on an import, so that one file cannot fill the database.
const (
	StarMaxRows    = 200
	StarMaxScales  = 20
	StarMaxText    = 100 // characters in a version name or a scale's name
	StarMaxFile    = 256 << 10
	starMinReading = 1
	starMaxReading = 10
)

// StarScale is one scale's reading, 1 to 10.
type StarScale struct {
	Name    string
	Reading int
}

// StarReading is one completed Star: when, which version, and its scales in
// the file's order.
type StarReading struct {
	ID      int64
	TakenOn haven.Date
	Version string
	Scales  []StarScale
	By      string // who imported it, when listed
}

// StarError is one problem in an import file, by row (1 is the header).
type StarError struct {
	Row     int
	Message string
}

func (e StarError) String() string {
	if e.Row == 0 {
		return e.Message
	}
	return fmt.Sprintf("Row %d: %s", e.Row, e.Message)
}

// ParseStarCSV reads an import file: a header of "date", "version" and then
// one column per scale, named as the Star version names it; then one row
// per completed Star with the date (YYYY-MM-DD, not after today), the Star
// version's name, and each scale's reading, a whole number from 1 to 10.
// It returns every reading, or every problem found (all or nothing).
func ParseStarCSV(data []byte, today haven.Date) ([]StarReading, []StarError) {
	var errs []StarError
	fail := func(row int, format string, a ...any) {
		if len(errs) < 50 { // enough to act on; the rest follow the same pattern
			errs = append(errs, StarError{row, fmt.Sprintf(format, a...)})
		}
	}
	if len(data) > StarMaxFile {
		return nil, []StarError{{0, fmt.Sprintf("The file must be %d KB or smaller", StarMaxFile>>10)}}
	}
	if !utf8.Valid(data) {
		return nil, []StarError{{0, "The file must be CSV text saved as UTF-8"}}
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF")) // a spreadsheet's byte-order mark
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1 // checked here, with a message a person can act on
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, []StarError{{0, "The file is empty: it needs a header row and at least one reading"}}
	}
	if err != nil {
		return nil, []StarError{{1, "The header row could not be read as CSV"}}
	}
	for i := range header {
		header[i] = strings.TrimSpace(header[i])
	}
	switch {
	case len(header) < 3 || !strings.EqualFold(header[0], "date") || !strings.EqualFold(header[1], "version"):
		return nil, []StarError{{1, "The header must be date, version, then one column for each scale"}}
	case len(header)-2 > StarMaxScales:
		return nil, []StarError{{1, fmt.Sprintf("A Star has at most %d scales; the file has %d", StarMaxScales, len(header)-2)}}
	}
	scales := header[2:]
	seen := map[string]bool{}
	for i, name := range scales {
		switch {
		case name == "":
			fail(1, "Column %d needs the scale's name", i+3)
		case !plainText(name, StarMaxText):
			fail(1, "Column %d's scale name must be %d characters or fewer, with no control characters", i+3, StarMaxText)
		case seen[strings.ToLower(name)]:
			fail(1, "The scale %q is named twice", name)
		}
		seen[strings.ToLower(name)] = true
	}
	var out []StarReading
	for row := 2; ; row++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			fail(row, "The row could not be read as CSV")
			break
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		if len(out) >= StarMaxRows {
			fail(row, "An import holds at most %d readings", StarMaxRows)
			break
		}
		if len(rec) != len(header) {
			fail(row, "The row has %d columns; the header has %d", len(rec), len(header))
			continue
		}
		sr := StarReading{Version: strings.TrimSpace(rec[1])}
		ok := true
		d, derr := haven.ParseDate(strings.TrimSpace(rec[0]))
		switch {
		case derr != nil || d.IsZero(): // an empty date parses as none
			fail(row, "Date must be a real date written YYYY-MM-DD, like 2026-03-31")
			ok = false
		case today.Before(d):
			fail(row, "Date must be today or in the past")
			ok = false
		}
		sr.TakenOn = d
		switch {
		case sr.Version == "":
			fail(row, "Version needs the Star's name, like Family Star Plus")
			ok = false
		case !plainText(sr.Version, StarMaxText):
			fail(row, "Version must be %d characters or fewer, with no control characters", StarMaxText)
			ok = false
		}
		for i, name := range scales {
			v := strings.TrimSpace(rec[i+2])
			n, err := strconv.Atoi(v)
			if err != nil || n < starMinReading || n > starMaxReading || strconv.Itoa(n) != v {
				fail(row, "%s must be a whole number from %d to %d", name, starMinReading, starMaxReading)
				ok = false
				continue
			}
			sr.Scales = append(sr.Scales, StarScale{Name: name, Reading: n})
		}
		if ok {
			out = append(out, sr)
		}
	}
	if len(errs) == 0 && len(out) == 0 {
		return nil, []StarError{{0, "The file has no readings: add a row for each completed Star below the header"}}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}

// plainText reports whether s is short enough and holds no control
// characters, so it stores and prints as one line.
func plainText(s string, most int) bool {
	if utf8.RuneCountInString(s) > most {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return false
		}
	}
	return true
}

// EncodeScales writes the scales for storage: one "name<TAB>reading" line
// each. Names hold no control characters, so the tab and newline are safe.
func EncodeScales(ss []StarScale) string {
	var b strings.Builder
	for i, s := range ss {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(s.Name)
		b.WriteByte('\t')
		b.WriteString(strconv.Itoa(s.Reading))
	}
	return b.String()
}

// DecodeScales reads what EncodeScales wrote.
func DecodeScales(s string) ([]StarScale, error) {
	var out []StarScale
	if s == "" {
		return nil, nil
	}
	for line := range strings.SplitSeq(s, "\n") {
		name, v, ok := strings.Cut(line, "\t")
		n, err := strconv.Atoi(v)
		if !ok || err != nil {
			return nil, fmt.Errorf("measure: stored Star scales %q", line)
		}
		out = append(out, StarScale{Name: name, Reading: n})
	}
	return out, nil
}
