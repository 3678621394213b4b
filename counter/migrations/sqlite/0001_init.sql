-- commune-counter schema (SQLite). Times are Unix seconds (UTC).
-- Current count per article (includes any seeded baseline).
CREATE TABLE IF NOT EXISTS counter_views (
    id    TEXT    PRIMARY KEY NOT NULL,
    views INTEGER NOT NULL CHECK (views >= 0)
);
-- One row per (visitor, article, salt day): `hash` is a truncated HMAC-SHA256 of
-- article id, IP and User-Agent keyed with that day's salt. No IP/UA in clear.
CREATE TABLE IF NOT EXISTS counter_visits (
    hash    TEXT    PRIMARY KEY NOT NULL,
    article TEXT    NOT NULL,
    seen_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS counter_visits_seen_at ON counter_visits (seen_at);
-- Daily secret salts (UTC day number = unix_seconds / 86400). Deleted once no
-- visit keyed with them can still be inside the window.
CREATE TABLE IF NOT EXISTS counter_salts (
    day  INTEGER PRIMARY KEY NOT NULL,
    salt BLOB    NOT NULL
);
