package web

import (
	"html/template"
	"regexp"
	"strings"
	"testing"

	"haven/internal/haven"
	"haven/internal/programme"
)

// The rows written in Go must say exactly what html/template said for the
// same data (these reference templates are the ones they replaced), with
// hostile values escaped and unsafe links neutralised.
func TestRowsMatchTheTemplatesTheyReplaced(t *testing.T) {
	hostile := `<script>alert("x")</script> & 'quoted'`
	person := programme.Person{Ref: "abcdefghijkl", FirstName: "Robin", LastName: hostile}
	sessions := &sessionsPage{Person: person, Sessions: []programme.Session{
		{ID: 7, On: haven.NewDate(2026, 3, 4), Type: programme.SessionHomeVisit, Minutes: 45, CreatedByName: hostile, FundPence: 1250, FundCategory: "food"},
		{ID: 8, On: haven.NewDate(2026, 3, 5), Type: programme.SessionHomeVisit, Minutes: 30, Corrections: []programme.Correction{{Note: "x"}}},
	}}
	chronology := &chronologyPage{Items: []chronoItem{
		{Title: hostile, By: hostile, Date: haven.NewDate(2026, 1, 2), Summary: "First line\nsecond <b>line</b>\n\nSecond paragraph", Lines: []string{hostile, "plain"}, Href: "/people/abcdefghijkl/sessions/7"},
		{Title: "Phase", Date: haven.NewDate(2026, 1, 3), Href: `javascript:alert("x")`},
		{Title: "No link", Date: haven.NewDate(2026, 1, 4)},
	}}
	people := &peoplePage{People: []programme.Listed{{Ref: person.Ref, FirstName: person.FirstName, LastName: person.LastName, DateOfBirth: haven.NewDate(1990, 1, 2)}, {Ref: "mnopqrstuvwx", FirstName: "Sky", LACode: "E1", PractitionerID: 3}, {Ref: "zzzzzzzzzzzz", FirstName: "Ash", PractitionerID: 9}},
		Names: map[int64]string{3: hostile}, LANames: map[string]string{"E1": "Leeds & District"}}
	tasks := &tasksPage{Today: haven.NewDate(2026, 6, 1), Tasks: []programme.Task{
		{Due: haven.NewDate(2026, 5, 1), PersonName: hostile, PersonRef: "abcdefghijkl", PersonDOB: haven.NewDate(1990, 1, 2), Link: "/people/abcdefghijkl#programme", Text: hostile},
		{Kind: programme.TaskTriage, Due: haven.NewDate(2026, 5, 2), PersonName: "Referred", PersonRef: "HVN-AAAA-BBBB", Link: "/triage/HVN-AAAA-BBBB", Text: "Referral"},
		{Due: haven.NewDate(2026, 7, 1), PersonName: "Sky", Link: "javascript:void(0)", Text: "Later"},
	}}
	tests := []struct {
		name, reference string
		data            any
		got             template.HTML
	}{
		{"sessions", `{{range .Sessions}}
    <tr class="govuk-table__row">
      <td class="govuk-table__cell">{{.On.Long}}</td>
      <td class="govuk-table__cell"><a class="govuk-link" href="/people/{{$.Person.Ref}}/sessions/{{.ID}}">{{.Type.Title}}<span class="govuk-visually-hidden"> on {{.On.Long}}</span></a>{{if .Corrections}} <strong class="govuk-tag govuk-tag--grey">Corrected</strong>{{end}}</td>
      <td class="govuk-table__cell govuk-table__cell--numeric">{{.Minutes}} min</td>
      <td class="govuk-table__cell"><bdi>{{or .CreatedByName "Unknown"}}</bdi></td>
      <td class="govuk-table__cell govuk-table__cell--numeric">{{if .HasSpend}}{{.Spend}}{{end}}</td>
    </tr>
    {{end}}`, sessions, sessions.Rows()},
		{"chronology", `{{range .Items}}
      <div class="moj-timeline__item">
        <div class="moj-timeline__header">
          <h2 class="moj-timeline__title">{{.Title}}</h2>
          {{if .By}}<p class="moj-timeline__byline">by {{.By}}</p>{{end}}
        </div>
        <p class="moj-timeline__date"><time datetime="{{.Date}}">{{.Date.Long}}</time></p>
        <div class="moj-timeline__description">
          {{range $.Paras .Summary}}<p class="govuk-body">{{range $i, $l := .}}{{if $i}}<br>{{end}}{{$l}}{{end}}</p>{{end}}
          {{if .Lines}}<ul class="govuk-list">{{range .Lines}}<li>{{.}}</li>{{end}}</ul>{{end}}
          {{if .Href}}<p class="govuk-body"><a class="govuk-link" href="{{.Href}}">{{.LinkText}}<span class="govuk-visually-hidden"> of {{.Date.Long}}</span></a></p>{{end}}
        </div>
      </div>
      {{end}}`, chronology, chronology.Timeline()},
		{"people", `{{range .People}}
    <tr class="govuk-table__row">
      <td class="govuk-table__cell"><a class="govuk-link" href="/people/{{.Ref}}"><bdi>{{.Name}}</bdi></a></td>
      <td class="govuk-table__cell">{{if .DateOfBirth.IsZero}}Not recorded{{else}}{{.DateOfBirth.Long}}{{end}}</td>
      <td class="govuk-table__cell">{{.Reference}}</td>
      <td class="govuk-table__cell">{{with index $.Names .PractitionerID}}<bdi>{{.}}</bdi>{{else}}Not allocated{{end}}</td>
      <td class="govuk-table__cell">{{with index $.LANames .LACode}}{{.}}{{else}}Not recorded{{end}}</td>
    </tr>
    {{end}}`, people, people.Rows()},
		{"tasks", `{{range .Tasks}}
    <tr class="govuk-table__row">
      <td class="govuk-table__cell">{{.Due.Long}}{{if .Overdue $.Today}} <strong class="govuk-tag govuk-tag--red">Overdue</strong>{{end}}</td>
      <td class="govuk-table__cell"><a class="govuk-link" href="{{.Link}}"><bdi>{{.PersonName}}</bdi></a>{{if ne .Kind "triage"}}<br><span class="govuk-body-s">{{.Identity}}</span>{{end}}</td>
      <td class="govuk-table__cell">{{.Text}}</td>
    </tr>
    {{end}}`, tasks, tasks.Rows()},
	}
	between := regexp.MustCompile(`>\s+<`)
	norm := func(s string) string { return strings.TrimSpace(between.ReplaceAllString(s, "><")) }
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want strings.Builder
			if err := template.Must(template.New(tt.name).Parse(tt.reference)).Execute(&want, tt.data); err != nil {
				t.Fatal(err)
			}
			got := string(tt.got)
			// html/template and the Go writer escape "+" differently; neither is in the data.
			if norm(got) != norm(want.String()) {
				t.Errorf("written in Go:\n%s\nthe template said:\n%s", norm(got), norm(want.String()))
			}
			if strings.Contains(got, "<script") || strings.Contains(got, "javascript:") {
				t.Errorf("a hostile value came through unescaped:\n%s", got)
			}
		})
	}
	// Stricter than html/template: a link to another site is not written either.
	other := &tasksPage{Tasks: []programme.Task{{PersonName: "Sky", Link: "//evil.example/"}}}
	if got := string(other.Rows()); !strings.Contains(got, `href="#ZgotmplZ"`) {
		t.Errorf("a protocol-relative link was written: %s", got)
	}
}

