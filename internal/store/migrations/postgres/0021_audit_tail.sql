-- The audit chain's last hash, in one row. Appending reads it (locking it on
-- PostgreSQL) and writes it back in the same transaction, in place of an
-- advisory lock and a read of the newest audit_events row, whose plan
-- depended on how big the table was when it was made.
CREATE TABLE audit_tail (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    hash TEXT NOT NULL
);
INSERT INTO audit_tail (id, hash)
    VALUES (1, COALESCE((SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1), '0000000000000000000000000000000000000000000000000000000000000000'));
