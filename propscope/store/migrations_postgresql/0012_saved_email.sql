-- Saved searches that mail their new matches (issue 17); see the SQLite tree's 0011.
ALTER TABLE saved_searches ADD COLUMN email text;
ALTER TABLE saved_searches ADD COLUMN mailed_up_to bigint NOT NULL DEFAULT 0;
UPDATE saved_searches SET mailed_up_to = seen_up_to;
