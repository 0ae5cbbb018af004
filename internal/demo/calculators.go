package demo

import (
	"fmt"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/calculator"
	"haven/internal/store"
)

// calculatorScenarios saves two scenarios for the demo LA team (issue 19
// item 4), so that its list of saved scenarios shows what one looks like:
// the return-home calculator with Holmes's 2014 costs, and a Pause-type
// service with illustrative costs. Each query is the calculator's own
// encoding, as a save through the page stores it.
func (s *seeder) calculatorScenarios() error {
	var by int64
	for _, a := range s.sum.Accounts {
		if a.Role == access.RoleLAManager && a.Tenant == s.sum.LATeam.Slug {
			by = a.UserID
		}
	}
	rh := calculator.DefaultReturnHome()
	rh.SupportPence, rh.FailedPence = calculator.Support2014, calculator.Failed2014Pence
	ic := calculator.DefaultInfantCare()
	ic.CareCostPence, ic.ProgrammeCostPence, ic.Given = 6_000_000, 50_000_000, true
	for _, sc := range []store.CalculatorScenario{
		{Calculator: "return-home", Name: "Holmes (2014) costs", Query: rh.Query().Encode()},
		{Calculator: "infant-care", Name: "Illustrative costs over 4 years", Query: ic.Query().Encode()},
	} {
		sc.Team = s.sum.LATeam.ID
		if _, err := s.db.SaveCalculatorScenario(s.ctx, audit.Event{RequestID: "demo-seed", UserID: by}, sc); err != nil {
			return fmt.Errorf("demo calculator scenario %q: %w", sc.Name, err)
		}
	}
	return nil
}
