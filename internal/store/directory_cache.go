package store

import (
	"cmp"
	"context"
	"database/sql"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"haven/internal/directory"
)

// The directory's reads are served from a snapshot of the whole directory
// held in memory: a thousand public entries, read far more often than they
// change (the Open Referral feed, the public search). Matching a query
// against the snapshot costs microseconds, where the SQL for it read every
// service, its areas and every location on each request (issue 20's
// 1,000 requests a second on one core).
//
// The snapshot is kept current: this process's writes mark it stale at once
// (dirChanged), and a fingerprint of the directory (how many services and
// organisations, when each last changed, the Practices' versions) is read
// from the database at most once a second (dirRecheck), so a change another
// Haven process makes shows within a second. A new writer of the dir_
// tables or of a Practice's name or areas must call dirChanged.

type dirCache struct {
	gen  atomic.Int64 // bumped after every committed change to the directory
	mu   sync.Mutex   // one rebuild at a time
	snap atomic.Pointer[dirSnapshot]
}

// dirSnapshot is the directory at one moment: every service in the feed's
// order (by name, then id), with what matching needs worked out once.
type dirSnapshot struct {
	gen         int64
	fingerprint dirFingerprint
	services    []dirEntry // by name, then id
	byID        map[string]int
	salByID     map[string]int // service-at-location id → service index
	orgs        []directory.Organisation
	orgByID     map[string]int
	memo        atomic.Pointer[dirMemo]
	checked     atomic.Value // time.Time the fingerprint was last found unchanged
	matches     sync.Map     // matchKey → []dirMatch, for at most dirMatchMemo queries
	matchCount  atomic.Int64
}

// dirMatchMemo is how many different queries' matches a snapshot keeps:
// paging through one query matches once, and a flood of different
// searches cannot fill the memory.
const dirMatchMemo = 4096

// matchKey is what a match depends on (not the page).
type matchKey struct {
	search, term, org string
	after             time.Time
	near              directory.Place
	hasNear           bool
	proximity         float64
}

type dirEntry struct {
	directory.Service
	name, description string // lower case, for search
	terms, areas      map[string]bool
}

// dirFingerprint changes whenever a service or organisation is added,
// removed or changed (a change sets last_modified; Practice renames set
// their entry's).
type dirFingerprint struct {
	services, orgs       int64
	servicesMod, orgsMod sql.NullString
	practicesVersion     int64
}

// dirChanged marks the snapshot stale after a committed change.
func (db *DB) dirChanged() { db.dir.gen.Add(1) }

