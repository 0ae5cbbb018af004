package reunify

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"haven/internal/haven"
)

var today903 = haven.NewDate(2026, time.March, 31)

const header903 = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"

func TestParseEpisodesValidFile(t *testing.T) {
	file := header903 +
		"C001,01/04/2023,S,C2,N1,U1,PR1,10/10/2023,X1,CARPL,LS1 1AA,LS2 2BB,SC123456\n" +
		"C001,10/10/2023,P,C2,N1,U4,PR1,01/02/2024,E4A,,LS1 1AA,,XXXXXXX\n" +
		"C002,15/05/2024,S,V2,N4,U1,PR1,,,,,,\n"
	eps, ps := ParseEpisodes(strings.NewReader(file), today903)
	if len(ps) != 0 {
		t.Fatalf("problems: %v", ps)
	}
	if len(eps) != 3 {
		t.Fatalf("got %d episodes, want 3", len(eps))
	}
	e := eps[0]
	if e.Row != 2 || e.ChildRef != "C001" || e.StartsOn != haven.NewDate(2023, 4, 1) || e.EndsOn != haven.NewDate(2023, 10, 10) ||
		e.RNE != "S" || e.LegalStatus != "C2" || e.CIN != "N1" || e.Placement != "U1" || e.Provider != "PR1" || e.REC != "X1" ||
		e.PlaceChange != "CARPL" || e.URN != "SC123456" {
		t.Errorf("row 2 read as %+v", e)
	}
	if eps[1].URN != "" || eps[2].REC != "" || !eps[2].EndsOn.IsZero() {
		t.Errorf("XXXXXXX or an open episode misread: %+v %+v", eps[1], eps[2])
	}
	for _, e := range eps {
		for _, f := range []string{e.ChildRef, e.URN, e.CIN} {
			if strings.Contains(f, "LS1") {
				t.Errorf("a postcode was kept: %+v", e)
			}
		}
	}
	if ps := CheckEpisodes(eps[:2]); len(ps) != 0 {
		t.Errorf("C001's episodes: %v", ps)
	}
}

func TestParseEpisodesRejectsRows(t *testing.T) {
	row := func(fields string) string { return header903 + fields + "\n" }
	cases := []struct {
		name, file string
		row        int
		column     string
		why        string
	}{
		{"not a date", row("C1,31/02/2024,S,C2,N1,U1,PR1,,,,,,"), 2, "DECOM", "real date"},
		{"US date", row("C1,2024-02-01,S,C2,N1,U1,PR1,,,,,,"), 2, "DECOM", "dd/mm/yyyy"},
		{"no start", row("C1,,S,C2,N1,U1,PR1,,,,,,"), 2, "DECOM", "Enter the date the episode started"},
		{"future start", row("C1,01/04/2026,S,C2,N1,U1,PR1,,,,,,"), 2, "DECOM", "future"},
		{"future end", row("C1,01/04/2025,S,C2,N1,U1,PR1,01/04/2026,E4A,,,,"), 2, "DEC", "future"},
		{"end before start", row("C1,01/04/2025,S,C2,N1,U1,PR1,01/03/2025,E4A,,,,"), 2, "DEC", "before it started"},
		{"DEC without REC", row("C1,01/04/2025,S,C2,N1,U1,PR1,01/05/2025,,,,,"), 2, "REC", "Enter the reason the episode ended"},
		{"REC without DEC", row("C1,01/04/2025,S,C2,N1,U1,PR1,,E4A,,,,"), 2, "DEC", "Enter the date the episode ended"},
		{"unknown RNE", row("C1,01/04/2025,Q,C2,N1,U1,PR1,,,,,,"), 2, "RNE", `"Q" is not a reason for the new episode code`},
		{"unknown LS", row("C1,01/04/2025,S,C9,N1,U1,PR1,,,,,,"), 2, "LS", "legal status"},
		{"no LS", row("C1,01/04/2025,S,,N1,U1,PR1,,,,,,"), 2, "LS", "Enter the legal status"},
		{"unknown CIN", row("C1,01/04/2025,S,C2,N0,U1,PR1,,,,,,"), 2, "CIN", "category of need"},
		{"unknown PLACE", row("C1,01/04/2025,S,C2,N1,ZZ,PR1,,,,,,"), 2, "PLACE", "placement type"},
		{"unknown provider", row("C1,01/04/2025,S,C2,N1,U1,PR9,,,,,,"), 2, "PLACE_PROVIDER", "placement provider"},
		{"unknown REC", row("C1,01/04/2025,S,C2,N1,U1,PR1,01/05/2025,E99,,,,"), 2, "REC", "reason the episode ended"},
		{"unknown change reason", row("C1,01/04/2025,S,C2,N1,U1,PR1,,,WHIM,,,"), 2, "REASON_PLACE_CHANGE", "placement change"},
		{"no child", row(",01/04/2025,S,C2,N1,U1,PR1,,,,,,"), 2, "CHILD", "Enter the child's ID"},
		{"child ID too long", row("C12345678901,01/04/2025,S,C2,N1,U1,PR1,,,,,,"), 2, "CHILD", "10 letters"},
		{"bad URN", row("C1,01/04/2025,S,C2,N1,U1,PR1,,,,,,SC-1"), 2, "URN", "URN"},
		{"short row", row("C1,01/04/2025,S"), 2, "", "3 columns but the header has 13"},
		{"duplicate start", header903 + "C1,01/04/2025,S,C2,N1,U1,PR1,,,,,,\nC1,01/04/2025,S,C2,N1,U1,PR1,,,,,,\n", 3, "DECOM", "in row 2"},
		{"missing column", "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST\n", 1, "", "missing the column URN"},
		{"extra column", strings.TrimSuffix(header903, "\n") + ",NAME\n", 1, "", `"NAME"`},
		{"empty", "", 0, "", "empty"},
		{"not UTF-8", header903 + "C1,\xff\n", 0, "", "UTF-8"},
		{"bare quote", header903 + "C1,\"01/04/2025,S\n", 2, "", "not valid CSV"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			eps, ps := ParseEpisodes(strings.NewReader(c.file), today903)
			if len(ps) == 0 {
				t.Fatalf("accepted: %+v", eps)
			}
			p := ps[0]
			if p.Row != c.row || p.Column != c.column || !strings.Contains(p.Why, c.why) {
				t.Errorf("got %+v, want row %d column %q saying %q", p, c.row, c.column, c.why)
			}
			for _, e := range eps {
				if e.Row == c.row {
					t.Errorf("a rejected row was returned: %+v", e)
				}
			}
		})
	}
}

