-- Visitor hashes become 64-bit integers (the first 8 bytes of the keyed hash) and the row key
-- itself (SQLite's rowid): one B-tree per visit instead of the table plus a text index.
-- No index on seen_at any more: keeping it up to date cost about a third of every
-- registration, while the cleanup that needs it runs every five minutes and can scan.
-- Visits recorded before this change are dropped: their visitors may be counted once more
-- within the next window.
DROP TABLE IF EXISTS counter_visits;
CREATE TABLE counter_visits (
    hash    INTEGER PRIMARY KEY NOT NULL,
    article TEXT    NOT NULL,
    seen_at INTEGER NOT NULL
);
