package events

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Calendar is what an iCalendar file needs besides the events: where their
// pages are, the host that makes each UID unique, and when it was made.
type Calendar struct {
	Name    string // the feed's name, for calendar apps
	BaseURL string // e.g. https://haven.example.org, for each event's page
	Host    string // e.g. haven.example.org, for UIDs
	Now     time.Time
}

// ICS writes events as an iCalendar object (RFC 5545): CRLF line endings,
// lines folded at 75 octets without splitting a character, text escaped.
// Times are written in UTC, which every calendar converts; a cancelled event
// stays in the feed as CANCELLED so calendars remove it.
func (c Calendar) ICS(evs []Event) []byte {
	var b strings.Builder
	line := func(name, value string) { writeFolded(&b, name+":"+value) }
	line("BEGIN", "VCALENDAR")
	line("VERSION", "2.0")
	line("PRODID", "-//Haven//Community of practice events//EN")
	line("CALSCALE", "GREGORIAN")
	line("METHOD", "PUBLISH")
	if c.Name != "" {
		line("X-WR-CALNAME", EscapeText(c.Name))
	}
	for _, e := range evs {
		line("BEGIN", "VEVENT")
		line("UID", "event-"+strconv.FormatInt(e.ID, 10)+"@"+c.Host)
		line("DTSTAMP", utc(c.Now))
		line("DTSTART", utc(e.Start))
		line("DTEND", utc(e.End))
		line("SEQUENCE", strconv.Itoa(e.Sequence))
		if !e.Updated.IsZero() {
			line("LAST-MODIFIED", utc(e.Updated))
		}
		line("SUMMARY", EscapeText(e.Title))
		line("DESCRIPTION", EscapeText(e.Summary))
		line("LOCATION", EscapeText(e.Where()))
		line("URL", c.BaseURL+"/events/"+strconv.FormatInt(e.ID, 10))
		if e.Cancelled {
			line("STATUS", "CANCELLED")
		} else {
			line("STATUS", "CONFIRMED")
		}
		line("END", "VEVENT")
	}
	line("END", "VCALENDAR")
	return []byte(b.String())
}

func utc(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// EscapeText escapes an iCalendar TEXT value (RFC 5545 §3.3.11).
func EscapeText(s string) string {
	r := strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)
	return r.Replace(s)
}

// writeFolded writes one content line, folded so that no line is longer
// than 75 octets: each continuation starts with a space (RFC 5545 §3.1).
func writeFolded(b *strings.Builder, s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		b.WriteString(s[:cut])
		b.WriteString("\r\n ")
		s = s[cut:]
		limit = 74 // the leading space counts
	}
	b.WriteString(s)
	b.WriteString("\r\n")
}
