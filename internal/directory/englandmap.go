// Package directory holds the national directory of services for parents
// after recurrent care proceedings (issue 20): its rules, and the map of
// England's upper-tier authorities it is drawn on.
package directory

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
)

//go:embed data/england-upper-tier-local-authorities-2025.geojson
var utlaGeoJSON []byte

// MapAttribution is the licence line the map must carry wherever it appears.
const MapAttribution = "Source: Office for National Statistics licensed under the Open Government Licence v.3.0. Contains OS data © Crown copyright and database right 2025."

// MapWidth is the map's width in SVG units; its height follows England's shape.
const MapWidth = 600

// simplifyTolerance is how far, in SVG units, a simplified outline may stray
// from the boundary: under a pixel at the map's full width.
const simplifyTolerance = 0.6

// MapArea is one upper-tier authority as drawn: an SVG path in map units.
type MapArea struct {
	Code, Name string
	Path       string // the "d" attribute: one or more closed rings
}

// EnglandMap is every upper-tier authority, projected and simplified once.
type EnglandMap struct {
	Width, Height int
	Areas         []MapArea // by name

	minX, minY, scale float64 // the projection, for Project
}

// Project is where a longitude and latitude fall on the map.
func (m EnglandMap) Project(lon, lat float64) (x, y float64) {
	return (lon*math.Cos(midLatitude) - m.minX) * m.scale, (-lat - m.minY) * m.scale
}

// midLatitude is England's middle, where the projection is true to shape.
const midLatitude = 52.8 * math.Pi / 180

var (
	mapOnce sync.Once
	mapData EnglandMap
	mapErr  error
)

// England is the map of the 153 upper-tier authorities, built on first use.
func England() (EnglandMap, error) {
	mapOnce.Do(func() { mapData, mapErr = buildMap(utlaGeoJSON) })
	return mapData, mapErr
}

type featureCollection struct {
	Features []struct {
		Properties struct{ Code, Name string }
		Geometry   struct {
			Type        string
			Coordinates json.RawMessage
		}
	}
}

type point struct{ x, y float64 }

// buildMap projects the boundaries (equirectangular, scaled by the cosine of
// England's middle latitude, which is close enough at this size) onto a
// MapWidth-wide canvas and simplifies each ring.
func buildMap(raw []byte) (EnglandMap, error) { return buildMapTolerance(raw, simplifyTolerance) }

func buildMapTolerance(raw []byte, tol float64) (EnglandMap, error) {
	var fc featureCollection
	if err := json.Unmarshal(raw, &fc); err != nil {
		return EnglandMap{}, fmt.Errorf("directory map: %w", err)
	}
	type area struct {
		code, name string
		rings      [][]point // lon/lat
	}
	var areas []area
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, f := range fc.Features {
		var polys [][][][2]float64
		switch f.Geometry.Type {
		case "Polygon":
			var p [][][2]float64
			if err := json.Unmarshal(f.Geometry.Coordinates, &p); err != nil {
				return EnglandMap{}, fmt.Errorf("directory map %s: %w", f.Properties.Code, err)
			}
			polys = [][][][2]float64{p}
		case "MultiPolygon":
			if err := json.Unmarshal(f.Geometry.Coordinates, &polys); err != nil {
				return EnglandMap{}, fmt.Errorf("directory map %s: %w", f.Properties.Code, err)
			}
		default:
			return EnglandMap{}, fmt.Errorf("directory map %s: geometry %q", f.Properties.Code, f.Geometry.Type)
		}
		a := area{code: f.Properties.Code, name: f.Properties.Name}
		for _, poly := range polys {
			for _, ring := range poly {
				var r []point
				for _, c := range ring {
					p := point{c[0] * math.Cos(midLatitude), -c[1]}
					minX, maxX, minY, maxY = math.Min(minX, p.x), math.Max(maxX, p.x), math.Min(minY, p.y), math.Max(maxY, p.y)
					r = append(r, p)
				}
				a.rings = append(a.rings, r)
			}
		}
		areas = append(areas, a)
	}
	if len(areas) == 0 {
		return EnglandMap{}, fmt.Errorf("directory map: no areas")
	}
	scale := MapWidth / (maxX - minX)
	m := EnglandMap{Width: MapWidth, Height: int(math.Ceil((maxY - minY) * scale)), minX: minX, minY: minY, scale: scale}
	for _, a := range areas {
		var d strings.Builder
		for _, ring := range a.rings {
			for i := range ring {
				ring[i] = point{(ring[i].x - minX) * scale, (ring[i].y - minY) * scale}
			}
			s := ring
			if tol > 0 {
				s = simplify(ring, tol)
			}
			if len(s) < 4 { // a ring simplified away: an islet under a pixel
				continue
			}
			for i, p := range s[:len(s)-1] {
				if i == 0 {
					d.WriteByte('M')
				} else {
					d.WriteByte('L')
				}
				d.WriteString(coord(p.x) + " " + coord(p.y))
			}
			d.WriteByte('Z')
		}
		m.Areas = append(m.Areas, MapArea{Code: a.code, Name: a.name, Path: d.String()})
	}
	sort.Slice(m.Areas, func(i, j int) bool { return m.Areas[i].Name < m.Areas[j].Name })
	return m, nil
}

func coord(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }

// simplify is Douglas–Peucker on a closed ring, keeping its first and last point.
func simplify(ring []point, tol float64) []point {
	if len(ring) < 3 {
		return ring
	}
	keep := make([]bool, len(ring))
	keep[0], keep[len(ring)-1] = true, true
	// A closed ring's ends coincide, so split it at its farthest point first.
	far, best := 0, -1.0
	for i, p := range ring {
		if d := math.Hypot(p.x-ring[0].x, p.y-ring[0].y); d > best {
			far, best = i, d
		}
	}
	keep[far] = true
	type span struct{ a, b int }
	stack := []span{{0, far}, {far, len(ring) - 1}}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		idx, dmax := -1, tol
		for i := s.a + 1; i < s.b; i++ {
			if d := segmentDistance(ring[i], ring[s.a], ring[s.b]); d > dmax {
				idx, dmax = i, d
			}
		}
		if idx >= 0 {
			keep[idx] = true
			stack = append(stack, span{s.a, idx}, span{idx, s.b})
		}
	}
	var out []point
	for i, k := range keep {
		if k {
			out = append(out, ring[i])
		}
	}
	return out
}

// segmentDistance is how far p lies from the segment a–b.
func segmentDistance(p, a, b point) float64 {
	dx, dy := b.x-a.x, b.y-a.y
	if dx == 0 && dy == 0 {
		return math.Hypot(p.x-a.x, p.y-a.y)
	}
	t := ((p.x-a.x)*dx + (p.y-a.y)*dy) / (dx*dx + dy*dy)
	t = math.Max(0, math.Min(1, t))
	return math.Hypot(p.x-(a.x+t*dx), p.y-(a.y+t*dy))
}
