package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
)

// A save answers with a redirect (post/redirect/get), and the page it leads
// to says what happened, once: the success banner. What to say travels in a
// short-lived cookie holding only the name of a fixed message (never
// anything about her), signed with the session's own token so that it
// cannot be forged or carried to another session, and cleared by the page
// that shows it, so a reload does not say it again.

const flashCookie = "__Host-haven_flash"

// savedMessages are every success message a save may leave, by name.
var savedMessages = map[string]string{
	"session":            "Session recorded",
	"correction":         "Correction saved",
	"goal":               "Goal added",
	"review":             "Review recorded",
	"person":             "Her details saved",
	"person-created":     "Record created",
	"enrolment":          "Referral date recorded",
	"phase":              "Phase changed",
	"referral-out":       "Referral sent",
	"referral-entered":   "Referral recorded",
	"referral-out-moved": "Referral updated",
	"agency":             "Agency added",
	"contraception":      "Contraception saved",
	"pregnancy":          "Pregnancy recorded",
	"measure":            "Measure saved",
	"measureResponse":    "What was done is recorded, and the task is cleared",
	"registration":       "Registration recorded: the measure is switched on",
	"star-licence":       "Licence recorded: Outcomes Star readings may be imported",
	"star-readings":      "Outcomes Star readings imported",
	"eval-threshold":     "Suppression threshold saved: every report now follows it",
	"eval-change":        "Meaningful change saved",
	"needs":              "Needs saved",
	"schedule":           "Schedule saved",
	"contact":            "Contact record saved",
	"section":            "Section saved",
	"allocation":         "Practitioner allocated",
	"shared":             "Record shared",
	"around":             "Person added",
	"contact-added":      "Added to her contact record",
	"referral-linked":    "Referral linked to her record",
	"dir-approved":       "Suggestion approved: the service is in the directory",
	"dir-rejected":       "Suggestion rejected: nothing was published",
	"dir-updated":        "Directory entry saved",
	"dir-checked":        "Entry marked as checked today",
	"lib-proposed":       "Resource proposed: a library editor will review it before anyone else can see it",
	"lib-edited":         "Resource saved as a new version",
	"lib-unchanged":      "Nothing was changed",
	"lib-published":      "Resource published",
	"lib-featured":       "Resource featured",
	"lib-unfeatured":     "Resource no longer featured",
	"lib-retired":        "Resource retired",
	"referral-accepted":  "Referral accepted",
	"referral-decided":   "Decision recorded",
	"transfer":           "Transfer requested",
	"transfer-answered":  "Your answer to the transfer has been recorded",
	"event":              "Event saved",
	"event-cancelled":    "Event cancelled: it says so on its page and in calendars",
	"forum-topic":        "Topic started: you are following it",
	"forum-reply":        "Reply posted",
	"forum-followed":     "You are following this topic",
	"forum-unfollowed":   "You are no longer following this topic",
	"forum-reported":     "Post reported: a moderator will look at it",
	"forum-removed":      "Post removed: it no longer appears anywhere in the forum",
	"forum-dismissed":    "Report dismissed: the post stays",
}

// flashMAC signs a message name for one session.
func flashMAC(token, name string) string {
	m := hmac.New(sha256.New, []byte(token))
	m.Write([]byte("flash:" + name))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// saved redirects (303) to where the save leads, leaving the success
// message named for that page to show once.
func (s *Server) saved(w http.ResponseWriter, r *http.Request, to, name string) {
	if savedMessage(name) != "" {
		if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: name + "." + flashMAC(c.Value, name), Path: "/",
				MaxAge: 60, Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode})
		}
	}
	http.Redirect(w, r, to, http.StatusSeeOther) // #nosec G710 -- every caller passes one of Haven's own paths, built from a constant first segment such as "/people/"
}

// takeSaved returns the success message left for this page, if any, and
// clears it so that it is shown only once.
func takeSaved(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	name, mac, ok := strings.Cut(c.Value, ".")
	sess, err := r.Cookie(sessionCookie)
	if !ok || err != nil || sess.Value == "" || !hmac.Equal([]byte(mac), []byte(flashMAC(sess.Value, name))) {
		return ""
	}
	return savedMessage(name)
}

// savedMessage is the message a name stands for: a save's, or an account change's.
func savedMessage(name string) string {
	if m, ok := savedMessages[name]; ok {
		return m
	}
	return notices[name]
}

// successBanner is the GOV.UK success notification banner, written at the
// top of the page content.
func successBanner(msg string) string {
	if msg == "" {
		return ""
	}
	var w rows
	w.markup(`<div class="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="saved-title" data-module="govuk-notification-banner">` +
		`<div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="saved-title">Success</h2></div>` +
		`<div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">`)
	w.text(msg)
	w.markup("</p></div></div>\n")
	return w.b.String()
}