func (db *DB) dirFingerprint(ctx context.Context) (dirFingerprint, error) {
	var f dirFingerprint
	// Times as text: the same comparison on both databases, whatever type the driver gives.
	err := db.read.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM dir_services), (SELECT CAST(MAX(last_modified) AS TEXT) FROM dir_services),
		(SELECT COUNT(*) FROM dir_organisations), (SELECT CAST(MAX(last_modified) AS TEXT) FROM dir_organisations),
		(SELECT COALESCE(SUM(version), 0) FROM practices)`).Scan(&f.services, &f.servicesMod, &f.orgs, &f.orgsMod, &f.practicesVersion)
	return f, err
}

// dirRecheck is how often the fingerprint is read: a change another
// process makes shows within it (the feed already lets shared caches keep a
// response for a minute); this process's own changes show at once.
const dirRecheck = time.Second

// directory returns a current snapshot, rebuilding it if anything changed.
func (db *DB) directory(ctx context.Context) (*dirSnapshot, error) {
	gen := db.dir.gen.Load()
	s := db.dir.snap.Load()
	if s != nil && s.gen == gen && time.Since(s.checked.Load().(time.Time)) < dirRecheck {
		return s, nil
	}
	fp, err := db.dirFingerprint(ctx)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	if s != nil && s.gen == gen && s.fingerprint == fp {
		s.checked.Store(time.Now())
		return s, nil
	}
	db.dir.mu.Lock()
	defer db.dir.mu.Unlock()
	if s := db.dir.snap.Load(); s != nil && s.gen == gen && s.fingerprint == fp {
		return s, nil // another request rebuilt it while this one waited
	}
	// The fingerprint is read again here, before the data: a change
	// committed between the two reads makes the next request rebuild.
	gen = db.dir.gen.Load()
	if fp, err = db.dirFingerprint(ctx); err != nil {
		return nil, db.dialect.translate(err)
	}
	s, err = db.buildDirectory(ctx)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	s.gen, s.fingerprint = gen, fp
	s.checked.Store(time.Now())
	db.dir.snap.Store(s)
	return s, nil
}

func (db *DB) buildDirectory(ctx context.Context) (*dirSnapshot, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id FROM dir_services`)
	ids, err := collect(db, rows, err, func(r *sql.Rows) (string, error) {
		var id string
		return id, r.Scan(&id)
	})
	if err != nil {
		return nil, err
	}
	all, err := db.loadServices(ctx, db.read, ids)
	if err != nil {
		return nil, err
	}
	s := &dirSnapshot{byID: make(map[string]int, len(all)), salByID: map[string]int{}, orgByID: map[string]int{}}
	s.services = make([]dirEntry, len(all))
	for i, sv := range all {
		e := dirEntry{Service: sv, name: strings.ToLower(sv.Name), description: strings.ToLower(sv.Description),
			terms: make(map[string]bool, len(sv.Terms)), areas: make(map[string]bool, len(sv.ServiceAreas))}
		for _, t := range sv.Terms {
			e.terms[t] = true
		}
		for _, a := range sv.ServiceAreas {
			e.areas[a] = true
		}
		s.services[i] = e
	}
	slices.SortFunc(s.services, func(a, b dirEntry) int { return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.ID, b.ID)) })
	for i, e := range s.services {
		s.byID[e.ID] = i
		for _, l := range e.Locations {
			s.salByID[l.ServiceAtLocationID] = i
		}
	}
	rows, err = db.read.QueryContext(ctx, `SELECT `+dirOrgColumns+` FROM dir_organisations d LEFT JOIN organisations o ON o.id = d.haven_organisation_id`)
	if s.orgs, err = collect(db, rows, err, func(r *sql.Rows) (directory.Organisation, error) { return scanDirOrg(r) }); err != nil {
		return nil, err
	}
	slices.SortFunc(s.orgs, func(a, b directory.Organisation) int {
		return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.ID, b.ID))
	})
	for i, o := range s.orgs {
		s.orgByID[o.ID] = i
	}
	return s, nil
}

// service is a copy of one service, so a caller's changes never reach the snapshot.
func (s *dirSnapshot) service(i int) directory.Service {
	sv := s.services[i].Service
	sv.ServiceAreas, sv.Terms = slices.Clone(sv.ServiceAreas), slices.Clone(sv.Terms)
	sv.Locations, sv.Contacts = slices.Clone(sv.Locations), slices.Clone(sv.Contacts)
	sv.Phones, sv.Schedules = slices.Clone(sv.Phones), slices.Clone(sv.Schedules)
	return sv
}

// match is every service q's filters match, in the feed's order, with
// matchServices' rules (see there). Callers must not change what it returns.
func (s *dirSnapshot) match(q directory.Query) []dirMatch {
	k := matchKey{search: strings.ToLower(strings.TrimSpace(q.Search)), term: q.TermID, org: q.OrganisationID, after: modifiedAfter(q), proximity: q.Proximity}
	if q.Near != nil {
		k.near, k.hasNear = *q.Near, true
	}
	if ms, ok := s.matches.Load(k); ok {
		return ms.([]dirMatch)
	}
	ms := s.matchAll(q)
	if s.matchCount.Add(1) <= dirMatchMemo {
		s.matches.Store(k, ms)
	}
	return ms
}

