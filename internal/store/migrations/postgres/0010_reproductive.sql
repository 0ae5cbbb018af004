-- The structured reproductive-health section: restricted, like the notes.
CREATE TABLE contraception (
    person_id  BIGINT PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    method     TEXT NOT NULL CHECK (method IN ('implant', 'iud', 'ius', 'injection', 'other')),
    started_on DATE,
    review_on  DATE,
    service    TEXT NOT NULL DEFAULT '',
    version    BIGINT NOT NULL DEFAULT 1,
    updated_by BIGINT REFERENCES users (id),
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX contraception_review ON contraception (review_on);

CREATE TABLE pregnancies (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id   BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    known_on    DATE NOT NULL,
    outcome     TEXT NOT NULL DEFAULT '',
    recorded_by BIGINT REFERENCES users (id),
    at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX pregnancies_person ON pregnancies (person_id, id);
