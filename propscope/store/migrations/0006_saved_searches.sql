-- Saved searches and their alerts (issue: web UI, REST API and alerts).
CREATE TABLE saved_searches (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    query         TEXT,                      -- the search language of 'propscope search'; NULL for filters only
    filters       TEXT NOT NULL DEFAULT '{}',-- SearchFilters as JSON
    webhook       TEXT,                      -- URL new matches are POSTed to after an ingest
    created_at    TEXT NOT NULL,
    seen_up_to    INTEGER NOT NULL DEFAULT 0 -- the highest article id already alerted on
);

CREATE TABLE alert_deliveries (
    saved_id      INTEGER NOT NULL REFERENCES saved_searches(id) ON DELETE CASCADE,
    delivered_at  TEXT NOT NULL,
    articles      INTEGER NOT NULL,          -- how many new matches the delivery carried
    status        TEXT NOT NULL              -- "200", or the error
);
