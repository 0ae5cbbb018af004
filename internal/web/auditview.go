package web

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/store"
)

// The two views of the audit trail, her record's "who has seen this record"
// and the administrator's search, share their filters and tell each row as a
// sentence (audit.Sentence).

// auditFilters is the filters as typed, to show them back.
type auditFilters struct {
	User     string // a user ID
	Action   string
	From, To dateField
}

// auditLine is one row of the trail told as a sentence.
type auditLine struct {
	UserID    int64
	Subject   string // who, in what role
	Rest      string // what they did, and when
	RequestID string
}

// Sentence is the whole line.
func (l auditLine) Sentence() string { return l.Subject + " " + l.Rest }

// auditPageSize is how many rows a page of either view shows.
const auditPageSize = 50

// parseAuditFilters reads the user ID, action, dates and cursor both views
// take from the query string, noting bad ones in errs by field name. The
// dates are whole days in UK time, "to" included.
func parseAuditFilters(q url.Values, actions []audit.Action, errs map[string]string) (store.AuditFilter, auditFilters) {
	form := auditFilters{User: strings.TrimSpace(q.Get("user")), Action: q.Get("action")}
	f := store.AuditFilter{Action: form.Action, Page: store.Page{Limit: auditPageSize}}
	if after, err := strconv.ParseInt(q.Get("after"), 10, 64); err == nil && after > 0 {
		f.After = after
	}
	if form.User != "" {
		id, err := strconv.ParseInt(form.User, 10, 64)
		if err != nil || id <= 0 {
			errs["user"] = "User must be a user ID, like 42"
		}
		f.UserID = id
	}
	if form.Action != "" && !containsAction(actions, audit.Action(form.Action)) {
		errs["action"] = "Choose an action from the list"
	}
	from := dateIn(q, "from", "From", errs)
	to := dateIn(q, "to", "To", errs)
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		errs["to"] = "To must be the same as or after From"
	}
	if !from.IsZero() {
		t := from.Time()
		f.From = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, london)
	}
	if !to.IsZero() {
		t := to.Time()
		f.To = time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, london)
	}
	form.From = dateField{Name: "from", Label: "From", Hint: "For example, 1 12 2026", Day: q.Get("from-day"), Month: q.Get("from-month"), Year: q.Get("from-year"), Error: errs["from"]}
	form.To = dateField{Name: "to", Label: "To", Hint: "For example, 31 12 2026", Day: q.Get("to-day"), Month: q.Get("to-month"), Year: q.Get("to-year"), Error: errs["to"]}
	return f, form
}

// nextHref is the link to the page after entries, or "" when this page is
// the last. It is built whole here: html/template escapes a query string
// put after a "?" in a template, & and = included.
func nextHref(path string, q url.Values, entries []store.AccessEntry) string {
	if len(entries) < auditPageSize {
		return ""
	}
	v := url.Values{}
	for k, vs := range q {
		v[k] = vs
	}
	v.Set("after", itoa(entries[len(entries)-1].ID))
	return path + "?" + v.Encode()
}

// roleTitle is a role slug's name; a slug Haven no longer knows is shown as it is.
func roleTitle(slug string) string {
	if r, err := access.ParseRole(slug); err == nil {
		return r.Name()
	}
	return slug
}

// auditLines tells each entry as a sentence. whose names the record's owner
// ("her" on her record); targets names the accounts user events were about.
func auditLines(entries []store.AccessEntry, whose string, targets map[string]string) []auditLine {
	out := make([]auditLine, 0, len(entries))
	for _, e := range entries {
		w := audit.Words{Who: e.UserName, Role: roleTitle(e.Role), Whose: whose, RoleName: roleTitle, In: london}
		if e.RecordType == "user" {
			w.Target = targets[e.RecordID]
		}
		subject := audit.Subject(e.Event, w)
		out = append(out, auditLine{UserID: e.UserID, Subject: subject,
			Rest: strings.TrimPrefix(audit.Sentence(e.Event, w), subject+" "), RequestID: e.RequestID})
	}
	return out
}
