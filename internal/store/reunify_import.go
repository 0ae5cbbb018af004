package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/reunify"
)

// KindLAImport is an idempotency key's claim on an SSDA903 import.
const KindLAImport = "la-import"

// ImportResult is what an SSDA903 episodes import did, or would do (a dry
// run), or why it did nothing (Problems).
type ImportResult struct {
	ID        int64  // the la_imports row; 0 when nothing was written
	SHA256    string // of the file as sent
	Rows      int    // episodes in the file
	Added     int    // new episodes
	Updated   int    // episodes already recorded (same child and start) that the file changed
	Unchanged int    // episodes the file gives exactly as recorded
	Children  int    // children whose episodes the import adds to or changes
	DryRun    bool
	Problems  reunify.Problems
	At        time.Time
	By        int64
	ByName    string // who imported it, for the list of imports
}

// Rejected reports whether the file was refused: nothing was written.
func (r ImportResult) Rejected() bool { return len(r.Problems) > 0 }

// errRejected rolls back an import whose checks, made inside its
// transaction, found problems.
var errRejected = errors.New("store: SSDA903 file rejected")

// ImportSSDA903 imports a team's episodes file, all or nothing.
//
// Every row is checked (reunify.ParseEpisodes), every CHILD must already be
// a child in the team's records (the file has no name or date of birth to
// make one from), and each child's episodes, as they would be after the
// import, must follow the return's rules (reunify.CheckEpisodes). Any
// problem, and nothing is written: the result lists them all.
//
// Episodes are keyed by child and start date (DECOM). For the episodes it
// lists the file is the truth: an episode recorded exactly as the file gives
// it is left alone, one whose fields differ is changed to match the file,
// and a new one is added. Episodes the file does not list are kept. So
// importing the same file twice changes nothing the second time.
//
// A dry run checks and counts in the same way and writes nothing but its
// audit row. The checks of a real import are made again inside its write
// transaction, so nothing recorded meanwhile can slip past them.
func (db *DB) ImportSSDA903(ctx context.Context, ev audit.Event, team int64, file []byte, dryRun bool, today haven.Date) (ImportResult, error) {
	sum := sha256.Sum256(file)
	res := ImportResult{SHA256: hex.EncodeToString(sum[:]), DryRun: dryRun, By: ev.UserID}
	eps, problems := reunify.ParseEpisodes(bytes.NewReader(file), today)
	res.Rows = len(eps) + problems.Rows()
	// A child with a rejected row is not checked against the rules between
	// episodes: with a row missing, those would report knock-on problems.
	rejected := map[string]bool{}
	for _, p := range problems {
		if p.Child != "" {
			rejected[p.Child] = true
		}
	}
	check := func(q queryer) (importPlan, error) {
		p, err := db.planImport(ctx, q, team, eps, rejected)
		if err != nil {
			return p, err
		}
		p.problems = append(append(reunify.Problems{}, problems...), p.problems...)
		sortProblems(p.problems)
		return p, nil
	}
	importEv := func(action audit.Action, section string) audit.Event {
		ev.Action, ev.RecordType, ev.RecordID, ev.Section = action, "la-import", "team:"+itoa(team), section
		return ev
	}
	if dryRun || len(problems) > 0 {
		p, err := check(db.read)
		if err != nil {
			return res, err
		}
		res.fill(p)
		section := "check"
		if !dryRun {
			section = "rejected"
		}
		return res, db.Audit(ctx, importEv(audit.View, section))
	}

	claimed := claim{user: ev.UserID, kind: KindLAImport, target: "la-team:" + itoa(team) + ":" + res.SHA256}
	var plan importPlan
	err := db.createTx(ctx, claimed, func(tx *sql.Tx) (int64, string, error) {
		// Lock the team's children: no episode can be recorded for them
		// while the import checks and writes (SQLite's writer already has
		// the database to itself).
		// #nosec G202 -- lockRow is a constant of the dialect, " FOR UPDATE" or nothing
		if _, err := tx.ExecContext(ctx, `SELECT id FROM la_children WHERE la_team_id = $1`+db.dialect.lockRow(), team); err != nil {
			return 0, "", err
		}
		var err error
		if plan, err = check(tx); err != nil {
			return 0, "", err
		}
		if len(plan.problems) > 0 {
			return 0, "", errRejected
		}
		now := db.now()
		if err := db.writeImport(ctx, tx, plan, ev.UserID, now); err != nil {
			return 0, "", err
		}
		res.At = now
		if err := tx.QueryRowContext(ctx, `INSERT INTO la_imports (la_team_id, by_user, at, sha256, row_count, added, updated, unchanged)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			team, nullID(ev.UserID), now, res.SHA256, res.Rows, len(plan.add), len(plan.update), plan.unchanged).Scan(&res.ID); err != nil {
			return 0, "", err
		}
		events := []audit.Event{importEv(audit.Create, "")}
		events[0].RecordID = itoa(res.ID)
		for _, child := range plan.children() {
			events = append(events, laChildEvent(ev, audit.Update, child, "episodes"))
		}
		return res.ID, "", db.appendAudits(ctx, tx, events)
	})
	res.fill(plan)
	if errors.Is(err, errRejected) {
		// Nothing was written; the report says why, and the trail that it was tried.
		return res, db.Audit(ctx, importEv(audit.View, "rejected"))
	}
	return res, err
}

func (r *ImportResult) fill(p importPlan) {
	r.Problems = p.problems
	if len(p.problems) > 0 {
		return // nothing was, or would be, written
	}
	r.Added, r.Updated, r.Unchanged = len(p.add), len(p.update), p.unchanged
	r.Children = len(p.children())
}

func sortProblems(ps reunify.Problems) {
	// Stable by row: a row's own problems first, then the rules between episodes.
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && ps[j].Row < ps[j-1].Row; j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

// importPlan is what an import will write.
type importPlan struct {
	add       []reunify.FileEpisode // with Child set
	update    []reunify.FileEpisode // with ID and Child set
	unchanged int
	problems  reunify.Problems
}

func (p importPlan) children() []int64 {
	seen := map[int64]bool{}
	var out []int64
	for _, list := range [][]reunify.FileEpisode{p.add, p.update} {
		for _, e := range list {
			if !seen[e.Child] {
				seen[e.Child] = true
				out = append(out, e.Child)
			}
		}
	}
	return out
}

// planImport matches the file's episodes to the team's children and their
// recorded episodes, and checks each child's episodes as they would be.
func (db *DB) planImport(ctx context.Context, q queryer, team int64, eps []reunify.FileEpisode, rejected map[string]bool) (importPlan, error) {
	var p importPlan
	if len(eps) == 0 {
		return p, nil
	}
	children := map[string]int64{}
	rows, err := q.QueryContext(ctx, `SELECT id, child_ref FROM la_children WHERE la_team_id = $1`, team)
	if err != nil {
		return p, db.dialect.translate(err)
	}
	for rows.Next() {
		var id int64
		var ref string
		if err := rows.Scan(&id, &ref); err != nil {
			rows.Close()
			return p, err
		}
		children[ref] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return p, db.dialect.translate(err)
	}
	recorded, err := db.teamFileEpisodes(ctx, q, team)
	if err != nil {
		return p, err
	}
	byChild := map[int64][]reunify.FileEpisode{}
	for _, e := range recorded {
		byChild[e.Child] = append(byChild[e.Child], e)
	}
	inFile := map[int64][]reunify.FileEpisode{}
	var order []int64
	for _, e := range eps {
		id, ok := children[e.ChildRef]
		if !ok {
			p.problems = append(p.problems, reunify.Problem{Row: e.Row, Column: "CHILD", Value: e.ChildRef,
				Why: "No child with the ID " + e.ChildRef + " is in your team's records. The episodes file has no name or date of birth, so add the child first"})
			continue
		}
		e.Child = id
		if _, seen := inFile[id]; !seen {
			order = append(order, id)
		}
		inFile[id] = append(inFile[id], e)
	}
	for _, child := range order {
		after := make([]reunify.FileEpisode, 0, len(byChild[child])+len(inFile[child]))
		have := map[haven.Date]reunify.FileEpisode{}
		for _, r := range byChild[child] {
			have[r.StartsOn] = r
		}
		listed := map[haven.Date]bool{}
		for _, e := range inFile[child] {
			listed[e.StartsOn] = true
			after = append(after, e)
			switch r, ok := have[e.StartsOn]; {
			case !ok:
				p.add = append(p.add, e)
			case r.Same(e):
				p.unchanged++
			default:
				e.ID = r.ID
				p.update = append(p.update, e)
			}
		}
		for _, r := range byChild[child] {
			if !listed[r.StartsOn] {
				r.Row = 0
				after = append(after, r)
			}
		}
		if !rejected[inFile[child][0].ChildRef] {
			p.problems = append(p.problems, reunify.CheckEpisodes(after)...)
		}
	}
	return p, nil
}

// teamFileEpisodes is every episode of the team's children, as a file row.
func (db *DB) teamFileEpisodes(ctx context.Context, q queryer, team int64) ([]reunify.FileEpisode, error) {
	rows, err := q.QueryContext(ctx, `SELECT e.id, e.child_id, c.child_ref, e.starts_on, e.rne, e.legal_status, e.cin, e.placement, e.provider,
			e.ends_on, e.rec, e.place_change, e.urn, e.version
		FROM la_episodes e JOIN la_children c ON c.id = e.child_id
		WHERE c.la_team_id = $1 ORDER BY c.child_ref, e.starts_on`, team)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer rows.Close()
	var out []reunify.FileEpisode
	for rows.Next() {
		var e reunify.FileEpisode
		if err := rows.Scan(&e.ID, &e.Child, &e.ChildRef, &e.StartsOn, &e.RNE, &e.LegalStatus, &e.CIN, &e.Placement, &e.Provider,
			&e.EndsOn, &e.REC, &e.PlaceChange, &e.URN, &e.Version); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, db.dialect.translate(rows.Err())
}

// LAEpisodesFile is every episode of the team's children as the rows of an
// SSDA903 episodes file, by child ID and start date.
func (db *DB) LAEpisodesFile(ctx context.Context, team int64) ([]reunify.FileEpisode, error) {
	return db.teamFileEpisodes(ctx, db.read, team)
}

// importBatch is how many episodes one INSERT statement adds: the bulk
// loader's multi-row shape, inside the import's one transaction, so that a
// large file is a few hundred statements and still all or nothing.
const importBatch = 50

var importColumns = []string{"child_id", "starts_on", "rne", "legal_status", "cin", "placement", "provider",
	"ends_on", "rec", "place_change", "urn", "version", "created_by", "at"}

func (db *DB) writeImport(ctx context.Context, tx *sql.Tx, p importPlan, by int64, now time.Time) error {
	for start := 0; start < len(p.add); start += importBatch {
		batch := p.add[start:min(start+importBatch, len(p.add))]
		args := make([]any, 0, len(batch)*len(importColumns))
		for _, e := range batch {
			args = append(args, e.Child, e.StartsOn, e.RNE, e.LegalStatus, e.CIN, e.Placement, e.Provider,
				nullDate(e.EndsOn), e.REC, e.PlaceChange, e.URN, 1, nullID(by), now)
		}
		if _, err := tx.ExecContext(ctx, importInsertSQL(len(batch)), args...); err != nil {
			return fmt.Errorf("import episodes: %w", db.dialect.translate(err))
		}
	}
	for _, e := range p.update {
		if _, err := tx.ExecContext(ctx, `UPDATE la_episodes SET rne = $1, legal_status = $2, cin = $3, placement = $4, provider = $5,
			ends_on = $6, rec = $7, place_change = $8, urn = $9, version = version + 1 WHERE id = $10`,
			e.RNE, e.LegalStatus, e.CIN, e.Placement, e.Provider, nullDate(e.EndsOn), e.REC, e.PlaceChange, e.URN, e.ID); err != nil {
			return fmt.Errorf("import episodes: %w", db.dialect.translate(err))
		}
	}
	return nil
}

// importInsertSQL is the INSERT for n episodes. Its text depends only on n,
// so the database can reuse its plan for every full batch.
func importInsertSQL(n int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO la_episodes (" + strings.Join(importColumns, ", ") + ") VALUES ")
	w := len(importColumns)
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j := range w {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("$" + strconv.Itoa(i*w+j+1))
		}
		b.WriteByte(')')
	}
	return b.String()
}

// LAImports lists a team's imports, newest first.
func (db *DB) LAImports(ctx context.Context, team int64, limit int) ([]ImportResult, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT i.id, i.at, COALESCE(i.by_user, 0), COALESCE(u.display_name, ''), i.sha256, i.row_count, i.added, i.updated, i.unchanged
		FROM la_imports i LEFT JOIN users u ON u.id = i.by_user
		WHERE i.la_team_id = $1 ORDER BY i.at DESC, i.id DESC LIMIT $2`, team, limit)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer rows.Close()
	var out []ImportResult
	for rows.Next() {
		var r ImportResult
		if err := rows.Scan(&r.ID, &r.At, &r.By, &r.ByName, &r.SHA256, &r.Rows, &r.Added, &r.Updated, &r.Unchanged); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, db.dialect.translate(rows.Err())
}
