package events

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"haven/internal/haven"
)

func london(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, London)
}

func TestLocalTime(t *testing.T) {
	cases := []struct {
		name  string
		date  haven.Date
		clock string
		want  string // UTC, or "" for refused
	}{
		{"winter is GMT", haven.NewDate(2027, 1, 12), "14:30", "2027-01-12T14:30:00Z"},
		{"summer is BST", haven.NewDate(2027, 7, 12), "14:30", "2027-07-12T13:30:00Z"},
		{"pm", haven.NewDate(2027, 7, 12), "2:30pm", "2027-07-12T13:30:00Z"},
		{"pm with a space and a dot", haven.NewDate(2027, 1, 12), "2.30 pm", "2027-01-12T14:30:00Z"},
		{"an hour alone", haven.NewDate(2027, 1, 12), "2pm", "2027-01-12T14:00:00Z"},
		{"12am is midnight", haven.NewDate(2027, 1, 12), "12am", "2027-01-12T00:00:00Z"},
		{"12pm is midday", haven.NewDate(2027, 1, 12), "12pm", "2027-01-12T12:00:00Z"},
		{"midday", haven.NewDate(2027, 1, 12), "Midday", "2027-01-12T12:00:00Z"},
		// 28 March 2027: clocks go forward at 01:00 GMT to 02:00 BST.
		{"before the clocks go forward", haven.NewDate(2027, 3, 28), "00:59", "2027-03-28T00:59:00Z"},
		{"the skipped hour does not exist", haven.NewDate(2027, 3, 28), "01:30", ""},
		{"after the clocks go forward", haven.NewDate(2027, 3, 28), "02:00", "2027-03-28T01:00:00Z"},
		// 31 October 2027: clocks go back at 02:00 BST to 01:00 GMT; 01:30 happens twice.
		{"the repeated hour is the first one", haven.NewDate(2027, 10, 31), "01:30", "2027-10-31T00:30:00Z"},
		{"after the clocks go back", haven.NewDate(2027, 10, 31), "02:30", "2027-10-31T02:30:00Z"},
		{"hour 24", haven.NewDate(2027, 1, 12), "24:00", ""},
		{"13pm", haven.NewDate(2027, 1, 12), "13pm", ""},
		{"0am", haven.NewDate(2027, 1, 12), "0am", ""},
		{"minute 60", haven.NewDate(2027, 1, 12), "10:60", ""},
		{"one-digit minute", haven.NewDate(2027, 1, 12), "10:5", ""},
		{"signed", haven.NewDate(2027, 1, 12), "+1:00", ""},
		{"words", haven.NewDate(2027, 1, 12), "teatime", ""},
		{"empty", haven.NewDate(2027, 1, 12), "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := LocalTime(c.date, c.clock)
			if c.want == "" {
				if err == nil {
					t.Fatalf("%q: %v, want refused", c.clock, got)
				}
				return
			}
			if err != nil || got.UTC().Format(time.RFC3339) != c.want {
				t.Fatalf("%q: %v, %v; want %s", c.clock, got.UTC(), err, c.want)
			}
		})
	}
}

func TestClockAndWhen(t *testing.T) {
	for in, want := range map[time.Time]string{
		london(2027, 1, 12, 14, 0):  "2pm",
		london(2027, 1, 12, 14, 5):  "2:05pm",
		london(2027, 1, 12, 9, 30):  "9:30am",
		london(2027, 1, 12, 12, 0):  "midday",
		london(2027, 1, 12, 0, 0):   "midnight",
		london(2027, 1, 12, 0, 15):  "12:15am",
		london(2027, 1, 12, 12, 45): "12:45pm",
	} {
		if got := Clock(in); got != want {
			t.Errorf("Clock(%v) = %q, want %q", in, got, want)
		}
	}
	e := Event{Start: london(2027, 7, 13, 14, 0), End: london(2027, 7, 13, 15, 30)}
	if got, want := e.When(), "Tuesday 13 July 2027, 2pm to 3:30pm"; got != want {
		t.Errorf("When = %q, want %q", got, want)
	}
	// Shown in London even when the instant was made in UTC.
	e = Event{Start: time.Date(2027, 7, 13, 13, 0, 0, 0, time.UTC), End: time.Date(2027, 7, 14, 8, 0, 0, 0, time.UTC)}
	if got, want := e.When(), "Tuesday 13 July 2027, 2pm to Wednesday 14 July 2027, 9am"; got != want {
		t.Errorf("When = %q, want %q", got, want)
	}
}

