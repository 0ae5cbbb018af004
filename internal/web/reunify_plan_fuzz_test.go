package web

import (
	"net/url"
	"testing"

	"haven/internal/haven"
	"haven/internal/reunify"
)

// FuzzReviewRatings feeds parseReviewRatings any form body. Whatever comes
// in, what it returns rates only the plan's goals, each red, amber or green,
// and a review built from it validates without panicking: an unrated goal
// is named, never stored.
func FuzzReviewRatings(f *testing.F) {
	for _, seed := range []string{
		"rating-1=red&rating-2=green",
		"rating-1=amber",
		"rating-1=red&rating-1=green",
		"rating-3=red",
		"rating--1=red&rating-0=amber",
		"rating-1=Red&rating-2=",
		"rating-99999999999999999999=red",
		"rating-1=%00&rating-2=%E2%80%AE",
		"heldOn-day=1&heldOn-month=3&heldOn-year=2026&rating-1=green&rating-2=green",
		"rating-+1=red",
		"",
	} {
		f.Add(seed)
	}
	goals := []reunify.Goal{{ID: 1, Words: "Go to the course"}, {ID: 2, Words: "Keep the flat safe"}}
	f.Fuzz(func(t *testing.T, body string) {
		v, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		ratings, fields := parseReviewRatings(v, goals)
		for id, r := range ratings {
			if !planHasGoal(goals, id) {
				t.Fatalf("%q: a rating for goal %d, not in the plan", body, id)
			}
			if _, ok := reunify.ParseRating(string(r)); !ok {
				t.Fatalf("%q: rating %q accepted", body, r)
			}
		}
		rev := reunify.Review{HeldOn: haven.NewDate(2026, 3, 1), Ratings: ratings}
		err = rev.Validate(goals, haven.NewDate(2026, 12, 7))
		if len(ratings) == len(goals) && len(fields) == 0 && err != nil {
			t.Fatalf("%q: every goal rated, yet %v", body, err)
		}
		if len(ratings) < len(goals) && err == nil {
			t.Fatalf("%q: a goal unrated, yet the review is valid", body)
		}
	})
}
