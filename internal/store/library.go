package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/library"
)

// The community of practice's resource library (issue 21). Every change
// writes its audit row in its own transaction; every edit keeps a version.
// Full-text search is one method, SearchLibrary, with the two databases'
// full-text syntax in sqlite.go and postgres.go.

// KindLibraryResource is the audit record type of a resource.
const KindLibraryResource = "library-resource"

const libraryColumns = `r.id, r.title, r.summary, r.type, r.author, r.organisation, r.resource_date, r.licence, r.co_produced, r.link,
	COALESCE(r.file_key, ''), COALESCE(r.file_name, ''), COALESCE(r.file_type, ''), COALESCE(r.file_size, 0),
	r.status, r.featured, COALESCE(r.replaced_by, 0), r.version, COALESCE(r.proposed_by, 0), r.created_at, r.updated_at, r.published_at`

func scanResource(row interface{ Scan(...any) error }) (library.Resource, error) {
	var r library.Resource
	var date haven.Date
	var status string
	var published sql.NullTime
	err := row.Scan(&r.ID, &r.Title, &r.Summary, &r.Type, &r.Author, &r.Organisation, &date, &r.Licence, &r.CoProduced, &r.Link,
		&r.File.Key, &r.File.Name, &r.File.Type, &r.File.Size,
		&status, &r.Featured, &r.ReplacedBy, &r.Version, &r.ProposedBy, &r.CreatedAt, &r.UpdatedAt, &published)
	r.Date, r.Status, r.PublishedAt = date.Time(), library.Status(status), published.Time
	return r, err
}

func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// CreateResource stores a new resource in r.Status (proposed for a
// contribution), its first version by, and its audit row. The content must
// have passed library.Check. A form sent twice with one idempotency key
// makes one resource: the repeat gets a *Duplicate naming the first.
func (db *DB) CreateResource(ctx context.Context, ev audit.Event, r library.Resource, by int64) (library.Resource, error) {
	err := db.createTx(ctx, claim{user: by, kind: KindLibraryResource, target: "library"}, func(tx *sql.Tx) (int64, string, error) {
		var err error
		if r, err = db.insertResource(ctx, tx, r, by, "Proposed"); err != nil {
			return 0, "", err
		}
		ev.Action, ev.RecordType, ev.RecordID = audit.Create, KindLibraryResource, strconv.FormatInt(r.ID, 10)
		return r.ID, "", db.appendAudit(ctx, tx, ev)
	})
	return r, db.dialect.translate(err)
}

// ImportResources stores resources in one transaction, each as its own
// first version: the demo's library. It returns their IDs in order.
// Nothing is stored if any fails.
func (db *DB) ImportResources(ctx context.Context, rs []library.Resource) ([]int64, error) {
	ids := make([]int64, 0, len(rs))
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		ids = ids[:0]
		for _, r := range rs {
			r, err := db.insertResource(ctx, tx, r, 0, "Added")
			if err != nil {
				return err
			}
			ids = append(ids, r.ID)
		}
		return nil
	})
	return ids, db.dialect.translate(err)
}

func (db *DB) insertResource(ctx context.Context, tx *sql.Tx, r library.Resource, by int64, what string) (library.Resource, error) {
	now := db.now()
	if r.CreatedAt.IsZero() {
		r.CreatedAt = now
	}
	r.UpdatedAt, r.Version, r.ProposedBy = r.CreatedAt, 1, by
	if r.Status == "" {
		r.Status = library.StatusProposed
	}
	var published any
	if r.Status != library.StatusProposed {
		if r.PublishedAt.IsZero() {
			r.PublishedAt = r.CreatedAt
		}
		published = r.PublishedAt
	}
	if err := tx.QueryRowContext(ctx, `INSERT INTO library_resources (title, summary, type, author, organisation, resource_date, licence,
			co_produced, link, file_key, file_name, file_type, file_size, status, featured, replaced_by, version, proposed_by, created_at, updated_at, published_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 1, $17, $18, $18, $19) RETURNING id`,
		r.Title, r.Summary, r.Type, r.Author, r.Organisation, dateOf(r.Date), r.Licence, r.CoProduced, r.Link,
		nullText(r.File.Key), nullText(r.File.Name), nullText(r.File.Type), nullID(r.File.Size),
		string(r.Status), r.Featured, nullID(r.ReplacedBy), nullID(by), r.CreatedAt, published).Scan(&r.ID); err != nil {
		return r, err
	}
	if err := setResourceLists(ctx, tx, r); err != nil {
		return r, err
	}
	return r, insertVersion(ctx, tx, r.ID, library.Version{Number: 1, Content: r.Content, ChangedBy: by, ChangedAt: r.CreatedAt, What: what})
}

