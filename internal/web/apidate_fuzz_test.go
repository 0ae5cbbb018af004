package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"haven/internal/haven"
)

// FuzzAPIDate (S23): the one date decoder of every API. Whatever JSON value
// is sent where a date belongs, the call is either accepted with exactly the
// date written, one a calendar has, from 1900 to 2200, or refused 422 naming
// the field; a 400 only ever means the body was not JSON. Seeds are in
// testdata/fuzz/FuzzAPIDate.
func FuzzAPIDate(f *testing.F) {
	f.Fuzz(func(t *testing.T, value string) {
		body := `{"when":` + value + `,"also":[{"then":"2024-02-29"}]}`
		req := httptest.NewRequest("POST", "/api/v1/x", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		var v struct {
			When apiDate `json:"when"`
			Also []struct {
				Then apiDate `json:"then"`
			} `json:"also"`
		}
		err := decodeJSON(req, &v)
		var s string
		isString := json.Unmarshal([]byte(value), &s) == nil
		want, real := calendarDate(s)
		switch status := statusOf(err); {
		case err == nil:
			if v.When.IsZero() {
				if strings.TrimSpace(value) != "null" && (!isString || s != "") {
					t.Fatalf("%s read as no date", value)
				}
				return
			}
			if !isString || !real || v.When.String() != s || v.When.Time() != want {
				t.Fatalf("%s read as %s", value, v.When)
			}
		case status == http.StatusUnprocessableEntity:
			fields := dateProblems(&v)
			if he, ok := errors.AsType[*haven.Error](err); ok && len(fields) == 0 {
				fields = he.Fields // refused before decoding: text no field may hold (S22), such as a lone surrogate
			}
			if len(fields) != 1 || fields["when"] == "" {
				t.Fatalf("%s refused naming %v, want only when", value, fields)
			}
			if isString && real {
				t.Fatalf("%s refused, but it is a real date", value)
			}
		case status == http.StatusBadRequest:
			if json.Valid([]byte(body)) {
				t.Fatalf("%s refused as unreadable JSON: %v", value, err)
			}
		default:
			t.Fatalf("%s: status %d (%v)", value, status, err)
		}
	})
}

// calendarDate is what a date the API accepts must be, worked out apart
// from haven.ParseDate: YYYY-MM-DD, a day the calendar has, in 1900..2200.
func calendarDate(s string) (time.Time, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return time.Time{}, false
	}
	for i, c := range s {
		if i != 4 && i != 7 && (c < '0' || c > '9') {
			return time.Time{}, false
		}
	}
	y, _ := strconv.Atoi(s[:4])
	m, _ := strconv.Atoi(s[5:7])
	d, _ := strconv.Atoi(s[8:])
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if y < 1900 || y > 2200 || m < 1 || m > 12 || t.Day() != d || t.Month() != time.Month(m) {
		return time.Time{}, false
	}
	return t, true
}
