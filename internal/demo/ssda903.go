package demo

import (
	_ "embed"
	"fmt"
	"time"

	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/reunify"
)

// The demo SSDA903 episodes files (issue 18 items 6 and 9): one that
// imports cleanly into the demo LA team, with returns home that held and
// returns that broke down, and one with a problem on most rows, to show the
// import's report. Both are synthetic; the children they name are seeded by
// ssda903Children. See README.md, "SSDA903 episodes".
var (
	//go:embed ssda903/episodes.csv
	SSDA903Episodes []byte
	//go:embed ssda903/episodes-with-errors.csv
	SSDA903EpisodesWithErrors []byte
)

// SSDA903ChildRefs are the child IDs the demo files use.
var SSDA903ChildRefs = []string{"SSDA-01", "SSDA-02", "SSDA-03", "SSDA-04", "SSDA-05", "SSDA-06", "SSDA-07", "SSDA-08"}

var ssda903Names = []string{"Ashton", "Bryony", "Callum", "Daisy", "Eli", "Farah", "Gus", "Hollie"}

// ssda903Children adds the children the demo files name to the LA team,
// each born well before the first episode, so that a demo user can import
// the file from /la/imports. Their episodes come only from the import.
func (s *seeder) ssda903Children() error {
	today := haven.NewDate(s.now.Year(), s.now.Month(), s.now.Day())
	for i, ref := range SSDA903ChildRefs {
		c := reunify.Child{Team: s.sum.LATeam.ID, Ref: ref, FirstName: ssda903Names[i], BornOn: haven.NewDate(2012+i, time.Month(1+i), 3+i)}
		if _, err := s.db.CreateLAChild(s.ctx, audit.Event{RequestID: "demo-seed"}, c, 0, today); err != nil {
			return fmt.Errorf("demo SSDA903 child %s: %w", ref, err)
		}
	}
	return nil
}
