package demo

import (
	"fmt"
	"strings"
	"time"

	"haven/internal/audit"
	"haven/internal/library"
)

// The demo's resource library (issue 21): a few hundred fictional
// resources, made from word lists by their index so that every demo has
// the same library. Authors and organisations are made up and say so.

// LibraryResources is how many resources the demo library has.
const LibraryResources = 240

var (
	libOpenings = []string{"A practical guide to", "Notes on", "Starting conversations about", "A toolkit for", "Lessons from", "Rethinking",
		"Ten questions about", "Planning for", "Listening to parents on", "Supervision and"}
	libSubjects = map[string][]string{
		"reproductive-health": {"contraception after a removal", "sexual health appointments", "pregnancy choices and support"},
		"trauma-informed":     {"trauma-informed practice", "building trust after care proceedings", "safety and stabilisation"},
		"grief-loss":          {"grief and loss after removal", "anniversaries and loss", "living with ambiguous loss"},
		"contact":             {"letterbox contact", "contact with children in care", "writing to a child who was adopted"},
		"housing":             {"housing and homelessness", "tenancy support for parents", "moving on from supported housing"},
		"fathers":             {"working with fathers", "fathers after proceedings", "including fathers in support"},
		"substance-use":       {"substance use and recovery", "alcohol and parenting", "harm reduction in practice"},
		"domestic-abuse":      {"domestic abuse and coercive control", "safety planning with survivors", "leaving an abusive relationship"},
		"evaluation":          {"evaluating outcomes", "measuring wellbeing", "collecting parents' feedback"},
		"commissioning":       {"commissioning a service", "making the case for funding", "costs and savings"},
	}
	libSummaryEnds = []string{
		"It draws on work with parents who have had children removed and on practitioners' experience.",
		"Written with parents, it offers prompts, examples and questions to use in sessions.",
		"It summarises what the research says and what it means for everyday practice.",
		"It includes a short exercise for teams and a list of further reading.",
	}
	libAuthorFirst = []string{"Alex", "Bryony", "Cal", "Dana", "Eli", "Farah", "Gwen", "Harper", "Isla", "Jonah", "Keira", "Lowen"}
	libAuthorLast  = []string{"Ashgrove", "Brambleford", "Coldharbour", "Dunmere", "Eskdale", "Fallowfield", "Greyfriars", "Holloway"}
	libOrgs        = []string{"Northern Practice Network (fictional)", "Midlands Family Research Unit (fictional)", "Southern Parents' Voice (fictional)",
		"Riverside Practice Collective (fictional)", "Coastal Commissioning Forum (fictional)", ""}
)

// library seeds the demo library: most published, some featured, a few
// still proposed, and two retired with a pointer to what replaced them.
func (s *seeder) library() error {
	rs := make([]library.Resource, 0, LibraryResources)
	day := time.Date(s.now.Year(), s.now.Month(), s.now.Day(), 0, 0, 0, 0, time.UTC)
	for i := range LibraryResources {
		topic := library.Topics[i%len(library.Topics)].Code
		subjects := libSubjects[topic]
		subject := subjects[(i/len(library.Topics))%len(subjects)]
		topics := []string{topic}
		if i%3 == 0 {
			topics = append(topics, library.Topics[(i+3)%len(library.Topics)].Code)
		}
		audiences := []string{library.Audiences[i%3].Code}
		if i%4 == 0 {
			audiences = append(audiences, "parents")
		}
		opening := libOpenings[(i/7)%len(libOpenings)]
		r := library.Resource{Status: library.StatusPublished, Featured: i%47 == 5, CreatedAt: s.now.Add(-time.Duration(i) * 37 * time.Hour),
			Content: library.Content{
				Title:        fmt.Sprintf("%s %s (%d)", opening, subject, i+1),
				Summary:      fmt.Sprintf("%s%s. %s Fictional: demo data.", strings.ToUpper(subject[:1]), subject[1:], libSummaryEnds[i%len(libSummaryEnds)]),
				Type:         library.Types[(i*5)%len(library.Types)].Code,
				Topics:       topics,
				Audiences:    audiences,
				Author:       libAuthorFirst[i%len(libAuthorFirst)] + " " + libAuthorLast[(i/3)%len(libAuthorLast)] + " (fictional)",
				Organisation: libOrgs[i%len(libOrgs)],
				Date:         day.AddDate(0, 0, -5*i-30),
				Licence:      library.Licences[i%len(library.Licences)].Code,
				CoProduced:   i%5 == 2,
				Link:         fmt.Sprintf("https://library.example.org/resources/%d", i+1),
			}}
		if i%40 == 11 {
			r.Status, r.Featured = library.StatusProposed, false
		}
		rs = append(rs, r)
	}
	ids, err := s.db.ImportResources(s.ctx, rs)
	if err != nil {
		return fmt.Errorf("demo library: %w", err)
	}
	// Two older resources retired in favour of newer ones on their topic.
	for _, pair := range [][2]int{{200, 0}, {201, 1}} {
		if err := s.db.RetireResource(s.ctx, audit.Event{RequestID: "demo"}, ids[pair[0]], ids[pair[1]]); err != nil {
			return fmt.Errorf("demo library: %w", err)
		}
	}
	return nil
}