func setResourceLists(ctx context.Context, tx *sql.Tx, r library.Resource) error {
	for _, q := range []string{`DELETE FROM library_resource_topics WHERE resource_id = $1`, `DELETE FROM library_resource_audiences WHERE resource_id = $1`} {
		if _, err := tx.ExecContext(ctx, q, r.ID); err != nil {
			return err
		}
	}
	for _, t := range slices.Compact(slices.Sorted(slices.Values(r.Topics))) {
		if _, err := tx.ExecContext(ctx, `INSERT INTO library_resource_topics (resource_id, topic) VALUES ($1, $2)`, r.ID, t); err != nil {
			return err
		}
	}
	for _, a := range slices.Compact(slices.Sorted(slices.Values(r.Audiences))) {
		if _, err := tx.ExecContext(ctx, `INSERT INTO library_resource_audiences (resource_id, audience) VALUES ($1, $2)`, r.ID, a); err != nil {
			return err
		}
	}
	return nil
}

func insertVersion(ctx context.Context, tx *sql.Tx, id int64, v library.Version) error {
	content, err := json.Marshal(v.Content)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO library_versions (resource_id, number, content, changed_by, changed_at, what) VALUES ($1, $2, $3, $4, $5, $6)`,
		id, v.Number, string(content), nullID(v.ChangedBy), v.ChangedAt, v.What)
	return err
}

// Resource returns one resource, whatever its status, with its topics and
// audiences. The caller decides who may see it.
func (db *DB) Resource(ctx context.Context, id int64) (library.Resource, error) {
	r, err := scanResource(db.read.QueryRowContext(ctx, `SELECT `+libraryColumns+` FROM library_resources r WHERE r.id = $1`, id))
	if err != nil {
		return r, db.dialect.translate(err)
	}
	rs := []library.Resource{r}
	if err := db.resourceLists(ctx, rs); err != nil {
		return r, err
	}
	return rs[0], nil
}

// resourceLists fills in the topics and audiences of rs.
func (db *DB) resourceLists(ctx context.Context, rs []library.Resource) error {
	if len(rs) == 0 {
		return nil
	}
	ids := make([]int64, len(rs))
	at := map[int64]int{}
	for i, r := range rs {
		ids[i], at[r.ID] = r.ID, i
		rs[i].Topics, rs[i].Audiences = nil, nil
	}
	param, _ := json.Marshal(ids)
	for _, part := range []struct {
		sql string
		add func(*library.Resource, string)
	}{
		{`SELECT resource_id, topic FROM library_resource_topics WHERE ` + db.dialect.inIDs("resource_id", "$1") + ` ORDER BY resource_id, topic`,
			func(r *library.Resource, v string) { r.Topics = append(r.Topics, v) }},
		{`SELECT resource_id, audience FROM library_resource_audiences WHERE ` + db.dialect.inIDs("resource_id", "$1") + ` ORDER BY resource_id, audience`,
			func(r *library.Resource, v string) { r.Audiences = append(r.Audiences, v) }},
	} {
		rows, err := db.read.QueryContext(ctx, part.sql, string(param))
		if err != nil {
			return db.dialect.translate(err)
		}
		for rows.Next() {
			var id int64
			var v string
			if err := rows.Scan(&id, &v); err != nil {
				rows.Close()
				return err
			}
			part.add(&rs[at[id]], v)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if err := rows.Err(); err != nil {
			return db.dialect.translate(err)
		}
	}
	return nil
}

// ResourceVersions is every version of a resource, newest first.
func (db *DB) ResourceVersions(ctx context.Context, id int64) ([]library.Version, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT number, content, COALESCE(changed_by, 0), changed_at, what FROM library_versions
		WHERE resource_id = $1 ORDER BY number DESC`, id)
	return collect(db, rows, err, func(r *sql.Rows) (library.Version, error) {
		var v library.Version
		var content string
		if err := r.Scan(&v.Number, &content, &v.ChangedBy, &v.ChangedAt, &v.What); err != nil {
			return v, err
		}
		return v, json.Unmarshal([]byte(content), &v.Content)
	})
}

// ProposedResources is the editors' review queue, oldest first.
func (db *DB) ProposedResources(ctx context.Context) ([]library.Resource, error) {
	return db.resourcesWhere(ctx, `r.status = 'proposed' ORDER BY r.created_at, r.id`)
}

// FeaturedResources are the published resources editors have featured, newest first.
func (db *DB) FeaturedResources(ctx context.Context) ([]library.Resource, error) {
	return db.resourcesWhere(ctx, `r.status = 'published' AND r.featured ORDER BY r.published_at DESC, r.id DESC LIMIT 6`)
}

