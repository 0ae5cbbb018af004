-- The community of practice's resource library (issue 21 items 1 to 3).
-- A resource has a link now; the file_* columns are for an uploaded file
-- in its place (issue 21 item 4), unused until the file store exists.
CREATE TABLE library_resources (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
    file_size     BIGINT,
    status        TEXT NOT NULL CHECK (status IN ('proposed', 'published', 'retired')),
    featured      BOOLEAN NOT NULL DEFAULT FALSE,
    replaced_by   BIGINT REFERENCES library_resources (id),
    version       INTEGER NOT NULL DEFAULT 1,
    proposed_by   BIGINT REFERENCES users (id),
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    published_at  TIMESTAMPTZ,
    -- Full-text search: English stemming ("parenting" finds "parent"),
    -- the title weighted above the summary; kept by the database itself.
    search        TSVECTOR GENERATED ALWAYS AS (
        setweight(to_tsvector('english', title), 'A') ||
        setweight(to_tsvector('english', summary), 'B') ||
        setweight(to_tsvector('english', author || ' ' || organisation), 'C')) STORED
);
CREATE INDEX library_resources_status ON library_resources (status, published_at);
CREATE INDEX library_resources_search ON library_resources USING GIN (search);

CREATE TABLE library_resource_topics (
    resource_id BIGINT NOT NULL REFERENCES library_resources (id) ON DELETE CASCADE,
    topic       TEXT NOT NULL,
    PRIMARY KEY (resource_id, topic)
);

CREATE TABLE library_resource_audiences (
    resource_id BIGINT NOT NULL REFERENCES library_resources (id) ON DELETE CASCADE,
    audience    TEXT NOT NULL,
    PRIMARY KEY (resource_id, audience)
);

-- Every edit keeps the state before it: content is the library.Content as JSON.
CREATE TABLE library_versions (
    resource_id BIGINT NOT NULL REFERENCES library_resources (id) ON DELETE CASCADE,
    number      INTEGER NOT NULL,
    content     TEXT NOT NULL,
    changed_by  BIGINT REFERENCES users (id),
    changed_at  TIMESTAMPTZ NOT NULL,
    what        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (resource_id, number)
);
