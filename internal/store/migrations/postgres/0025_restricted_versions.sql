-- Every version of each restricted section, kept (issue 15): who wrote it,
-- when, and why, if it was cleared. restricted_sections keeps the current one.
CREATE TABLE restricted_section_versions (
    person_id  BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    section    TEXT NOT NULL CHECK (section IN ('reproductive-health', 'criminal-records', 'perpetrator')),
    version    INTEGER NOT NULL,
    body       TEXT NOT NULL,
    reason     TEXT NOT NULL DEFAULT '',
    updated_by BIGINT NOT NULL REFERENCES users (id),
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (person_id, section, version)
);

-- The versions written before this are the first known of each section.
INSERT INTO restricted_section_versions (person_id, section, version, body, updated_by, updated_at)
SELECT person_id, section, version, body, updated_by, updated_at FROM restricted_sections;
