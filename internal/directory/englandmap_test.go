package directory

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"haven/internal/access"
)

// rings reads a path written by buildMap back into its rings.
func rings(t *testing.T, d string) [][]point {
	t.Helper()
	var out [][]point
	for _, ring := range strings.Split(strings.TrimSuffix(d, "Z"), "Z") {
		var r []point
		for _, p := range strings.FieldsFunc(ring, func(c rune) bool { return c == 'M' || c == 'L' }) {
			x, y, ok := strings.Cut(p, " ")
			fx, err1 := strconv.ParseFloat(x, 64)
			fy, err2 := strconv.ParseFloat(y, 64)
			if !ok || err1 != nil || err2 != nil {
				t.Fatalf("bad point %q", p)
			}
			r = append(r, point{fx, fy})
		}
		out = append(out, r)
	}
	return out
}

func shoelace(r []point) float64 {
	s := 0.0
	for i := range r {
		j := (i + 1) % len(r)
		s += r[i].x*r[j].y - r[j].x*r[i].y
	}
	return math.Abs(s) / 2
}

func inside(p point, rs [][]point) bool {
	in := false
	for _, r := range rs {
		for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
			if (r[i].y > p.y) != (r[j].y > p.y) && p.x < (r[j].x-r[i].x)*(p.y-r[i].y)/(r[j].y-r[i].y)+r[i].x {
				in = !in
			}
		}
	}
	return in
}

func TestEnglandMapDrawsEveryUpperTierAuthority(t *testing.T) {
	m, err := England()
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Areas) != 153 || m.Width != MapWidth || m.Height < 600 || m.Height > 800 {
		t.Fatalf("%d areas on %d × %d", len(m.Areas), m.Width, m.Height)
	}
	size := 0
	for _, a := range m.Areas {
		if la, ok := access.LocalAuthorityByCode(a.Code); !ok || la.Name != a.Name {
			t.Errorf("%s %q is not the authority Haven knows by that code (%q)", a.Code, a.Name, la.Name)
		}
		size += len(a.Path)
		for _, r := range rings(t, a.Path) {
			for _, p := range r {
				if p.x < 0 || p.x > float64(m.Width) || p.y < 0 || p.y > float64(m.Height) {
					t.Errorf("%s has a point off the map: %v", a.Name, p)
				}
			}
		}
	}
	// Simplified to under a pixel, the whole map stays small enough to send with every page.
	if size > 120_000 {
		t.Errorf("paths take %d bytes", size)
	}
}

// Simplifying keeps each authority's outline: no point of it strays more
// than the tolerance, so its area changes by at most the tolerance times
// its perimeter; and known places stay inside it.
func TestEnglandMapKeepsShapes(t *testing.T) {
	m, _ := England()
	exact, err := buildMapTolerance(utlaGeoJSON, 0)
	if err != nil {
		t.Fatal(err)
	}
	byCode := map[string]MapArea{}
	for _, a := range exact.Areas {
		byCode[a.Code] = a
	}
	for _, a := range m.Areas {
		got, want, perimeter := 0.0, 0.0, 0.0
		for _, r := range rings(t, a.Path) {
			got += shoelace(r)
		}
		for _, r := range rings(t, byCode[a.Code].Path) {
			want += shoelace(r)
			for i := range r {
				j := (i + 1) % len(r)
				perimeter += math.Hypot(r[j].x-r[i].x, r[j].y-r[i].y)
			}
		}
		if math.Abs(got-want) > simplifyTolerance*perimeter {
			t.Errorf("%s: area %.1f simplified, %.1f exact (perimeter %.1f)", a.Name, got, want, perimeter)
		}
	}
	// Town halls, by longitude and latitude, projected as buildMap does.
	places := []struct {
		name, code string
		lon, lat   float64
	}{
		{"Birmingham", "E08000025", -1.9036, 52.4796},
		{"Leeds", "E08000035", -1.5491, 53.8008},
		{"Cornwall", "E06000052", -5.0527, 50.2632},
		{"Kent", "E10000016", 0.5225, 51.2713},
	}
	for _, p := range places {
		var area MapArea
		for _, a := range m.Areas {
			if a.Code == p.code {
				area = a
			}
		}
		x, y := m.Project(p.lon, p.lat)
		if !inside(point{x, y}, rings(t, area.Path)) {
			t.Errorf("%s's town hall is not inside %s (%s) on the map", p.name, p.code, area.Name)
		}
	}
}
