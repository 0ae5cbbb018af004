-- Calculator scenarios saved by a local authority team (issue 19 item 4).
-- The query is the calculator's own encoding of its inputs (the shareable
-- address without the path), re-encoded by the calculator before it is
-- stored, so a saved scenario opens exactly as it was saved. Nothing in it
-- is about a child. name_key is the name as compared for uniqueness:
-- trimmed and lower-cased in Go, so "Base case" and "base case" clash.
CREATE TABLE calculator_scenarios (
    id          INTEGER PRIMARY KEY,
    la_team_id  INTEGER NOT NULL REFERENCES la_teams (id),
    calculator  TEXT NOT NULL CHECK (calculator IN ('return-home', 'infant-care')),
    name        TEXT NOT NULL,
    name_key    TEXT NOT NULL,
    query       TEXT NOT NULL,
    saved_by    INTEGER REFERENCES users (id),
    saved_at    TIMESTAMP NOT NULL,
    UNIQUE (la_team_id, calculator, name_key)
);
