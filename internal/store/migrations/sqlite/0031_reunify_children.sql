-- Reunification (issue 18 item 1): the child's views, in the child's own
-- words, as a worker heard them. Added, never rewritten.
CREATE TABLE la_child_views (
    id           INTEGER PRIMARY KEY,
    child_id     INTEGER NOT NULL REFERENCES la_children (id) ON DELETE CASCADE,
    said_on      DATE NOT NULL,
    words        TEXT NOT NULL,
    recorded_by  INTEGER REFERENCES users (id),
    at           TIMESTAMP NOT NULL
);
CREATE INDEX la_child_views_child ON la_child_views (child_id, said_on);
-- The children list searches a team's children by ID or first name.
CREATE INDEX la_children_team ON la_children (la_team_id, id);
