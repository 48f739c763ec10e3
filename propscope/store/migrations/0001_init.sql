-- propscope archive, schema 1. Every offset is a character offset into articles.text (or, where text is
-- NULL, into the text rebuilt as title || char(10) || char(10) || body).

-- Small columns first, texts last: SQLite reads a row front to back, so filters and sorts on date or genre
-- never step over a body (the benchmark's date-sorted searches ran 4x faster for it).
CREATE TABLE articles (
    id              INTEGER PRIMARY KEY,
    article_key     TEXT NOT NULL UNIQUE,   -- identity across re-ingests: source + record id, URL, or file
    version         INTEGER NOT NULL DEFAULT 1,
    date            TEXT,                   -- YYYY-MM-DD, or NULL when nothing gives the year
    year            INTEGER GENERATED ALWAYS AS (CAST(substr(date, 1, 4) AS INTEGER)) VIRTUAL,
    genre           TEXT NOT NULL,          -- news_report, relayed_article, commentary, statement, message, speech
    source          TEXT,                   -- kcna, rodong, a site name...
    lang            TEXT,
    date_source     TEXT,                   -- record, url, page_metadata, dateline+record, ...
    dateline_place  TEXT,
    dateline_month  INTEGER,
    dateline_day    INTEGER,
    dateline_year   INTEGER,
    dateline_agency TEXT,
    input_kind      TEXT NOT NULL,          -- text, html, jsonl
    record_id       TEXT,                   -- the record's id in a JSON Lines dump
    content_sha1    TEXT NOT NULL,          -- of the lower-cased, whitespace-collapsed body
    search_from     INTEGER NOT NULL,       -- characters of body before what is indexed: the dateline
    parser_version  INTEGER NOT NULL,
    ingested_at     TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    origin          TEXT NOT NULL,          -- the path or URL it was read from, as given
    url             TEXT,
    title           TEXT NOT NULL,
    body            TEXT NOT NULL,          -- the text after the title, page furniture removed
    text            TEXT,                   -- the input text as read; NULL when it equals title, blank line, body
    annotations     TEXT NOT NULL           -- JSON: every span (dateline, relays, furniture, quotes, entity mentions)
);
CREATE INDEX articles_by_date ON articles(date);
CREATE INDEX articles_by_genre ON articles(genre, date);
CREATE INDEX articles_by_content ON articles(content_sha1);
CREATE INDEX articles_by_source ON articles(source, date);

-- The bytes each version was read from (zlib), so nothing is lost and anything can be re-parsed.
CREATE TABLE raw_inputs (
    raw_sha1     TEXT PRIMARY KEY,
    article_id   INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    version      INTEGER NOT NULL,
    input_kind   TEXT NOT NULL,
    origin       TEXT NOT NULL,
    record_id    TEXT,
    raw_zlib     BLOB NOT NULL,
    ingested_at  TEXT NOT NULL
);
CREATE INDEX raw_inputs_by_article ON raw_inputs(article_id, version);

-- Earlier texts of an article that was ingested again with different content: never overwritten.
CREATE TABLE article_versions (
    article_id    INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    version       INTEGER NOT NULL,
    title         TEXT NOT NULL,
    body          TEXT NOT NULL,
    text          TEXT,
    content_sha1  TEXT NOT NULL,
    annotations   TEXT NOT NULL,
    ingested_at   TEXT NOT NULL,
    PRIMARY KEY (article_id, version)
);

CREATE TABLE countries (
    code  TEXT PRIMARY KEY,                 -- ISO 3166-1 alpha-2
    name  TEXT NOT NULL
);

CREATE TABLE article_countries (
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    country     TEXT NOT NULL,              -- ISO 3166-1 alpha-2, see countries
    PRIMARY KEY (country, article_id)
) WITHOUT ROWID;
CREATE INDEX article_countries_by_article ON article_countries(article_id);

CREATE TABLE article_persons (
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    person      TEXT NOT NULL COLLATE NOCASE,  -- canonical full name
    PRIMARY KEY (person, article_id)
) WITHOUT ROWID;
CREATE INDEX article_persons_by_article ON article_persons(article_id);

CREATE TABLE article_outlets (
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    outlet      TEXT NOT NULL COLLATE NOCASE,  -- the outlet whose text the article relays
    form        TEXT NOT NULL,                 -- editorial, signed article, commentary, article, ...
    PRIMARY KEY (outlet, article_id, form)
) WITHOUT ROWID;
CREATE INDEX article_outlets_by_article ON article_outlets(article_id);

-- One row per distinct entity in an article (every mention's span is in articles.annotations).
CREATE TABLE article_entities (
    article_id   INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    type         TEXT NOT NULL,             -- person, organization, country, place, outlet
    canonical    TEXT NOT NULL COLLATE NOCASE,
    country      TEXT,                      -- the entity's country (ISO code), where known
    mentions     INTEGER NOT NULL,
    first_start  INTEGER NOT NULL,          -- offset of the first mention
    PRIMARY KEY (type, canonical, article_id)
) WITHOUT ROWID;
CREATE INDEX article_entities_by_article ON article_entities(article_id);

CREATE TABLE quarantine (
    id          INTEGER PRIMARY KEY,
    origin      TEXT NOT NULL,
    record_id   TEXT,
    reason      TEXT NOT NULL,
    raw_zlib    BLOB,
    run_id      INTEGER REFERENCES ingest_runs(id),
    created_at  TEXT NOT NULL,
    UNIQUE (origin, record_id, reason)
);

CREATE TABLE ingest_runs (
    id            INTEGER PRIMARY KEY,
    started_at    TEXT NOT NULL,
    finished_at   TEXT,
    inputs        TEXT NOT NULL,            -- JSON list of the paths given
    added         INTEGER NOT NULL DEFAULT 0,
    unchanged     INTEGER NOT NULL DEFAULT 0,
    new_versions  INTEGER NOT NULL DEFAULT 0,
    quarantined   INTEGER NOT NULL DEFAULT 0
);

-- Full-text index over title and body after the dateline: the dateline is in its own columns, and indexed
-- it made "Pyongyang", "KCNA" or "July" match every dispatch. External content: no second copy of the text.
CREATE VIEW articles_search AS
    SELECT id, title, substr(body, search_from + 1) AS body FROM articles;
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, body, content='articles_search', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
-- New articles are indexed by the store in one statement per batch (a per-row trigger cost twice the time);
-- deletes and updates, rare, keep the index in step through these triggers.
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, body)
    VALUES ('delete', old.id, old.title, substr(old.body, old.search_from + 1));
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, body, search_from ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, body)
    VALUES ('delete', old.id, old.title, substr(old.body, old.search_from + 1));
    INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, substr(new.body, new.search_from + 1));
END;
