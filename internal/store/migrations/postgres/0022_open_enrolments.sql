-- Found on the national data set: the tasks page asks of each of a
-- practitioner's women whether she has an enrolment that is not closed, and
-- read every enrolment row to answer (the phase is not in enrolments_person).
-- This index holds only the open ones, so the answer is one probe of it; the
-- tasks query repeats the WHERE clause word for word so the planner uses it.
CREATE INDEX enrolments_open ON enrolments (person_id) WHERE phase <> 'closed';