func TestParseEpisodesReportsEveryRow(t *testing.T) {
	file := header903 +
		"C1,01/04/2025,S,C2,N1,U1,PR1,,,,,,\n" +
		"C2,01/13/2025,S,C2,N1,U1,PR1,,,,,,\n" +
		"C3,01/04/2025,S,XX,N1,U1,PR1,,E4A,,,,\n"
	eps, ps := ParseEpisodes(strings.NewReader(file), today903)
	if len(eps) != 1 || eps[0].ChildRef != "C1" {
		t.Errorf("valid rows: %+v", eps)
	}
	if ps.Rows() != 2 || len(ps) != 3 {
		t.Errorf("want 3 problems on rows 3 and 4, got %v", ps)
	}
	if ps[0].Row != 3 || ps[0].Value != "01/13/2025" {
		t.Errorf("first problem %+v", ps[0])
	}
}

func TestCheckEpisodes(t *testing.T) {
	d := func(s string) haven.Date {
		x, _ := time.Parse("02/01/2006", s)
		return haven.NewDate(x.Year(), x.Month(), x.Day())
	}
	ep := func(row int, start, rne, end, rec string) FileEpisode {
		e := FileEpisode{Row: row, ChildRef: "C1", Episode: Episode{StartsOn: d(start), RNE: rne, LegalStatus: "C2", Placement: "U1", REC: rec}}
		if end != "" {
			e.EndsOn = d(end)
		}
		return e
	}
	cases := []struct {
		name   string
		eps    []FileEpisode
		row    int
		column string
		why    string
	}{
		{"fine", []FileEpisode{ep(2, "01/04/2023", "S", "10/10/2023", "X1"), ep(3, "10/10/2023", "P", "01/02/2024", "E4A"), ep(4, "01/06/2024", "S", "", "")}, 0, "", ""},
		{"first not S", []FileEpisode{ep(2, "01/04/2023", "P", "", "")}, 2, "RNE", "first episode must start with RNE S"},
		{"earlier open", []FileEpisode{ep(2, "01/04/2023", "S", "", ""), ep(3, "01/06/2023", "S", "", "")}, 3, "DECOM", "only a child's last episode may be open"},
		{"overlap", []FileEpisode{ep(2, "01/04/2023", "S", "01/07/2023", "E4A"), ep(3, "01/06/2023", "S", "", "")}, 3, "DECOM", "overlaps"},
		{"X1 gap", []FileEpisode{ep(2, "01/04/2023", "S", "01/07/2023", "X1"), ep(3, "02/07/2023", "P", "", "")}, 2, "REC", "the same day"},
		{"X1 then S", []FileEpisode{ep(2, "01/04/2023", "S", "01/07/2023", "X1"), ep(3, "01/07/2023", "S", "", "")}, 3, "RNE", "cannot be S"},
		{"X1 last", []FileEpisode{ep(2, "01/04/2023", "S", "01/07/2023", "X1")}, 2, "REC", "the file has none"},
		{"exit then P", []FileEpisode{ep(2, "01/04/2023", "S", "01/07/2023", "E4B"), ep(3, "01/08/2023", "P", "", "")}, 3, "RNE", "must start with RNE S"},
		// A recorded episode (row 0) against the file's: the file's row is blamed.
		{"recorded open", []FileEpisode{ep(0, "01/04/2023", "S", "", ""), ep(5, "01/06/2023", "S", "", "")}, 5, "DECOM", "still open"},
		// Order in the file does not matter.
		{"unsorted", []FileEpisode{ep(3, "10/10/2023", "P", "", ""), ep(2, "01/04/2023", "S", "10/10/2023", "X1")}, 0, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ps := CheckEpisodes(c.eps)
			if c.why == "" {
				if len(ps) != 0 {
					t.Fatalf("problems: %v", ps)
				}
				return
			}
			if len(ps) == 0 {
				t.Fatal("accepted")
			}
			if p := ps[0]; p.Row != c.row || p.Column != c.column || !strings.Contains(p.Why, c.why) {
				t.Errorf("got %+v, want row %d %s saying %q", p, c.row, c.column, c.why)
			}
		})
	}
}

