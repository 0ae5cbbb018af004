package audit

import (
	"strconv"
	"strings"
	"time"
)

// Words are what telling an event needs that the event does not hold: the
// names behind its IDs and slugs, which live in other packages.
type Words struct {
	Who  string // the user's name; "" when nobody was signed in or the name is unknown
	Role string // the name of the role they acted in, e.g. "Practice lead"; "" for none
	// Whose names the owner of a person's record in the possessive: "her" on
	// her own record. Empty names the record by its ID ("person 42's"), as the
	// administrator's views do, which never show whose record it was.
	Whose string
	// Target is the name of the account an event about an account was about,
	// when known; otherwise the account is named by its ID.
	Target string
	// RoleName turns a role slug, as role changes record it, into its name.
	RoleName func(slug string) string
	In       *time.Location // the time zone the time is told in; UTC when nil
}

// SentenceTime is how a sentence tells the time: "7 Dec 2026 10:42".
const SentenceTime = "2 Jan 2006 15:04"

// Sentence tells e as a sentence a person can read, for example
// "Quinn Sorrel (practice lead) viewed her details, 7 Dec 2026 10:42".
// It uses only what the audit row holds (who, what kind of record, which
// section, which action), never the record's contents.
func Sentence(e Event, w Words) string {
	return Subject(e, w) + " " + Predicate(e, w) + ", " + at(e.At, w.In)
}

// Subject is who did it, with the role they acted in.
func Subject(e Event, w Words) string {
	who := w.Who
	switch {
	case who == "" && e.UserID == 0:
		who = "Someone"
	case who == "":
		who = "User " + itoa(e.UserID)
	}
	if w.Role != "" {
		who += " (" + strings.ToLower(w.Role) + ")"
	}
	return who
}

func at(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format(SentenceTime)
}

// verbs are the record actions' past tenses.
var verbs = map[Action]string{View: "viewed", Create: "added", Update: "changed", Delete: "deleted", Export: "exported", Print: "printed"}

// personSections name the sections of a person's record; %s is the possessive
// of her record ("her", or "person 42's"). They are labels, never contents.
var personSections = map[string]string{
	"details":             "%s details",
	"details,restricted":  "%s details and restricted sections",
	"access-log":          "who has seen %s record",
	"chronology":          "%s chronology",
	"contact":             "%s contact with her children",
	"contact:letter":      "a letter about %s contact with her children",
	"session":             "a session note on %s record",
	"sessions":            "%s sessions",
	"plan":                "%s plan",
	"enrolment":           "%s programme enrolment",
	"enrolments":          "%s programme enrolments",
	"referrals-out":       "%s referrals to other agencies",
	"referral-out":        "a referral to another agency on %s record",
	"reproductive-health": "%s reproductive health section",
	"criminal-records":    "%s criminal records section",
	"perpetrator":         "the perpetrator section of %s record",
	"allocation":          "who %s practitioner is",
	"sharing":             "who %s record is shared with",
	"people-around":       "the people in %s life",
}

// personSpecial are whole predicates for events on her record that read
// better than a verb and a section.
var personSpecial = map[string]string{
	string(BreakGlass) + " all":       "opened %s whole record with break-glass",
	"view duplicate-check":            "saw %s record among possible duplicates of a referral",
	"update transfer-requested":       "asked to transfer %s record to another Practice",
	"update transfer-accepted":        "accepted the transfer of %s record",
	"update transfer-declined":        "declined the transfer of %s record",
	string(Export) + " details":       "exported %s record",
	string(Print) + " plan":           "printed %s plan",
	string(Print) + " chronology":     "printed %s chronology",
	string(Print) + " contact:letter": "printed a letter about %s contact with her children",
	"create details":                  "created %s record",
	"create plan":                     "added a goal to %s plan",
	"update plan":                     "reviewed a goal in %s plan",
	"create contact":                  "added to %s record of contact with her children",
	"update contact":                  "changed %s record of contact with her children",
	"create enrolment":                "started a programme enrolment on %s record",
	"update enrolment":                "moved %s programme enrolment to another phase",
	"create people-around":            "added someone to the people in %s life",
}

// lists name what a view of many records at once showed.
var lists = map[string]string{
	"person list":           "the list of people",
	"person search":         "the results of a search for people",
	"person tasks":          "their tasks",
	"person overview":       "the Practice overview",
	"person home":           "their home page",
	"person report:contact": "the contact report",
	"referral list":         "the triage queue",
}

// Predicate is what they did, without who or when.
func Predicate(e Event, w Words) string {
	switch e.RecordType {
	case "person":
		if e.RecordID == "" {
			return verb(e.Action) + " " + or(lists["person "+e.Section], "a list of people")
		}
		return personPredicate(e, w)
	case "referral":
		return referralPredicate(e)
	case "user":
		return userPredicate(e, w)
	case "api-token":
		switch e.Action {
		case TokenCreated:
			return "created an API token"
		case TokenRevoked:
			return "revoked an API token"
		}
	case "practice":
		if e.Section == "settings" {
			return "changed the settings of Practice " + e.RecordID
		}
		if e.Section == "measure-schedule" {
			return "changed the schedule of outcome measures of Practice " + e.RecordID
		}
	case "":
		if p, ok := security(e); ok {
			return p
		}
	}
	return fallback(e)
}

