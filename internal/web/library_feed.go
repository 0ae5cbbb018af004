package web

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"
	"time"

	"haven/internal/library"
)

// The library's Atom feed (RFC 4287) of the newest published resources,
// for feed readers and the mailing list's digest. Built with encoding/xml,
// which escapes every text, so no stored text becomes markup.

// libFeedSize is how many resources the feed carries.
const libFeedSize = 30

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

type atomText struct {
	Type string `xml:"type,attr,omitempty"`
	Body string `xml:",chardata"`
}

type atomEntry struct {
	Title      atomText       `xml:"title"`
	ID         string         `xml:"id"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published,omitempty"`
	Links      []atomLink     `xml:"link"`
	Authors    []atomPerson   `xml:"author"`
	Summary    atomText       `xml:"summary"`
	Categories []atomCategory `xml:"category"`
	Rights     string         `xml:"rights,omitempty"`
}

type atomFeed struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title    string      `xml:"title"`
	Subtitle string      `xml:"subtitle"`
	ID       string      `xml:"id"`
	Updated  string      `xml:"updated"`
	Links    []atomLink  `xml:"link"`
	Author   atomPerson  `xml:"author"`
	Entries  []atomEntry `xml:"entry"`
}

func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func (s *Server) libraryFeed(w http.ResponseWriter, r *http.Request) error {
	res, err := s.store.SearchLibrary(r.Context(), library.Filter{Page: 1, PerPage: libFeedSize})
	if err != nil {
		return err
	}
	base := strings.TrimRight(s.baseURL, "/")
	feed := atomFeed{Title: "Haven resource library", Subtitle: "New resources for practitioners working with parents after care proceedings",
		ID: base + "/library", Updated: atomTime(time.Unix(0, 0)), Author: atomPerson{Name: "Haven"},
		Links: []atomLink{{Href: base + "/library/feed.atom", Rel: "self", Type: "application/atom+xml"}, {Href: base + "/library", Rel: "alternate", Type: "text/html"}}}
	for _, h := range res.Hits {
		rs := h.Resource
		page := base + "/library/resources/" + strconv.FormatInt(rs.ID, 10)
		e := atomEntry{Title: atomText{Type: "text", Body: rs.Title}, ID: page, Updated: atomTime(rs.UpdatedAt), Published: atomTime(rs.PublishedAt),
			Links:   []atomLink{{Href: page, Rel: "alternate", Type: "text/html"}},
			Authors: []atomPerson{{Name: rs.Author}}, Summary: atomText{Type: "text", Body: rs.Summary},
			Rights: library.NameOf(library.Licences, rs.Licence)}
		if rs.Link != "" {
			e.Links = append(e.Links, atomLink{Href: rs.Link, Rel: "related"})
		}
		e.Categories = append(e.Categories, atomCategory{Term: rs.Type, Label: library.NameOf(library.Types, rs.Type)})
		for _, t := range rs.Topics {
			e.Categories = append(e.Categories, atomCategory{Term: t, Label: library.NameOf(library.Topics, t)})
		}
		feed.Entries = append(feed.Entries, e)
		if u := atomTime(rs.UpdatedAt); u > feed.Updated { // RFC 3339 in UTC sorts as text
			feed.Updated = u
		}
	}
	return writeAtom(w, feed)
}

// writeAtom sends a feed, whole or not at all.
func writeAtom(w http.ResponseWriter, feed atomFeed) error {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(feed); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	_, err := w.Write(buf.Bytes())
	return err
}