func TestCheck(t *testing.T) {
	good := Event{Title: "Grief and loss after removal", Summary: "An online seminar for practitioners.", Kind: KindSeminar,
		Start: london(2027, 2, 3, 14, 0), End: london(2027, 2, 3, 15, 30), Online: true, Capacity: 80}
	if err := good.Check(); err != nil {
		t.Fatalf("a good event: %v", err)
	}
	cases := []struct {
		name  string
		edit  func(*Event)
		field string
	}{
		{"no title", func(e *Event) { e.Title = " " }, "title"},
		{"markup in the title", func(e *Event) { e.Title = "<script>x</script>" }, "title"},
		{"a control character", func(e *Event) { e.Summary = "a\x07b" }, "summary"},
		{"a long title", func(e *Event) { e.Title = strings.Repeat("é", MaxTitle+1) }, "title"},
		{"no kind", func(e *Event) { e.Kind = "party" }, "kind"},
		{"no start", func(e *Event) { e.Start = time.Time{} }, "start"},
		{"ends before it starts", func(e *Event) { e.End = e.Start.Add(-time.Minute) }, "end"},
		{"ends as it starts", func(e *Event) { e.End = e.Start }, "end"},
		{"four days long", func(e *Event) { e.End = e.Start.Add(4 * 24 * time.Hour) }, "end"},
		{"in person with no venue", func(e *Event) { e.Online = false }, "venue"},
		{"online with a venue", func(e *Event) { e.Venue = "Leeds" }, "venue"},
		{"a script link", func(e *Event) { e.Capacity = 0; e.BookingURL = "javascript:alert(1)" }, "bookingUrl"},
		{"both ways to book", func(e *Event) { e.BookingURL = "https://example.org/book" }, "capacity"},
		{"too many places", func(e *Event) { e.Capacity = MaxCapacity + 1 }, "capacity"},
		{"negative places", func(e *Event) { e.Capacity = -1 }, "capacity"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := good
			c.edit(&e)
			he, ok := errors.AsType[*haven.Error](e.Check())
			if !ok || he.Fields[c.field] == "" {
				t.Fatalf("want a message for %s, got %v", c.field, e.Check())
			}
		})
	}
	inPerson := good
	inPerson.Online, inPerson.Venue, inPerson.Capacity, inPerson.BookingURL = false, "Civic Hall, Leeds", 0, "https://example.org/book"
	if err := inPerson.Check(); err != nil {
		t.Errorf("in person with a booking link: %v", err)
	}
}

// unfold and unescape read an iCalendar file back, as a calendar would.
func unfold(s string) []string {
	return strings.Split(strings.TrimSuffix(strings.ReplaceAll(s, "\r\n ", ""), "\r\n"), "\r\n")
}

