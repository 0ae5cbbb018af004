-- Reunification (issue 18, items 3 to 5): the return-home assessment, the
-- parental agreement and plan with its RAG reviews, and support after the
-- return with its outcome checks. Each hangs off a reunification case.

-- Every save of an assessment section is a new row, so earlier versions are
-- kept; the section's current text is its highest version. person_id is the
-- parent (la_child_people.id), or 0 for a section about the whole family.
CREATE TABLE reunify_assessment (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES reunify_cases (id) ON DELETE CASCADE,
    section     TEXT NOT NULL,
    person_id   INTEGER NOT NULL DEFAULT 0,
    body        TEXT NOT NULL,
    complete    BOOLEAN NOT NULL,
    version     INTEGER NOT NULL,
    by_user     INTEGER REFERENCES users (id),
    at          TIMESTAMP NOT NULL,
    UNIQUE (case_id, section, person_id, version)
);

CREATE TABLE reunify_plans (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL UNIQUE REFERENCES reunify_cases (id) ON DELETE CASCADE,
    expectations  TEXT NOT NULL,
    agreed_on     DATE,
    review_1      DATE,
    review_2      DATE,
    review_3      DATE,
    version       INTEGER NOT NULL,
    by_user       INTEGER REFERENCES users (id),
    updated_at    TIMESTAMP NOT NULL
);

CREATE TABLE reunify_goals (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES reunify_cases (id) ON DELETE CASCADE,
    person_id   INTEGER NOT NULL REFERENCES la_child_people (id) ON DELETE CASCADE,
    words       TEXT NOT NULL,
    steps       TEXT NOT NULL,
    timeframe   TEXT NOT NULL,
    support     TEXT NOT NULL,
    version     INTEGER NOT NULL,
    by_user     INTEGER REFERENCES users (id),
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX reunify_goals_case ON reunify_goals (case_id);

-- A review rates every goal of the plan at the time: one row a goal.
CREATE TABLE reunify_reviews (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES reunify_cases (id) ON DELETE CASCADE,
    held_on     DATE NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    by_user     INTEGER REFERENCES users (id),
    at          TIMESTAMP NOT NULL,
    UNIQUE (case_id, held_on)
);

CREATE TABLE reunify_ratings (
    review_id  INTEGER NOT NULL REFERENCES reunify_reviews (id) ON DELETE CASCADE,
    goal_id    INTEGER NOT NULL REFERENCES reunify_goals (id) ON DELETE CASCADE,
    rating     TEXT NOT NULL CHECK (rating IN ('red', 'amber', 'green')),
    PRIMARY KEY (review_id, goal_id)
);

-- A parent's own words about the plan, as said.
CREATE TABLE reunify_comments (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES reunify_cases (id) ON DELETE CASCADE,
    person_id  INTEGER NOT NULL REFERENCES la_child_people (id) ON DELETE CASCADE,
    said_on    DATE NOT NULL,
    words      TEXT NOT NULL,
    by_user    INTEGER REFERENCES users (id),
    at         TIMESTAMP NOT NULL
);
CREATE INDEX reunify_comments_case ON reunify_comments (case_id);

CREATE TABLE reunify_support (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL UNIQUE REFERENCES reunify_cases (id) ON DELETE CASCADE,
    package     TEXT NOT NULL,
    ends_on     DATE NOT NULL,
    version     INTEGER NOT NULL,
    by_user     INTEGER REFERENCES users (id),
    updated_at  TIMESTAMP NOT NULL
);

-- The checks 3, 6 and 12 months after the return: one each.
CREATE TABLE reunify_checks (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES reunify_cases (id) ON DELETE CASCADE,
    month       INTEGER NOT NULL CHECK (month IN (3, 6, 12)),
    checked_on  DATE NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('settled', 'concerns', 'back-in-care', 'elsewhere')),
    note        TEXT NOT NULL DEFAULT '',
    by_user     INTEGER REFERENCES users (id),
    at          TIMESTAMP NOT NULL,
    UNIQUE (case_id, month)
);
