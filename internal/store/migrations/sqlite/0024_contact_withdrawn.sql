-- A contact change recorded by mistake can be withdrawn. The change itself
-- is never updated or deleted (0014's trigger): the withdrawal is a row of
-- its own, one per change at most, and is never updated either. A withdrawn
-- change is kept and shown struck through, and counts nowhere.
CREATE TABLE contact_change_withdrawals (
    change_id    INTEGER PRIMARY KEY REFERENCES contact_changes (id) ON DELETE CASCADE,
    reason       TEXT NOT NULL,
    withdrawn_by INTEGER REFERENCES users (id),
    withdrawn_at TIMESTAMP NOT NULL
);
CREATE TRIGGER contact_change_withdrawals_never_updated BEFORE UPDATE ON contact_change_withdrawals
BEGIN SELECT RAISE(ABORT, 'contact change withdrawals are never updated'); END;
