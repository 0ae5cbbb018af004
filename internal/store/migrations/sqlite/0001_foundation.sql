-- Tenants and accounts. Timestamps are written from Go in UTC.
CREATE TABLE organisations (
    id         INTEGER PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE local_authorities (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    region_code TEXT NOT NULL,
    region_name TEXT NOT NULL
);

CREATE TABLE practices (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    slug            TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);
CREATE INDEX practices_organisation ON practices (organisation_id);

CREATE TABLE practice_local_authorities (
    practice_id INTEGER NOT NULL REFERENCES practices (id) ON DELETE CASCADE,
    la_code     TEXT NOT NULL REFERENCES local_authorities (code),
    PRIMARY KEY (practice_id, la_code)
);

CREATE TABLE users (
    id           INTEGER PRIMARY KEY,
    email        TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
