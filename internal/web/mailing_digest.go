package web

import (
	"context"
	"strconv"
	"strings"
	"time"

	"haven/internal/library"
	"haven/internal/mailing"
)

// digest is what an editor's message may carry: every event still to come
// that is not cancelled (a digest reminds as well as announces), and the
// library's resources published since the last message.
func (s *Server) digest(ctx context.Context, since time.Time) (resources, evs []mailing.Item, err error) {
	up, err := s.store.UpcomingEvents(ctx, s.now(), 20)
	if err != nil {
		return nil, nil, err
	}
	base := strings.TrimRight(s.baseURL, "/")
	for _, e := range up {
		if e.Cancelled {
			continue
		}
		evs = append(evs, mailing.Item{Title: e.Title, Summary: e.Kind.Name() + ". " + e.Where() + ".", Link: base + "/events/" + strconv.FormatInt(e.ID, 10), When: e.Start})
	}
	lib, err := s.store.SearchLibrary(ctx, library.Filter{Page: 1, PerPage: 20})
	if err != nil {
		return nil, nil, err
	}
	for _, h := range lib.Hits {
		if h.Resource.PublishedAt.After(since) {
			resources = append(resources, mailing.Item{Title: h.Resource.Title, Summary: h.Resource.Summary, Link: base + resourcePath(h.Resource.ID)})
		}
	}
	return resources, evs, nil
}
