package store_test

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/library"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// libraryFixture stores a small library: titles are keys for the tests.
func libraryFixture(t *testing.T, db *store.DB) map[string]int64 {
	t.Helper()
	day := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	mk := func(title, summary, typ string, topics, audiences []string, status library.Status, ageDays int) library.Resource {
		return library.Resource{Status: status, CreatedAt: day.AddDate(0, 0, -ageDays), Content: library.Content{Title: title, Summary: summary, Type: typ,
			Topics: topics, Audiences: audiences, Author: "Fictional Author", Date: day, Licence: "cc-by-4", Link: "https://example.org/" + strings.ReplaceAll(title, " ", "-")}}
	}
	rs := []library.Resource{
		mk("Parenting after removal", "Working with a parent whose children were removed.", "guide", []string{"trauma-informed"}, []string{"practitioners"}, library.StatusPublished, 1),
		mk("Grief and loss toolkit", "Exercises on grief and loss for group sessions.", "tool", []string{"grief-loss"}, []string{"practitioners", "managers"}, library.StatusPublished, 2),
		mk("Loss and grief in court", "Notes on loss, then grief, during proceedings.", "research-summary", []string{"grief-loss", "contact"}, []string{"commissioners"}, library.StatusPublished, 3),
		mk("Contraception conversations", "Talking about contraception with a mother after a removal.", "video", []string{"reproductive-health"}, []string{"practitioners", "parents"}, library.StatusPublished, 4),
		mk("Retired parenting leaflet", "An old leaflet for a parent.", "guide", []string{"trauma-informed"}, []string{"parents"}, library.StatusRetired, 5),
		mk("Proposed parenting note", "A parent's view, not yet reviewed.", "guide", []string{"trauma-informed"}, []string{"parents"}, library.StatusProposed, 6),
		mk("Café naïve résumé", "Mère et enfant: ünïcode words.", "case-study", []string{"housing"}, []string{"managers"}, library.StatusPublished, 7),
	}
	if _, err := db.ImportResources(t.Context(), rs); err != nil {
		t.Fatal(err)
	}
	res, err := db.SearchLibrary(t.Context(), library.Filter{Statuses: []library.Status{library.StatusPublished, library.StatusRetired, library.StatusProposed}, PerPage: 100})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, h := range res.Hits {
		out[h.Resource.Title] = h.Resource.ID
	}
	if len(out) != len(rs) {
		t.Fatalf("fixture: %d stored, want %d", len(out), len(rs))
	}
	return out
}

func titles(res library.Results) []string {
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.Resource.Title)
	}
	return out
}

