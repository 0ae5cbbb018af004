-- The national directory of services (issue 20 item 1), after HSDS 3.0.
-- Ids are UUIDs because the Open Referral feed publishes them; they are
-- stored as text so that one SQL text serves both databases.
--
-- Haven's own Practices appear as services through a link row (practice_id):
-- the Practice owns its name and areas, read through the link at query time,
-- so there is no second copy of them to drift. The link row holds only what
-- a Practice does not have (description, how to refer, ...).
CREATE TABLE dir_organisations (
    id                    TEXT PRIMARY KEY,
    haven_organisation_id INTEGER UNIQUE REFERENCES organisations (id),
    name                  TEXT NOT NULL,
    description           TEXT NOT NULL,
    email                 TEXT NOT NULL DEFAULT '',
    website               TEXT NOT NULL DEFAULT '',
    last_modified         TIMESTAMP NOT NULL
);

CREATE TABLE dir_services (
    id                      TEXT PRIMARY KEY,
    organisation_id         TEXT NOT NULL REFERENCES dir_organisations (id),
    practice_id             INTEGER UNIQUE REFERENCES practices (id),
    name                    TEXT NOT NULL,
    description             TEXT NOT NULL,
    status                  TEXT NOT NULL,
    url                     TEXT NOT NULL DEFAULT '',
    email                   TEXT NOT NULL DEFAULT '',
    application_process     TEXT NOT NULL DEFAULT '',
    self_referral           BOOLEAN NOT NULL DEFAULT FALSE,
    eligibility_description TEXT NOT NULL DEFAULT '',
    funding                 TEXT NOT NULL DEFAULT '',
    start_date              DATE,
    last_verified           DATE,
    last_modified           TIMESTAMP NOT NULL,
    version                 INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX dir_services_organisation ON dir_services (organisation_id);
CREATE INDEX dir_services_modified ON dir_services (last_modified);

CREATE TABLE dir_locations (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES dir_organisations (id),
    name            TEXT NOT NULL DEFAULT '',
    address_1       TEXT NOT NULL DEFAULT '',
    city            TEXT NOT NULL DEFAULT '',
    postcode        TEXT NOT NULL DEFAULT '',
    latitude        REAL,
    longitude       REAL
);

CREATE TABLE dir_service_at_locations (
    id          TEXT PRIMARY KEY,
    service_id  TEXT NOT NULL REFERENCES dir_services (id) ON DELETE CASCADE,
    location_id TEXT NOT NULL REFERENCES dir_locations (id),
    UNIQUE (service_id, location_id)
);
CREATE INDEX dir_sal_location ON dir_service_at_locations (location_id);

CREATE TABLE dir_service_areas (
    id         TEXT PRIMARY KEY,
    service_id TEXT NOT NULL REFERENCES dir_services (id) ON DELETE CASCADE,
    la_code    TEXT NOT NULL REFERENCES local_authorities (code),
    UNIQUE (service_id, la_code)
);
CREATE INDEX dir_service_areas_la ON dir_service_areas (la_code);

CREATE TABLE dir_contacts (
    id         TEXT PRIMARY KEY,
    service_id TEXT NOT NULL REFERENCES dir_services (id) ON DELETE CASCADE,
    name       TEXT NOT NULL DEFAULT '',
    title      TEXT NOT NULL DEFAULT '',
    email      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dir_contacts_service ON dir_contacts (service_id);

CREATE TABLE dir_phones (
    id          TEXT PRIMARY KEY,
    service_id  TEXT NOT NULL REFERENCES dir_services (id) ON DELETE CASCADE,
    number      TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dir_phones_service ON dir_phones (service_id);

CREATE TABLE dir_schedules (
    id          TEXT PRIMARY KEY,
    service_id  TEXT NOT NULL REFERENCES dir_services (id) ON DELETE CASCADE,
    freq        TEXT NOT NULL DEFAULT 'WEEKLY',
    byday       TEXT NOT NULL DEFAULT '',
    opens_at    TEXT NOT NULL DEFAULT '',
    closes_at   TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dir_schedules_service ON dir_schedules (service_id);

CREATE TABLE dir_service_terms (
    service_id TEXT NOT NULL REFERENCES dir_services (id) ON DELETE CASCADE,
    term_id    TEXT NOT NULL,
    PRIMARY KEY (service_id, term_id)
);
CREATE INDEX dir_service_terms_term ON dir_service_terms (term_id);

-- Field history (HSDS metadata): one row per changed field per edit.
CREATE TABLE dir_metadata (
    id                TEXT PRIMARY KEY,
    resource_id       TEXT NOT NULL,
    resource_type     TEXT NOT NULL,
    last_action_date  TIMESTAMP NOT NULL,
    last_action_type  TEXT NOT NULL,
    field_name        TEXT NOT NULL,
    previous_value    TEXT NOT NULL,
    replacement_value TEXT NOT NULL,
    updated_by        TEXT NOT NULL
);
CREATE INDEX dir_metadata_resource ON dir_metadata (resource_id, last_action_date);

-- Practices that exist already get their link rows (new ones get them in
-- CreatePractice). Their organisation appears once, however many Practices.
INSERT INTO dir_organisations (id, haven_organisation_id, name, description, last_modified)
SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + abs(random()) % 4, 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))), o.id, o.name, 'An organisation that runs Haven Practices.', CURRENT_TIMESTAMP
FROM organisations o WHERE EXISTS (SELECT 1 FROM practices p WHERE p.organisation_id = o.id);
INSERT INTO dir_services (id, organisation_id, practice_id, name, description, status, application_process, last_modified)
SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + abs(random()) % 4, 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))), d.id, p.id, p.name,
       'A Practice using Haven, working with women who have had children removed through care proceedings.',
       'active', 'Refer through the Practice''s page on Haven (Find a Practice).', CURRENT_TIMESTAMP
FROM practices p JOIN dir_organisations d ON d.haven_organisation_id = p.organisation_id;
-- A Haven Practice follows the Pause model: the term is directory.Taxonomies'
-- "model: pause-practice" (a UUID fixed by its name; TestPracticeTermIDIsPinned).
INSERT INTO dir_service_terms (service_id, term_id)
SELECT id, 'd9ea45ce-d5d9-5e76-bdc4-76bbe60136ad' FROM dir_services WHERE practice_id IS NOT NULL;
