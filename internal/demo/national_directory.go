package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"haven/internal/access"
	"haven/internal/directory"
	"haven/internal/haven"
)

// The national data set's directory (issue 20): Scale.Services entries, the
// Practices' own among them, the rest fictional services spread over
// England as the 2021 mapping found them, unevenly: a few authorities with
// many, most with one or two, and a third with none (the gaps on the map).
// It is not part of the data set's hash: LoadNational seeds it after the
// hashed bulk load, as it links the Practices' entries.

// natDirCovered is the share of England's upper-tier authorities with a
// fictional service, in thousandths.
const natDirCovered = 620

// natModel is a service model with its share of the fictional services, in
// hundredths: locally developed services outnumber the Pause Practices and
// Family Drug and Alcohol Courts, as in 2021 (33 : 28 : 14).
type natShare[T any] struct {
	v     T
	share int // hundredths
}

var natModels = []natShare[string]{{"locally-developed", 45}, {"pause-practice", 37}, {"fdac", 18}}

// natStatuses: mostly active; the rest paused, starting, stopped or gone.
var natStatuses = []natShare[directory.Status]{{directory.StatusActive, 80}, {directory.StatusTempClosed, 5}, {directory.StatusInDevelopment, 6},
	{directory.StatusInactive, 5}, {directory.StatusDefunct, 4}}

var natServiceKinds = []string{"Project", "Service", "Team", "Programme", "Hub"}

func pickShare[T any](rng *rand.Rand, items []natShare[T]) T {
	n := rng.IntN(100)
	for _, it := range items {
		if n -= it.share; n < 0 {
			return it.v
		}
	}
	return items[len(items)-1].v
}

// natDirPlace is an authority the fictional services are in, with its
// postcode districts.
type natDirPlace struct {
	la        access.LocalAuthority
	name      string
	districts []access.PostcodeDistrict
}

