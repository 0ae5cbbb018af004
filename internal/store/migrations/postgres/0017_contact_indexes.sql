-- Found on the national data set (haven demo --scale national): recording a
-- letterbox letter reads the arrangement's changes and earlier letters by
-- arrangement, which looked through every change and letter in the country,
-- inside the write transaction.
CREATE INDEX contact_changes_arrangement ON contact_changes (arrangement_id);
CREATE INDEX letterbox_exchanges_arrangement ON letterbox_exchanges (arrangement_id, due_on);
-- A Practice's contact report read every arrangement and every change in the
-- country (a sequential scan and a hash join, 50 ms a Practice) although
-- (person_id, ...) indexes exist: PostgreSQL discounts the correlation of an
-- index with more than one column, so probing it for each of the Practice's
-- 500 women looked dearer than the scan. One-column indexes, correlated with
-- the table as rows are written woman by woman, make it probe (5 ms).
CREATE INDEX contact_arrangements_person_only ON contact_arrangements (person_id);
CREATE INDEX contact_changes_person_only ON contact_changes (person_id);
