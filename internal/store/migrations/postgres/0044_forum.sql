-- The practitioners' forum (issue 21 item 7): topics and their posts, who
-- follows which topic, and posts reported to the moderators. A topic's
-- opening post is its first post. Posts are plain text, checked before they
-- are stored (forum.Post.Check) and escaped wherever shown. A removed post
-- keeps its row, for the moderators' record, but no page, feed or search
-- shows it; removing a topic's opening post removes the topic.
CREATE TABLE forum_topics (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title        TEXT NOT NULL,
    author_id    BIGINT NOT NULL REFERENCES users (id),
    status       TEXT NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'removed')),
    replies      INTEGER NOT NULL DEFAULT 0,
    created_at   TIMESTAMPTZ NOT NULL,
    last_post_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX forum_topics_recent ON forum_topics (status, last_post_at);

CREATE TABLE forum_posts (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic_id       BIGINT NOT NULL REFERENCES forum_topics (id),
    opening        BOOLEAN NOT NULL DEFAULT FALSE,
    body           TEXT NOT NULL,
    author_id      BIGINT NOT NULL REFERENCES users (id),
    author_label   TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'removed')),
    created_at     TIMESTAMPTZ NOT NULL,
    removed_at     TIMESTAMPTZ,
    removed_by     BIGINT,
    removed_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX forum_posts_topic ON forum_posts (topic_id, id);
CREATE INDEX forum_posts_recent ON forum_posts (status, created_at);

CREATE TABLE forum_follows (
    topic_id   BIGINT NOT NULL REFERENCES forum_topics (id),
    user_id    BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (topic_id, user_id)
);
CREATE INDEX forum_follows_user ON forum_follows (user_id);

CREATE TABLE forum_reports (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    post_id     BIGINT NOT NULL REFERENCES forum_posts (id),
    reporter_id BIGINT NOT NULL REFERENCES users (id),
    reason      TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    outcome     TEXT NOT NULL DEFAULT 'open' CHECK (outcome IN ('open', 'removed', 'dismissed')),
    decided_at  TIMESTAMPTZ,
    decided_by  BIGINT
);
CREATE INDEX forum_reports_open ON forum_reports (outcome, created_at);
