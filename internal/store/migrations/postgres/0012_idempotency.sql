-- Idempotency keys: each create form and API create carries a random key,
-- claimed in the same transaction as the record it made, so a repeated or
-- parallel submission finds the first record instead of making another.
-- user_id is whose key it is (0 for the public forms and API); target is what
-- the record was made on (a person's ID, or a fingerprint of a public
-- referral), so a key replayed for something else is refused.
CREATE TABLE idempotency_keys (
    user_id    BIGINT NOT NULL,
    key        TEXT NOT NULL,
    kind       TEXT NOT NULL,
    target     TEXT NOT NULL DEFAULT '',
    record_id  BIGINT NOT NULL DEFAULT 0,
    record_ref TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_age ON idempotency_keys (user_id, created_at);
