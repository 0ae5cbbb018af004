package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"haven/internal/audit"
	"haven/internal/directory"
	"haven/internal/haven"
)

// Suggestions for the directory (issue 20 items 2 and 3): the public
// suggests a service or a correction; nothing is published until a
// directory editor approves it.

// SuggestionKind says what a suggestion is for.
type SuggestionKind string

const (
	SuggestService    SuggestionKind = "service"
	SuggestCorrection SuggestionKind = "correction"
)

// KindDirSuggestion is the idempotency kind of a directory suggestion.
const KindDirSuggestion = "dir-suggestion"

// Suggestion statuses.
const (
	SuggestionPending  = "pending"
	SuggestionApproved = "approved"
	SuggestionRejected = "rejected"
)

// Suggestion is one entry in the moderation queue.
type Suggestion struct {
	ID   string
	Kind SuggestionKind
	// ServiceID is the service a correction is about.
	ServiceID string
	// Organisation and Entry are a suggested new service.
	Organisation string
	Entry        directory.Entry
	// WhatIsWrong and Change are a correction.
	WhatIsWrong, Change string
	ContactEmail        string
	Status, Reason      string
	CreatedAt           time.Time
	DecidedAt           time.Time
	ResultServiceID     string
}

// CreateSuggestion puts a suggestion in the queue, pending, with its audit row.
func (db *DB) CreateSuggestion(ctx context.Context, ev audit.Event, sg Suggestion) (Suggestion, error) {
	sg.ID, sg.Status, sg.CreatedAt = directory.NewID(), SuggestionPending, db.now()
	entry, err := json.Marshal(sg.Entry)
	if err != nil {
		return sg, err
	}
	var service any
	if sg.ServiceID != "" {
		service = sg.ServiceID
	}
	// A form sent twice with one idempotency key makes one suggestion: the
	// repeat gets a *Duplicate whose Ref is the first one's id.
	err = db.createTx(ctx, claim{user: ev.UserID, kind: KindDirSuggestion, target: string(sg.Kind) + ":" + sg.ServiceID}, func(tx *sql.Tx) (int64, string, error) {
		if _, err := tx.ExecContext(ctx, `INSERT INTO dir_suggestions (id, kind, service_id, organisation_name, entry, what_is_wrong,
				suggested_change, contact_email, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9)`,
			sg.ID, string(sg.Kind), service, sg.Organisation, string(entry), sg.WhatIsWrong, sg.Change, sg.ContactEmail, sg.CreatedAt); err != nil {
			return 0, "", err
		}
		ev.Action, ev.RecordType, ev.RecordID = audit.Create, "dir-suggestion", sg.ID
		return 0, sg.ID, db.appendAudit(ctx, tx, ev)
	})
	return sg, err
}

const suggestionColumns = `id, kind, COALESCE(service_id, ''), organisation_name, entry, what_is_wrong, suggested_change, contact_email,
	status, reason, created_at, decided_at, COALESCE(result_service_id, '')`

func scanSuggestion(r interface{ Scan(...any) error }) (Suggestion, error) {
	var sg Suggestion
	var kind, entry string
	var decided sql.NullTime
	if err := r.Scan(&sg.ID, &kind, &sg.ServiceID, &sg.Organisation, &entry, &sg.WhatIsWrong, &sg.Change, &sg.ContactEmail,
		&sg.Status, &sg.Reason, &sg.CreatedAt, &decided, &sg.ResultServiceID); err != nil {
		return sg, err
	}
	sg.Kind, sg.DecidedAt = SuggestionKind(kind), decided.Time
	if entry != "" {
		if err := json.Unmarshal([]byte(entry), &sg.Entry); err != nil {
			return sg, err
		}
	}
	return sg, nil
}

// PendingSuggestions is the moderation queue, oldest first.
func (db *DB) PendingSuggestions(ctx context.Context) ([]Suggestion, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+suggestionColumns+` FROM dir_suggestions WHERE status = 'pending' ORDER BY created_at, id`)
	return collect(db, rows, err, func(r *sql.Rows) (Suggestion, error) { return scanSuggestion(r) })
}

