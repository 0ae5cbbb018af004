-- A reserve of free space (R3): 1 MiB of zeros that Haven gives up when the
-- disk or its quota is full, so that audit rows, and so reading, carry on
-- while changes to records wait. The store puts it back when there is room.
CREATE TABLE storage_reserve (
    id     INTEGER PRIMARY KEY,
    filler BLOB NOT NULL
);
WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 16)
INSERT INTO storage_reserve (id, filler) SELECT i, zeroblob(65536) FROM n;
