package library

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The search box takes words and "quoted phrases", and nothing else: every
// other character (operators, brackets, stray quotes) only separates words.
// The parsed query has one canonical text that both databases' full-text
// syntaxes read the same way: each term in double quotes, ANDed. In FTS5 a
// quoted string is a phrase; PostgreSQL's websearch_to_tsquery reads a
// quoted string as a phrase too, so neither can ever see an operator.

// Limits on what a search may ask, so that no query is costly.
const (
	MaxQuery     = 200 // characters read from the box
	MaxTerms     = 10
	MaxTermWords = 8
)

// Term is a word, or a phrase of words that must come together.
type Term []string

// Query is a parsed search.
type Query struct{ Terms []Term }

// ParseQuery reads what was typed into the search box. It never fails:
// input it cannot use is dropped.
func ParseQuery(s string) Query {
	if utf8.RuneCountInString(s) > MaxQuery {
		s = string([]rune(s)[:MaxQuery])
	}
	s = strings.ToValidUTF8(s, " ")
	var q Query
	for i, part := range strings.Split(s, `"`) {
		phrase := i%2 == 1
		words := words(part)
		if len(words) == 0 {
			continue
		}
		if phrase {
			if len(words) > MaxTermWords {
				words = words[:MaxTermWords]
			}
			q.Terms = append(q.Terms, Term(words))
		} else {
			for _, w := range words {
				q.Terms = append(q.Terms, Term{w})
			}
		}
	}
	if len(q.Terms) > MaxTerms {
		q.Terms = q.Terms[:MaxTerms]
	}
	return q
}

// words are the runs of letters and digits in s, lower-cased.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !isWordRune(r)
	})
}

// Empty says there is nothing to search for: browse everything.
func (q Query) Empty() bool { return len(q.Terms) == 0 }

// Match is the query in the canonical form both databases read: each term
// quoted, separated by spaces. Terms hold only letters and digits, so no
// quote or operator can reach the database's parser.
func (q Query) Match() string {
	var b strings.Builder
	for i, t := range q.Terms {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte('"')
		b.WriteString(strings.Join(t, " "))
		b.WriteByte('"')
	}
	return b.String()
}

// String is the query as it goes back into the search box.
func (q Query) String() string {
	var parts []string
	for _, t := range q.Terms {
		if len(t) > 1 {
			parts = append(parts, `"`+strings.Join(t, " ")+`"`)
		} else {
			parts = append(parts, t[0])
		}
	}
	return strings.Join(parts, " ")
}

// Highlight marks: the store asks the database to put these around each
// matched word in a snippet. They are private-use characters, which Check
// refuses in stored text, so every one in a snippet is the database's. The
// page escapes the snippet first and then turns them into <mark> elements.
const (
	MarkStart = "\ue000"
	MarkEnd   = "\ue001"
)

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
