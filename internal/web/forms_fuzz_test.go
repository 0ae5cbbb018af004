package web

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"haven/internal/haven"
	"haven/internal/programme"
)

// Fuzz targets for the functions that turn a sent form into a domain value.
// Every problem must name a field the page's error summary lists (a field
// missing from the order is silently dropped, leaving a 422 that says
// nothing), and what is accepted must pass the domain's own checks.

var fuzzToday = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// checkFields fails unless every problem has a message and a place in order.
func checkFields(t *testing.T, what string, fields map[string]string, order []string) {
	t.Helper()
	for k, m := range fields {
		if !slices.Contains(order, k) {
			t.Fatalf("%s: problem %q: %q is not in the error summary's order %v", what, k, m, order)
		}
		if strings.TrimSpace(m) == "" {
			t.Fatalf("%s: problem %q has no message", what, k)
		}
	}
}

func formRequest(body string) *http.Request {
	req := httptest.NewRequest(http.MethodPost, "/form", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Body = http.MaxBytesReader(httptest.NewRecorder(), req.Body, defaultMaxBody)
	return req
}

// FuzzSessionForm: the new-session form. Accepted, it is a valid Session on
// the day typed, with the minutes and the money typed; a draft of it reads
// back as the same form.
func FuzzSessionForm(f *testing.F) {
	f.Add("20", "11", "2026", "home-visit", "60", "her", "We talked", "12.50", "travel")
	f.Add("24", "11", "2026", "phone", "0", "nobody", "", "", "travel")
	f.Add("1", "1", "1900", "phone", "600", "her", " x ", "£5,000", "")
	f.Add("x", "", "", "", "1e3", "", "\x00", "00000001.5", "")
	f.Fuzz(func(t *testing.T, day, month, year, typ, minutes, by, note, amount, category string) {
		v := url.Values{"on-day": {day}, "on-month": {month}, "on-year": {year}, "type": {typ}, "minutes": {minutes},
			"initiatedBy": {by}, "note": {note}, "fundAmount": {amount}, "fundCategory": {category}}
		form := readSessionForm(v)
		if again := readSessionForm(form.values()); again != form {
			t.Fatalf("a draft of %+v reads back as %+v", form, again)
		}
		today := haven.NewDate(2026, 11, 23)
		s, fields := form.session(today)
		checkFields(t, "session form", fields, sessionFieldOrder)
		if len(fields) > 0 {
			return
		}
		if err := s.Validate(today); err != nil {
			t.Fatalf("%+v accepted, but Validate says %v", form, err)
		}
		if on, _ := haven.ParseDateParts("", form.Day, form.Month, form.Year); s.On != on || s.On.IsZero() || today.Before(s.On) {
			t.Fatalf("%+v accepted with date %s", form, s.On)
		}
		if n, err := strconv.Atoi(form.Minutes); err != nil || n != s.Minutes {
			t.Fatalf("%+v accepted with %d minutes", form, s.Minutes)
		}
		if form.FundAmount != "" {
			if p, err := programme.ParseSpend(form.FundAmount); err != nil || p != s.FundPence {
				t.Fatalf("%+v accepted with %d pence", form, s.FundPence)
			}
		} else if s.FundPence != 0 || s.FundCategory != "" {
			t.Fatalf("%+v accepted with money nobody typed", form)
		}
	})
}

// FuzzPersonForm: her details. Accepted, they are a valid Person whose date
// of birth shows in the form as it was read.
func FuzzPersonForm(f *testing.F) {
	for _, s := range []string{
		"firstName=Sky&lastName=Fuzzcase&dateOfBirth-day=1&dateOfBirth-month=6&dateOfBirth-year=1995&laCode=E08000035&safeChannels=text&version=1",
		"firstName=&lastName=%00&dateOfBirth-day=29&dateOfBirth-month=2&dateOfBirth-year=2023&safeChannels=pigeon",
		"firstName=Sky&lastName=Fuzzcase&dateOfBirth-day=24&dateOfBirth-month=11&dateOfBirth-year=2026&practice=x&practitioner=-1",
		"firstName=%ff", "a=1&a=2&=",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		req := formRequest(body)
		if err := parseForm(req); err != nil {
			return // FuzzParseForm holds this to a 4xx
		}
		form := readPersonForm(req)
		p, fields := form.checked(fuzzToday)
		checkFields(t, "person form", fields, personFieldOrder)
		if len(fields) > 0 {
			return
		}
		if err := p.Validate(fuzzToday); err != nil {
			t.Fatalf("%q accepted, but Validate says %v", body, err)
		}
		shown := formFromPerson(p)
		if dob, err := haven.ParseDateParts("", shown.DOBDay, shown.DOBMonth, shown.DOBYear); err != nil || dob != p.DateOfBirth {
			t.Fatalf("%q: date of birth %s shows as %s/%s/%s", body, p.DateOfBirth, shown.DOBDay, shown.DOBMonth, shown.DOBYear)
		}
	})
}

// FuzzReferralForm: the self-referral and professional referral forms. What
// is kept is always UTF-8 (unreadable bytes become � and her answer is marked
// for her to check); accepted, it is a valid Referral.
func FuzzReferralForm(f *testing.F) {
	for _, s := range []string{
		"firstName=Robin&lastName=Testcase&phone=07700+900123&postcode=LS6+2AB&safeChannels=text&noVoicemail=yes&childrenRemoved=2&childrenInCare=no&consent=yes",
		"firstName=Robin&lastName=Test%ffcase&phone=07700+900123&postcode=ls6&safeChannels=text&safeChannels=text&childrenRemoved=2&consent=yes",
		"firstName=R%00&dateOfBirth-day=30&dateOfBirth-month=2&dateOfBirth-year=1995&via=yes&viaName=%20&safeChannels=pigeon",
		"referrerName=Sam&referrerContact=x&consent=not-asked&practice=1&proceedings=%fe", "%zz",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, body string, pro bool) {
		form, unreadable, err := readReferralForm(formRequest(body))
		if err != nil {
			if s := statusOf(err); s < 400 || s >= 500 {
				t.Fatalf("readReferralForm(%q): status %d", body, s)
			}
			return
		}
		source, order := programme.ReferralSelf, selfReferralFields
		if pro {
			source, order = programme.ReferralProfessional, proReferralFields
		}
		ref, fields := form.referral(source, fuzzToday)
		checkFields(t, "referral form", fields, order)
		checkFields(t, "referral form (unreadable answers)", unreadable, proReferralFields)
		for _, s := range []string{ref.FirstName, ref.LastName, ref.Phone, ref.Email, ref.LACode, ref.PostcodeDistrict, ref.Contact.SafeTimes,
			ref.Referrer.Name, ref.Referrer.Contact, ref.Proceedings, ref.Situation, ref.Risks} {
			if !utf8.ValidString(s) {
				t.Fatalf("%q: kept %q, which is not UTF-8", body, s)
			}
		}
		if len(fields) > 0 || len(unreadable) > 0 {
			return
		}
		if err := ref.Validate(fuzzToday); err != nil {
			he, _ := errors.AsType[*haven.Error](err)
			t.Fatalf("%q accepted, but Validate says %v %v", body, err, he.Fields)
		}
	})
}
