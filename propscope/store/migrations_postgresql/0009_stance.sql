-- Roles and stance (issue 13): see migrations/0009_stance.sql, the SQLite twin.
ALTER TABLE support_events ADD COLUMN role text NOT NULL DEFAULT 'foreign';
ALTER TABLE support_events ADD COLUMN canonical text NOT NULL DEFAULT '';
UPDATE support_events SET canonical = actor;
CREATE INDEX support_events_by_role ON support_events(role, canonical);
CREATE TABLE article_stance (
    article_id  bigint NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    country     text NOT NULL,
    stance      text NOT NULL,
    PRIMARY KEY (article_id, country)
);
CREATE INDEX article_stance_by_country ON article_stance(country, stance, article_id);
