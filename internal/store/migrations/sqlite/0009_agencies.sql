-- Each Practice's directory of partner agencies, and closed-loop referrals out.
CREATE TABLE agencies (
    id          INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practices (id),
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    contact     TEXT NOT NULL DEFAULT '',
    agreement   TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX agencies_practice ON agencies (practice_id, name);

CREATE TABLE referrals_out (
    id         INTEGER PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    agency_id  INTEGER NOT NULL REFERENCES agencies (id),
    status     TEXT NOT NULL CHECK (status IN ('sent', 'accepted', 'first-appointment', 'outcome', 'declined')),
    reason     TEXT NOT NULL,
    outcome    TEXT NOT NULL DEFAULT '',
    sent_on    DATE NOT NULL,
    changed_on DATE NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX referrals_out_person ON referrals_out (person_id, id);
CREATE INDEX referrals_out_open ON referrals_out (status, changed_on);
