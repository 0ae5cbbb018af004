package demo

import (
	"fmt"
	"strings"
	"time"

	"haven/internal/access"
	"haven/internal/directory"
)

// directoryPlaces are where the demo directory's fictional services are: one
// postcode district each, spread over England's regions, leaving most
// authorities with none (the gaps the map shows, as the 2021 mapping found).
// Only districts are used, never full postcodes, which could be real homes.
var directoryPlaces = []string{
	"NE1", "SR1", "DH1", "TS1", "M1", "L1", "BL1", "PR1", "WA1", "OL1", "SK1", "S1", "BD1", "HU1", "HD1", "DN1", "WF1",
	"NG1", "DE1", "LE1", "LN1", "NN1", "B1", "CV1", "WV1", "ST1", "WS1", "TF1", "CB1", "NR1", "LU1",
	"E1", "N1", "SE1", "SW2", "E8", "NW10", "CR0", "BN1", "SO14", "OX1", "RG1", "ME1", "GU1", "BS1", "PL1", "EX1", "BA1", "GL1", "CH1",
}

// directoryWords name the locally developed services: made-up, not any real service's name.
var directoryWords = []string{"Amberlea", "Birchwood", "Cobalt", "Delta", "Emberton", "Fjordside", "Garnet", "Harbourne", "Indigo", "Juniper",
	"Kelpie", "Lantern", "Meadowsweet", "Nutmeg", "Opaline", "Pebblebrook", "Quartzfield", "Russet", "Saffron", "Thistledown"}

func term(taxonomy, code string) string {
	for _, t := range directory.Taxonomies {
		if t.Name != taxonomy {
			continue
		}
		for _, tm := range t.Terms {
			if tm.Code == code {
				return tm.ID
			}
		}
	}
	panic("demo: no directory term " + taxonomy + "/" + code)
}

