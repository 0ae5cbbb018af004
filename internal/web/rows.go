package web

import (
	"html"
	"html/template"
	"strconv"
	"strings"

	"haven/internal/programme"
)

// The long tables (her sessions, her chronology, the people list and the
// tasks) and the service navigation on every page are written here in Go
// rather than in html/template. The template
// engine reaches every value through reflection and escapes it through a
// chain of reflective calls: about 20 µs a row, which made the template most
// of the cost of a page with 200 sessions (BenchmarkPersonWith200Sessions).
// The markup is the same as the templates': only constant markup is written
// raw, and every value is escaped.

// rows builds an HTML fragment.
type rows struct{ b strings.Builder }

// markup writes constant markup: never a value.
func (w *rows) markup(s string) { w.b.WriteString(s) }

// text writes a value as text or as a quoted attribute value.
func (w *rows) text(s string) { w.b.WriteString(html.EscapeString(s)) }

// bdi writes user text, a name, isolated from the text around it, so that a
// name written right to left cannot reorder the words beside it (issue 16 item 4).
func (w *rows) bdi(s string) {
	w.markup("<bdi>")
	w.text(s)
	w.markup("</bdi>")
}

// href writes a link target. Haven's links are its own paths; anything else
// is written as html/template writes an unsafe URL, so it cannot run.
func (w *rows) href(s string) {
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") {
		s = "#ZgotmplZ"
	}
	w.text(s)
}

func (w *rows) int(n int64) { w.b.WriteString(strconv.FormatInt(n, 10)) }

func (w *rows) html() template.HTML { return template.HTML(w.b.String()) } // #nosec G203 -- rows holds only constant markup and values escaped by text, href and int (see above)

// Rows is the sessions table's body: newest first, as the store lists them.
func (p *sessionsPage) Rows() template.HTML {
	var w rows
	for _, s := range p.Sessions {
		on := s.On.Long()
		w.markup(`<tr class="govuk-table__row"><td class="govuk-table__cell">`)
		w.text(on)
		w.markup(`</td><td class="govuk-table__cell"><a class="govuk-link" href="`)
		w.href("/people/" + p.Person.Ref + "/sessions/" + strconv.FormatInt(s.ID, 10))
		w.markup(`">`)
		w.text(s.Type.Title())
		w.markup(`<span class="govuk-visually-hidden"> on `)
		w.text(on)
		w.markup(`</span></a>`)
		if len(s.Corrections) > 0 {
			w.markup(` <strong class="govuk-tag govuk-tag--grey">Corrected</strong>`)
		}
		w.markup(`</td><td class="govuk-table__cell govuk-table__cell--numeric">`)
		w.int(int64(s.Minutes))
		w.markup(` min</td><td class="govuk-table__cell">`)
		w.bdi(or(s.CreatedByName, "Unknown"))
		w.markup(`</td><td class="govuk-table__cell govuk-table__cell--numeric">`)
		if s.HasSpend() {
			w.text(s.Spend())
		}
		w.markup("</td></tr>\n")
	}
	return w.html()
}

// Timeline is the chronology's items, in MOJ timeline markup.
func (p *chronologyPage) Timeline() template.HTML {
	var w rows
	for _, it := range p.Items {
		w.markup(`<div class="moj-timeline__item"><div class="moj-timeline__header"><h2 class="moj-timeline__title">`)
		w.text(it.Title)
		w.markup(`</h2>`)
		if it.By != "" {
			w.markup(`<p class="moj-timeline__byline">by `)
			w.text(it.By)
			w.markup(`</p>`)
		}
		long := it.Date.Long()
		w.markup(`</div><p class="moj-timeline__date"><time datetime="`)
		w.text(it.Date.String())
		w.markup(`">`)
		w.text(long)
		w.markup(`</time></p><div class="moj-timeline__description">`)
		for _, para := range p.Paras(it.Summary) {
			w.markup(`<p class="govuk-body">`)
			for i, line := range para {
				if i > 0 {
					w.markup("<br>")
				}
				w.text(line)
			}
			w.markup(`</p>`)
		}
		if len(it.Lines) > 0 {
			w.markup(`<ul class="govuk-list">`)
			for _, l := range it.Lines {
				w.markup("<li>")
				w.text(l)
				w.markup("</li>")
			}
			w.markup(`</ul>`)
		}
		if it.Href != "" {
			w.markup(`<p class="govuk-body"><a class="govuk-link" href="`)
			w.href(it.Href)
			w.markup(`">`)
			w.text(it.LinkText())
			w.markup(`<span class="govuk-visually-hidden"> of `)
			w.text(long)
			w.markup(`</span></a></p>`)
		}
		w.markup("</div></div>\n")
	}
	return w.html()
}

