-- Programme settings per Practice, and enrolments with their phase history.
ALTER TABLE practices ADD COLUMN engagement_weeks BIGINT NOT NULL DEFAULT 16;
ALTER TABLE practices ADD COLUMN programme_months BIGINT NOT NULL DEFAULT 18;
ALTER TABLE practices ADD COLUMN caseload_cap BIGINT NOT NULL DEFAULT 8;

CREATE TABLE enrolments (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id   BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    practice_id BIGINT NOT NULL REFERENCES practices (id),
    phase       TEXT NOT NULL CHECK (phase IN ('referred', 'engaging', 'programme-started', 'active', 'completed', 'ended-early', 'follow-on', 'closed')),
    referred_on DATE NOT NULL,
    engaged_on  DATE,
    started_on  DATE,
    ended_on    DATE,
    end_reason  TEXT NOT NULL DEFAULT '',
    version     BIGINT NOT NULL DEFAULT 1,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX enrolments_person ON enrolments (person_id, id);
CREATE INDEX enrolments_practice_phase ON enrolments (practice_id, phase);

CREATE TABLE phase_events (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    enrolment_id BIGINT NOT NULL REFERENCES enrolments (id) ON DELETE CASCADE,
    from_phase   TEXT NOT NULL,
    to_phase     TEXT NOT NULL,
    on_date      DATE NOT NULL,
    reason       TEXT NOT NULL DEFAULT '',
    by_user      BIGINT REFERENCES users (id),
    at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX phase_events_enrolment ON phase_events (enrolment_id, id);
