-- The community of practice's resource library (issue 21 items 1 to 3).
-- A resource has a link now; the file_* columns are for an uploaded file
-- in its place (issue 21 item 4), unused until the file store exists.
CREATE TABLE library_resources (
    id            INTEGER PRIMARY KEY,
    title         TEXT NOT NULL,
    summary       TEXT NOT NULL,
    type          TEXT NOT NULL,
    author        TEXT NOT NULL,
    organisation  TEXT NOT NULL DEFAULT '',
    resource_date DATE NOT NULL,
    licence       TEXT NOT NULL,
    co_produced   BOOLEAN NOT NULL DEFAULT FALSE,
    link          TEXT NOT NULL DEFAULT '',
    file_key      TEXT,
    file_name     TEXT,
    file_type     TEXT,
    file_size     INTEGER,
    status        TEXT NOT NULL CHECK (status IN ('proposed', 'published', 'retired')),
    featured      BOOLEAN NOT NULL DEFAULT FALSE,
    replaced_by   INTEGER REFERENCES library_resources (id),
    version       INTEGER NOT NULL DEFAULT 1,
    proposed_by   INTEGER REFERENCES users (id),
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    published_at  TIMESTAMP
);
CREATE INDEX library_resources_status ON library_resources (status, published_at);

CREATE TABLE library_resource_topics (
    resource_id INTEGER NOT NULL REFERENCES library_resources (id) ON DELETE CASCADE,
    topic       TEXT NOT NULL,
    PRIMARY KEY (resource_id, topic)
);

CREATE TABLE library_resource_audiences (
    resource_id INTEGER NOT NULL REFERENCES library_resources (id) ON DELETE CASCADE,
    audience    TEXT NOT NULL,
    PRIMARY KEY (resource_id, audience)
);

-- Every edit keeps the state before it: content is the library.Content as JSON.
CREATE TABLE library_versions (
    resource_id INTEGER NOT NULL REFERENCES library_resources (id) ON DELETE CASCADE,
    number      INTEGER NOT NULL,
    content     TEXT NOT NULL,
    changed_by  INTEGER REFERENCES users (id),
    changed_at  TIMESTAMP NOT NULL,
    what        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (resource_id, number)
);

-- Full-text search: FTS5 with the Porter stemmer ("parenting" finds
-- "parent"), its rowid the resource's id. The triggers keep it in step, so
-- no write can forget it.
CREATE VIRTUAL TABLE library_fts USING fts5(title, summary, author, organisation, tokenize = 'porter unicode61 remove_diacritics 2');

CREATE TRIGGER library_fts_insert AFTER INSERT ON library_resources BEGIN
    INSERT INTO library_fts (rowid, title, summary, author, organisation) VALUES (new.id, new.title, new.summary, new.author, new.organisation);
END;
CREATE TRIGGER library_fts_update AFTER UPDATE OF title, summary, author, organisation ON library_resources BEGIN
    DELETE FROM library_fts WHERE rowid = old.id;
    INSERT INTO library_fts (rowid, title, summary, author, organisation) VALUES (new.id, new.title, new.summary, new.author, new.organisation);
END;
CREATE TRIGGER library_fts_delete AFTER DELETE ON library_resources BEGIN
    DELETE FROM library_fts WHERE rowid = old.id;
END;
