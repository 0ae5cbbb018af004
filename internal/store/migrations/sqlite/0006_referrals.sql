-- Referrals: a woman referring herself, or a professional referring her, and
-- the Practice's triage outcome. practice_id is NULL when no Practice covers
-- her area yet: she is still thanked and given her reference.
CREATE TABLE referrals (
    id                    INTEGER PRIMARY KEY,
    ref                   TEXT NOT NULL UNIQUE,  -- HVN-XXXX-XXXX, random: given to whoever referred her
    practice_id           INTEGER REFERENCES practices (id),
    source                TEXT NOT NULL CHECK (source IN ('self', 'professional')),
    status                TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'waiting-list', 'accepted', 'declined', 'referred-on')),
    received_at           TIMESTAMP NOT NULL,
    first_name            TEXT NOT NULL,
    last_name             TEXT NOT NULL,
    date_of_birth         DATE,
    phone                 TEXT NOT NULL DEFAULT '',
    email                 TEXT NOT NULL DEFAULT '',
    la_code               TEXT REFERENCES local_authorities (code),
    postcode_district     TEXT NOT NULL DEFAULT '',  -- never the full postcode
    -- How it is safe to contact her.
    safe_channels         TEXT NOT NULL DEFAULT '',  -- comma-separated: phone, text, email, letter
    no_voicemail          BOOLEAN NOT NULL DEFAULT FALSE,
    safe_times            TEXT NOT NULL DEFAULT '',
    via_professional      BOOLEAN NOT NULL DEFAULT FALSE,
    via_name              TEXT NOT NULL DEFAULT '',
    via_contact           TEXT NOT NULL DEFAULT '',
    children_removed      TEXT NOT NULL CHECK (children_removed IN ('0', '1', '2', '3+')),
    care_experienced      TEXT NOT NULL DEFAULT 'unknown' CHECK (care_experienced IN ('yes', 'no', 'unknown')),
    children_in_care      TEXT NOT NULL DEFAULT 'unknown' CHECK (children_in_care IN ('yes', 'no', 'unknown')),
    consent               TEXT NOT NULL CHECK (consent IN ('given', 'not-asked')),  -- a declined referral is never stored
    -- A professional's referral.
    referrer_name         TEXT NOT NULL DEFAULT '',
    referrer_organisation TEXT NOT NULL DEFAULT '',
    referrer_role         TEXT NOT NULL DEFAULT '',
    referrer_contact      TEXT NOT NULL DEFAULT '',
    proceedings           TEXT NOT NULL DEFAULT '',
    situation             TEXT NOT NULL DEFAULT '',
    risks                 TEXT NOT NULL DEFAULT '',
    entered_by            INTEGER REFERENCES users (id),
    -- Triage.
    outcome_reason        TEXT NOT NULL DEFAULT '',
    referred_on_to        TEXT NOT NULL DEFAULT '',
    outcome_by            INTEGER REFERENCES users (id),
    outcome_at            TIMESTAMP,
    person_id             INTEGER REFERENCES people (id) ON DELETE SET NULL,
    version               INTEGER NOT NULL DEFAULT 1,
    created_at            TIMESTAMP NOT NULL,
    updated_at            TIMESTAMP NOT NULL
);
CREATE INDEX referrals_queue ON referrals (practice_id, status, received_at);
CREATE INDEX referrals_person ON referrals (person_id);