// The service navigation written in Go says what its template said, for
// every kind of visitor.
func TestNavigationMatchesTheTemplateItReplaced(t *testing.T) {
	const reference = `{{define "service-navigation"}}
<section class="govuk-service-navigation" aria-label="Service information" data-module="govuk-service-navigation">
  <div class="govuk-width-container">
    <div class="govuk-service-navigation__container">
      <nav aria-label="Menu" class="govuk-service-navigation__wrapper">
        <button type="button" class="govuk-service-navigation__toggle govuk-js-service-navigation-toggle" aria-controls="navigation" hidden aria-hidden="true">Menu</button>
        <ul class="govuk-service-navigation__list" id="navigation">
          {{template "nav-item" (navItem . "home" "/" "Home")}}
          {{template "nav-item" (navItem . "practices" "/practices" "Practices")}}
          {{template "nav-item" (navItem . "find" "/find-a-practice" "Find a Practice")}}
          {{if not (or .SignedIn .InSignIn)}}{{template "nav-item" (navItem . "directory" "/directory" "Find a service")}}{{end}}
          {{if .CanCases}}
          {{template "nav-item" (navItem . "tasks" "/tasks" "Tasks")}}
          {{template "nav-item" (navItem . "people" "/people" "People")}}
          {{template "nav-item" (navItem . "agencies" "/agencies" "Agencies")}}
          {{end}}
          {{with .ReportsHref}}{{template "nav-item" (navItem $ "reports" . "Reports")}}{{end}}
          {{if .CanOverview}}
          {{template "nav-item" (navItem . "triage" "/triage" "Triage")}}
          {{template "nav-item" (navItem . "overview" "/overview" "Overview")}}
          {{end}}
          {{if .IsAdmin}}
          {{template "nav-item" (navItem . "admin" "/admin/users" "Admin")}}
          {{end}}
          {{if .SignedIn}}
          {{template "nav-item" (navItem . "forum" "/forum" "Forum")}}
          {{template "nav-item" (navItem . "account" "/account" "Your account")}}
          {{else if not .InSignIn}}
          {{template "nav-item" (navItem . "sign-in" "/sign-in" "Sign in")}}
          {{end}}
          {{if or .SignedIn .InSignIn}}
          <li class="govuk-service-navigation__item">
            <form method="post" action="/sign-out" class="haven-inline-form">
              <button type="submit" class="govuk-service-navigation__link haven-link-button">Sign out</button>
            </form>
          </li>
          {{end}}
        </ul>
      </nav>
    </div>
  </div>
</section>
{{end}}

{{define "nav-item"}}
<li class="govuk-service-navigation__item{{if .Current}} govuk-service-navigation__item--active{{end}}">
  <a class="govuk-service-navigation__link" href="{{.Href}}"{{if .Current}} aria-current="page"{{end}}>
    {{- if .Current}}<strong class="govuk-service-navigation__active-fallback">{{.Text}}</strong>{{else}}{{.Text}}{{end -}}
  </a>
</li>
{{end}}
`
	type navLink struct {
		Href, Text string
		Current    bool
	}
	tmpl := template.Must(template.New("").Funcs(template.FuncMap{"navItem": func(l *Layout, key, href, text string) navLink {
		return navLink{Href: href, Text: text, Current: l.Nav == key}
	}}).Parse(reference))
	between := regexp.MustCompile(`>\s+<`)
	norm := func(s string) string { return strings.TrimSpace(between.ReplaceAllString(s, "><")) }
	for _, l := range []*Layout{
		{},
		{Nav: "home"},
		{Nav: "directory"},
		{InSignIn: true},
		{SignedIn: true, CanCases: true, Nav: "people", ReportsHref: "/reports/contact"},
		{SignedIn: true, CanCases: true, CanOverview: true, Nav: "triage", ReportsHref: "/reports/contact"},
		{SignedIn: true, IsAdmin: true, Nav: "admin"},
		{SignedIn: true, Nav: "reports", ReportsHref: "/reports/contact/organisation"},
		{SignedIn: true, Nav: "account"},
	} {
		var want strings.Builder
		if err := tmpl.ExecuteTemplate(&want, "service-navigation", l); err != nil {
			t.Fatal(err)
		}
		if got := norm(string(l.Navigation())); got != norm(want.String()) {
			t.Errorf("%+v:\nwritten in Go:\n%s\nthe template said:\n%s", *l, got, norm(want.String()))
		}
	}
}
