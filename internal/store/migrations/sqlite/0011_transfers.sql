-- Moving a woman to another Practice when she moves: the receiving lead
-- accepts, and her whole history goes with her.
CREATE TABLE transfers (
    id            INTEGER PRIMARY KEY,
    person_id     INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    from_practice INTEGER NOT NULL REFERENCES practices (id),
    to_practice   INTEGER NOT NULL REFERENCES practices (id),
    note          TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'declined')),
    requested_by  INTEGER REFERENCES users (id),
    requested_at  TIMESTAMP NOT NULL,
    decided_by    INTEGER REFERENCES users (id),
    decided_at    TIMESTAMP
);
CREATE INDEX transfers_to ON transfers (to_practice, status);
CREATE UNIQUE INDEX transfers_one_pending ON transfers (person_id) WHERE status = 'pending';

-- Safe-contact preferences: how and when it is safe to reach her.
ALTER TABLE people ADD COLUMN safe_channels TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN safe_times TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN no_voicemail BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE people ADD COLUMN via_professional TEXT NOT NULL DEFAULT '';

-- The people around her: family, friends and professionals.
CREATE TABLE people_around (
    id           INTEGER PRIMARY KEY,
    person_id    INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    relationship TEXT NOT NULL,
    notes        TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX people_around_person ON people_around (person_id, id);
