package web

import (
	_ "time/tzdata" // Europe/London on machines without a zone database

	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"haven/internal/access"
	"haven/internal/haven"
)

//go:embed templates
var templateFiles embed.FS

// Layout is what every page shares. Each page's struct embeds it.
type Layout struct {
	Title        string
	Nav          string // the service navigation item to mark as current
	RequestID    string
	Errors       []FieldError // shown in the error summary, in form order
	SignedIn     bool         // the second factor has been passed
	InSignIn     bool         // part way through signing in: only sign out is offered
	UserName     string
	IsAdmin      bool   // may manage accounts: shows the Admin link
	CanCases     bool   // may see people's records: shows the People link
	CanOverview  bool   // runs a Practice: shows the Overview and Triage links
	ReportsHref  string // where the Reports link goes: a Practice's reports, or the organisation's for analysts
	CanLA        bool   // works in a local authority team: shows the Children link (reunify_children.go)
	CanLASignOff bool   // a local authority team manager: shows the sign-off list
	CanDirectory bool   // a directory editor: shows the directory queue
	Success      string // what the save that led here did, shown once in a success banner (flash.go)

	idemAction, idemKey string // the form sent back, and its idempotency key, kept for its correction
}

func (l *Layout) layout() *Layout { return l }

// HasErrors reports whether the page shows an error summary.
func (l *Layout) HasErrors() bool { return len(l.Errors) > 0 }

// ErrorFor returns the message for one field, or "".
func (l *Layout) ErrorFor(field string) string {
	for _, e := range l.Errors {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}

// FieldError is one line of a GOV.UK error summary, linking to its field.
type FieldError struct {
	Field   string
	Message string
}

type page interface{ layout() *Layout }

type templates struct{ pages map[string]*template.Template }

// london is where Haven's users are: times are stored in UTC and shown in UK time.
var london = func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return loc
}()

// formField is what the "input" partial needs, after GOV.UK Frontend's input macro.
type formField struct {
	Name, Label, Hint, Value, Error, Type, Autocomplete, Width string
	IsPageHeading                                              bool
	MaxLength                                                  int // a textarea's limit: drawn as a character count
}

// dateField is what the "date-input" partial needs.
type dateField struct{ Name, Label, Hint, Day, Month, Year, Error string }

var funcs = template.FuncMap{
	"input":     inputHTML,
	"textarea":  textareaHTML,
	"dateInput": dateInputHTML,
	"date":      func(t time.Time) string { return t.Format("2 January 2006") },
	"datetime":  func(t time.Time) string { return t.In(london).Format("2 January 2006 at 3:04pm") },
	"join":      strings.Join,
	// roleName turns a role slug from the audit trail into its name; other values pass through.
	"roleName": func(slug string) string {
		if r, err := access.ParseRole(slug); err == nil {
			return r.Name()
		}
		return slug
	},
	// when gives s only if b holds: for forms repeated on a page, where only the one sent keeps its input.
	"idempotencyInput": idempotencyInput,
	"when": func(b bool, s string) string {
		if b {
			return s
		}
		return ""
	},
	"dateField": func(name, label, hint, day, month, year, errMsg string) dateField {
		return dateField{name, label, hint, day, month, year, errMsg}
	},
	// limit gives a textarea its length limit, for the character count.
	"limit": func(n int, f formField) formField { f.MaxLength = n; return f },
	"count": haven.Count,
	// fileSize is a size as people read it: "850 KB", "1.2 MB".
	"fileSize": func(n int64) string {
		if n < 1<<20 {
			return strconv.FormatInt((n+1023)/1024, 10) + " KB"
		}
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	},
	"field": func(name, label, hint, value, errMsg, typ, autocomplete, width string, heading bool) formField {
		return formField{name, label, hint, value, errMsg, typ, autocomplete, width, heading, 0}
	},
}

// parseTemplates parses every page once at start-up: the partials with one
// page each. The frame around them is layout.go.
func parseTemplates() (*templates, error) {
	base, err := template.New("").Funcs(funcs).ParseFS(templateFiles, "templates/partials/*.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFiles, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	t := &templates{pages: map[string]*template.Template{}}
	for _, n := range names {
		clone, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if t.pages[path.Base(n)], err = clone.ParseFS(templateFiles, n); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// render writes a page. It renders into a buffer first, so a template error
// becomes a clean error page and not half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) error {
	t, ok := s.pages.pages[name]
	if !ok {
		return fmt.Errorf("render: no template %q", name)
	}
	l, info := p.layout(), infoFrom(r.Context())
	l.RequestID = info.id
	if info.actor != nil {
		l.SignedIn, l.UserName = true, info.actor.User.DisplayName
		l.IsAdmin = info.actor.Can(access.PermManageUsers)
		l.CanCases = info.actor.Can(access.PermCaseView)
		l.CanOverview = info.actor.Can(access.PermCaseAllocate)
		l.CanLA = laMember(info.actor)
		l.CanDirectory = info.actor.Can(access.PermDirectoryEdit)
		if team, err := laTeam(r); err == nil {
			l.CanLASignOff = isManager(team)
		}
		// The first report the user's roles let them read, by the routes' own test.
		for _, href := range []string{"/reports/contact", "/reports/contact/organisation"} {
			if s.mayFollow(info.actor, http.MethodGet, href) {
				l.ReportsHref = href
				break
			}
		}
	} else if info.session != nil {
		l.InSignIn = true
	}
	if r.Method == http.MethodPost && r.PostForm != nil && status >= 400 {
		// A form sent back with errors made nothing: its correction keeps the key.
		l.idemAction, l.idemKey = r.URL.Path, r.PostForm.Get(IdempotencyField)
	}
	if r.Method == http.MethodGet && status == http.StatusOK {
		l.Success = takeSaved(w, r)
	}
	var buf bytes.Buffer
	buf.WriteString(l.top())
	buf.WriteString(successBanner(l.Success))
	if rp, ok := p.(recordPage); ok && info.actor != nil && !strings.HasSuffix(name, "-print.html") {
		bar, err := s.recordBarFor(r, rp)
		if err != nil {
			return err
		}
		if bar != nil {
			buf.WriteString(bar.html())
		}
	}
	if err := t.ExecuteTemplate(&buf, "content", p); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	buf.WriteString(l.bottom())
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	// A known length: one response, not chunks, and fewer writes to the socket.
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	buf.WriteTo(w) // a client that has gone away is not Haven's error
	return nil
}
