-- Found on the national data set (haven demo --scale national): recording a
-- letterbox letter reads the arrangement's changes and earlier letters by
-- arrangement, which looked through every change and letter in the country,
-- inside the write transaction. (A Practice's contact report already reads
-- by person through people_practice here; PostgreSQL's file says why it
-- needs more.)
CREATE INDEX contact_changes_arrangement ON contact_changes (arrangement_id);
CREATE INDEX letterbox_exchanges_arrangement ON letterbox_exchanges (arrangement_id, due_on);
