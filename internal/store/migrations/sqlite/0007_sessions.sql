-- Sessions with a woman and their case notes. A saved note is never
-- overwritten: a correction is a new row, and the note as first saved stays.
-- Nothing here depends on 0006.
CREATE TABLE support_sessions (
    id             INTEGER PRIMARY KEY,
    person_id      INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    on_date        DATE NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('home-visit', 'accompanied', 'phone-or-text', 'video', 'group', 'outreach-attempt')),
    minutes        INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 600),
    initiated_by   TEXT NOT NULL CHECK (initiated_by IN ('her', 'practitioner', 'other')),
    note           TEXT NOT NULL,
    practical_help TEXT NOT NULL DEFAULT '',
    -- Flexible-fund spend in whole pence, never a float; both NULL when nothing was spent.
    fund_pence     INTEGER CHECK (fund_pence BETWEEN 0 AND 500000),
    fund_category  TEXT CHECK (fund_category IN ('travel', 'food', 'clothing', 'household', 'phone-or-data', 'activities', 'other')),
    agencies       TEXT NOT NULL DEFAULT '',
    version        INTEGER NOT NULL DEFAULT 1,
    created_by     INTEGER NOT NULL REFERENCES users (id),
    created_at     TIMESTAMP NOT NULL,
    CHECK ((fund_pence IS NULL) = (fund_category IS NULL))
);
CREATE INDEX support_sessions_person ON support_sessions (person_id, on_date, id);

CREATE TABLE session_corrections (
    id         INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES support_sessions (id) ON DELETE CASCADE,
    note       TEXT NOT NULL,
    reason     TEXT NOT NULL,
    by_user    INTEGER NOT NULL REFERENCES users (id),
    at         TIMESTAMP NOT NULL
);
CREATE INDEX session_corrections_session ON session_corrections (session_id, id);

-- A half-written session, kept on the server (never in the browser) for its
-- author alone: the form's fields as a URL-encoded string.
CREATE TABLE session_drafts (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    body       TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, person_id)
);
