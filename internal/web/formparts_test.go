package web

import (
	"html/template"
	"regexp"
	"strings"
	"testing"

	"haven/internal/haven"
)

// The form parts written in Go say what the partials said (the reference
// below is the partials they replaced), for every combination of hint,
// error, width, heading and type that changes the markup.
func TestFormPartsMatchTheTemplatesTheyReplaced(t *testing.T) {
	const reference = `{{define "input"}}
<div class="govuk-form-group{{if .Error}} govuk-form-group--error{{end}}">
  {{if .IsPageHeading}}<h1 class="govuk-label-wrapper">{{end}}
  <label class="govuk-label{{if .IsPageHeading}} govuk-label--l{{end}}" for="{{.Name}}">{{.Label}}</label>
  {{if .IsPageHeading}}</h1>{{end}}
  {{if .Hint}}<div id="{{.Name}}-hint" class="govuk-hint">{{.Hint}}</div>{{end}}
  {{if .Error}}<p id="{{.Name}}-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> {{.Error}}</p>{{end}}
  <input class="govuk-input{{if .Width}} govuk-input--width-{{.Width}}{{end}}{{if .Error}} govuk-input--error{{end}}" id="{{.Name}}" name="{{.Name}}" type="{{or .Type "text"}}" value="{{.Value}}"
    {{- if .Autocomplete}} autocomplete="{{.Autocomplete}}"{{end}}
    {{- if or .Hint .Error}} aria-describedby="{{if .Hint}}{{.Name}}-hint{{end}}{{if and .Hint .Error}} {{end}}{{if .Error}}{{.Name}}-error{{end}}"{{end}}>
</div>
{{end}}
{{define "date-input"}}
<div class="govuk-form-group{{if .Error}} govuk-form-group--error{{end}}">
  <fieldset class="govuk-fieldset" role="group" aria-describedby="{{.Name}}-hint{{if .Error}} {{.Name}}-error{{end}}">
    <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{{.Label}}</legend>
    <div id="{{.Name}}-hint" class="govuk-hint">{{.Hint}}</div>
    {{if .Error}}<p id="{{.Name}}-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> {{.Error}}</p>{{end}}
    <div class="govuk-date-input" id="{{.Name}}">
      <div class="govuk-date-input__item"><div class="govuk-form-group">
        <label class="govuk-label govuk-date-input__label" for="{{.Name}}-day">Day</label>
        <input class="govuk-input govuk-date-input__input govuk-input--width-2{{if .Error}} govuk-input--error{{end}}" id="{{.Name}}-day" name="{{.Name}}-day" type="text" inputmode="numeric" value="{{.Day}}">
      </div></div>
      <div class="govuk-date-input__item"><div class="govuk-form-group">
        <label class="govuk-label govuk-date-input__label" for="{{.Name}}-month">Month</label>
        <input class="govuk-input govuk-date-input__input govuk-input--width-2{{if .Error}} govuk-input--error{{end}}" id="{{.Name}}-month" name="{{.Name}}-month" type="text" inputmode="numeric" value="{{.Month}}">
      </div></div>
      <div class="govuk-date-input__item"><div class="govuk-form-group">
        <label class="govuk-label govuk-date-input__label" for="{{.Name}}-year">Year</label>
        <input class="govuk-input govuk-date-input__input govuk-input--width-4{{if .Error}} govuk-input--error{{end}}" id="{{.Name}}-year" name="{{.Name}}-year" type="text" inputmode="numeric" value="{{.Year}}">
      </div></div>
    </div>
  </fieldset>
</div>
{{end}}
{{define "textarea"}}
<div class="govuk-form-group{{if .Error}} govuk-form-group--error{{end}}">
  <label class="govuk-label govuk-label--s" for="{{.Name}}">{{.Label}}</label>
  {{if .Hint}}<div id="{{.Name}}-hint" class="govuk-hint">{{.Hint}}</div>{{end}}
  {{if .Error}}<p id="{{.Name}}-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> {{.Error}}</p>{{end}}
  <textarea class="govuk-textarea{{if .Error}} govuk-textarea--error{{end}}" id="{{.Name}}" name="{{or .Width .Name}}" rows="5"
    {{- if or .Hint .Error}} aria-describedby="{{if .Hint}}{{.Name}}-hint{{end}}{{if and .Hint .Error}} {{end}}{{if .Error}}{{.Name}}-error{{end}}"{{end}}>{{.Value}}</textarea>
</div>
{{end}}
{{define "character-count"}}
<div class="govuk-form-group govuk-character-count{{if .Error}} govuk-form-group--error{{end}}" data-module="govuk-character-count" data-maxlength="{{.MaxLength}}">
  <label class="govuk-label govuk-label--s" for="{{.Name}}">{{.Label}}</label>
  {{if .Hint}}<div id="{{.Name}}-hint" class="govuk-hint">{{.Hint}}</div>{{end}}
  {{if .Error}}<p id="{{.Name}}-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> {{.Error}}</p>{{end}}
  <textarea class="govuk-textarea govuk-js-character-count{{if .Error}} govuk-textarea--error{{end}}" id="{{.Name}}" name="{{or .Width .Name}}" rows="5" aria-describedby="{{.Name}}-info{{if .Hint}} {{.Name}}-hint{{end}}{{if .Error}} {{.Name}}-error{{end}}">{{.Value}}</textarea>
  <div id="{{.Name}}-info" class="govuk-hint govuk-character-count__message">You can enter up to {{count .MaxLength}} characters</div>
</div>
{{end}}
`
	tmpl := template.Must(template.New("").Funcs(template.FuncMap{"count": haven.Count}).Parse(reference))
	between := regexp.MustCompile(`>\s+<`)
	spaces := regexp.MustCompile(`\s+`)
	norm := func(s string) string {
		return spaces.ReplaceAllString(strings.TrimSpace(between.ReplaceAllString(s, "><")), " ")
	}
	hostile := `"><script>alert('x')</script>`
	var fields []formField
	for _, hint := range []string{"", "A hint"} {
		for _, errMsg := range []string{"", "Enter a value"} {
			fields = append(fields,
				formField{Name: "q", Label: "Find", Hint: hint, Error: errMsg, Value: hostile},
				formField{Name: "email", Label: "Email", Hint: hint, Error: errMsg, Type: "email", Autocomplete: "email", Width: "20", IsPageHeading: true},
				formField{Name: "notes", Label: hostile, Hint: hint, Error: errMsg, Width: "body", Value: "Line one\nLine <two>"})
		}
	}
	check := func(name string, data any, got template.HTML) {
		t.Helper()
		var want strings.Builder
		if err := tmpl.ExecuteTemplate(&want, name, data); err != nil {
			t.Fatal(err)
		}
		if norm(string(got)) != norm(want.String()) {
			t.Errorf("%s %+v:\nwritten in Go:\n%s\nthe template said:\n%s", name, data, norm(string(got)), norm(want.String()))
		}
		if strings.Contains(string(got), "<script") {
			t.Errorf("%s: a hostile value came through unescaped", name)
		}
	}
	for _, f := range fields {
		check("input", f, inputHTML(f))
		check("textarea", f, textareaHTML(f))
		// With a limit, the textarea is GOV.UK's character count.
		for _, max := range []int{500, 20000} {
			f.MaxLength = max
			check("character-count", f, textareaHTML(f))
		}
	}
	for _, errMsg := range []string{"", "Enter a real date"} {
		d := dateField{Name: "on", Label: "Date of the change", Hint: "For example, 14 9 2026", Day: "14", Month: hostile, Year: "2026", Error: errMsg}
		check("date-input", d, dateInputHTML(d))
	}
}