func (s *dirSnapshot) matchAll(q directory.Query) []dirMatch {
	search := strings.ToLower(strings.TrimSpace(q.Search))
	after := modifiedAfter(q)
	var out []dirMatch
	for _, e := range s.services {
		if search != "" && !strings.Contains(e.name, search) && !strings.Contains(e.description, search) {
			continue
		}
		if (q.TermID != "" && !e.terms[q.TermID]) || (q.OrganisationID != "" && e.OrganisationID != q.OrganisationID) || !e.LastModified.After(after) {
			continue
		}
		m := dirMatch{id: e.ID, name: e.Name, distance: math.Inf(1)}
		if q.Near == nil {
			out = append(out, m)
			continue
		}
		for _, l := range e.Locations {
			if l.HasPosition {
				m.distance = min(m.distance, directory.Distance(q.Near.Latitude, q.Near.Longitude, l.Latitude, l.Longitude))
			}
		}
		if (q.Near.LACode != "" && e.areas[q.Near.LACode]) || (q.Proximity > 0 && m.distance <= q.Proximity) {
			out = append(out, m)
		}
	}
	if q.Near != nil {
		slices.SortStableFunc(out, func(a, b dirMatch) int { return cmp.Compare(a.distance, b.distance) })
	}
	return out
}

// DirView is the directory at one moment, for a feed request that reads
// several things from it: one check that it is current, then everything
// from memory. Its memo keeps what a caller made from an entry (the feed
// keeps each service's JSON) for as long as the snapshot and the day last.
type DirView struct{ s *dirSnapshot }

// DirectoryView returns the current directory.
func (db *DB) DirectoryView(ctx context.Context) (DirView, error) {
	s, err := db.directory(ctx)
	return DirView{s}, err
}

// ServiceIDs returns the ids of q's page of services and how many match in all.
func (v DirView) ServiceIDs(q directory.Query) ([]string, int) {
	ms := v.s.match(q)
	return pageIDs(ms, q), len(ms)
}

// ServiceAtLocationIDs returns q's page of service-at-location pairs as
// [pair id, service id], and how many in all.
func (v DirView) ServiceAtLocationIDs(q directory.Query) ([][2]string, int) {
	var pairs [][2]string
	for _, m := range v.s.match(q) {
		for _, l := range v.s.services[v.s.byID[m.id]].Locations {
			pairs = append(pairs, [2]string{l.ServiceAtLocationID, m.id})
		}
	}
	from, to := min(q.Offset(), len(pairs)), min(q.Offset()+q.PerPage, len(pairs))
	return pairs[from:to], len(pairs)
}

// Service returns one service; ok is false if there is none.
func (v DirView) Service(id string) (directory.Service, bool) {
	i, ok := v.s.byID[id]
	if !ok {
		return directory.Service{}, false
	}
	return v.s.service(i), true
}

// ServiceAtLocation returns one service-at-location pair.
func (v DirView) ServiceAtLocation(id string) (ServiceAtLocation, bool) {
	i, ok := v.s.salByID[id]
	if !ok {
		return ServiceAtLocation{}, false
	}
	s := v.s.service(i)
	for _, l := range s.Locations {
		if l.ServiceAtLocationID == id {
			return ServiceAtLocation{ID: id, Service: s, Location: l}, true
		}
	}
	return ServiceAtLocation{}, false
}

// Organisation returns one organisation; ok is false if there is none.
func (v DirView) Organisation(id string) (directory.Organisation, bool) {
	i, ok := v.s.orgByID[id]
	if !ok {
		return directory.Organisation{}, false
	}
	return v.s.orgs[i], true
}

// dirMemo is what callers made from one snapshot on one day.
type dirMemo struct {
	day   string
	m     sync.Map // key → []byte
	bytes atomic.Int64
}

// dirMemoBytes caps a memo: a thousand services' JSON in both forms is
// about 15 MB; whole pages fill the rest, and once it is full what is made
// is used and not kept, so no stream of different queries can fill memory.
const dirMemoBytes = 48 << 20

// Memo returns what build gives for key on day, building it once for the
// snapshot and the day. build must depend only on the view, key and day.
func (v DirView) Memo(day, key string, build func() []byte) []byte {
	m := v.s.memo.Load()
	if m == nil || m.day != day {
		fresh := &dirMemo{day: day}
		if v.s.memo.CompareAndSwap(m, fresh) {
			m = fresh
		} else {
			m = v.s.memo.Load()
		}
	}
	if b, ok := m.m.Load(key); ok {
		return b.([]byte)
	}
	b := build()
	if m.day == day && m.bytes.Add(int64(len(b)+len(key))) <= dirMemoBytes {
		m.m.Store(key, b)
	}
	return b
}
