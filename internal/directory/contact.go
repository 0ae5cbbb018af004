package directory

// A service's contact keeps its own entry (issue 20 item 3), with one limit:
// defunct — closed for good — is the directory editors' call, both ways.
// Marking an entry defunct takes it out of people's searches for good, and
// a closure is the moment an editor should check the entry and the contact's
// account; so a contact tells the editors (by "Suggest a correction"), and an
// entry an editor has marked defunct is reopened only by an editor.

// ContactStatuses are the statuses a service's contact may choose for an
// entry whose status is now current, in the form's order.
func ContactStatuses(current Status) []Status {
	if current == StatusDefunct {
		return []Status{StatusDefunct}
	}
	out := make([]Status, 0, len(Statuses)-1)
	for _, s := range Statuses {
		if s != StatusDefunct {
			out = append(out, s)
		}
	}
	return out
}

// ContactMayChoose says whether a service's contact may set status on an
// entry whose status is now current.
func ContactMayChoose(current, status Status) bool {
	for _, s := range ContactStatuses(current) {
		if s == status {
			return true
		}
	}
	return false
}
