-- People a Practice works with, the minimum needed to begin. Record-level
-- access is decided in the queries, from live memberships.
CREATE TABLE people (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ref                  TEXT NOT NULL UNIQUE,  -- random, for URLs: IDs are not guessable
    practice_id          BIGINT NOT NULL REFERENCES practices (id),
    practitioner_id      BIGINT REFERENCES users (id),
    first_name           TEXT NOT NULL,
    last_name            TEXT NOT NULL,
    preferred_name       TEXT NOT NULL DEFAULT '',
    pronouns             TEXT NOT NULL DEFAULT '',
    date_of_birth        DATE,
    la_code              TEXT REFERENCES local_authorities (code),
    care_experienced     BOOLEAN NOT NULL DEFAULT FALSE,
    address_confidential BOOLEAN NOT NULL DEFAULT FALSE,
    communication_needs  TEXT NOT NULL DEFAULT '',
    version              BIGINT NOT NULL DEFAULT 1,
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX people_practice ON people (practice_id, id);
CREATE INDEX people_practitioner ON people (practitioner_id, id);

-- A practice lead may share a person with a practitioner who is not allocated.
CREATE TABLE person_shares (
    person_id  BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    shared_by  BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (person_id, user_id)
);
CREATE INDEX person_shares_user ON person_shares (user_id);

-- Restricted sections: reproductive and sexual health, criminal records, and
-- details of a perpetrator of abuse. Only the allocated practitioner and the
-- practice lead read them, or someone who has broken the glass.
CREATE TABLE restricted_sections (
    person_id  BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    section    TEXT NOT NULL CHECK (section IN ('reproductive-health', 'criminal-records', 'perpetrator')),
    body       TEXT NOT NULL,
    version    BIGINT NOT NULL DEFAULT 1,
    updated_by BIGINT NOT NULL REFERENCES users (id),
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (person_id, section)
);

-- Break-glass: time-limited access with a typed reason, shown to the lead.
CREATE TABLE break_glass (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id  BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    reason     TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX break_glass_person ON break_glass (person_id, user_id, expires_at);
