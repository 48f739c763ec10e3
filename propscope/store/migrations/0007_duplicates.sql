-- Exact and near duplicates (issue: memory), found with enrich/duplicates.py as articles are written.
-- cluster_id: NULL while an article has no copies; else the smallest id of its cluster (the same for all).
ALTER TABLE articles ADD COLUMN cluster_id INTEGER;
CREATE INDEX articles_by_cluster ON articles(cluster_id) WHERE cluster_id IS NOT NULL;

CREATE TABLE article_minhash (
    article_id   INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    content_key  INTEGER NOT NULL,           -- equal for the same words in the same order
    signature    BLOB,                       -- 128 x uint32 MinHash bins; NULL for an exact copy of another
    banded       INTEGER NOT NULL DEFAULT 1  -- 0 while its band rows wait in memory (written sorted, in bulk)
);
CREATE INDEX article_minhash_by_content ON article_minhash(content_key);

-- One row per LSH band of each distinct text (the band number is mixed into the key).
CREATE TABLE minhash_bands (
    key          INTEGER NOT NULL,
    article_id   INTEGER NOT NULL,
    PRIMARY KEY (key, article_id)
) WITHOUT ROWID;