// SuggestionByID returns one suggestion, whatever its status.
func (db *DB) SuggestionByID(ctx context.Context, id string) (Suggestion, error) {
	if !directory.ValidID(id) {
		return Suggestion{}, haven.ErrNotFound
	}
	sg, err := scanSuggestion(db.read.QueryRowContext(ctx, `SELECT `+suggestionColumns+` FROM dir_suggestions WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return sg, haven.ErrNotFound
	}
	return sg, db.dialect.translate(err)
}

// decideSuggestion closes a pending suggestion; a suggestion already
// decided (by another editor, or twice) is a conflict.
func (db *DB) decideSuggestion(ctx context.Context, ev audit.Event, id, status, reason, result string) error {
	var res any
	if result != "" {
		res = result
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		r, err := tx.ExecContext(ctx, `UPDATE dir_suggestions SET status = $1, reason = $2, decided_at = $3, decided_by = $4, result_service_id = $5
			WHERE id = $6 AND status = 'pending'`, status, reason, db.now(), nullID(ev.UserID), res, id)
		if err != nil {
			return err
		}
		if n, err := r.RowsAffected(); err != nil || n != 1 {
			if err == nil {
				err = haven.ErrConflict
			}
			return err
		}
		ev.Action, ev.RecordType, ev.RecordID = audit.Update, "dir-suggestion", id
		return db.appendAudit(ctx, tx, ev)
	})
	return db.dialect.translate(err)
}

// RejectSuggestion closes a suggestion unpublished, with the editor's reason.
func (db *DB) RejectSuggestion(ctx context.Context, ev audit.Event, id, reason string) error {
	return db.decideSuggestion(ctx, ev, id, SuggestionRejected, reason, "")
}

// ApproveSuggestion publishes a suggested service: a directory
// organisation for it and the service itself through CreateService (so
// with its field history, by names the editor), then closes the suggestion.
// The service's id is fixed before it is made so that a retry after a
// failure between the two steps finds it rather than making a second one.
func (db *DB) ApproveSuggestion(ctx context.Context, ev audit.Event, id, by string) (directory.Service, error) {
	sg, err := db.SuggestionByID(ctx, id)
	if err != nil {
		return directory.Service{}, err
	}
	if sg.Kind != SuggestService || sg.Status != SuggestionPending {
		return directory.Service{}, haven.ErrConflict
	}
	serviceID := directory.NameID("suggestion:" + sg.ID)
	svc, err := db.Service(ctx, serviceID)
	if errors.Is(err, haven.ErrNotFound) {
		orgID := directory.NameID("suggestion-org:" + sg.ID)
		org, err := db.DirOrganisation(ctx, orgID)
		if errors.Is(err, haven.ErrNotFound) {
			org, err = db.CreateDirOrganisation(ctx, directory.Organisation{ID: orgID, Name: sg.Organisation, Description: "Runs " + sg.Entry.Name + "."})
		}
		if err != nil {
			return svc, err
		}
		s := directory.Service{ID: serviceID, OrganisationID: org.ID, Entry: sg.Entry, LastVerified: db.now()}
		// The feed reads a service's phone and postcode from its own records.
		if sg.Entry.Phone != "" {
			s.Phones = []directory.PhoneNumber{{Number: sg.Entry.Phone}}
		}
		if sg.Entry.Postcode != "" {
			s.Locations = []directory.Location{{Name: sg.Entry.Name, Postcode: sg.Entry.Postcode}}
		}
		svc, err = db.CreateService(ctx, s, by)
		if err != nil {
			return svc, err
		}
	} else if err != nil {
		return svc, err
	}
	if err := db.decideSuggestion(ctx, ev, id, SuggestionApproved, "", svc.ID); err != nil {
		return svc, err
	}
	ev.Action, ev.RecordType, ev.RecordID = audit.Create, "dir-service", svc.ID
	return svc, db.Audit(ctx, ev)
}

// CloseCorrection marks a correction dealt with: approved when the editor
// changed the entry from it, rejected (with a reason) when not.
func (db *DB) CloseCorrection(ctx context.Context, ev audit.Event, id string, applied bool, reason string) error {
	status := SuggestionRejected
	if applied {
		status = SuggestionApproved
	}
	sg, err := db.SuggestionByID(ctx, id)
	if err != nil {
		return err
	}
	if sg.Kind != SuggestCorrection {
		return haven.ErrConflict
	}
	return db.decideSuggestion(ctx, ev, id, status, reason, sg.ServiceID)
}
