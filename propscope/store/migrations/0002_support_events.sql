-- Foreign-support events (issue: who and where): one row per foreign actor claimed to support the DPRK.
CREATE TABLE support_events (
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    actor       TEXT NOT NULL,              -- the actor's name as the text gives it
    actor_type  TEXT NOT NULL,              -- person, party, organization, government, media, gathering, group
    country     TEXT,                       -- ISO code of the actor (a gathering: where it was held)
    action      TEXT NOT NULL,              -- statement, letter, greetings, meeting, seminar, rally, ...
    place       TEXT,
    date        TEXT,                       -- YYYY-MM-DD, YYYY-MM or YYYY, resolved against the article's date
    start       INTEGER NOT NULL,           -- the actor's span in the article's text
    "end"       INTEGER NOT NULL
);
CREATE INDEX support_events_by_article ON support_events(article_id);
CREATE INDEX support_events_by_country ON support_events(country, actor);
