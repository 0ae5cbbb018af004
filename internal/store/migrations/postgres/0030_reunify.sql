-- Reunification (issue 18): a local authority team's looked-after children,
-- their SSDA903 episodes, the people around them, and each attempt to bring
-- a child home under the framework. Later parts add their own tables.

CREATE TABLE la_children (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    la_team_id  BIGINT NOT NULL REFERENCES la_teams (id),
    child_ref   TEXT NOT NULL,
    first_name  TEXT NOT NULL,
    born_on     DATE NOT NULL,
    worker_id   BIGINT REFERENCES users (id),
    version     INTEGER NOT NULL,
    created_by  BIGINT REFERENCES users (id),
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (la_team_id, child_ref)
);

CREATE TABLE la_child_people (
    id                      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    child_id                BIGINT NOT NULL REFERENCES la_children (id) ON DELETE CASCADE,
    name                    TEXT NOT NULL,
    relationship            TEXT NOT NULL,
    parental_responsibility BOOLEAN NOT NULL,
    may_be_told             TEXT NOT NULL DEFAULT '',
    version                 INTEGER NOT NULL,
    created_at              TIMESTAMPTZ NOT NULL,
    updated_at              TIMESTAMPTZ NOT NULL
);
CREATE INDEX la_child_people_child ON la_child_people (child_id);

-- One row per SSDA903 episode. A child has at most one episode starting on a
-- day, which is what makes importing the same file twice change nothing.
CREATE TABLE la_episodes (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    child_id      BIGINT NOT NULL REFERENCES la_children (id) ON DELETE CASCADE,
    starts_on     DATE NOT NULL,
    rne           TEXT NOT NULL,
    legal_status  TEXT NOT NULL,
    placement     TEXT NOT NULL,
    provider      TEXT NOT NULL DEFAULT '',
    ends_on       DATE,
    rec           TEXT NOT NULL DEFAULT '',
    place_change  TEXT NOT NULL DEFAULT '',
    version       INTEGER NOT NULL,
    created_by    BIGINT REFERENCES users (id),
    at            TIMESTAMPTZ NOT NULL,
    UNIQUE (child_id, starts_on),
    CHECK ((ends_on IS NULL) = (rec = ''))
);

CREATE TABLE reunify_cases (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    child_id        BIGINT NOT NULL REFERENCES la_children (id) ON DELETE CASCADE,
    route           TEXT NOT NULL CHECK (route IN ('s20', 's31', 's38', 'pre-proceedings')),
    stage           TEXT NOT NULL,
    opened_on       DATE NOT NULL,
    closed_on       DATE,
    outcome         TEXT NOT NULL DEFAULT '' CHECK (outcome IN ('', 'returned', 'alternative-permanence')),
    outcome_reason  TEXT NOT NULL DEFAULT '',
    worker_id       BIGINT REFERENCES users (id),
    version         INTEGER NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX reunify_cases_child ON reunify_cases (child_id);
-- A child has at most one open case.
CREATE UNIQUE INDEX reunify_cases_open ON reunify_cases (child_id) WHERE closed_on IS NULL;
