-- Children and contact. Children are linked to her record and kept to the
-- minimum. Changes to an arrangement and the explanations that follow are
-- written once and never updated: a trigger refuses any UPDATE.
CREATE TABLE children (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id    BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    born_on      DATE,
    birth_year   INTEGER NOT NULL,
    removed_on   DATE,
    la_code      TEXT REFERENCES local_authorities (code),
    legal_status TEXT NOT NULL,
    placement    TEXT NOT NULL,
    created_by   BIGINT REFERENCES users (id),
    version      BIGINT NOT NULL DEFAULT 1,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX children_person ON children (person_id, id);

CREATE TABLE child_placements (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    child_id  BIGINT NOT NULL REFERENCES children (id) ON DELETE CASCADE,
    placement TEXT NOT NULL,
    from_on   DATE,
    by_user   BIGINT REFERENCES users (id),
    at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX child_placements_child ON child_placements (child_id, id);

CREATE TABLE proceedings (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id        BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    issued_on        DATE NOT NULL,
    court            TEXT NOT NULL,
    la_code          TEXT REFERENCES local_authorities (code),
    final_hearing_on DATE,
    outcome          TEXT NOT NULL DEFAULT '',
    is_index         BOOLEAN NOT NULL DEFAULT FALSE,
    created_by       BIGINT REFERENCES users (id),
    version          BIGINT NOT NULL DEFAULT 1,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    CHECK (final_hearing_on IS NULL OR final_hearing_on >= issued_on)
);
CREATE INDEX proceedings_person ON proceedings (person_id, issued_on);
CREATE UNIQUE INDEX proceedings_one_index ON proceedings (person_id) WHERE is_index;

CREATE TABLE proceedings_children (
    proceedings_id BIGINT NOT NULL REFERENCES proceedings (id) ON DELETE CASCADE,
    child_id       BIGINT NOT NULL REFERENCES children (id) ON DELETE CASCADE,
    PRIMARY KEY (proceedings_id, child_id)
);

CREATE TABLE contact_arrangements (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id      BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    child_id       BIGINT NOT NULL REFERENCES children (id) ON DELETE CASCADE,
    kind           TEXT NOT NULL,
    frequency      TEXT NOT NULL,
    arranged_by    TEXT NOT NULL,
    basis          TEXT NOT NULL,
    start_on       DATE NOT NULL,
    last_review_on DATE,
    next_review_on DATE,
    created_by     BIGINT REFERENCES users (id),
    version        BIGINT NOT NULL DEFAULT 1,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX contact_arrangements_person ON contact_arrangements (person_id, id);

CREATE TABLE contact_changes (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id      BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    arrangement_id BIGINT NOT NULL REFERENCES contact_arrangements (id) ON DELETE CASCADE,
    aspect         TEXT NOT NULL,
    from_value     TEXT NOT NULL DEFAULT '',
    to_value       TEXT NOT NULL DEFAULT '',
    effective_on   DATE NOT NULL,
    changed_by     TEXT NOT NULL,
    reason_given   TEXT NOT NULL CHECK (reason_given IN ('yes', 'no', 'not-known')),
    reason         TEXT NOT NULL DEFAULT '',
    told_how       TEXT NOT NULL DEFAULT '',
    told_on        DATE,
    told_by        TEXT NOT NULL DEFAULT '',
    her_view       TEXT NOT NULL DEFAULT '',
    recorded_by    BIGINT REFERENCES users (id),
    recorded_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX contact_changes_person ON contact_changes (person_id, effective_on);

CREATE TABLE contact_explanations (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    change_id   BIGINT NOT NULL REFERENCES contact_changes (id) ON DELETE CASCADE,
    reason      TEXT NOT NULL,
    told_how    TEXT NOT NULL DEFAULT '',
    told_on     DATE NOT NULL,
    told_by     TEXT NOT NULL,
    her_view    TEXT NOT NULL DEFAULT '',
    recorded_by BIGINT REFERENCES users (id),
    recorded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX contact_explanations_change ON contact_explanations (change_id, id);

CREATE FUNCTION contact_never_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are never updated', TG_TABLE_NAME;
END $$;
CREATE TRIGGER contact_changes_never_updated BEFORE UPDATE ON contact_changes
    FOR EACH ROW EXECUTE FUNCTION contact_never_updated();
CREATE TRIGGER contact_explanations_never_updated BEFORE UPDATE ON contact_explanations
    FOR EACH ROW EXECUTE FUNCTION contact_never_updated();

CREATE TABLE contact_sessions (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id         BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    arrangement_id    BIGINT NOT NULL REFERENCES contact_arrangements (id) ON DELETE CASCADE,
    planned_on        DATE NOT NULL,
    outcome           TEXT NOT NULL DEFAULT '',
    cancelled_by      TEXT NOT NULL DEFAULT '',
    her_words         TEXT NOT NULL DEFAULT '',
    practitioner_view TEXT NOT NULL DEFAULT '',
    support_before    TEXT NOT NULL DEFAULT '',
    support_after     TEXT NOT NULL DEFAULT '',
    created_by        BIGINT REFERENCES users (id),
    version           BIGINT NOT NULL DEFAULT 1,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX contact_sessions_person ON contact_sessions (person_id, planned_on);

CREATE TABLE letterbox_exchanges (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id      BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    arrangement_id BIGINT NOT NULL REFERENCES contact_arrangements (id) ON DELETE CASCADE,
    due_on         DATE NOT NULL,
    direction      TEXT NOT NULL CHECK (direction IN ('from-her', 'to-her')),
    sent_on        DATE,
    received_on    DATE,
    checked_by     TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL DEFAULT '',
    status_reason  TEXT NOT NULL DEFAULT '',
    created_by     BIGINT REFERENCES users (id),
    version        BIGINT NOT NULL DEFAULT 1,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX letterbox_exchanges_person ON letterbox_exchanges (person_id, due_on);

-- Each "What has changed and why" letter produced, kept on her record.
CREATE TABLE contact_letters (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    from_on   DATE NOT NULL,
    to_on     DATE NOT NULL,
    format    TEXT NOT NULL CHECK (format IN ('html', 'pdf')),
    made_by   BIGINT REFERENCES users (id),
    made_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX contact_letters_person ON contact_letters (person_id, id);
