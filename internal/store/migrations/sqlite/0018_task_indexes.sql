-- Found on the national data set: the tasks page read every letter of a
-- practitioner's women that was due (about 80 each) to find the few still
-- outstanding, and every change to their contact (about 230) to find those
-- she was not given a reason for. These indexes hold only those; the tasks
-- queries repeat the WHERE clauses word for word so the planner can use them.
CREATE INDEX letterbox_exchanges_outstanding ON letterbox_exchanges (person_id, due_on)
	WHERE status = '' AND (sent_on IS NULL OR received_on IS NULL);
CREATE INDEX contact_changes_unexplained ON contact_changes (person_id) WHERE reason_given <> 'yes';
