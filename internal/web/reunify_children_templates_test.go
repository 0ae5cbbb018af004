package web

import (
	"time"

	"haven/internal/haven"
	"haven/internal/reunify"
)

// reunifyChildTemplateCases are the looked-after children's pages for TestEveryTemplateRenders.
func reunifyChildTemplateCases() map[string]struct {
	p    page
	want string
} {
	d := haven.NewDate
	robin := reunify.Child{ID: 7, Ref: "C-1001", FirstName: "Rob<in", BornOn: d(2019, 3, 4)}
	open := episodeRow(reunify.Episode{ID: 2, StartsOn: d(2025, 6, 1), RNE: "L", LegalStatus: "C2", Placement: "U4", Provider: "PR1"})
	ended := episodeRow(reunify.Episode{ID: 1, StartsOn: d(2025, 1, 10), RNE: "S", LegalStatus: "C1", Placement: "U4", EndsOn: d(2025, 6, 1), REC: "X1"})
	return map[string]struct {
		p    page
		want string
	}{
		"reunify_children.html": {&laListPage{Layout: Layout{Title: "Looked-after children"}, Team: "Leeds", Query: "le<eds", Searched: true, Next: 7,
			Rows: []laListRow{{Child: robin, LegalStatus: reunify.LegalStatuses.Title("C2"), Placement: reunify.Placements.Title("U4"), LookedAfterFrom: d(2025, 6, 1)},
				{Child: reunify.Child{ID: 8, Ref: "C-2", FirstName: "Sam", BornOn: d(2018, 1, 1)}}}},
			"C2: Full care order"},
		"reunify_child.html": {&laChildPage{Layout: Layout{Title: "Robin"}, Child: robin, Current: &open, Episodes: []laEpisodeRow{ended, open}, Today: d(2026, 12, 7),
			Cases:  []laCaseRow{{Case: reunify.Case{ID: 1, Route: "s31", OpenedOn: d(2026, 1, 5)}, StageTitle: "Return-home assessment", RouteTitle: "Care order (section 31)"}},
			People: []laPersonRow{{Person: reunify.Person{ID: 3, Name: "Jo le<eds", Relationship: "mother", ParentalResponsibility: true, MayBeTold: "School"}, RelationshipTitle: "Mother"}},
			Views:  []reunify.View{{SaidOn: d(2026, 2, 1), Words: "I want to go home le<eds", ByName: "Kit Kestrel", At: time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)}}},
			"X1: Episode ended and a new episode began on the same day"},
		"reunify_child_form.html": {&laFormPage{Layout: Layout{Title: "Add an episode", Errors: []FieldError{{"rne", "Choose the reason for the new episode"}}},
			Caption: "Robin (C-1001)", Action: "/la/children/7/episodes", Back: "/la/children/7", Submit: "Add episode", Create: true, Version: 2,
			Fields: []laField{{Kind: "date", Name: "startsOn", Label: "Start date", Day: "31"},
				{Kind: "select", Name: "rne", Label: "RNE", Options: codeChoices(reunify.NewEpisodeReasons, "Choose"), Value: "S", Error: "Choose the reason for the new episode"},
				{Kind: "radios", Name: "relationship", Label: "Relationship", Options: reunify.Relationships, Value: "father"},
				{Kind: "text", Name: "name", Label: "Name", Value: "le<eds"}, {Kind: "textarea", Name: "words", Label: "Words", MaxLength: 5000}}},
			`value="S" selected`},
	}
}
