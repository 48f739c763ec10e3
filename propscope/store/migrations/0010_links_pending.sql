-- Translation links still to make (issue 14). An article written in English or Spanish is added here in the
-- transaction that writes it, and the after-ingest link hook (ingest/hooks.py, link_pending) deletes each row
-- as it links its date: an ingest killed, or stopped by a full disk, between the two leaves its rows for the
-- next run to finish, instead of articles that are stored and never linked. `date` is the date to relink (a
-- new version that moves an article adds its old date too); `seq` only grows, so a linker deletes only rows
-- it had read before it read the articles, never one another ingest wrote since.
CREATE TABLE links_pending (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id  INTEGER NOT NULL,
    date        TEXT NOT NULL
);
CREATE INDEX links_pending_by_date ON links_pending(date);
