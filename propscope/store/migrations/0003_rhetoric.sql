-- Rhetoric (issue: techniques, epithets, hostility). The spans themselves live in articles.annotations, as
-- every other span does; these tables are the queryable summaries behind search filters and trends.
CREATE TABLE article_techniques (
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    technique   TEXT NOT NULL,              -- one of the 14 SemEval-2020 Task 11 names
    spans       INTEGER NOT NULL,           -- how many spans of it the article has
    max_score   REAL NOT NULL,
    PRIMARY KEY (article_id, technique)
) WITHOUT ROWID;
CREATE INDEX article_techniques_by_technique ON article_techniques(technique, article_id);

CREATE TABLE article_epithets (
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,              -- hostile, praise, slogan
    target      TEXT NOT NULL DEFAULT '',   -- ISO code aimed at; '' for none
    spans       INTEGER NOT NULL,
    PRIMARY KEY (article_id, kind, target)
) WITHOUT ROWID;
CREATE INDEX article_epithets_by_target ON article_epithets(target, kind);

CREATE TABLE article_hostility (
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    country     TEXT NOT NULL,              -- ISO code
    score       REAL NOT NULL,              -- hostile span weight per sentence naming the country (enrich/hostility.py)
    PRIMARY KEY (article_id, country)
) WITHOUT ROWID;
CREATE INDEX article_hostility_by_country ON article_hostility(country, article_id);
