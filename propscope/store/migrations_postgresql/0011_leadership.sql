-- The leadership tracker (issue 16): see migrations/0011_leadership.sql, the SQLite twin.
CREATE TABLE official_mentions (
    article_id  bigint NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    name        text NOT NULL,
    title       text,
    list        text NOT NULL,
    position    integer NOT NULL,
    size        integer NOT NULL,
    appearance  integer NOT NULL,
    start       integer NOT NULL,
    "end"       integer NOT NULL,
    written     text NOT NULL
);
CREATE INDEX official_mentions_by_article ON official_mentions(article_id);
CREATE INDEX official_mentions_by_name ON official_mentions(name, list, article_id);
CREATE TABLE appearances (
    article_id  bigint NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    seq         integer NOT NULL,
    leader      text NOT NULL,
    kind        text NOT NULL,
    place       text,
    event_date  text COLLATE "C",
    date        text COLLATE "C",
    start       integer NOT NULL,
    "end"       integer NOT NULL,
    PRIMARY KEY (article_id, seq)
);
CREATE INDEX appearances_by_leader ON appearances(leader, date);
CREATE INDEX appearances_by_date ON appearances(date);
CREATE TABLE appearance_people (
    article_id  bigint NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    seq         integer NOT NULL,
    person      text NOT NULL,
    relation    text NOT NULL,
    position    integer NOT NULL,
    PRIMARY KEY (article_id, seq, relation, position)
);
CREATE INDEX appearance_people_by_person ON appearance_people(person, relation, article_id);
