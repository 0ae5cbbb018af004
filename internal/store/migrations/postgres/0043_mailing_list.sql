-- The community of practice mailing list (issue 21 item 6). Double opt-in:
-- an address is 'pending' until its confirmation link is followed, and gets
-- nothing but that confirmation meanwhile. Tokens are kept only as SHA-256
-- hashes. Every message carries its own unsubscribe token, so links in old
-- messages keep working. Sends record what was sent and to how many, never
-- to whom.
CREATE TABLE mailing_subscribers (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    address            TEXT NOT NULL UNIQUE,
    state              TEXT NOT NULL CHECK (state IN ('pending', 'confirmed', 'unsubscribed')),
    confirm_hash       TEXT NOT NULL UNIQUE,
    confirm_sent_at    TIMESTAMPTZ NOT NULL,
    confirm_expires_at TIMESTAMPTZ NOT NULL,
    created_at         TIMESTAMPTZ NOT NULL,
    confirmed_at       TIMESTAMPTZ,
    unsubscribed_at    TIMESTAMPTZ
);
CREATE INDEX mailing_subscribers_state ON mailing_subscribers (state);

CREATE TABLE mailing_unsubscribe_tokens (
    token_hash    TEXT PRIMARY KEY,
    subscriber_id BIGINT NOT NULL REFERENCES mailing_subscribers (id) ON DELETE CASCADE,
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX mailing_unsubscribe_tokens_subscriber ON mailing_unsubscribe_tokens (subscriber_id);

CREATE TABLE mailing_sends (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    resources   INTEGER NOT NULL DEFAULT 0,
    events      INTEGER NOT NULL DEFAULT 0,
    recipients  INTEGER NOT NULL,
    sent        INTEGER NOT NULL DEFAULT 0,
    failed      INTEGER NOT NULL DEFAULT 0,
    created_by  BIGINT,
    created_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ
);
