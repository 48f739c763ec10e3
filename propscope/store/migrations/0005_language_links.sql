-- English and Spanish versions of the same dispatch (issue: memory), found by analyze/languages.py.
CREATE TABLE article_links (
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,  -- the Spanish dispatch
    other_id    INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,  -- the English one
    kind        TEXT NOT NULL DEFAULT 'translation',
    score       REAL NOT NULL,
    PRIMARY KEY (article_id, other_id, kind)
) WITHOUT ROWID;
CREATE INDEX article_links_by_other ON article_links(other_id);
