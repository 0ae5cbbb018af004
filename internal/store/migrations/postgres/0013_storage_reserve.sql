-- Only SQLite keeps a reserve of free space (see the SQLite migration); on
-- PostgreSQL the table stays empty so that both schemas have the same tables.
CREATE TABLE storage_reserve (
    id     bigint PRIMARY KEY,
    filler bytea NOT NULL
);
