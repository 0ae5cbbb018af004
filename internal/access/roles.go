package access

import (
	"fmt"
	"slices"
	"time"
)

// Permission names what a route or action needs. Routes are denied unless
// they name one. PermPublic needs no sign-in; PermSignedIn needs only a
// signed-in account with its second factor passed.
type Permission string

const (
	PermPublic   Permission = "public"
	PermSignedIn Permission = "signed-in"

	PermManageUsers     Permission = "users:manage"      // invite, roles, disable, reset MFA, end sessions
	PermAuditSearch     Permission = "audit:search"      // search the whole audit trail
	PermRecordAccessLog Permission = "audit:record"      // "who has seen this record"
	PermPracticeView    Permission = "practice:view"     // a Practice's own pages
	PermCaseView        Permission = "case:view"         // people's records, within record-level rules
	PermCaseEdit        Permission = "case:edit"         // change people's records
	PermCaseAllocate    Permission = "case:allocate"     // allocate, share and transfer
	PermRestrictedView  Permission = "case:restricted"   // restricted sections, for the allocated practitioner and lead
	PermBreakGlass      Permission = "case:break-glass"  // time-limited access with a typed reason
	PermExport          Permission = "case:export"       // exports and prints of records
	PermAggregates      Permission = "reports:aggregate" // counts with small-number suppression, never identifiable
	PermReunifyView     Permission = "reunify:view"
	PermReunifyEdit     Permission = "reunify:edit"
	PermDirectoryEdit   Permission = "directory:edit"
	PermDirectoryOwn    Permission = "directory:own" // keep the directory entries of one's own services
	PermLibraryEdit     Permission = "library:edit"
	PermOwnTokens       Permission = "tokens:own" // an account's own API tokens
)

// Role is a named set of permissions held in one tenant.
type Role string

const (
	RoleAdmin               Role = "admin"
	RoleNationalAnalyst     Role = "national-analyst"
	RolePracticeLead        Role = "practice-lead"
	RolePracticeCoordinator Role = "practice-coordinator"
	RolePractitioner        Role = "practitioner"
	RoleLASocialWorker      Role = "la-social-worker"
	RoleLAManager           Role = "la-manager"
	RoleDirectoryEditor     Role = "directory-editor"
	RoleServiceContact      Role = "service-contact"
	RoleLibraryEditor       Role = "library-editor"
)

// TenantKind says what kind of tenant a role is held in.
type TenantKind string

const (
	TenantOrganisation   TenantKind = "organisation"
	TenantPractice       TenantKind = "practice"
	TenantLocalAuthority TenantKind = "local-authority"
	TenantNational       TenantKind = "national"
)

type roleDef struct {
	name   string
	tenant TenantKind
	perms  []Permission
}

// roles is the whole role model in one table. A system administrator manages
// accounts but never sees case content; a national analyst sees aggregates
// and the pseudonymised extract only, never a name.
var roles = map[Role]roleDef{
	RoleAdmin:               {"System administrator", TenantOrganisation, []Permission{PermManageUsers, PermAuditSearch, PermOwnTokens}},
	RoleNationalAnalyst:     {"National analyst", TenantNational, []Permission{PermAggregates, PermDirectoryCoverage, PermOwnTokens}},
	RolePracticeLead:        {"Practice lead", TenantPractice, []Permission{PermPracticeView, PermCaseView, PermCaseEdit, PermCaseAllocate, PermRestrictedView, PermBreakGlass, PermExport, PermAggregates, PermRecordAccessLog, PermOwnTokens, PermExtract}},
	RolePracticeCoordinator: {"Practice co-ordinator", TenantPractice, []Permission{PermPracticeView, PermCaseView, PermCaseEdit, PermCaseAllocate, PermBreakGlass, PermExport, PermAggregates, PermOwnTokens}},
	RolePractitioner:        {"Practitioner", TenantPractice, []Permission{PermPracticeView, PermCaseView, PermCaseEdit, PermRestrictedView, PermBreakGlass, PermOwnTokens}},
	RoleLASocialWorker:      {"Local authority social worker", TenantLocalAuthority, []Permission{PermReunifyView, PermReunifyEdit, PermOwnTokens}},
	RoleLAManager:           {"Local authority team manager", TenantLocalAuthority, []Permission{PermReunifyView, PermReunifyEdit, PermAggregates, PermRecordAccessLog, PermOwnTokens}},
	RoleDirectoryEditor:     {"Directory editor", TenantNational, []Permission{PermDirectoryEdit, PermDirectoryCoverage, PermOwnTokens}},
	RoleLibraryEditor:       {"Library editor", TenantNational, []Permission{PermLibraryEdit, PermOwnTokens}},
	// A service's contact keeps only the entries linked to the account
	// (dir_service_keepers), so the role is national and holds nothing else
	// but the tokens every account manages.
	RoleServiceContact: {"Directory service contact", TenantNational, []Permission{PermDirectoryOwn, PermOwnTokens}},
}

