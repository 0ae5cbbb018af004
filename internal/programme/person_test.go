package programme

import "testing"

// S16, S17: the record-level rules, case by case.
func TestDecide(t *testing.T) {
	tests := []struct {
		name string
		rel  Relation
		want Access
	}{
		{"stranger", Relation{}, Access{}},
		{"lead", Relation{Lead: true}, Access{Record: true, Restricted: true, Allocate: true, AccessLog: true, Lead: true}},
		{"co-ordinator", Relation{Coordinator: true}, Access{Record: true, Allocate: true, BreakGlass: true}},
		{"allocated practitioner", Relation{Practitioner: true, Allocated: true}, Access{Record: true, Restricted: true}},
		{"shared with a practitioner", Relation{Practitioner: true, Shared: true}, Access{Record: true, BreakGlass: true}},
		{"another practitioner in the Practice", Relation{Practitioner: true}, Access{BreakGlass: true}},
		{"practitioner after breaking the glass", Relation{Practitioner: true, BreakGlass: true}, Access{Record: true, Restricted: true}},
		{"allocated but no longer a practitioner there", Relation{Allocated: true}, Access{}},
		{"shared but no longer a practitioner there", Relation{Shared: true}, Access{}},
	}
	for _, tt := range tests {
		if got := Decide(tt.rel); got != tt.want {
			t.Errorf("%s: Decide = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func TestBreakGlassReason(t *testing.T) {
	for reason, ok := range map[string]bool{"": false, "because": false, "Duty worker: safeguarding call from her GP tonight": true} {
		if err := CheckBreakGlassReason(reason); (err == nil) != ok {
			t.Errorf("reason %q: error %v", reason, err)
		}
	}
}
