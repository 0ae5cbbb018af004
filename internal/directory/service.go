package directory

import (
	"crypto/rand"
	"fmt"
	"math"
	"regexp"
	"time"
)

// Organisation is an HSDS organization: who runs one or more services.
type Organisation struct {
	ID, Name, Description string
	Email, Website        string
	// HavenOrganisationID links the organisation that runs Haven Practices;
	// its name is then the Haven organisation's.
	HavenOrganisationID int64
	LastModified        time.Time
}

// Location is an HSDS location with its one postal address.
type Location struct {
	ID, Name                string
	Address, City, Postcode string
	// HasPosition says Latitude and Longitude are known.
	HasPosition         bool
	Latitude, Longitude float64
	// ServiceAtLocationID joins it to the service it was read with.
	ServiceAtLocationID string
}

// Contact is a named person or role to ask about the service.
type Contact struct{ ID, Name, Title, Email string }

// PhoneNumber is one of a service's telephone numbers.
type PhoneNumber struct{ ID, Number, Description string }

// Schedule is when the service is open, in HSDS's iCalendar terms.
type Schedule struct {
	ID, Freq, ByDay, OpensAt, ClosesAt, Description string
}

// Funding is where a service's money comes from.
type Funding string

const (
	FundingNational Funding = "national"
	FundingLocal    Funding = "local"
)

// Service is one directory entry with everything the feed publishes.
type Service struct {
	ID, OrganisationID string
	// PracticeID is the Haven Practice this entry shows; its name and areas
	// are the Practice's own.
	PracticeID   int64
	Entry        // name, description, status, how to refer, areas, terms...
	Funding      Funding
	StartDate    time.Time // zero if not known
	LastVerified time.Time // zero if never
	LastModified time.Time
	Version      int64
	Locations    []Location
	Contacts     []Contact
	Phones       []PhoneNumber
	Schedules    []Schedule
}

// Query is what the feed's list endpoints filter and page by.
type Query struct {
	Search         string
	TermID         string
	OrganisationID string
	ModifiedAfter  time.Time
	// Near: a postcode district's authority and centroid, and how far from
	// it (metres; 0 means the authority's coverage alone).
	Near      *Place
	Proximity float64
	Page      int // from 1
	PerPage   int
}

// Place is where a search starts from.
type Place struct {
	LACode              string
	Latitude, Longitude float64
}

// PausePracticeTerm is the model term a Haven Practice's entry starts with.
// Migration 0036 writes the same UUID for Practices that existed before it.
const PausePracticeTerm = "d9ea45ce-d5d9-5e76-bdc4-76bbe60136ad"

// MaxPerPage bounds a page so that one request cannot ask for everything.
const MaxPerPage = 100

// Offset is the first row of q's page.
func (q Query) Offset() int { return (q.Page - 1) * q.PerPage }

// earthRadius is the mean radius of the Earth in metres (IUGG).
const earthRadius = 6371008.8

// Distance is the great-circle distance in metres between two points given
// in degrees (haversine). Accurate to about 0.5% over England, which is
// finer than a postcode district's centroid.
func Distance(lat1, lon1, lat2, lon2 float64) float64 {
	rad := math.Pi / 180
	dlat, dlon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * earthRadius * math.Asin(math.Min(1, math.Sqrt(a)))
}

// NewID is a random UUID (RFC 9562 version 4) for a new record.
func NewID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// NameID is a UUID fixed by a name, for demo and reference records whose
// ids must not change between runs.
func NameID(name string) string { return uuid5("haven:directory:" + name) }

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// ValidID says whether s is a UUID in the lower-case form Haven writes.
func ValidID(s string) bool { return uuidPattern.MatchString(s) }
