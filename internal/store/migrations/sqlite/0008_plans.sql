-- Support plans: goals in her own words, with steps and a review history.
CREATE TABLE goals (
    id         INTEGER PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    domain     TEXT NOT NULL,
    words      TEXT NOT NULL,
    steps      TEXT NOT NULL DEFAULT '',
    target_on  DATE,
    progress   TEXT NOT NULL CHECK (progress IN ('not-started', 'in-progress', 'achieved', 'no-longer-relevant')),
    created_by INTEGER REFERENCES users (id),
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX goals_person ON goals (person_id, id);

CREATE TABLE goal_reviews (
    id       INTEGER PRIMARY KEY,
    goal_id  INTEGER NOT NULL REFERENCES goals (id) ON DELETE CASCADE,
    on_date  DATE NOT NULL,
    note     TEXT NOT NULL,
    progress TEXT NOT NULL,
    by_user  INTEGER REFERENCES users (id),
    at       TIMESTAMP NOT NULL
);
CREATE INDEX goal_reviews_goal ON goal_reviews (goal_id, id);
