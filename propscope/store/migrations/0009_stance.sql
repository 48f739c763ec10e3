-- Roles and stance (issue 13). A support event's actor now has a role (foreign or compatriot; adversaries are
-- never stored as supporters) and the canonical body it counts as (an organ counts as its party). Each
-- article's stance toward each country it names is a row, so search can filter on it; the evidence spans
-- live in the annotations. Rows written by older parsers are foreign and their own canonical until
-- `propscope reparse` brings them up (their parser_version is behind).
ALTER TABLE support_events ADD COLUMN role TEXT NOT NULL DEFAULT 'foreign';
ALTER TABLE support_events ADD COLUMN canonical TEXT NOT NULL DEFAULT '';
UPDATE support_events SET canonical = actor;
CREATE INDEX support_events_by_role ON support_events(role, canonical);
CREATE TABLE article_stance (
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    country     TEXT NOT NULL,
    stance      TEXT NOT NULL,              -- hostile, friendly, neutral
    PRIMARY KEY (article_id, country)
);
CREATE INDEX article_stance_by_country ON article_stance(country, stance, article_id);
