-- Suggestions from the public for the directory (issue 20 items 2 and 3): a
-- new service, or a correction to one. Nothing here is published: an editor
-- approves a suggestion into dir_services (with its field history) or
-- rejects it with a reason. The suggested entry is kept as JSON text
-- (directory.Entry), never as markup; pages escape it like any text.
CREATE TABLE dir_suggestions (
    id                TEXT PRIMARY KEY,
    kind              TEXT NOT NULL CHECK (kind IN ('service', 'correction')),
    service_id        TEXT REFERENCES dir_services (id) ON DELETE CASCADE,
    organisation_name TEXT NOT NULL DEFAULT '',
    entry             TEXT NOT NULL DEFAULT '',
    what_is_wrong     TEXT NOT NULL DEFAULT '',
    suggested_change  TEXT NOT NULL DEFAULT '',
    contact_email     TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    reason            TEXT NOT NULL DEFAULT '',
    created_at        TIMESTAMPTZ NOT NULL,
    decided_at        TIMESTAMPTZ,
    decided_by        BIGINT,
    result_service_id TEXT
);
CREATE INDEX dir_suggestions_pending ON dir_suggestions (status, created_at);
