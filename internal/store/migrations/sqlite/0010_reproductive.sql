-- The structured reproductive-health section: restricted, like the notes.
CREATE TABLE contraception (
    person_id  INTEGER PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    method     TEXT NOT NULL CHECK (method IN ('implant', 'iud', 'ius', 'injection', 'other')),
    started_on DATE,
    review_on  DATE,
    service    TEXT NOT NULL DEFAULT '',
    version    INTEGER NOT NULL DEFAULT 1,
    updated_by INTEGER REFERENCES users (id),
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX contraception_review ON contraception (review_on);

CREATE TABLE pregnancies (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    known_on    DATE NOT NULL,
    outcome     TEXT NOT NULL DEFAULT '',
    recorded_by INTEGER REFERENCES users (id),
    at          TIMESTAMP NOT NULL
);
CREATE INDEX pregnancies_person ON pregnancies (person_id, id);
