package web

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"haven/internal/access"
	"haven/internal/directory"
)

// The map of England's coverage (issue 20 item 2): server-rendered SVG, one
// link per upper-tier authority, with the same data as a table beside it so
// that nobody needs to read the map to get the facts.

// Coverage levels, from none to a Pause Practice. The map tells them apart
// by fill pattern and outline as well as colour.
const (
	coverNone     = "none"
	coverService  = "service"
	coverPractice = "pause"
)

// mapArea is one authority as the map and table show it.
type mapArea struct {
	Code, Name, Region string
	Path               string
	Services           int
	Pause              bool
	Level              string
	Href               string
	Label              string // the link's accessible name
}

type dirMapPage struct {
	Layout
	Width, Height int
	Areas         []mapArea // by name, as the table lists them
	London        []mapArea // the E09 codes, for the inset
	LondonBox     string    // the inset's viewBox
	Attribution   string
	Counts        map[string]int // areas at each level
}

// areaLabel is an authority's link name, like "Leeds: 2 services, including a Pause Practice".
func areaLabel(name string, n int, pause bool) string {
	switch {
	case n == 0:
		return name + ": no service"
	case pause && n == 1:
		return name + ": 1 service, a Pause Practice"
	case pause:
		return fmt.Sprintf("%s: %d services, including a Pause Practice", name, n)
	case n == 1:
		return name + ": 1 service"
	}
	return fmt.Sprintf("%s: %d services", name, n)
}

func (s *Server) directoryMap(w http.ResponseWriter, r *http.Request) error {
	m, err := directory.England()
	if err != nil {
		return err
	}
	all, err := s.allServices(r.Context(), directory.Query{})
	if err != nil {
		return err
	}
	// What counts as cover is the directory's rule, shared with the
	// commissioners' coverage page (directory_coverage.go).
	cover := directory.CoverByArea(all)
	p := &dirMapPage{Layout: Layout{Title: "Map of services in England", Nav: "directory"}, Width: m.Width, Height: m.Height,
		Attribution: directory.MapAttribution, Counts: map[string]int{}}
	for _, a := range m.Areas {
		ma := mapArea{Code: a.Code, Name: a.Name, Path: a.Path, Services: cover[a.Code].Services, Pause: cover[a.Code].Pause,
			Href: "/directory?" + url.Values{"place": {a.Code}}.Encode()}
		if la, ok := access.LocalAuthorityByCode(a.Code); ok {
			ma.Region = la.RegionName
		}
		switch {
		case ma.Pause:
			ma.Level = coverPractice
		case ma.Services > 0:
			ma.Level = coverService
		default:
			ma.Level = coverNone
		}
		ma.Label = areaLabel(a.Name, ma.Services, ma.Pause)
		p.Counts[ma.Level]++
		p.Areas = append(p.Areas, ma)
		if strings.HasPrefix(a.Code, "E09") {
			p.London = append(p.London, ma)
		}
	}
	p.LondonBox = pathsBox(p.London)
	return s.render(w, r, http.StatusOK, "directory-map.html", p)
}

// pathsBox is a viewBox around the given areas' paths, with a small margin,
// so that London's boroughs can be drawn again at a readable size.
func pathsBox(as []mapArea) string {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, a := range as {
		fields := strings.FieldsFunc(a.Path, func(r rune) bool { return r == 'M' || r == 'L' || r == 'Z' || r == ' ' })
		for i := 0; i+1 < len(fields); i += 2 {
			x, errX := strconv.ParseFloat(fields[i], 64)
			y, errY := strconv.ParseFloat(fields[i+1], 64)
			if errX != nil || errY != nil {
				continue
			}
			minX, minY, maxX, maxY = min(minX, x), min(minY, y), max(maxX, x), max(maxY, y)
		}
	}
	if math.IsInf(minX, 0) {
		return ""
	}
	const margin = 1
	f := func(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }
	return f(minX-margin) + " " + f(minY-margin) + " " + f(maxX-minX+2*margin) + " " + f(maxY-minY+2*margin)
}