// nationalDirectory makes count fictional services and their organisations
// from the seed alone: the same ids and content on every load.
func nationalDirectory(seed uint64, count int, asOf haven.Date) ([]directory.Organisation, []directory.Service, error) {
	if count <= 0 {
		return nil, nil, nil
	}
	rng := newRNG(seed, streamDirectory, 0)
	var places []natDirPlace
	for _, la := range access.LocalAuthorities() {
		// The Isles of Scilly and the City of London have no district of their own.
		if ds := access.PostcodeDistrictsIn(la.Code); len(ds) > 0 {
			places = append(places, natDirPlace{la: la, name: strings.TrimSuffix(strings.Split(la.Name, ",")[0], " City of"), districts: ds})
		}
	}
	rng.Shuffle(len(places), func(i, j int) { places[i], places[j] = places[j], places[i] })
	covered := places[:min(len(places), len(access.LocalAuthorities())*natDirCovered/1000, count)]
	// Every covered authority has one service; the rest go by a weight
	// falling with its place in the shuffle, so a few have many and most few.
	weights, total := make([]float64, len(covered)), 0.0
	for i := range covered {
		weights[i] = 1 / math.Sqrt(float64(i+1))
		total += weights[i]
	}
	place := func(i int) int {
		if i < len(covered) {
			return i
		}
		x := rng.Float64() * total
		for k, w := range weights {
			if x -= w; x < 0 {
				return k
			}
		}
		return len(covered) - 1
	}
	byRegion := map[string][]int{}
	for i, p := range covered {
		byRegion[p.la.RegionCode] = append(byRegion[p.la.RegionCode], i)
	}
	orgIDs := map[string]bool{}
	var orgs []directory.Organisation
	org := func(name, desc string) string {
		id := directory.NameID(fmt.Sprintf("national:%d:organisation:%s", seed, name))
		if !orgIDs[id] {
			orgIDs[id] = true
			orgs = append(orgs, directory.Organisation{ID: id, Name: name, Description: desc, Website: "https://" + slugOf(name) + ".example.org",
				LastModified: at(days(asOf, -400), 0)})
		}
		return id
	}
	named := map[string]int{}
	known := func(code string) bool { _, ok := access.LocalAuthorityByCode(code); return ok }
	out := make([]directory.Service, 0, count)
	for i := range count {
		p := covered[place(i)]
		id := func(part string) string { return directory.NameID(fmt.Sprintf("national:%d:%s:%d", seed, part, i)) }
		sv := directory.Service{ID: id("service")}
		e := &sv.Entry
		model := pickShare(rng, natModels)
		e.Status = pickShare(rng, natStatuses)
		e.ServiceAreas = []string{p.la.Code}
		e.Terms = []string{term("Service model", model), term("Who is supported", "mothers")}
		var host string
		switch model {
		case "pause-practice":
			e.Name = p.name + " Pause Practice"
			e.Description = "An 18-month programme for women who have had two or more children removed through care proceedings, with a dedicated practitioner. Fictional: national demo data."
			e.HowToRefer = "Professionals refer with the Practice's referral form. A woman can ask any professional who knows her to refer her."
			e.Eligibility = "Women aged 18 or over living in " + p.name + " who have had two or more children removed and have no children in their care."
			e.SelfReferral = rng.IntN(3) == 0
			e.Terms = append(e.Terms, term("Point of intervention", "after-repeat-removals"), term("Reproductive health offer", "offered"))
			host = []string{"local-authority", "third-sector"}[rng.IntN(2)]
			sv.Funding = []directory.Funding{directory.FundingLocal, directory.FundingNational}[rng.IntN(2)]
		case "fdac":
			e.Name = p.name + " Family Drug and Alcohol Court"
			e.Description = "A problem-solving court for parents in care proceedings where drugs or alcohol are a concern, with a specialist team beside the judge. Fictional: national demo data."
			e.HowToRefer = "The local authority's legal team asks for the case to be heard here when it issues care proceedings."
			e.Eligibility = "Parents in care proceedings in " + p.name + " where substance misuse is a main concern."
			e.Terms = append(e.Terms, term("Point of intervention", "during-proceedings"), term("Who is supported", "fathers"),
				term("Reproductive health offer", []string{"arranged", "not-offered"}[rng.IntN(2)]))
			host, sv.Funding = "local-authority", directory.FundingLocal
			// A court often sits for its neighbours too.
			if nb := byRegion[p.la.RegionCode]; len(nb) > 1 && rng.IntN(2) == 0 {
				if other := covered[nb[rng.IntN(len(nb))]].la.Code; other != p.la.Code {
					e.ServiceAreas = append(e.ServiceAreas, other)
				}
			}
		default:
			e.Name = directoryWords[rng.IntN(len(directoryWords))] + " " + natServiceKinds[rng.IntN(len(natServiceKinds))] + ", " + p.name
			e.Description = "Support for parents after a child is removed: someone to talk to, help with housing and health, and a group with others who know what it is like. Fictional: national demo data."
			e.HowToRefer = "Phone or email the team. You can refer yourself, or a professional can refer you with your agreement."
			e.SelfReferral = rng.IntN(4) > 0
			e.Eligibility = "Parents in " + p.name + " who have had a child removed in the last three years."
			e.Terms = append(e.Terms, term("Point of intervention", "after-first-removal"))
			if rng.IntN(3) == 0 {
				e.Terms = append(e.Terms, term("Point of intervention", "pregnant-again"))
			}
			if rng.IntN(3) == 0 {
				e.Terms = append(e.Terms, term("Who is supported", "fathers"), term("Who is supported", "couples"))
			}
			e.Terms = append(e.Terms, term("Reproductive health offer", []string{"offered", "arranged", "not-offered"}[rng.IntN(3)]))
			host, sv.Funding = []string{"third-sector", "third-sector", "local-authority", "nhs"}[rng.IntN(4)], directory.FundingLocal
		}
		// Two of a kind in one authority are told apart by a number.
		if named[e.Name]++; named[e.Name] > 1 {
			e.Name += fmt.Sprintf(" %d", named[e.Name])
		}
		e.Name += " (fictional)"
		e.Terms = append(e.Terms, term("Host", host))
		switch host {
		case "local-authority":
			sv.OrganisationID = org(p.name+" Council (fictional)", "A fictional local authority's children's services.")
		case "nhs":
			sv.OrganisationID = org(p.name+" Health NHS Trust (fictional)", "A fictional NHS trust.")
		default:
			sv.OrganisationID = org(directoryWords[rng.IntN(len(directoryWords))]+" Families Trust, "+p.la.RegionName+" (fictional)", "A fictional charity working with families.")
		}
		slug := slugOf(strings.TrimSuffix(e.Name, " (fictional)"))
		e.Email = slug + "@directory.national.haven.invalid"
		e.Website = "https://" + slug + ".example.org"
		// Ofcom's drama numbers (01632 960000 to 960999) reach nobody.
		e.Phone = fmt.Sprintf("01632 960%03d", i%1000)
		sv.Phones = []directory.PhoneNumber{{ID: id("phone"), Number: e.Phone, Description: "Referrals"}}
		sv.Contacts = []directory.Contact{{ID: id("contact"), Title: "Referrals co-ordinator", Email: e.Email}}
		sv.Schedules = []directory.Schedule{{ID: id("schedule"), Freq: "WEEKLY", ByDay: "MO,TU,WE,TH,FR", OpensAt: "09:00", ClosesAt: "17:00"}}
		if rng.IntN(5) == 0 {
			sv.Schedules[0].ByDay, sv.Schedules[0].ClosesAt = "MO,TU,WE,TH", "16:30"
		}
		sv.StartDate = time.Date(2012+rng.IntN(14), time.Month(1+rng.IntN(12)), 1, 0, 0, 0, 0, time.UTC)
		// Three in four checked within the year; the rest 13 to 30 months ago.
		months := rng.IntN(12)
		if rng.IntN(4) == 0 {
			months = 13 + rng.IntN(18)
		}
		sv.LastVerified = days(asOf, -months*30-rng.IntN(28)).Time()
		// Changed on the day it was last checked, or since.
		sv.LastModified = at(haven.NewDate(sv.LastVerified.Year(), sv.LastVerified.Month(), sv.LastVerified.Day()), rng.IntN(8*60))
		if rng.IntN(8) > 0 { // a few work across their area from no one base
			d := p.districts[rng.IntN(len(p.districts))]
			e.Postcode = d.District
			sv.Locations = []directory.Location{{ID: id("location"), ServiceAtLocationID: id("sal"), Name: e.Name,
				Address: fmt.Sprintf("Fictional House, %d Example Street", 1+rng.IntN(200)), City: p.name, Postcode: d.District,
				HasPosition: true, Latitude: d.Latitude, Longitude: d.Longitude}}
		}
		if ps := e.Check(known); len(ps) > 0 {
			return nil, nil, fmt.Errorf("demo: national directory: %s: %v", e.Name, ps)
		}
		out = append(out, sv)
	}
	return orgs, out, nil
}
