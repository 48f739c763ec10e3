-- Saved searches that mail their new matches (issue 17). Mail keeps its own cursor, so a webhook delivered
-- and a mail server down (or the other way round) never loses the other channel's alert.
ALTER TABLE saved_searches ADD COLUMN email TEXT;                          -- the address alerts are mailed to
ALTER TABLE saved_searches ADD COLUMN mailed_up_to INTEGER NOT NULL DEFAULT 0; -- the highest article id mailed
UPDATE saved_searches SET mailed_up_to = seen_up_to;
