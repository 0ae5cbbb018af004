-- Need domains at each point of her programme (issue 17 item 2): one row per
-- woman per point, with the three facts the evaluation compares between
-- start and exit, and one reading per domain beneath it.
CREATE TABLE need_points (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id       BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    point           TEXT NOT NULL CHECK (point IN ('baseline', '6-months', '12-months', '18-months', 'exit', 'follow-up')),
    assessed_on     DATE NOT NULL,
    stable_housing  TEXT NOT NULL CHECK (stable_housing IN ('yes', 'no', 'not-known')),
    paid_work       TEXT NOT NULL CHECK (paid_work IN ('yes', 'no', 'not-known')),
    child_contact   TEXT NOT NULL CHECK (child_contact IN ('yes', 'no', 'not-known')),
    version         INTEGER NOT NULL,
    recorded_by     BIGINT REFERENCES users (id),
    at              TIMESTAMPTZ NOT NULL,
    UNIQUE (person_id, point)
);

CREATE TABLE need_readings (
    need_point_id   BIGINT NOT NULL REFERENCES need_points (id) ON DELETE CASCADE,
    domain          TEXT NOT NULL CHECK (domain IN ('substance-use', 'domestic-abuse', 'mental-health', 'housing', 'education-training-work', 'contact-with-children', 'physical-health')),
    status          TEXT NOT NULL CHECK (status IN ('need', 'no-need', 'not-known')),
    change_since    TEXT NOT NULL DEFAULT '' CHECK (change_since IN ('', 'improved', 'stable', 'worse')),
    PRIMARY KEY (need_point_id, domain)
);

-- A Practice's own schedule of measures (issue 17 item 3). A Practice with
-- no row in practice_schedules follows the defaults, which live in the code
-- (measure.DefaultSchedule); one with a row and no slots has chosen to
-- schedule nothing.
CREATE TABLE practice_schedules (
    practice_id     BIGINT PRIMARY KEY REFERENCES practices (id) ON DELETE CASCADE,
    version         INTEGER NOT NULL,
    updated_by      BIGINT REFERENCES users (id),
    updated_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE practice_schedule_slots (
    practice_id     BIGINT NOT NULL REFERENCES practice_schedules (practice_id) ON DELETE CASCADE,
    item            TEXT NOT NULL CHECK (item IN ('wemwbs', 'swemwbs', 'phq9', 'gad7', 'ons4', 'needs')),
    point           TEXT NOT NULL CHECK (point IN ('baseline', '6-months', '12-months', '18-months', 'exit')),
    PRIMARY KEY (practice_id, item, point)
);

-- The tasks query asks, for each scheduled slot, whether she already has a
-- reading at that point.
CREATE INDEX measures_person_point ON measures (person_id, instrument, point);
