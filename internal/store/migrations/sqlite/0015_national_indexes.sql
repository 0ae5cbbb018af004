-- Found on the national data set (haven demo --scale national): the tasks
-- page looked through every enrolment and every goal in the country for the
-- few in working phases or still open. These partial indexes hold only
-- those rows. Their WHERE clauses repeat tasks.go's filters word for word,
-- which SQLite needs before it will use a partial index.
CREATE INDEX enrolments_working ON enrolments (person_id) WHERE phase IN ('engaging', 'programme-started', 'active');
CREATE INDEX goals_open ON goals (person_id) WHERE progress IN ('not-started', 'in-progress');
