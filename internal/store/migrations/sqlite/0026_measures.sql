-- Outcome measures completed with her (issue 17), and the registrations some
-- measures' owners require before a deployment may use them.
CREATE TABLE measures (
    id                INTEGER PRIMARY KEY,
    person_id         INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    instrument        TEXT NOT NULL CHECK (instrument IN ('wemwbs', 'swemwbs', 'phq9', 'gad7', 'ons4')),
    point             TEXT NOT NULL CHECK (point IN ('baseline', '6-months', '12-months', '18-months', 'exit', 'follow-up')),
    taken_on          DATE NOT NULL,
    answers           TEXT NOT NULL,
    valid             BOOLEAN NOT NULL,
    total             INTEGER,
    metric            INTEGER,
    band              TEXT NOT NULL DEFAULT '',
    flags             TEXT NOT NULL DEFAULT '',
    recorded_by       INTEGER REFERENCES users (id),
    at                TIMESTAMP NOT NULL,
    response_note     TEXT NOT NULL DEFAULT '',
    response_by       INTEGER REFERENCES users (id),
    response_at       TIMESTAMP
);
CREATE INDEX measures_person ON measures (person_id, taken_on, id);
CREATE INDEX measures_open_flags ON measures (person_id) WHERE flags <> '' AND response_at IS NULL;

CREATE TABLE measure_registrations (
    instrument  TEXT PRIMARY KEY CHECK (instrument IN ('wemwbs', 'swemwbs')),
    reference   TEXT NOT NULL,
    registered_on DATE NOT NULL,
    recorded_by INTEGER NOT NULL REFERENCES users (id),
    at          TIMESTAMP NOT NULL
);
