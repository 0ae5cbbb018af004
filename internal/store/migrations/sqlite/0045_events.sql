-- The community of practice's events (issue 21 item 5): seminars, panels
-- and practice forums, with their times as instants (shown in
-- Europe/London), booking through a link or in Haven with a capacity, and
-- the library resources (recordings, slides) a past event keeps. sequence
-- counts published changes, for calendars (RFC 5545).
CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,
    summary     TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('seminar', 'panel', 'practice-forum', 'workshop')),
    starts_at   TIMESTAMP NOT NULL,
    ends_at     TIMESTAMP NOT NULL,
    online      BOOLEAN NOT NULL,
    venue       TEXT NOT NULL DEFAULT '',
    booking_url TEXT NOT NULL DEFAULT '',
    capacity    INTEGER NOT NULL DEFAULT 0 CHECK (capacity >= 0),
    organiser   TEXT NOT NULL DEFAULT '',
    cancelled   BOOLEAN NOT NULL DEFAULT FALSE,
    sequence    INTEGER NOT NULL DEFAULT 0,
    created_by  INTEGER REFERENCES users (id),
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX events_starts ON events (starts_at);

CREATE TABLE event_resources (
    event_id    INTEGER NOT NULL REFERENCES events (id),
    resource_id INTEGER NOT NULL,
    PRIMARY KEY (event_id, resource_id)
);

-- A place booked in Haven. email_key is the address as compared (lower
-- case), so one address books one place; a cancelled booking frees it.
CREATE TABLE event_bookings (
    id           INTEGER PRIMARY KEY,
    event_id     INTEGER NOT NULL REFERENCES events (id),
    name         TEXT NOT NULL,
    email        TEXT NOT NULL,
    email_key    TEXT NOT NULL,
    organisation TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    cancelled_at TIMESTAMP
);
CREATE UNIQUE INDEX event_bookings_one_each ON event_bookings (event_id, email_key) WHERE cancelled_at IS NULL;