// Rows is the people table's body.
func (p *peoplePage) Rows() template.HTML {
	var w rows
	for _, person := range p.People {
		w.markup(`<tr class="govuk-table__row"><td class="govuk-table__cell"><a class="govuk-link" href="`)
		w.href("/people/" + person.Ref)
		w.markup(`">`)
		w.bdi(person.Name())
		w.markup(`</a></td><td class="govuk-table__cell">`)
		if person.DateOfBirth.IsZero() {
			w.markup("Not recorded")
		} else {
			w.text(person.DateOfBirth.Long())
		}
		w.markup(`</td><td class="govuk-table__cell">`)
		w.text(person.Reference())
		w.markup(`</td><td class="govuk-table__cell">`)
		if name := p.Names[person.PractitionerID]; name != "" {
			w.bdi(name)
		} else {
			w.markup("Not allocated")
		}
		w.markup(`</td><td class="govuk-table__cell">`)
		if la := p.LANames[person.LACode]; la != "" {
			w.text(la)
		} else {
			w.markup("Not recorded")
		}
		w.markup("</td></tr>\n")
	}
	return w.html()
}

// Rows is the tasks table's body, soonest first.
func (p *tasksPage) Rows() template.HTML {
	var w rows
	for _, t := range p.Tasks {
		w.markup(`<tr class="govuk-table__row"><td class="govuk-table__cell">`)
		w.text(t.Due.Long())
		if t.Overdue(p.Today) {
			w.markup(` <strong class="govuk-tag govuk-tag--red">Overdue</strong>`)
		}
		w.markup(`</td><td class="govuk-table__cell"><a class="govuk-link" href="`)
		w.href(t.Link)
		w.markup(`">`)
		w.bdi(t.PersonName)
		w.markup(`</a>`)
		if t.Kind != programme.TaskTriage {
			w.markup(`<br><span class="govuk-body-s">`)
			w.text(t.Identity())
			w.markup(`</span>`)
		}
		w.markup(`</td><td class="govuk-table__cell">`)
		w.text(t.Text)
		w.markup("</td></tr>\n")
	}
	return w.html()
}

// Navigation is the GOV.UK service navigation: what the user may use, with
// the current page marked.
func (l *Layout) Navigation() template.HTML {
	var w rows
	w.markup(`<section class="govuk-service-navigation" aria-label="Service information" data-module="govuk-service-navigation">
  <div class="govuk-width-container">
    <div class="govuk-service-navigation__container">
      <nav aria-label="Menu" class="govuk-service-navigation__wrapper">
        <button type="button" class="govuk-service-navigation__toggle govuk-js-service-navigation-toggle" aria-controls="navigation" hidden aria-hidden="true">Menu</button>
        <ul class="govuk-service-navigation__list" id="navigation">
`)
	item := func(key, href, text string) {
		current := l.Nav == key
		w.markup(`<li class="govuk-service-navigation__item`)
		if current {
			w.markup(` govuk-service-navigation__item--active`)
		}
		w.markup(`"><a class="govuk-service-navigation__link" href="`)
		w.href(href)
		w.markup(`"`)
		if current {
			w.markup(` aria-current="page"><strong class="govuk-service-navigation__active-fallback">`)
			w.text(text)
			w.markup(`</strong></a></li>` + "\n")
			return
		}
		w.markup(`>`)
		w.text(text)
		w.markup(`</a></li>` + "\n")
	}
	item("home", "/", "Home")
	item("practices", "/practices", "Practices")
	item("find", "/find-a-practice", "Find a Practice")
	if !l.SignedIn && !l.InSignIn {
		// The public's way into the directory; staff have it in the footer,
		// which keeps a practice lead's links on one row.
		item("directory", "/directory", "Find a service")
	}
	if l.CanCases {
		item("tasks", "/tasks", "Tasks")
		item("people", "/people", "People")
		item("agencies", "/agencies", "Agencies")
	}
	if l.CanLA {
		item("la", "/la/children", "Children")
		item("la-tasks", "/la/tasks", "Tasks")
		if l.CanLASignOff {
			item("la-sign-off", "/la/sign-off", "Sign-off")
		}
		item("la-imports", "/la/imports", "SSDA903")
		item("la-dashboard", "/la/dashboard", "Returns home")
		item("la-calculators", "/la/calculators", "Calculators")
	}
	if l.ReportsHref != "" {
		item("reports", l.ReportsHref, "Reports")
	}
	if l.CanOverview {
		item("triage", "/triage", "Triage")
		item("overview", "/overview", "Overview")
	}
	if l.CanDirectory {
		item("directory-queue", "/directory/queue", "Directory queue")
	}
	if l.IsAdmin {
		item("admin", "/admin/users", "Admin")
	}
	if l.SignedIn {
		item("forum", "/forum", "Forum")
		item("account", "/account", "Your account")
	} else if !l.InSignIn {
		item("sign-in", "/sign-in", "Sign in")
	}
	if l.SignedIn || l.InSignIn {
		w.markup(`<li class="govuk-service-navigation__item"><form method="post" action="/sign-out" class="haven-inline-form">` +
			`<button type="submit" class="govuk-service-navigation__link haven-link-button">Sign out</button></form></li>` + "\n")
	}
	w.markup(`        </ul>
      </nav>
    </div>
  </div>
</section>
`)
	return w.html()
}
