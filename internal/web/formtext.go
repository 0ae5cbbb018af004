package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"haven/internal/haven"
)

// textError is a form or JSON body holding text no field may hold: invalid
// UTF-8 or a control character (haven.CheckText, S22). It is a 422 that
// names the fields, logged as a security event; for a form, the error page
// shows what she typed with those characters marked, so that nothing she
// wrote is lost.
type textError struct {
	err     *haven.Error
	entered []enteredField
	errors  []FieldError // for the error summary, linking to the entered answers
}

// enteredField is one answer as the error page shows it back.
type enteredField struct {
	ID, Label, Value, Error string
}

func (e *textError) Error() string { return e.err.Error() }
func (e *textError) Unwrap() error { return e.err }

// checkFormText refuses a form holding text that no field may hold. A field
// is named as its label would be, from its name: firstName is "First name".
func checkFormText(r *http.Request) error {
	var bad []string
	for k, vs := range r.Form {
		if haven.CheckText(k) != haven.TextOK {
			// Not something she typed: no form of Haven's has such a field.
			return badRequest("The form contained characters Haven cannot read.")
		}
		for _, v := range vs {
			if haven.CheckText(v) != haven.TextOK && !slices.Contains(bad, k) {
				bad = append(bad, k)
			}
		}
	}
	if len(bad) == 0 {
		return nil
	}
	slices.Sort(bad)
	fields := map[string]string{}
	for _, k := range bad {
		var p haven.TextProblem
		for _, v := range r.Form[k] {
			if p = haven.CheckText(v); p != haven.TextOK {
				break
			}
		}
		fields[k] = p.Message(fieldLabel(k))
	}
	e := &textError{err: &haven.Error{Kind: haven.KindInvalid, Fields: fields,
		Message: "Nothing has been saved. Go back to the form, take out or retype the answers named above, and send it again." +
			" What you entered is below, with the characters Haven cannot keep shown as \uFFFD."}}
	for i, f := range carryForm(r).Fields {
		if secretField(f.Name) || f.Name == IdempotencyField || f.Name == "version" {
			continue
		}
		id := "entered-" + strconv.Itoa(i)
		msg := ""
		if haven.CheckText(f.Value) != haven.TextOK {
			msg = fields[f.Name]
			e.errors = append(e.errors, FieldError{Field: id, Message: msg})
		}
		e.entered = append(e.entered, enteredField{ID: id, Label: fieldLabel(f.Name), Value: haven.ShowText(f.Value), Error: msg})
	}
	for _, k := range bad { // a bad answer not shown (a password, or sent in the address): named all the same
		if !slices.ContainsFunc(e.errors, func(fe FieldError) bool { return fe.Message == fields[k] }) {
			e.errors = append(e.errors, FieldError{Field: "main-content", Message: fields[k]})
		}
	}
	return e
}

// fieldLabels are the labels that a field's name does not spell out.
var fieldLabels = map[string]string{
	"laCode": "Local authority", "aroundName": "Name", "aroundNotes": "Notes", "q": "Search", "area": "Postcode or place name",
}

// fieldLabel writes a form field's name as its label reads: firstName is
// "First name", and a date's parts (dateOfBirth-day) are the date.
func fieldLabel(name string) string {
	for _, part := range []string{"-day", "-month", "-year"} {
		name = strings.TrimSuffix(name, part)
	}
	if l, ok := fieldLabels[name]; ok {
		return l
	}
	var b strings.Builder
	for i, r := range name {
		switch {
		case i == 0:
			b.WriteRune(unicode.ToUpper(r))
		case r == '_' || r == '-':
			b.WriteByte(' ')
		case unicode.IsUpper(r):
			b.WriteByte(' ')
			b.WriteRune(unicode.ToLower(r))
		default:
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "An answer"
	}
	return b.String()
}