// Full-text search on both databases: stemming, phrases, facets, an empty
// query, only published resources for the public, and odd input.
func TestSearchLibrary(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		libraryFixture(t, db)
		tests := []struct {
			name string
			f    library.Filter
			want []string // in order
		}{
			{"stemming: parenting finds parent", library.Filter{Text: "parenting"}, []string{"Parenting after removal"}},
			{"stemming: removed finds removal", library.Filter{Text: "removals"}, []string{"Parenting after removal", "Contraception conversations"}},
			{"phrase", library.Filter{Text: `"grief and loss"`}, []string{"Grief and loss toolkit"}},
			{"words without the phrase", library.Filter{Text: "grief loss"}, []string{"Grief and loss toolkit", "Loss and grief in court"}},
			{"empty query browses newest first", library.Filter{}, []string{"Parenting after removal", "Grief and loss toolkit", "Loss and grief in court", "Contraception conversations", "Café naïve résumé"}},
			{"facet filter", library.Filter{Topics: []string{"grief-loss"}, Audiences: []string{"commissioners"}}, []string{"Loss and grief in court"}},
			{"any of a facet's values", library.Filter{Types: []string{"tool", "video"}}, []string{"Grief and loss toolkit", "Contraception conversations"}},
			{"unicode", library.Filter{Text: "CAFÉ mère"}, []string{"Café naïve résumé"}},
			{"quotes and operators", library.Filter{Text: `grief* -loss (GRIEF) ^loss: "`}, []string{"Grief and loss toolkit", "Loss and grief in court"}},
			{"only punctuation browses", library.Filter{Text: `"*()^:`, Types: []string{"video"}}, []string{"Contraception conversations"}},
			{"no match", library.Filter{Text: "zebra"}, nil},
			{"proposed and retired are not public", library.Filter{Text: "leaflet note"}, nil},
		}
		// Whatever is typed reaches the database as its own syntax, never an error.
		for _, odd := range []string{`"`, `""`, `" "`, `a AND`, `OR`, `NOT x`, `x*`, `^x`, `NEAR(a b)`, `title:x`, `{a b}`, `a & b | !c`, `<->`, `'x'`,
			"\x00", "\u202e", "日本語", "🙂 x", "the", "and or not", strings.Repeat("grief ", 300), `\`, `%_`} {
			if _, err := db.SearchLibrary(t.Context(), library.Filter{Text: odd, Topics: []string{odd}}); err != nil {
				t.Errorf("search %q: %v", odd, err)
			}
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				res, err := db.SearchLibrary(t.Context(), tt.f)
				if err != nil {
					t.Fatal(err)
				}
				if got := titles(res); !slices.Equal(got, tt.want) {
					t.Errorf("got %q, want %q", got, tt.want)
				}
				if res.Total != len(tt.want) {
					t.Errorf("total %d, want %d", res.Total, len(tt.want))
				}
			})
		}
	})
}

// Facet counts are for the text and the other facets chosen: choosing a
// topic narrows the type and audience counts but not the topic counts.
func TestSearchLibraryFacets(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		libraryFixture(t, db)
		res, err := db.SearchLibrary(t.Context(), library.Filter{Text: "grief", Topics: []string{"contact"}})
		if err != nil {
			t.Fatal(err)
		}
		if want := map[string]int{"grief-loss": 2, "contact": 1}; !maps.Equal(res.Topics, want) {
			t.Errorf("topics %v, want %v", res.Topics, want)
		}
		if want := map[string]int{"research-summary": 1}; !maps.Equal(res.Types, want) {
			t.Errorf("types %v, want %v", res.Types, want)
		}
		if want := map[string]int{"commissioners": 1}; !maps.Equal(res.Audiences, want) {
			t.Errorf("audiences %v, want %v", res.Audiences, want)
		}
		all, err := db.SearchLibrary(t.Context(), library.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if want := map[string]int{"practitioners": 3, "managers": 2, "commissioners": 1, "parents": 1}; !maps.Equal(all.Audiences, want) {
			t.Errorf("browse audiences %v, want %v", all.Audiences, want)
		}
		paged, err := db.SearchLibrary(t.Context(), library.Filter{Page: 2, PerPage: 2})
		if err != nil {
			t.Fatal(err)
		}
		if got := titles(paged); paged.Total != 5 || !slices.Equal(got, []string{"Loss and grief in court", "Contraception conversations"}) {
			t.Errorf("page 2: %q of %d", got, paged.Total)
		}
	})
}

// Snippets mark the matched words with the sentinels only, and stored text
// can never carry one.
func TestSearchLibrarySnippets(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		libraryFixture(t, db)
		res, err := db.SearchLibrary(t.Context(), library.Filter{Text: "contraception"})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) != 1 {
			t.Fatalf("hits %q", titles(res))
		}
		want := library.MarkStart + "contraception" + library.MarkEnd
		if s := res.Hits[0].Snippet; !strings.Contains(strings.ToLower(s), want) {
			t.Errorf("snippet %q lacks %q", s, want)
		}
		browse, err := db.SearchLibrary(t.Context(), library.Filter{Types: []string{"video"}})
		if err != nil || len(browse.Hits) != 1 || browse.Hits[0].Snippet != "" {
			t.Errorf("browsing: %+v, %v", browse.Hits, err)
		}
	})
}

// Editing keeps every version; publishing, featuring and retiring change
// the status with an audit row each; a stale edit is a conflict.
func TestLibraryLifecycle(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		ids := libraryFixture(t, db)
		ev := audit.Event{RequestID: "test"}
		c := library.Content{Title: "Housing first for mothers", Summary: "Housing support.", Type: "guide", Topics: []string{"housing"},
			Audiences: []string{"practitioners"}, Author: "A. Person", Date: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC), Licence: "ogl-3", Link: "https://example.org/h"}
		r, err := db.CreateResource(ctx, ev, library.Resource{Status: library.StatusProposed, Content: c}, 0)
		if err != nil {
			t.Fatal(err)
		}
		public := func() []string {
			res, err := db.SearchLibrary(ctx, library.Filter{Text: "housing"})
			if err != nil {
				t.Fatal(err)
			}
			return titles(res)
		}
		if got := public(); len(got) != 0 {
			t.Errorf("proposed resource is public: %q", got)
		}
		if err := db.PublishResource(ctx, ev, r.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.PublishResource(ctx, ev, r.ID); !errors.Is(err, haven.ErrConflict) {
			t.Errorf("publishing twice: %v", err)
		}
		if got := public(); !slices.Equal(got, []string{"Housing first for mothers"}) {
			t.Errorf("published: %q", got)
		}
		c2 := c
		c2.Title, c2.Topics = "Housing first for parents", []string{"housing", "fathers"}
		if err := db.EditResource(ctx, ev, r.ID, 1, c2, "Fathers too", 0); err != nil {
			t.Fatal(err)
		}
		if err := db.EditResource(ctx, ev, r.ID, 1, c, "stale", 0); !errors.Is(err, haven.ErrConflict) {
			t.Errorf("stale edit: %v", err)
		}
		got, err := db.Resource(ctx, r.ID)
		if err != nil || got.Version != 2 || got.Title != c2.Title || !slices.Equal(got.Topics, []string{"fathers", "housing"}) {
			t.Errorf("after edit: %+v, %v", got, err)
		}
		vs, err := db.ResourceVersions(ctx, r.ID)
		if err != nil || len(vs) != 2 || vs[0].Number != 2 || vs[0].What != "Fathers too" || vs[1].Content.Title != c.Title {
			t.Errorf("versions %+v, %v", vs, err)
		}
		if got := public(); !slices.Equal(got, []string{"Housing first for parents"}) {
			t.Errorf("search sees the old title: %q", got)
		}
		if err := db.FeatureResource(ctx, ev, r.ID, true); err != nil {
			t.Fatal(err)
		}
		if fs, err := db.FeaturedResources(ctx); err != nil || len(fs) != 1 || fs[0].ID != r.ID {
			t.Errorf("featured %+v, %v", fs, err)
		}
		if err := db.RetireResource(ctx, ev, r.ID, ids["Proposed parenting note"]); !errors.Is(err, haven.ErrInvalid) {
			t.Errorf("replaced by an unpublished resource: %v", err)
		}
		if err := db.RetireResource(ctx, ev, r.ID, ids["Parenting after removal"]); err != nil {
			t.Fatal(err)
		}
		got, _ = db.Resource(ctx, r.ID)
		if got.Status != library.StatusRetired || got.ReplacedBy != ids["Parenting after removal"] || got.Featured {
			t.Errorf("retired: %+v", got)
		}
		if got := public(); len(got) != 0 {
			t.Errorf("retired resource is in search: %q", got)
		}
		if fs, _ := db.FeaturedResources(ctx); len(fs) != 0 {
			t.Errorf("retired resource still featured")
		}
		if q, err := db.ProposedResources(ctx); err != nil || len(q) != 1 || q[0].Title != "Proposed parenting note" {
			t.Errorf("queue %+v, %v", q, err)
		}
		trail, err := db.SearchAudit(ctx, store.AuditFilter{RecordType: store.KindLibraryResource, Page: store.Page{Limit: 100}})
		if err != nil {
			t.Fatal(err)
		}
		if n := len(trail); n != 5 { // create, publish, edit, feature, retire (the refused ones write nothing)
			t.Errorf("%d audit rows, want 5", n)
		}
	})
}
