package haven

import "strconv"

// Count writes a whole number as GOV.UK style does: digits, with commas
// from 1,000, so a hint and its error say "2,000" alike.
func Count(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + Count(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// CharactersOrFewer is the message for text over its limit, naming the
// field as its label does: "Case note must be 20,000 characters or fewer".
func CharactersOrFewer(label string, max int) string {
	return label + " must be " + Count(max) + " characters or fewer"
}
