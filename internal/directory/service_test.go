package directory

import (
	"math"
	"testing"
)

func TestDistance(t *testing.T) {
	degree := earthRadius * math.Pi / 180 // one degree of a great circle: 111,195.08 m
	for _, tc := range []struct {
		name                   string
		lat1, lon1, lat2, lon2 float64
		want                   float64
	}{
		{"same point", 53.79736, -1.55313, 53.79736, -1.55313, 0},
		{"one degree along a meridian", 53, -1, 54, -1, 111195.08},
		{"one degree along the equator", 0, 10, 0, 11, degree},
		{"half a degree south", 51.5, 0, 51, 0, degree / 2},
		{"antipodes", 0, 0, 0, 180, math.Pi * earthRadius},
		{"pole to pole", 90, 0, -90, 0, math.Pi * earthRadius},
	} {
		got := Distance(tc.lat1, tc.lon1, tc.lat2, tc.lon2)
		if math.Abs(got-tc.want) > 0.01 {
			t.Errorf("%s: Distance = %.2f m, want %.2f m", tc.name, got, tc.want)
		}
		if back := Distance(tc.lat2, tc.lon2, tc.lat1, tc.lon1); math.Abs(back-got) > 1e-6 {
			t.Errorf("%s: not symmetric: %.6f and %.6f", tc.name, got, back)
		}
	}
	// Leeds LS1 to York YO1 centroids, by a flat-earth sum at this scale:
	// 0.16078° north = 17,878 m; 0.48125° east × cos 53.878° = 31,561 m;
	// together √(17,878² + 31,561²) = 36,272 m, within 0.1% of the great circle.
	if d := Distance(53.79736, -1.55313, 53.95814, -1.07188); math.Abs(d-36272) > 36 {
		t.Errorf("LS1 to YO1 = %.0f m, want 36,272 m ± 0.1%%", d)
	}
}

func TestIDs(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		id := NewID()
		if !ValidID(id) || id[14] != '4' || !(id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b') {
			t.Fatalf("NewID() = %q, not a version 4 UUID", id)
		}
		if seen[id] {
			t.Fatalf("NewID() repeated %q", id)
		}
		seen[id] = true
	}
	if a, b := NameID("x"), NameID("x"); a != b || !ValidID(a) || a[14] != '5' {
		t.Errorf("NameID: %q, %q, want one version 5 UUID", a, b)
	}
	for _, bad := range []string{"", "1", "not-a-uuid", "E2A9A8C0-0000-4000-8000-000000000000", "e2a9a8c0-0000-4000-8000-00000000000", "e2a9a8c0-0000-4000-8000-0000000000000"} {
		if ValidID(bad) {
			t.Errorf("ValidID(%q) = true", bad)
		}
	}
}

// Migration 0036 writes the Pause Practice term's UUID as a literal: it must
// stay the one the taxonomy derives.
func TestPracticeTermIDIsPinned(t *testing.T) {
	term, tax, ok := TermByID(PausePracticeTerm)
	if !ok || term.Code != "pause-practice" || tax.ID != Taxonomies[0].ID {
		t.Errorf("PausePracticeTerm is %+v in %q, want the model taxonomy's pause-practice", term, tax.Name)
	}
}
