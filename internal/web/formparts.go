package web

import (
	"html/template"

	"haven/internal/haven"
)

// The GOV.UK input, textarea and date input, written in Go for the reason
// rows.go gives: a page of forms called the template partials a dozen times,
// each through twenty-odd reflective steps. The markup is the partials'
// (TestFormPartsMatchTheTemplatesTheyReplaced); every value is escaped.

// describedBy writes aria-describedby for a field with a hint, an error or both.
func (w *rows) describedBy(name, hint, errMsg string) {
	if hint == "" && errMsg == "" {
		return
	}
	w.markup(` aria-describedby="`)
	if hint != "" {
		w.text(name + "-hint")
	}
	if hint != "" && errMsg != "" {
		w.markup(" ")
	}
	if errMsg != "" {
		w.text(name + "-error")
	}
	w.markup(`"`)
}

func (w *rows) hintAndError(name, hint, errMsg string) {
	if hint != "" {
		w.markup(`<div id="`)
		w.text(name + "-hint")
		w.markup(`" class="govuk-hint">`)
		w.text(hint)
		w.markup("</div>\n")
	}
	w.fieldError(name, errMsg)
}

func (w *rows) fieldError(name, errMsg string) {
	if errMsg != "" {
		w.markup(`<p id="`)
		w.text(name + "-error")
		w.markup(`" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> `)
		w.text(errMsg)
		w.markup("</p>\n")
	}
}

func (w *rows) formGroup(errMsg string) {
	w.markup(`<div class="govuk-form-group`)
	if errMsg != "" {
		w.markup(` govuk-form-group--error`)
	}
	w.markup("\">\n")
}

// inputHTML is the GOV.UK text input for f.
func inputHTML(f formField) template.HTML {
	var w rows
	w.formGroup(f.Error)
	if f.IsPageHeading {
		w.markup(`<h1 class="govuk-label-wrapper">`)
	}
	w.markup(`<label class="govuk-label`)
	if f.IsPageHeading {
		w.markup(` govuk-label--l`)
	}
	w.markup(`" for="`)
	w.text(f.Name)
	w.markup(`">`)
	w.text(f.Label)
	w.markup(`</label>`)
	if f.IsPageHeading {
		w.markup(`</h1>`)
	}
	w.markup("\n")
	w.hintAndError(f.Name, f.Hint, f.Error)
	w.markup(`<input class="govuk-input`)
	if f.Width != "" {
		w.markup(` govuk-input--width-`)
		w.text(f.Width)
	}
	if f.Error != "" {
		w.markup(` govuk-input--error`)
	}
	w.markup(`" id="`)
	w.text(f.Name)
	w.markup(`" name="`)
	w.text(f.Name)
	w.markup(`" type="`)
	if f.Type != "" {
		w.text(f.Type)
	} else {
		w.markup("text")
	}
	w.markup(`" value="`)
	w.text(f.Value)
	w.markup(`"`)
	if f.Autocomplete != "" {
		w.markup(` autocomplete="`)
		w.text(f.Autocomplete)
		w.markup(`"`)
	}
	w.describedBy(f.Name, f.Hint, f.Error)
	w.markup(">\n</div>\n")
	return w.html()
}

// textareaHTML is the GOV.UK textarea for f; f.Width carries the name it is
// sent under when that is not its id (one page may hold several boxes sent
// under one name). With a
// MaxLength it is GOV.UK's character count: the limit is written under the
// box, which is all a reader without JavaScript sees, and the script turns
// it into a live count.
func textareaHTML(f formField) template.HTML {
	var w rows
	if f.MaxLength > 0 {
		w.markup(`<div class="govuk-form-group govuk-character-count`)
		if f.Error != "" {
			w.markup(` govuk-form-group--error`)
		}
		w.markup(`" data-module="govuk-character-count" data-maxlength="`)
		w.int(int64(f.MaxLength))
		w.markup("\">\n")
	} else {
		w.formGroup(f.Error)
	}
	w.markup(`<label class="govuk-label govuk-label--s" for="`)
	w.text(f.Name)
	w.markup(`">`)
	w.text(f.Label)
	w.markup("</label>\n")
	w.hintAndError(f.Name, f.Hint, f.Error)
	w.markup(`<textarea class="govuk-textarea`)
	if f.MaxLength > 0 {
		w.markup(` govuk-js-character-count`)
	}
	if f.Error != "" {
		w.markup(` govuk-textarea--error`)
	}
	w.markup(`" id="`)
	w.text(f.Name)
	w.markup(`" name="`)
	if f.Width != "" {
		w.text(f.Width)
	} else {
		w.text(f.Name)
	}
	w.markup(`" rows="5"`)
	if f.MaxLength > 0 {
		w.markup(` aria-describedby="`)
		w.text(f.Name + "-info")
		if f.Hint != "" {
			w.text(" " + f.Name + "-hint")
		}
		if f.Error != "" {
			w.text(" " + f.Name + "-error")
		}
		w.markup(`"`)
	} else {
		w.describedBy(f.Name, f.Hint, f.Error)
	}
	w.markup(`>`)
	w.text(f.Value)
	w.markup("</textarea>\n")
	if f.MaxLength > 0 {
		w.markup(`<div id="`)
		w.text(f.Name + "-info")
		w.markup(`" class="govuk-hint govuk-character-count__message">You can enter up to `)
		w.text(haven.Count(f.MaxLength))
		w.markup(" characters</div>\n")
	}
	w.markup("</div>\n")
	return w.html()
}

// dateInputHTML is the GOV.UK date input for d.
func dateInputHTML(d dateField) template.HTML {
	var w rows
	w.formGroup(d.Error)
	w.markup(`<fieldset class="govuk-fieldset" role="group" aria-describedby="`)
	w.text(d.Name + "-hint")
	if d.Error != "" {
		w.text(" " + d.Name + "-error")
	}
	w.markup(`"><legend class="govuk-fieldset__legend govuk-fieldset__legend--s">`)
	w.text(d.Label)
	w.markup(`</legend><div id="`)
	w.text(d.Name + "-hint")
	w.markup(`" class="govuk-hint">`)
	w.text(d.Hint)
	w.markup("</div>\n")
	w.fieldError(d.Name, d.Error)
	w.markup(`<div class="govuk-date-input" id="`)
	w.text(d.Name)
	w.markup(`">`)
	for _, part := range []struct{ key, label, value, width string }{
		{"day", "Day", d.Day, "2"}, {"month", "Month", d.Month, "2"}, {"year", "Year", d.Year, "4"},
	} {
		w.markup(`<div class="govuk-date-input__item"><div class="govuk-form-group"><label class="govuk-label govuk-date-input__label" for="`)
		w.text(d.Name + "-" + part.key)
		w.markup(`">` + part.label + `</label><input class="govuk-input govuk-date-input__input govuk-input--width-` + part.width)
		if d.Error != "" {
			w.markup(` govuk-input--error`)
		}
		w.markup(`" id="`)
		w.text(d.Name + "-" + part.key)
		w.markup(`" name="`)
		w.text(d.Name + "-" + part.key)
		w.markup(`" type="text" inputmode="numeric" value="`)
		w.text(part.value)
		w.markup(`"></div></div>`)
	}
	w.markup("</div></fieldset>\n</div>\n")
	return w.html()
}