func (db *DB) resourcesWhere(ctx context.Context, where string, args ...any) ([]library.Resource, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+libraryColumns+` FROM library_resources r WHERE `+where, args...)
	rs, err := collect(db, rows, err, func(r *sql.Rows) (library.Resource, error) { return scanResource(r) })
	if err != nil {
		return nil, err
	}
	return rs, db.resourceLists(ctx, rs)
}

// changeResource runs change on a resource inside a transaction, after
// checking it is at version want (0: any), then bumps updated_at and writes
// the audit row. A resource changed meanwhile is a conflict.
func (db *DB) changeResource(ctx context.Context, ev audit.Event, id int64, want int, change func(tx *sql.Tx, r library.Resource, now time.Time) error) error {
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		r, err := scanResource(tx.QueryRowContext(ctx, `SELECT `+libraryColumns+` FROM library_resources r WHERE r.id = $1`+db.dialect.lockRow(), id))
		if err != nil {
			return err
		}
		if want != 0 && r.Version != want {
			return haven.ErrConflict
		}
		now := db.now()
		if err := change(tx, r, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE library_resources SET updated_at = $1 WHERE id = $2`, now, id); err != nil {
			return err
		}
		ev.Action, ev.RecordType, ev.RecordID = audit.Update, KindLibraryResource, strconv.FormatInt(id, 10)
		return db.appendAudit(ctx, tx, ev)
	})
	return db.dialect.translate(err)
}

// EditResource replaces a resource's content as a new version, keeping the
// one before. version is the version the editor saw: if someone changed it
// since, nothing is written and the answer is a conflict.
func (db *DB) EditResource(ctx context.Context, ev audit.Event, id int64, version int, c library.Content, what string, by int64) error {
	return db.changeResource(ctx, ev, id, version, func(tx *sql.Tx, r library.Resource, now time.Time) error {
		n := r.Version + 1
		if _, err := tx.ExecContext(ctx, `UPDATE library_resources SET title = $1, summary = $2, type = $3, author = $4, organisation = $5,
				resource_date = $6, licence = $7, co_produced = $8, link = $9, version = $10 WHERE id = $11`,
			c.Title, c.Summary, c.Type, c.Author, c.Organisation, dateOf(c.Date), c.Licence, c.CoProduced, c.Link, n, id); err != nil {
			return err
		}
		if err := setResourceLists(ctx, tx, library.Resource{ID: id, Content: c}); err != nil {
			return err
		}
		return insertVersion(ctx, tx, id, library.Version{Number: n, Content: c, ChangedBy: by, ChangedAt: now, What: what})
	})
}

// PublishResource makes a proposed resource public. Publishing one already
// public is a conflict.
func (db *DB) PublishResource(ctx context.Context, ev audit.Event, id int64) error {
	return db.changeResource(ctx, ev, id, 0, func(tx *sql.Tx, r library.Resource, now time.Time) error {
		if r.Status != library.StatusProposed {
			return haven.ErrConflict
		}
		_, err := tx.ExecContext(ctx, `UPDATE library_resources SET status = 'published', published_at = $1 WHERE id = $2`, now, id)
		return err
	})
}

// FeatureResource features or unfeatures a published resource.
func (db *DB) FeatureResource(ctx context.Context, ev audit.Event, id int64, featured bool) error {
	return db.changeResource(ctx, ev, id, 0, func(tx *sql.Tx, r library.Resource, now time.Time) error {
		if r.Status != library.StatusPublished {
			return haven.ErrConflict
		}
		_, err := tx.ExecContext(ctx, `UPDATE library_resources SET featured = $1 WHERE id = $2`, featured, id)
		return err
	})
}

// RetireResource retires a published resource, pointing to the published
// resource that replaced it (0 for none). A retired resource stays
// readable at its address but leaves search, the feed and the features.
func (db *DB) RetireResource(ctx context.Context, ev audit.Event, id, replacement int64) error {
	return db.changeResource(ctx, ev, id, 0, func(tx *sql.Tx, r library.Resource, now time.Time) error {
		if r.Status != library.StatusPublished || replacement == id {
			return haven.ErrConflict
		}
		if replacement != 0 {
			var status string
			if err := tx.QueryRowContext(ctx, `SELECT status FROM library_resources WHERE id = $1`, replacement).Scan(&status); err != nil {
				return haven.ErrInvalid
			}
			if status != string(library.StatusPublished) {
				return haven.ErrInvalid
			}
		}
		_, err := tx.ExecContext(ctx, `UPDATE library_resources SET status = 'retired', featured = FALSE, replaced_by = $1 WHERE id = $2`,
			nullID(replacement), id)
		return err
	})
}

// SearchLibrary is the library's one search: full-text when f.Text has
// words (stemmed, phrases in quotes), otherwise every resource newest
// first; filtered by facets; one page, the total, the facet counts, and a
// highlighted snippet of each hit's summary.
func (db *DB) SearchLibrary(ctx context.Context, f library.Filter) (library.Results, error) {
	res := library.Results{Topics: map[string]int{}, Types: map[string]int{}, Audiences: map[string]int{}}
	statuses := f.Statuses
	if len(statuses) == 0 {
		statuses = []library.Status{library.StatusPublished}
	}
	st, _ := json.Marshal(statuses)
	q := library.ParseQuery(f.Text)
	var rows *sql.Rows
	var err error
	if q.Empty() {
		rows, err = db.read.QueryContext(ctx, `SELECT r.id, r.type FROM library_resources r WHERE `+db.dialect.inTexts("r.status", "$1")+`
			ORDER BY COALESCE(r.published_at, r.created_at) DESC, r.id DESC`, string(st))
	} else {
		rows, err = db.read.QueryContext(ctx, db.dialect.librarySearch(), q.Match(), string(st))
	}
	type match struct {
		id               int64
		typ              string
		topics, audience []string
	}
	matches, err := collect(db, rows, err, func(r *sql.Rows) (match, error) {
		var m match
		return m, r.Scan(&m.id, &m.typ)
	})
	if err != nil {
		return res, err
	}
	// Facets are counted here, from every match's topics and audiences: the
	// library is small enough to read them in one pass per list.
	at := make(map[int64]int, len(matches))
	for i, m := range matches {
		at[m.id] = i
	}
	for _, part := range []struct {
		table, col string
		add        func(*match, string)
	}{
		{"library_resource_topics", "topic", func(m *match, v string) { m.topics = append(m.topics, v) }},
		{"library_resource_audiences", "audience", func(m *match, v string) { m.audience = append(m.audience, v) }},
	} {
		rows, err := db.read.QueryContext(ctx, `SELECT l.resource_id, l.`+part.col+` FROM `+part.table+` l
			JOIN library_resources r ON r.id = l.resource_id WHERE `+db.dialect.inTexts("r.status", "$1"), string(st))
		if err != nil {
			return res, db.dialect.translate(err)
		}
		for rows.Next() {
			var id int64
			var v string
			if err := rows.Scan(&id, &v); err != nil {
				rows.Close()
				return res, err
			}
			if i, ok := at[id]; ok {
				part.add(&matches[i], v)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return res, db.dialect.translate(err)
		}
	}
	anyOf := func(chosen, have []string) bool {
		return len(chosen) == 0 || slices.ContainsFunc(have, func(v string) bool { return slices.Contains(chosen, v) })
	}
	var page []int64
	perPage := f.PerPage
	if perPage <= 0 {
		perPage = library.PerPage
	}
	first := (max(f.Page, 1) - 1) * perPage
	for _, m := range matches {
		byType, byTopic, byAudience := anyOf(f.Types, []string{m.typ}), anyOf(f.Topics, m.topics), anyOf(f.Audiences, m.audience)
		if byTopic && byAudience {
			res.Types[m.typ]++
		}
		if byType && byAudience {
			for _, t := range m.topics {
				res.Topics[t]++
			}
		}
		if byType && byTopic {
			for _, a := range m.audience {
				res.Audiences[a]++
			}
		}
		if byType && byTopic && byAudience {
			if res.Total >= first && len(page) < perPage {
				page = append(page, m.id)
			}
			res.Total++
		}
	}
	if len(page) == 0 {
		return res, nil
	}
	ids, _ := json.Marshal(page)
	rs, err := db.resourcesWhere(ctx, db.dialect.inIDs("r.id", "$1"), string(ids))
	if err != nil {
		return res, err
	}
	byID := make(map[int64]library.Resource, len(rs))
	for _, r := range rs {
		byID[r.ID] = r
	}
	snippets := map[int64]string{}
	if !q.Empty() {
		rows, err := db.read.QueryContext(ctx, db.dialect.librarySnippets(), q.Match(), string(ids))
		if err := scanSnippets(db, rows, err, snippets); err != nil {
			return res, err
		}
	}
	for _, id := range page {
		if r, ok := byID[id]; ok {
			res.Hits = append(res.Hits, library.Hit{Resource: r, Snippet: snippets[id]})
		}
	}
	return res, nil
}

func scanSnippets(db *DB, rows *sql.Rows, err error, into map[int64]string) error {
	type snip struct {
		id   int64
		text string
	}
	ss, err := collect(db, rows, err, func(r *sql.Rows) (snip, error) {
		var s snip
		return s, r.Scan(&s.id, &s.text)
	})
	for _, s := range ss {
		into[s.id] = s.text
	}
	return err
}
