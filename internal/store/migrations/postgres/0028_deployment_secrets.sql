-- Secrets a deployment makes for itself, once, and never shows: the key of
-- the evaluation extract's pseudonyms (issue 17 item 8). Not in any bulk
-- export; a backup carries it, since a restored deployment is the same one.
CREATE TABLE deployment_secrets (
    name       TEXT PRIMARY KEY,
    secret     TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
