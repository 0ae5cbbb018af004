-- Issue 17, the remaining points: the evaluation's settings (the
-- suppression threshold and each instrument's meaningful change), the
-- category of an early exit, and the Outcomes Star licence and readings.

-- Why an enrolment ended early, from a short fixed list; '' for one that did
-- not. Enrolments that ended early before the list existed say so.
ALTER TABLE enrolments ADD COLUMN exit_category TEXT NOT NULL DEFAULT '';
UPDATE enrolments SET exit_category = 'not-recorded'
    WHERE EXISTS (SELECT 1 FROM phase_events pe WHERE pe.enrolment_id = enrolments.id AND pe.to_phase = 'ended-early');

-- Settings for the whole deployment, each a whole number with a version so
-- that two administrators cannot overwrite each other unseen.
-- 'suppression-threshold' (5..50), 'meaningful-change:<instrument>' (hundredths of a point).
CREATE TABLE evaluation_settings (
    name        TEXT PRIMARY KEY,
    value       BIGINT NOT NULL,
    version     BIGINT NOT NULL,
    updated_by  BIGINT REFERENCES users (id),
    updated_at  TIMESTAMPTZ NOT NULL
);

-- Licences some measures' owners require before a deployment may use them
-- in any form (Triangle's Outcomes Star).
CREATE TABLE measure_licences (
    name        TEXT PRIMARY KEY CHECK (name IN ('outcomes-star')),
    reference   TEXT NOT NULL,
    licensed_on DATE NOT NULL,
    recorded_by BIGINT NOT NULL REFERENCES users (id),
    at          TIMESTAMPTZ NOT NULL
);

-- Outcomes Star readings imported from elsewhere: stored and listed as they
-- came, never drawn and never in the evaluation's figures. readings holds
-- one "scale<TAB>reading" line per scale, in the file's order.
CREATE TABLE star_readings (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id    BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    taken_on     DATE NOT NULL,
    star_version TEXT NOT NULL,
    readings     TEXT NOT NULL,
    imported_by  BIGINT REFERENCES users (id),
    at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX star_readings_person ON star_readings (person_id, taken_on, id);
