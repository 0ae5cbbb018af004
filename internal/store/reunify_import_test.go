package store_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"strings"
	"testing"
	"time"

	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/reunify"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

const header903 = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"

// validFile: C1 comes into care, changes placement (X1), goes home (E4A)
// and comes back; C2 is in care.
const validFile = header903 +
	"C1,01/04/2023,S,C2,N1,U1,PR1,10/10/2023,X1,CARPL,LS1 1AA,LS2 2BB,SC123456\n" +
	"C1,10/10/2023,P,C2,N1,U4,PR1,01/02/2024,E4A,,LS1 1AA,,\n" +
	"C1,01/05/2024,S,V2,N1,U1,PR1,,,,LS1 1AA,,\n" +
	"C2,15/05/2024,S,C1,N4,U1,PR1,,,,,,\n"

func TestImportSSDA903(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		a, b := twoLATeams(t, db)
		today := haven.NewDate(2026, time.December, 7)
		ev := audit.Event{}
		child := func(team int64, ref string) reunify.Child {
			c, err := db.CreateLAChild(ctx, ev, reunify.Child{Team: team, Ref: ref, FirstName: "Sam", BornOn: haven.NewDate(2018, 1, 2)}, 0, today)
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		c1, c2 := child(a.ID, "C1"), child(a.ID, "C2")
		child(b.ID, "C9")
		episodes := func(c reunify.Child) []reunify.Episode {
			t.Helper()
			eps, err := db.LAEpisodes(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			return eps
		}
		imports := func() int {
			t.Helper()
			is, err := db.LAImports(ctx, a.ID, 100)
			if err != nil {
				t.Fatal(err)
			}
			return len(is)
		}

		// A dry run checks and counts and writes nothing.
		res, err := db.ImportSSDA903(ctx, ev, a.ID, []byte(validFile), true, today)
		if err != nil || res.Rejected() || res.Added != 4 || res.ID != 0 {
			t.Fatalf("dry run: %+v, %v", res, err)
		}
		if len(episodes(c1)) != 0 || imports() != 0 {
			t.Fatal("a dry run wrote")
		}

		res, err = db.ImportSSDA903(ctx, ev, a.ID, []byte(validFile), false, today)
		if err != nil || res.Rejected() {
			t.Fatalf("import: %+v, %v", res, err)
		}
		if res.Rows != 4 || res.Added != 4 || res.Updated != 0 || res.Unchanged != 0 || res.Children != 2 || res.ID == 0 || len(res.SHA256) != 64 {
			t.Errorf("result %+v", res)
		}
		got := episodes(c1)
		if len(got) != 3 || got[0].REC != "X1" || got[1].REC != "E4A" || got[1].EndsOn != haven.NewDate(2024, 2, 1) || !got[2].Open() || len(episodes(c2)) != 1 {
			t.Fatalf("episodes %+v", got)
		}

		// The same file again changes nothing.
		res, err = db.ImportSSDA903(ctx, ev, a.ID, []byte(validFile), false, today)
		if err != nil || res.Added != 0 || res.Updated != 0 || res.Unchanged != 4 {
			t.Fatalf("second import: %+v, %v", res, err)
		}
		for _, e := range episodes(c1) {
			if e.Version != 1 {
				t.Errorf("episode changed by a repeat: %+v", e)
			}
		}

		// Export, and import the export: nothing changes. No postcode left Haven.
		file, err := db.LAEpisodesFile(ctx, a.ID)
		if err != nil || len(file) != 4 {
			t.Fatalf("export %d, %v", len(file), err)
		}
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		w.Write(reunify.EpisodeColumns)
		w.WriteAll(reunify.EpisodeRecords(file))
		if strings.Contains(buf.String(), "LS1") || !strings.Contains(buf.String(), "SC123456") {
			t.Errorf("export:\n%s", buf.String())
		}
		res, err = db.ImportSSDA903(ctx, ev, a.ID, buf.Bytes(), false, today)
		if err != nil || res.Added+res.Updated != 0 || res.Unchanged != 4 {
			t.Fatalf("round trip: %+v, %v", res, err)
		}

		// The file is the truth for the episodes it lists: a changed field is
		// updated, an episode it does not list is kept.
		changed := header903 + "C2,15/05/2024,S,C2,N4,U1,PR1,,,,,,\n"
		res, err = db.ImportSSDA903(ctx, ev, a.ID, []byte(changed), false, today)
		if err != nil || res.Updated != 1 || res.Added != 0 {
			t.Fatalf("update: %+v, %v", res, err)
		}
		if e := episodes(c2); len(e) != 1 || e[0].LegalStatus != "C2" || e[0].Version != 2 {
			t.Errorf("after update %+v", e)
		}
		if len(episodes(c1)) != 3 {
			t.Error("an episode the file does not list was removed")
		}
		before := imports()

		// A file with any problem writes nothing, and names every row.
		bad := header903 +
			"C2,01/01/2026,S,C2,N4,U1,PR1,,,,,,\n" + // C2's episode from 2024 is still open
			"C9,01/04/2023,S,C2,N1,U1,PR1,,,,,,\n" + // another team's child
			"C1,01/04/2023,S,C2,N1,U1,PR1,10/10/2023,X1,CARPL,,,\n" + // unchanged, fine
			"C3,32/01/2024,S,C2,N1,U1,PR1,,,,,,\n" // not a date
		res, err = db.ImportSSDA903(ctx, ev, a.ID, []byte(bad), false, today)
		if err != nil || !res.Rejected() || res.ID != 0 {
			t.Fatalf("bad file: %+v, %v", res, err)
		}
		rows := map[int]string{}
		for _, p := range res.Problems {
			rows[p.Row] = p.Column
		}
		if rows[2] != "DECOM" || rows[3] != "CHILD" || rows[5] != "DECOM" || len(rows) != 3 {
			t.Errorf("problems %v", res.Problems)
		}
		if len(episodes(c2)) != 1 || imports() != before {
			t.Error("a rejected file wrote")
		}
		// The rule between episodes is checked in the write transaction too
		// (the parse found nothing wrong with row 2 alone).
		res, err = db.ImportSSDA903(ctx, ev, a.ID, []byte(header903+"C2,01/01/2026,S,C2,N4,U1,PR1,,,,,,\n"), false, today)
		if err != nil || !res.Rejected() || len(episodes(c2)) != 1 || imports() != before {
			t.Fatalf("overlap: %+v, %v", res, err)
		}

		// Team B cannot import onto team A's children.
		res, err = db.ImportSSDA903(ctx, ev, b.ID, []byte(validFile), false, today)
		if err != nil || !res.Rejected() || res.Problems[0].Column != "CHILD" {
			t.Fatalf("other team: %+v, %v", res, err)
		}

		// An idempotency key makes a repeat a Duplicate; a different file under it is refused.
		kctx := store.WithIdempotencyKey(ctx, "import-key-0123456789")
		first, err := db.ImportSSDA903(kctx, ev, a.ID, []byte(changed), false, today)
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.ImportSSDA903(kctx, ev, a.ID, []byte(changed), false, today)
		var dup *store.Duplicate
		if !errors.As(err, &dup) || dup.ID != first.ID {
			t.Errorf("repeat: %v", err)
		}
		_, err = db.ImportSSDA903(kctx, ev, a.ID, []byte(validFile), false, today)
		if !errors.Is(err, store.ErrKeyReused) {
			t.Errorf("another file under the key: %v", err)
		}

		// The dashboard's data: team A's returns and starts, nothing of B's.
		rs, _, err := db.LADashboardData(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) != 1 || rs[0].Child != c1.ID || rs[0].ReEntry != haven.NewDate(2024, 5, 1) {
			t.Errorf("returns %+v", rs)
		}
		if rs, _, _ := db.LADashboardData(ctx, b.ID); len(rs) != 0 {
			t.Errorf("team B sees %+v", rs)
		}
	})
}

// A child with a rejected row is reported for that row alone: the rules
// between episodes are not run on what is left of the child's episodes.
func TestImportSSDA903NoKnockOnProblems(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := t.Context()
	a, _ := twoLATeams(t, db)
	today := haven.NewDate(2026, time.December, 7)
	if _, err := db.CreateLAChild(ctx, audit.Event{}, reunify.Child{Team: a.ID, Ref: "C1", FirstName: "Sam", BornOn: haven.NewDate(2018, 1, 2)}, 0, today); err != nil {
		t.Fatal(err)
	}
	// Row 2, the first episode, has a bad code; without it, row 3 would be
	// "the first episode must start with S".
	file := header903 +
		"C1,01/04/2023,S,C9,N1,U1,PR1,10/10/2023,X1,,,,\n" +
		"C1,10/10/2023,P,C2,N1,U4,PR1,,,,,,\n"
	res, err := db.ImportSSDA903(ctx, audit.Event{}, a.ID, []byte(file), true, today)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Problems) != 1 || res.Problems[0].Row != 2 || res.Problems[0].Column != "LS" || res.Problems[0].Child != "C1" {
		t.Errorf("problems %+v", res.Problems)
	}
}
