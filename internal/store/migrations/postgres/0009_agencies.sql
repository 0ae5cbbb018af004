-- Each Practice's directory of partner agencies, and closed-loop referrals out.
CREATE TABLE agencies (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    practice_id BIGINT NOT NULL REFERENCES practices (id),
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    contact     TEXT NOT NULL DEFAULT '',
    agreement   TEXT NOT NULL DEFAULT '',
    version     BIGINT NOT NULL DEFAULT 1,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX agencies_practice ON agencies (practice_id, name);

CREATE TABLE referrals_out (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id  BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    agency_id  BIGINT NOT NULL REFERENCES agencies (id),
    status     TEXT NOT NULL CHECK (status IN ('sent', 'accepted', 'first-appointment', 'outcome', 'declined')),
    reason     TEXT NOT NULL,
    outcome    TEXT NOT NULL DEFAULT '',
    sent_on    DATE NOT NULL,
    changed_on DATE NOT NULL,
    version    BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX referrals_out_person ON referrals_out (person_id, id);
CREATE INDEX referrals_out_open ON referrals_out (status, changed_on);