// TestEpisodeRecordsRoundTrip: what Haven writes, Haven reads back the same,
// including a child ID a spreadsheet would take for a formula.
func TestEpisodeRecordsRoundTrip(t *testing.T) {
	file := header903 +
		"-C1,01/04/2023,S,C2,N1,U1,PR1,10/10/2023,X1,CARPL,,,SC123456\n" +
		"-C1,10/10/2023,P,C2,,U4,,01/02/2024,E4A,,,,\n"
	eps, ps := ParseEpisodes(strings.NewReader(file), today903)
	if len(ps) != 0 {
		t.Fatal(ps)
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(EpisodeColumns)
	for _, r := range EpisodeRecords(eps) {
		r[0] = "'" + r[0] // as document.Neutralise writes it
		w.Write(r)
	}
	w.Flush()
	again, ps := ParseEpisodes(&b, today903)
	if len(ps) != 0 || len(again) != len(eps) {
		t.Fatalf("read back %d episodes, problems %v", len(again), ps)
	}
	for i := range eps {
		again[i].Row = eps[i].Row
		if !again[i].Same(eps[i]) {
			t.Errorf("row %d: wrote %+v, read %+v", i+2, eps[i], again[i])
		}
	}
}

func FuzzParseEpisodes(f *testing.F) {
	f.Add([]byte(header903 + "C001,01/04/2023,S,C2,N1,U1,PR1,10/10/2023,X1,CARPL,,,SC123456\nC001,10/10/2023,P,C2,N1,U4,PR1,,,,,,\n"))
	f.Add([]byte(header903 + "C1,31/02/2024,Q,C9,N0,ZZ,PR9,x,E99,WHIM,,,SC-1\n"))
	f.Add([]byte(header903 + "C1,\"01/04/2025,S\n"))
	f.Add([]byte("\xef\xbb\xbf" + header903))
	f.Add([]byte("CHILD\n"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		eps, ps := ParseEpisodes(bytes.NewReader(data), today903)
		bad := map[int]bool{}
		for _, p := range ps {
			if p.Why == "" {
				t.Fatalf("a problem with no reason: %+v", p)
			}
			bad[p.Row] = true
		}
		for _, e := range eps {
			if bad[e.Row] {
				t.Fatalf("row %d both accepted and rejected", e.Row)
			}
			if err := e.Validate(today903); err != nil {
				t.Fatalf("row %d accepted but invalid: %v", e.Row, err)
			}
		}
		CheckEpisodes(eps) // must not panic
	})
}
