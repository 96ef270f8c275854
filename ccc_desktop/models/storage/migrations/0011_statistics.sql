-- Statistics (issue 14): why a referral was turned down or closed, and when; an anonymised
-- statistics ledger that outlives disposal; the waiting list.

-- When a referral was accepted, declined or closed, and why (a short list; 'other' has a note).
-- 'not recorded' marks the referrals closed or declined before this version asked.
ALTER TABLE families ADD COLUMN accepted_on TEXT;
ALTER TABLE families ADD COLUMN declined_on TEXT;
ALTER TABLE families ADD COLUMN decline_reason TEXT;
ALTER TABLE families ADD COLUMN closed_on TEXT;
ALTER TABLE families ADD COLUMN close_reason TEXT;
ALTER TABLE families ADD COLUMN close_note TEXT NOT NULL DEFAULT '';

-- What each record adds to the ledger now (JSON), so a change adds only the difference. It
-- goes with its row when the record is destroyed; the ledger keeps the counts. NULL = not yet
-- counted (the first unlock after this upgrade counts it).
ALTER TABLE families ADD COLUMN stats_json TEXT;
ALTER TABLE volunteers ADD COLUMN stats_json TEXT;
ALTER TABLE sessions ADD COLUMN stats_json TEXT;

-- The ledger: counts only. A day (or the first of a month), what happened, a category value
-- from a fixed list (a route, a reason, an age band, a month) and a count (minutes for
-- volunteer hours). No names, references, addresses, dates of birth, free text, and no row
-- ids: one row per (day, event, category), so nothing in it points back to a record.
CREATE TABLE stats_ledger (
    on_day    TEXT NOT NULL,                 -- 'YYYY-MM-DD'
    event     TEXT NOT NULL,
    category  TEXT NOT NULL DEFAULT '',
    amount    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (on_day, event, category)
) WITHOUT ROWID;

-- Families changed in a session without the seal key (the register at the door): their part
-- of the ledger is worked out at the next unlock, or action, by a Coordinator or Chair, who
-- can open what it needs (children's dates of birth are sealed). Ids only, removed once done.
CREATE TABLE stats_pending (
    kind       TEXT NOT NULL,
    record_id  INTEGER NOT NULL,
    PRIMARY KEY (kind, record_id)
) WITHOUT ROWID;

-- The waiting list: an accepted referral for which no place is free yet.
CREATE TABLE waiting_list (
    id                 INTEGER PRIMARY KEY,
    family_id          INTEGER NOT NULL REFERENCES families (id) ON DELETE CASCADE,
    added_on           TEXT NOT NULL,                    -- 'YYYY-MM-DD'
    pattern_id         INTEGER REFERENCES session_patterns (id) ON DELETE SET NULL,  -- NULL = any
    status             TEXT NOT NULL DEFAULT 'waiting'
                       CHECK (status IN ('waiting', 'offered', 'placed', 'removed')),
    offered_on         TEXT,
    offered_session_id INTEGER REFERENCES sessions (id) ON DELETE SET NULL,
    offers_made        INTEGER NOT NULL DEFAULT 0,
    left_on            TEXT,
    left_reason        TEXT NOT NULL DEFAULT '',
    created_at         TEXT NOT NULL
);
CREATE INDEX waiting_list_by_status ON waiting_list (status, added_on);
CREATE INDEX waiting_list_by_family ON waiting_list (family_id);

-- Dates for referrals that were already past these steps, from the audit trail where it has
-- them (the day the status changed), otherwise the nearest date the record holds.
UPDATE families SET accepted_on = coalesce(
    (SELECT min(substr(a.at, 1, 10)) FROM audit_log a WHERE a.record_type = 'family'
       AND a.record_id = CAST(families.id AS TEXT) AND a.action = 'referral status changed'
       AND a.detail LIKE '%-> accepted'),
    CASE WHEN referral_status = 'accepted' THEN coalesce(previsit_on, referral_date) END);
UPDATE families SET declined_on = coalesce(
    (SELECT min(substr(a.at, 1, 10)) FROM audit_log a WHERE a.record_type = 'family'
       AND a.record_id = CAST(families.id AS TEXT) AND a.action = 'referral status changed'
       AND a.detail LIKE '%-> declined'),
    CASE WHEN referral_status = 'declined' THEN substr(updated_at, 1, 10) END);
UPDATE families SET decline_reason = 'not recorded' WHERE declined_on IS NOT NULL;
UPDATE families SET closed_on = coalesce(
    (SELECT min(substr(a.at, 1, 10)) FROM audit_log a WHERE a.record_type = 'family'
       AND a.record_id = CAST(families.id AS TEXT) AND a.action = 'referral status changed'
       AND a.detail LIKE '%-> closed'),
    substr(updated_at, 1, 10)) WHERE referral_status = 'closed';
UPDATE families SET close_reason = 'not recorded' WHERE referral_status = 'closed';
