package web

import (
	"net/http"
	"strings"
	"time"

	"haven/internal/programme"
)

// printMark is what every plan and letter that leaves Haven on paper says
// about itself: when it was printed and by whom, who her practitioner is, and
// how to reach her Practice. A copy found in a drawer months later must say
// how old it is and whom to ask.
type printMark struct {
	At           time.Time
	By           string // who printed it
	Practitioner string // her dedicated practitioner; "" until one is allocated
	Practice     string
	// PracticePage is the Practice's public page on Haven. Practices hold no
	// phone number, email or postal address yet, so their page is the only
	// way to reach them that Haven knows.
	PracticePage string
}

// printMarkFor gathers the print mark for a copy of her plan or letter that
// the signed-in user is making now.
func (s *Server) printMarkFor(r *http.Request, p programme.Person) (printMark, error) {
	m := printMark{At: s.now(), By: infoFrom(r.Context()).actor.User.DisplayName}
	practice, err := s.store.Practice(r.Context(), p.PracticeID)
	if err != nil {
		return m, err
	}
	m.Practice = practice.Name
	m.PracticePage = strings.TrimRight(s.baseURL, "/") + "/practices/" + practice.Slug
	if p.PractitionerID != 0 {
		u, err := s.store.User(r.Context(), p.PractitionerID)
		if err != nil {
			return m, err
		}
		m.Practitioner = u.DisplayName
	}
	return m, nil
}

// Lines are the print mark as sentences, for the PDF's foot of each page.
func (m printMark) Lines() []string {
	practitioner := "Your practitioner: " + m.Practitioner + "."
	if m.Practitioner == "" {
		practitioner = "Your practitioner: not allocated yet."
	}
	return []string{
		practitioner + " " + m.Practice + ": " + m.PracticePage,
		"Printed on " + m.At.In(london).Format("2 January 2006 at 3:04pm") + " by " + m.By + ".",
	}
}
