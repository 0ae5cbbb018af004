// Package library is the community of practice's open-access resource
// library (issue 21): resources, their versions, and the rules a resource
// must keep before it is stored. It does no I/O.
package library

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Option is one choice in a fixed list: a stable code and the name people read.
type Option struct{ Code, Name string }

// NameOf is the name of code in opts, or code itself if it is not there.
func NameOf(opts []Option, code string) string {
	for _, o := range opts {
		if o.Code == code {
			return o.Name
		}
	}
	return code
}

// Has says code is one of opts.
func Has(opts []Option, code string) bool {
	return slices.ContainsFunc(opts, func(o Option) bool { return o.Code == code })
}

// Types are what a resource is.
var Types = []Option{
	{"guide", "Guide"}, {"tool", "Tool"}, {"template", "Template"}, {"research-summary", "Research summary"},
	{"video", "Video"}, {"podcast", "Podcast"}, {"recording", "Recording"}, {"case-study", "Case study"},
}

// Topics are the subjects the community of practice works on.
var Topics = []Option{
	{"reproductive-health", "Reproductive and sexual health"}, {"trauma-informed", "Trauma-informed practice"},
	{"grief-loss", "Grief and loss"}, {"contact", "Contact"}, {"housing", "Housing"}, {"fathers", "Fathers"},
	{"substance-use", "Substance use"}, {"domestic-abuse", "Domestic abuse"}, {"evaluation", "Evaluation"},
	{"commissioning", "Commissioning"},
}

// Audiences are who a resource is for.
var Audiences = []Option{
	{"practitioners", "Practitioners"}, {"managers", "Managers"}, {"commissioners", "Commissioners"}, {"parents", "Parents"},
}

// Licences are the licences a resource may be shared under: a short list,
// so that reusers know what they may do without reading free text.
var Licences = []Option{
	{"ogl-3", "Open Government Licence v3.0"}, {"cc-by-4", "CC BY 4.0"}, {"cc-by-nc-4", "CC BY-NC 4.0"},
	{"cc-by-sa-4", "CC BY-SA 4.0"}, {"all-rights-reserved", "All rights reserved"},
}

// Status is where a resource is in its life.
type Status string

const (
	// StatusProposed is a contribution waiting for an editor: never public.
	StatusProposed  Status = "proposed"
	StatusPublished Status = "published"
	// StatusRetired is still shown, with a banner pointing to its replacement.
	StatusRetired Status = "retired"
)

// Public says whether anyone may see a resource in this status.
func (s Status) Public() bool { return s == StatusPublished || s == StatusRetired }

// Resource is one item in the library.
type Resource struct {
	ID int64
	Content
	Status     Status
	Featured   bool
	ReplacedBy int64 // the resource that replaced a retired one; 0 for none
	Version    int
	ProposedBy int64 // the Haven user who proposed it; 0 for an editor's or the demo's
	CreatedAt  time.Time
	UpdatedAt  time.Time
	// PublishedAt is when an editor first published it; zero until then.
	PublishedAt time.Time
}

// Content is what an editor can change, and what each version keeps.
type Content struct {
	Title        string
	Summary      string
	Type         string
	Topics       []string
	Audiences    []string
	Author       string
	Organisation string
	Date         time.Time // the resource's own date (of publication), a day
	Licence      string
	CoProduced   bool // co-produced with parents
	Link         string
	// File is an uploaded file in place of a link: stored by the file store
	// (issue 21 item 4), named here by its key. Empty until uploads exist.
	File File
}

// File names an uploaded file; Key is the file store's generated name.
type File struct {
	Key, Name, Type string
	Size            int64
}

// Version is one earlier state of a resource, kept when it was changed.
type Version struct {
	Number    int
	Content   Content
	ChangedBy int64
	ChangedAt time.Time
	// What says what the change was, in the editor's words or Haven's.
	What string
}

// Field limits, in characters.
const (
	MaxTitle   = 200
	MaxSummary = 2000
	MaxName    = 200
	MaxLink    = 2000
	MaxWhat    = 500
)

// Labels are the form's labels: messages name fields as the form does.
var Labels = map[string]string{
	"title": "Title", "summary": "Summary", "type": "Type", "topics": "Topics", "audiences": "Audiences",
	"author": "Author", "organisation": "Organisation", "date": "Date", "licence": "Licence", "link": "Link",
	"what": "What changed",
}

