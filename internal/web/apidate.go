package web

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"

	"haven/internal/haven"
)

// apiDate is how every API reads a date: "YYYY-MM-DD", a real day of a year
// from 1900 to 2200 (haven.ParseDate, the same range as every form's date
// input), or "" or null for not known. The domain's own checks (not in the
// future, not before her child was born, ...) come after, as for the forms.
//
// A value it cannot read (2023-02-30, 0000-01-01, 9999-12-31, "not a date",
// a number) does not fail the decoding: it is kept as bad, so that
// decodeJSON can answer 422 naming every such field by its JSON name
// (dateProblems), rather than 400 naming none.
type apiDate struct {
	haven.Date
	bad bool
}

// dated is d as the API sends it back.
func dated(d haven.Date) apiDate { return apiDate{Date: d} }

func (d *apiDate) UnmarshalJSON(b []byte) error {
	*d = apiDate{}
	if string(b) == "null" {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		d.bad = true
		return nil
	}
	p, err := haven.ParseDate(s)
	d.Date, d.bad = p, err != nil
	return nil
}

// dateMessage is the problem with a date that could not be read.
func dateMessage(field string) string {
	return field + " must be a real date written YYYY-MM-DD, from 1900 to 2200"
}

var apiDateType = reflect.TypeFor[apiDate]()

// dateProblems names, by JSON name, every apiDate in v (a decoded request
// body) that could not be read; nil if there are none.
func dateProblems(v any) map[string]string {
	out := map[string]string{}
	walkDates(reflect.ValueOf(v), "", out)
	if len(out) == 0 {
		return nil
	}
	return out
}

func walkDates(v reflect.Value, path string, out map[string]string) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkDates(v.Elem(), path, out)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			walkDates(v.Index(i), path+"["+strconv.Itoa(i)+"]", out)
		}
	case reflect.Struct:
		if v.Type() == apiDateType {
			// Read through reflection, not Interface: the date may sit in an
			// unexported embedded struct, as apiChange does in its create body.
			if v.FieldByName("bad").Bool() {
				out[path] = dateMessage(path)
			}
			return
		}
		t := v.Type()
		for i := range t.NumField() {
			sf := t.Field(i)
			if !sf.IsExported() && !sf.Anonymous {
				continue
			}
			name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if sf.Anonymous && name == "" {
				walkDates(v.Field(i), path, out) // its fields are promoted, as encoding/json reads them
				continue
			}
			if name == "" {
				name = sf.Name
			}
			if path != "" {
				name = path + "." + name
			}
			walkDates(v.Field(i), name, out)
		}
	}
}