func personPredicate(e Event, w Words) string {
	whose := w.Whose
	if whose == "" {
		whose = "person " + e.RecordID + "'s"
	}
	fill := func(phrase string) string { return strings.ReplaceAll(phrase, "%s", whose) }
	if p, ok := personSpecial[string(e.Action)+" "+e.Section]; ok {
		return fill(p)
	}
	if strings.HasPrefix(e.Section, "transfer-") && e.Action == Update {
		return fill("answered a request to transfer %s record")
	}
	if strings.HasPrefix(e.Section, "plan:") { // a goal in a restricted domain
		switch e.Action {
		case Create:
			return fill("added a restricted goal to %s plan")
		case Update:
			return fill("reviewed a restricted goal in %s plan")
		}
		return verb(e.Action) + " " + fill("a restricted goal in %s plan")
	}
	if p, ok := personSections[e.Section]; ok {
		return verb(e.Action) + " " + fill(p)
	}
	return verb(e.Action) + " " + fill("%s record")
}

func referralPredicate(e Event) string {
	if e.RecordID == "" {
		return verb(e.Action) + " " + or(lists["referral "+e.Section], "a list of referrals")
	}
	ref := "referral " + e.RecordID
	switch {
	case e.Action == Create:
		return "made " + ref
	case e.Action == View:
		return "viewed " + ref
	case e.Action == Update && e.Section == "outcome":
		return "recorded a triage decision on " + ref
	case e.Action == Update && e.Section == "person":
		return "linked " + ref + " to a person's record"
	}
	return verb(e.Action) + " " + ref
}

func userPredicate(e Event, w Words) string {
	own := e.RecordID == itoa(e.UserID)
	target := w.Target
	if target == "" {
		target = "user " + e.RecordID
	}
	switch e.Action {
	case AccountCreated:
		return "created an account for " + target
	case PasswordSet:
		if own {
			return "set their password"
		}
		return "set a password for " + target
	case MFAEnrolled:
		return "set up their authenticator app"
	case MFAReset:
		if own {
			return "reset their second factor"
		}
		return "reset the second factor of " + target
	case AccountDisable:
		return "disabled or re-enabled the account of " + target
	case AccountUnlock:
		return "unlocked the account of " + target
	case SignOutAll:
		return "signed out everywhere"
	case SessionEnded:
		return "ended a session of " + target
	case RoleChanged:
		name := func(s string) string { return s }
		if w.RoleName != nil {
			name = w.RoleName
		}
		grant, removed := strings.CutPrefix(e.Section, "-")
		role, tenant, _ := strings.Cut(grant, "@")
		if removed {
			return "took the role " + name(role) + " in " + tenant + " from " + target
		}
		return "gave " + target + " the role " + name(role) + " in " + tenant
	}
	return fallback(e)
}

// security tells the events about signing in and being refused.
func security(e Event) (string, bool) {
	switch e.Action {
	case SignIn:
		return "signed in", true
	case SignInFailed:
		return "failed to sign in", true
	case MFAFailed:
		return "entered a security code that was not correct", true
	case RecoveryUsed:
		return "used a recovery code", true
	case LockedOut:
		if e.Section != "" {
			return "was locked out for " + e.Section, true
		}
		return "was locked out", true
	case SignOut:
		return "signed out", true
	case SessionEnded:
		return "was signed out after a session ended", true
	case Denied:
		if e.Section != "" {
			return "was refused a page that needs the " + e.Section + " permission", true
		}
		return "was refused a page", true
	case MFAEnrolled:
		return "set up their authenticator app", true
	}
	return "", false
}

// fallback tells an event no rule above knows: still a sentence, from the row's own words.
func fallback(e Event) string {
	s := verb(e.Action)
	if e.RecordType != "" {
		s += " " + e.RecordType
		if e.RecordID != "" {
			s += " " + e.RecordID
		}
	}
	if e.Section != "" {
		s += " (" + e.Section + ")"
	}
	return s
}

func verb(a Action) string {
	if v, ok := verbs[a]; ok {
		return v
	}
	return strings.ReplaceAll(string(a), "-", " ")
}

func or(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// actionTitles name the actions for a filter's choices.
var actionTitles = map[Action]string{ // #nosec G101 -- the titles of audit actions ("Set a password", "Created an API token"), not credentials
	View: "Viewed", Create: "Added", Update: "Changed", Delete: "Deleted", Export: "Exported", Print: "Printed",
	SignIn: "Signed in", SignInFailed: "Failed to sign in", MFAFailed: "Entered a wrong security code",
	MFAEnrolled: "Set up an authenticator app", MFAReset: "Reset a second factor", RecoveryUsed: "Used a recovery code",
	LockedOut: "Locked out", SignOut: "Signed out", SignOutAll: "Signed out everywhere", SessionEnded: "Ended a session",
	Denied: "Refused a page", RoleChanged: "Gave or took a role", AccountCreated: "Created an account",
	AccountDisable: "Disabled or re-enabled an account", AccountUnlock: "Unlocked an account", PasswordSet: "Set a password", TokenCreated: "Created an API token",
	TokenRevoked: "Revoked an API token", BreakGlass: "Opened a whole record with break-glass",
}

// Title is the action's name for people, as a filter offers it.
func (a Action) Title() string { return or(actionTitles[a], string(a)) }
