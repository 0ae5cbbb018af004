-- Found on the national data set: the caseload and every record page list
-- their Practice's practitioners, and that read every membership in the
-- country to find them.
CREATE INDEX memberships_practice ON memberships (practice_id, role);
