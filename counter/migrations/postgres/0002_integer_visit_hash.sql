-- Visitor hashes become 64-bit integers (the first 8 bytes of the keyed hash): a smaller,
-- cheaper primary key. Visits recorded before this change are dropped: their visitors may be
-- counted once more within the next window.
DROP TABLE IF EXISTS counter_visits;
CREATE TABLE counter_visits (
    hash    BIGINT PRIMARY KEY,
    article TEXT   NOT NULL,
    seen_at BIGINT NOT NULL
);
CREATE INDEX counter_visits_seen_at ON counter_visits (seen_at);
