-- Deletions (issue: memory). A listing is something collected whole, again and again: a feed, an index page,
-- a dump. An article a listing held before and no longer holds is marked deleted at that run, never removed.
CREATE TABLE listings (
    name         TEXT PRIMARY KEY,
    created_at   TEXT NOT NULL,
    last_run_at  TEXT
);

CREATE TABLE listing_members (
    listing      TEXT NOT NULL REFERENCES listings(name) ON DELETE CASCADE,
    article_id   INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    first_seen   TEXT NOT NULL,
    last_seen    TEXT NOT NULL,
    PRIMARY KEY (listing, article_id)
) WITHOUT ROWID;
CREATE INDEX listing_members_by_article ON listing_members(article_id);

CREATE TABLE deletions (
    article_id   INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    listing      TEXT NOT NULL,
    deleted_at   TEXT NOT NULL,              -- the run that first found it missing
    last_seen    TEXT NOT NULL,              -- the last run that still listed it
    restored_at  TEXT,                       -- a later run listed it again
    PRIMARY KEY (article_id, listing, deleted_at)
);
CREATE INDEX deletions_by_time ON deletions(deleted_at);

ALTER TABLE articles ADD COLUMN deleted_at TEXT;  -- set while any listing's deletion of it is open
