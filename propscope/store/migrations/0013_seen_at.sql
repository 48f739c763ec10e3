-- When each text was seen (issue 17): the source's own time (a record's first_seen / seen_at / fetched_at, the
-- collector's fetch) or, without one, the ingest time. It gives a version its place in the order whatever the
-- order of ingest, and no reparse rewrites it (updated_at, which the history showed before, is rewritten by
-- every reparse). An archive made before this keeps what it knew: the ingest time of the current text's raw
-- input, and each earlier version's ingest time.
ALTER TABLE articles ADD COLUMN seen_at TEXT;
ALTER TABLE article_versions ADD COLUMN seen_at TEXT;
UPDATE articles SET seen_at = coalesce(
    (SELECT min(r.ingested_at) FROM raw_inputs r WHERE r.article_id = articles.id AND r.version = articles.version),
    updated_at
);
UPDATE article_versions SET seen_at = ingested_at;