// directory seeds the national directory with fictional services, each
// named "(fictional)" with its organisation, and fixed ids so that the Open
// Referral feed's ids are the same on every demo. The three demo Practices
// are in it already, from their own settings.
func (s *seeder) directory() error {
	orgs := map[string]string{} // name → id
	org := func(name, desc string) (string, error) {
		if id, ok := orgs[name]; ok {
			return id, nil
		}
		o, err := s.db.CreateDirOrganisation(s.ctx, directory.Organisation{ID: directory.NameID("demo:organisation:" + name), Name: name,
			Description: desc, Website: "https://" + slugOf(name) + ".example.org"})
		if err != nil {
			return "", err
		}
		orgs[name] = o.ID
		return o.ID, nil
	}
	for i, pc := range directoryPlaces {
		d, ok := access.LookupPostcodeDistrict(pc)
		if !ok || d.LACode == "" {
			return fmt.Errorf("demo directory: %s is not an English postcode district", pc)
		}
		place := strings.TrimSuffix(strings.Split(d.LAName, ",")[0], " City of")
		sv := directory.Service{ID: directory.NameID("demo:service:" + pc)}
		e := &sv.Entry
		e.Status = directory.StatusActive
		e.ServiceAreas = []string{d.LACode}
		e.Terms = []string{term("Who is supported", "mothers")}
		var host, orgName, orgDesc string
		switch i % 5 {
		case 0, 1:
			e.Name = place + " Practice (fictional)"
			e.Description = "An 18-month programme for women who have had two or more children removed through care proceedings, with a dedicated practitioner. Fictional: demo data."
			e.HowToRefer = "Professionals refer with the Practice's referral form. A woman can ask any professional who knows her to refer her."
			e.SelfReferral = i%2 == 0
			e.Eligibility = "Women aged 18 or over living in " + place + " who have had two or more children removed and have no children in their care."
			e.Terms = append(e.Terms, term("Service model", "pause-practice"), term("Point of intervention", "after-repeat-removals"), term("Reproductive health offer", "offered"))
			sv.Funding = directory.FundingLocal
			if i%2 == 0 {
				sv.Funding = directory.FundingNational
			}
			host = []string{"local-authority", "third-sector"}[i%2]
		case 2:
			e.Name = place + " Family Drug and Alcohol Court (fictional)"
			e.Description = "A problem-solving court for parents in care proceedings where drugs or alcohol are a concern, with a specialist team beside the judge. Fictional: demo data."
			e.HowToRefer = "The local authority's legal team asks for the case to be heard here when it issues care proceedings."
			e.Eligibility = "Parents in care proceedings in " + place + " where substance misuse is a main concern."
			e.Terms = append(e.Terms, term("Service model", "fdac"), term("Point of intervention", "during-proceedings"), term("Who is supported", "fathers"),
				term("Reproductive health offer", "arranged"))
			sv.Funding, host = directory.FundingLocal, "local-authority"
		default:
			word := directoryWords[i%len(directoryWords)]
			e.Name = word + " Project, " + place + " (fictional)"
			e.Description = "Support for parents after a child is removed: someone to talk to, help with housing and health, and a group with others who know what it is like. Fictional: demo data."
			e.HowToRefer = "Phone or email the team. You can refer yourself, or a professional can refer you with your agreement."
			e.SelfReferral = true
			e.Eligibility = "Parents in " + place + " who have had a child removed in the last three years."
			e.Terms = append(e.Terms, term("Service model", "locally-developed"), term("Point of intervention", "after-first-removal"))
			if i%4 == 0 {
				e.Terms = append(e.Terms, term("Point of intervention", "pregnant-again"))
			}
			if i%3 == 0 {
				e.Terms = append(e.Terms, term("Who is supported", "fathers"), term("Who is supported", "couples"))
			}
			e.Terms = append(e.Terms, term("Reproductive health offer", []string{"offered", "not-offered"}[i%2]))
			sv.Funding = directory.FundingLocal
			host = []string{"third-sector", "local-authority", "nhs"}[i%3]
		}
		e.Terms = append(e.Terms, term("Host", host))
		switch host {
		case "local-authority":
			orgName, orgDesc = place+" Council (fictional)", "A fictional local authority's children's services."
		case "nhs":
			orgName, orgDesc = place+" Health NHS Trust (fictional)", "A fictional NHS trust."
		default:
			orgName, orgDesc = directoryWords[(i*7)%len(directoryWords)]+" Families Trust (fictional)", "A fictional charity working with families."
		}
		var err error
		if sv.OrganisationID, err = org(orgName, orgDesc); err != nil {
			return err
		}
		switch i {
		case 7:
			e.Status = directory.StatusTempClosed
		case 13, 29:
			e.Status = directory.StatusInDevelopment
		case 41:
			e.Status = directory.StatusInactive
		}
		slug := slugOf(e.Name)
		e.Email = slug + "@directory.demo.haven.invalid"
		e.Website = "https://" + slug + ".example.org"
		// Ofcom's drama numbers (01632 960xxx) reach nobody.
		e.Phone = fmt.Sprintf("01632 960%03d", 100+i)
		sv.Phones = []directory.PhoneNumber{{ID: directory.NameID("demo:phone:" + pc), Number: e.Phone, Description: "Referrals"}}
		sv.Contacts = []directory.Contact{{ID: directory.NameID("demo:contact:" + pc), Title: "Referrals co-ordinator", Email: e.Email}}
		sv.Schedules = []directory.Schedule{{ID: directory.NameID("demo:schedule:" + pc), Freq: "WEEKLY", ByDay: "MO,TU,WE,TH,FR", OpensAt: "09:00", ClosesAt: "17:00"}}
		sv.StartDate = time.Date(2014+i%10, time.Month(1+i%12), 1, 0, 0, 0, 0, time.UTC)
		// Most were checked within the year; some are overdue (up to 19 months).
		sv.LastVerified = time.Date(s.now.Year(), s.now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -(i*7)%20, 0)
		if i%8 != 5 { // a few work across their area from no one base
			e.Postcode = d.District
			sv.Locations = []directory.Location{{ID: directory.NameID("demo:location:" + pc), ServiceAtLocationID: directory.NameID("demo:sal:" + pc),
				Name: e.Name, Address: "Fictional House, 1 Example Street", City: place, Postcode: d.District,
				HasPosition: true, Latitude: d.Latitude, Longitude: d.Longitude}}
		}
		if ps := e.Check(func(code string) bool { _, ok := access.LocalAuthorityByCode(code); return ok }); len(ps) > 0 {
			return fmt.Errorf("demo directory: %s: %v", e.Name, ps)
		}
		if _, err := s.db.CreateService(s.ctx, sv, "demo"); err != nil {
			return fmt.Errorf("demo directory: %s: %w", e.Name, err)
		}
	}
	return nil
}

// slugOf is a name in lower case with hyphens, for demo addresses.
func slugOf(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}
