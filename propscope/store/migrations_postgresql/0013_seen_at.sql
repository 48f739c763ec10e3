-- When each text was seen (issue 17): see migrations/0013_seen_at.sql, the SQLite twin.
ALTER TABLE articles ADD COLUMN seen_at text COLLATE "C";
ALTER TABLE article_versions ADD COLUMN seen_at text COLLATE "C";
UPDATE articles a SET seen_at = coalesce(
    (SELECT min(r.ingested_at) FROM raw_inputs r WHERE r.article_id = a.id AND r.version = a.version),
    a.updated_at
);
UPDATE article_versions SET seen_at = ingested_at;
