-- SSDA903 episodes imports (issue 18 item 6). The episodes file carries a
-- category of need and the placement's Ofsted URN beside each episode;
-- Haven keeps both so that an export writes back what was imported. The
-- file's postcodes (HOME_POST, PL_POST) are never stored.
ALTER TABLE la_episodes ADD COLUMN cin TEXT NOT NULL DEFAULT '';
ALTER TABLE la_episodes ADD COLUMN urn TEXT NOT NULL DEFAULT '';

-- Each import that wrote: who, when, the file's SHA-256, and what it did.
-- A dry run or a rejected file writes nothing here (the audit trail has it).
CREATE TABLE la_imports (
    id          INTEGER PRIMARY KEY,
    la_team_id  INTEGER NOT NULL REFERENCES la_teams (id),
    by_user     INTEGER REFERENCES users (id),
    at          TIMESTAMP NOT NULL,
    sha256      TEXT NOT NULL,
    row_count   INTEGER NOT NULL,
    added       INTEGER NOT NULL,
    updated     INTEGER NOT NULL,
    unchanged   INTEGER NOT NULL
);
CREATE INDEX la_imports_team ON la_imports (la_team_id, at);

-- The dashboard reads each return home and the start of the next period of
-- care after it; these two partial indexes answer both from the index alone.
CREATE INDEX la_episodes_returns ON la_episodes (child_id, ends_on, rec) WHERE rec IN ('E4A', 'E4B');
CREATE INDEX la_episodes_periods ON la_episodes (child_id, starts_on) WHERE rne = 'S';
