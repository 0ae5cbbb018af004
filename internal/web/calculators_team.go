package web

import (
	"html/template"
	"net/http"
	"net/url"
)

// calculatorTeam is what a signed-in local-authority user sees on a
// calculator page beside the public calculator: her team's own SSDA903
// figures to start from, a form to save the scenario to the team, and the
// team's saved scenarios. Nil for everyone else.
type calculatorTeam struct {
	TeamName string
	// Prefill is the calculator's address with the team's own figures, and
	// PrefillNote says which figures they are and where they come from.
	Prefill     template.URL
	PrefillNote string
	// Calculator ("return-home" or "infant-care") and Query (the scenario's
	// encoded inputs) are posted back by the save form.
	Calculator string
	Query      string
	Scenarios  []calculatorScenario
}

// calculatorScenario is one saved, named scenario.
type calculatorScenario struct {
	Name    string
	URL     template.URL
	SavedBy string
	SavedOn string
}

// calculatorTeam is nil unless the actor works in a local-authority team.
// Placeholder until the team tools land (issue 19 item 4).
func (s *Server) calculatorTeam(r *http.Request, calculator string, q url.Values) (*calculatorTeam, error) {
	return nil, nil
}