func unescape(s string) string {
	return strings.NewReplacer(`\\`, `\`, `\;`, ";", `\,`, ",", `\n`, "\n", `\N`, "\n").Replace(s)
}

func TestICS(t *testing.T) {
	long := strings.Repeat("Grief, loss; and\\ the ‘first’ removal — é ", 6)
	evs := []Event{
		{ID: 7, Title: "Seminar: contraception, trust; and choice", Summary: long + "\nSecond line", Kind: KindSeminar,
			Start: london(2027, 7, 13, 14, 0), End: london(2027, 7, 13, 15, 30), Online: true, Sequence: 2},
		{ID: 8, Title: "Forum", Summary: "In person", Kind: KindForum, Venue: "Civic Hall, Leeds",
			Start: london(2027, 1, 12, 10, 0), End: london(2027, 1, 12, 12, 0), Cancelled: true},
	}
	c := Calendar{Name: "Haven events", BaseURL: "https://haven.example.org", Host: "haven.example.org", Now: time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)}
	raw := string(c.ICS(evs))
	if !strings.HasSuffix(raw, "END:VCALENDAR\r\n") || strings.Contains(strings.ReplaceAll(raw, "\r\n", ""), "\n") {
		t.Fatalf("lines must end CRLF:\n%q", raw)
	}
	for _, l := range strings.Split(raw, "\r\n") {
		if len(l) > 75 {
			t.Errorf("a line of %d octets: %q", len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("a fold split a character: %q", l)
		}
	}
	props := map[string][]string{}
	for _, l := range unfold(raw) {
		k, v, _ := strings.Cut(l, ":")
		props[k] = append(props[k], v)
	}
	want := map[string][]string{
		"UID":      {"event-7@haven.example.org", "event-8@haven.example.org"},
		"DTSTART":  {"20270713T130000Z", "20270112T100000Z"}, // BST and GMT
		"DTEND":    {"20270713T143000Z", "20270112T120000Z"},
		"DTSTAMP":  {"20261207T090000Z", "20261207T090000Z"},
		"SEQUENCE": {"2", "0"},
		"STATUS":   {"CONFIRMED", "CANCELLED"},
		"LOCATION": {"Online", `Civic Hall\, Leeds`},
		"URL":      {"https://haven.example.org/events/7", "https://haven.example.org/events/8"},
		"SUMMARY":  {`Seminar: contraception\, trust\; and choice`, "Forum"},
	}
	for k, v := range want {
		if strings.Join(props[k], "|") != strings.Join(v, "|") {
			t.Errorf("%s = %q, want %q", k, props[k], v)
		}
	}
	if got := unescape(props["DESCRIPTION"][0]); got != long+"\nSecond line" {
		t.Errorf("description came back as %q", got)
	}
	if n := len(props["BEGIN"]); n != 3 {
		t.Errorf("%d BEGIN lines, want the calendar and two events", n)
	}
}

func FuzzLocalTime(f *testing.F) {
	for _, s := range []string{"14:30", "2:30pm", "2pm", "midday", "01:30", "24:00", "12am", " 9.05 AM ", "+1:00", "1:-5"} {
		f.Add(s, 2027, 3, 28)
	}
	f.Fuzz(func(t *testing.T, clock string, y, m, d int) {
		if y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 28 {
			return
		}
		got, err := LocalTime(haven.NewDate(y, time.Month(m), d), clock)
		if err != nil {
			return
		}
		// What was accepted reads back, in London, as the day and a time of day typed.
		l := got.In(London)
		if l.Year() != y || int(l.Month()) != m || l.Day() != d {
			t.Fatalf("%q on %d-%d-%d became %v", clock, y, m, d, l)
		}
		if h, min, ok := parseClock(clock); !ok || l.Hour() != h || l.Minute() != min {
			t.Fatalf("%q became %v", clock, l)
		}
	})
}

func FuzzEscapeText(f *testing.F) {
	for _, s := range []string{"a,b;c\\d\ne", "‘quoted’ — é", strings.Repeat("x", 200)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) || strings.ContainsRune(s, '\r') {
			return // Check refuses these before an event is saved
		}
		raw := string(Calendar{Host: "h"}.ICS([]Event{{Title: s, Summary: s}}))
		for _, l := range strings.Split(raw, "\r\n") {
			if len(l) > 75 || !utf8.ValidString(l) {
				t.Fatalf("bad line %q", l)
			}
		}
		for _, l := range unfold(raw) {
			if v, ok := strings.CutPrefix(l, "SUMMARY:"); ok && unescape(v) != s {
				t.Fatalf("%q came back as %q", s, unescape(v))
			}
		}
	})
}
