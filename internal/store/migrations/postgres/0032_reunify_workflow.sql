-- Reunification workflow (issue 18 item 2): each decision and risk
-- classification, proposed by a worker and signed off (or sent back) by a
-- team manager who is never the proposer; each case's history of stages;
-- and each LA team's risk scale.

CREATE TABLE reunify_decisions (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id         BIGINT NOT NULL REFERENCES reunify_cases (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL,
    stage           TEXT NOT NULL,
    answer          TEXT NOT NULL DEFAULT '' CHECK (answer IN ('', 'yes', 'no')),
    level           INTEGER NOT NULL DEFAULT 0,
    level_label     TEXT NOT NULL DEFAULT '',
    decided_on      DATE NOT NULL,
    rationale       TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('proposed', 'signed', 'declined')),
    proposed_by     BIGINT NOT NULL REFERENCES users (id),
    proposed_at     TIMESTAMPTZ NOT NULL,
    signed_by       BIGINT REFERENCES users (id),
    signed_at       TIMESTAMPTZ,
    decline_reason  TEXT NOT NULL DEFAULT '',
    version         INTEGER NOT NULL,
    -- Nobody signs off, or sends back, what they proposed.
    CHECK (signed_by IS NULL OR signed_by <> proposed_by),
    CHECK ((status = 'proposed') = (signed_by IS NULL))
);
CREATE INDEX reunify_decisions_case ON reunify_decisions (case_id);
CREATE INDEX reunify_decisions_status ON reunify_decisions (status);

CREATE TABLE reunify_stage_events (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id     BIGINT NOT NULL REFERENCES reunify_cases (id) ON DELETE CASCADE,
    from_stage  TEXT NOT NULL,
    to_stage    TEXT NOT NULL,
    on_date     DATE NOT NULL,
    rec         TEXT NOT NULL DEFAULT '',
    reason      TEXT NOT NULL DEFAULT '',
    by_user     BIGINT REFERENCES users (id),
    at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX reunify_stage_events_case ON reunify_stage_events (case_id);

-- One row once a team changes its scale; until then, the default.
CREATE TABLE la_risk_scales (
    la_team_id  BIGINT PRIMARY KEY REFERENCES la_teams (id),
    labels      TEXT NOT NULL, -- one label a line, lowest first
    version     INTEGER NOT NULL,
    updated_by  BIGINT REFERENCES users (id),
    updated_at  TIMESTAMPTZ NOT NULL
);
