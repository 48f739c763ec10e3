-- The leadership tracker (issue 16). `official_mentions` holds the `officials` span layer (every official
-- named in a list a dispatch gives, with the title written beside the name); `appearances` and
-- `appearance_people` are derived from the `appearances` layer, which lives in the annotations, so that
-- counts, absences and `search --accompanied-by` are SQL. All three are rewritten with the article (a new
-- version, a reparse), as article_stance is. Archives older than this have none until `propscope reparse`.
CREATE TABLE official_mentions (
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,              -- canonical
    title       TEXT,                       -- as written beside the name
    list        TEXT NOT NULL,              -- accompanied, greeted, present, committee
    position    INTEGER NOT NULL,           -- 1-based place in the list
    size        INTEGER NOT NULL,           -- names in the list
    appearance  INTEGER NOT NULL,           -- the article's appearance (appearances.seq) it belongs to; -1: none
    start       INTEGER NOT NULL,           -- the name's span in the article's text
    "end"       INTEGER NOT NULL,
    written     TEXT NOT NULL               -- the name as the text spells it: the registry's variants
);
CREATE INDEX official_mentions_by_article ON official_mentions(article_id);
CREATE INDEX official_mentions_by_name ON official_mentions(name, list, article_id);
CREATE TABLE appearances (
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,           -- its index among the article's appearances
    leader      TEXT NOT NULL,              -- canonical
    kind        TEXT NOT NULL,              -- economy, military, culture, politics, diplomacy
    place       TEXT,
    event_date  TEXT,                       -- the day the text gives, YYYY-MM-DD
    date        TEXT,                       -- the date counted: event_date, else the article's date
    start       INTEGER NOT NULL,           -- the sentence reporting it
    "end"       INTEGER NOT NULL,
    PRIMARY KEY (article_id, seq)
);
CREATE INDEX appearances_by_leader ON appearances(leader, date);
CREATE INDEX appearances_by_date ON appearances(date);
CREATE TABLE appearance_people (
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,           -- appearances.seq
    person      TEXT NOT NULL,              -- canonical
    relation    TEXT NOT NULL,              -- accompanied, greeted
    position    INTEGER NOT NULL,           -- 1-based, in the text's order
    PRIMARY KEY (article_id, seq, relation, position)
);
CREATE INDEX appearance_people_by_person ON appearance_people(person, relation, article_id);