// FieldOrder is the form's order, for the error summary.
var FieldOrder = []string{"title", "summary", "type", "topics", "audiences", "author", "organisation", "date", "licence", "link", "file", "what"}

// Check returns a message for each field that is wrong, keyed by field
// name; none means c may be stored.
func Check(c Content) map[string]string {
	p := map[string]string{}
	text := func(field, v string, required bool, max int) {
		label := Labels[field]
		switch {
		case strings.TrimSpace(v) == "" && required:
			p[field] = "Enter the " + strings.ToLower(label)
		case utf8.RuneCountInString(v) > max:
			p[field] = label + " must be " + strconv.Itoa(max) + " characters or fewer"
		case !PlainText(v):
			p[field] = label + " must be plain text, without <, > or control characters"
		}
	}
	text("title", c.Title, true, MaxTitle)
	text("summary", c.Summary, true, MaxSummary)
	text("author", c.Author, true, MaxName)
	text("organisation", c.Organisation, false, MaxName)
	if !Has(Types, c.Type) {
		p["type"] = "Choose the type"
	}
	if len(c.Topics) == 0 {
		p["topics"] = "Choose at least one topic"
	}
	for _, t := range c.Topics {
		if !Has(Topics, t) {
			p["topics"] = "Choose topics from the list"
		}
	}
	if len(c.Audiences) == 0 {
		p["audiences"] = "Choose at least one audience"
	}
	for _, a := range c.Audiences {
		if !Has(Audiences, a) {
			p["audiences"] = "Choose audiences from the list"
		}
	}
	if c.Date.IsZero() {
		p["date"] = "Enter the date"
	}
	if !Has(Licences, c.Licence) {
		p["licence"] = "Choose the licence"
	}
	if c.File.Key == "" {
		if msg := checkLink(c.Link); msg != "" {
			p["link"] = msg
		}
	}
	return p
}

// checkLink allows only an absolute http or https address with a host and
// no credentials: nothing a browser would run.
func checkLink(v string) string {
	switch {
	case strings.TrimSpace(v) == "":
		return "Enter the link"
	case utf8.RuneCountInString(v) > MaxLink:
		return "Link must be " + strconv.Itoa(MaxLink) + " characters or fewer"
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil ||
		strings.ContainsAny(v, " <>\"'`\\") || !PlainText(v) {
		return "Enter the link as a web address starting https://, like https://www.example.org/guide"
	}
	return ""
}

// PlainText says s holds no markup characters and no control or
// private-use characters (the search highlighting uses two of those).
func PlainText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r == '<' || r == '>' || (unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t') || unicode.Is(unicode.Co, r) {
			return false
		}
	}
	return true
}

// Changes names the fields that differ between two contents, for a
// version's "what changed" when the editor gives none.
func Changes(old, new Content) []string {
	var out []string
	add := func(differs bool, field string) {
		if differs {
			out = append(out, Labels[field])
		}
	}
	add(old.Title != new.Title, "title")
	add(old.Summary != new.Summary, "summary")
	add(old.Type != new.Type, "type")
	add(!slices.Equal(old.Topics, new.Topics), "topics")
	add(!slices.Equal(old.Audiences, new.Audiences), "audiences")
	add(old.Author != new.Author, "author")
	add(old.Organisation != new.Organisation, "organisation")
	add(!old.Date.Equal(new.Date), "date")
	add(old.Licence != new.Licence, "licence")
	if old.CoProduced != new.CoProduced {
		out = append(out, "Co-produced with parents")
	}
	add(old.Link != new.Link, "link")
	return out
}

// Filter is a search of the library: the text as typed, and the facets
// chosen (any of a facet's values; every facet chosen from).
type Filter struct {
	Text      string
	Topics    []string
	Types     []string
	Audiences []string
	// Statuses are the statuses searched: only published for the public.
	Statuses []Status
	Page     int // from 1
	PerPage  int
}

// PerPage is a page of results.
const PerPage = 20

// Hit is one result: the resource, and a snippet of its summary with the
// matched words between MarkStart and MarkEnd ("" when browsing).
type Hit struct {
	Resource Resource
	Snippet  string
}

// Results are one page of a search, the number matching, and the facet
// counts: for each facet, how many would match with that value chosen in
// place of the facet's own choices (the text and other facets applied).
type Results struct {
	Hits                     []Hit
	Total                    int
	Topics, Types, Audiences map[string]int
}