// Roles lists every role slug in a stable order.
func Roles() []Role {
	out := make([]Role, 0, len(roles))
	for r := range roles {
		out = append(out, r)
	}
	slices.Sort(out)
	return out
}

// ParseRole checks a role slug from the CLI, a form or the API.
func ParseRole(s string) (Role, error) {
	if _, ok := roles[Role(s)]; !ok {
		return "", fmt.Errorf("unknown role %q", s)
	}
	return Role(s), nil
}

// Name is the role's name for people.
func (r Role) Name() string { return roles[r].name }

// Tenant is the kind of tenant the role is held in.
func (r Role) Tenant() TenantKind { return roles[r].tenant }

// Has reports whether the role grants p.
func (r Role) Has(p Permission) bool { return slices.Contains(roles[r].perms, p) }

// Membership is one role held by one user in one tenant.
type Membership struct {
	UserID     int64
	Role       Role
	TenantKind TenantKind
	TenantID   int64  // practice, LA team or organisation ID; 0 for national
	TenantSlug string // "national" for the national tenant
	TenantName string
}

// Actor is who is making a request: a signed-in user (or their API token)
// with every role they hold. Authorisation decisions start here.
type Actor struct {
	User        User
	Memberships []Membership
	SessionID   int64
	TokenID     int64 // set when acting through an API token
}

// Can reports whether any of the actor's roles grants p, anywhere.
func (a *Actor) Can(p Permission) bool {
	if p == PermPublic {
		return true
	}
	if a == nil || a.User.ID == 0 {
		return false
	}
	if p == PermSignedIn {
		return true
	}
	for _, m := range a.Memberships {
		if m.Role.Has(p) {
			return true
		}
	}
	return false
}

// CanIn reports whether the actor holds p in the given tenant.
func (a *Actor) CanIn(p Permission, kind TenantKind, tenantID int64) bool {
	if a == nil {
		return false
	}
	for _, m := range a.Memberships {
		if m.TenantKind == kind && m.TenantID == tenantID && m.Role.Has(p) {
			return true
		}
	}
	return false
}

// PracticeIDs returns the Practices in which the actor holds p.
func (a *Actor) PracticeIDs(p Permission) []int64 {
	var out []int64
	if a == nil {
		return nil
	}
	for _, m := range a.Memberships {
		if m.TenantKind == TenantPractice && m.Role.Has(p) && !slices.Contains(out, m.TenantID) {
			out = append(out, m.TenantID)
		}
	}
	return out
}

// PrimaryRole is the role shown and recorded in the audit trail: the first held.
func (a *Actor) PrimaryRole() (Role, string) {
	if a == nil || len(a.Memberships) == 0 {
		return "", ""
	}
	return a.Memberships[0].Role, a.Memberships[0].TenantSlug
}

// LATeam is a local authority's children's services team: a tenant for reunification work.
type LATeam struct {
	ID      int64
	Slug    string
	Name    string
	LACode  string
	Version int64
}

// Credentials are what an account signs in with. They never leave the
// store and auth packages except as yes-or-no answers.
type Credentials struct {
	PasswordHash string
	TOTPSecret   string
	TOTPLastStep int64
	MFAEnrolled  bool
	Disabled     bool
	FailedLogins int
	LockedUntil  time.Time // zero when not locked
}

// Account is a user with their credentials.
type Account struct {
	User
	Credentials
}

// Session is one signed-in browser.
type Session struct {
	ID         int64
	UserID     int64
	MFAPassed  bool
	CreatedAt  time.Time
	LastSeenAt time.Time
	AuthedAt   time.Time // last time the password and second factor were given
	IP         string
	UserAgent  string
}

// PermSignInStep is for the pages between the password and the second
// factor: a session exists but is not yet trusted.
const PermSignInStep Permission = "sign-in-step"

// APIToken is a bearer token's record. The token itself is shown once and
// only its hash is kept.
type APIToken struct {
	ID         int64
	UserID     int64
	Name       string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	RevokedAt  time.Time // zero while live
	LastUsedAt time.Time
}

// PermExtract is the pseudonymised evaluation extract (issue 17 item 8): one
// row per enrolment, with no name, date of birth, postcode or free text. It
// is row-level, so it is its own permission rather than part of
// PermAggregates: leads, for their own Practice. National analysts see only
// suppressed aggregates (issue 17 item 7).
const PermExtract Permission = "reports:extract"

// PermDirectoryCoverage is the commissioners' view of the directory (issue
// 20 item 5): where there is no service, and counts of services by model,
// host, funding and status. Counts of services, never of people: national
// analysts and directory editors.
const PermDirectoryCoverage Permission = "directory:coverage"
