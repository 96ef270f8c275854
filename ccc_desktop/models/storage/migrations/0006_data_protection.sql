-- Data protection (issue 6): the disposal log, subject access requests and the backup log.
-- Retention itself needs no table: each area's records carry their own last-used or
-- resignation date, and models/services/retention.py asks the areas (RETENTION_SOURCES).

-- One authorised disposal (a batch of records) and who authorised it.
CREATE TABLE disposal_batches (
    id              INTEGER PRIMARY KEY,
    disposed_at     TEXT NOT NULL,                -- ISO date-time
    authorised_by   INTEGER REFERENCES accounts (id),
    authorised_name TEXT NOT NULL,                -- the staff member's name, kept for the certificate
    authorised_role TEXT NOT NULL,
    record_count    INTEGER NOT NULL DEFAULT 0,
    vacuumed_at     TEXT
);

-- What the disposal log keeps, and nothing more: no names, no labels, no contents.
CREATE TABLE disposal_log (
    id          INTEGER PRIMARY KEY,
    batch_id    INTEGER NOT NULL REFERENCES disposal_batches (id),
    reference   TEXT NOT NULL,                    -- e.g. 'F-00042' (never a name)
    category    TEXT NOT NULL,                    -- 'family' | 'volunteer' | ...
    last_used   TEXT NOT NULL,                    -- 'YYYY-MM-DD': last use or resignation
    disposed_on TEXT NOT NULL                     -- 'YYYY-MM-DD'
);
CREATE INDEX disposal_log_by_batch ON disposal_log (batch_id);
CREATE INDEX disposal_log_by_reference ON disposal_log (category, reference);

-- Disposals made after a backup was taken, carried into the records when that backup is
-- restored: those records came back with the backup and must be disposed of again.
CREATE TABLE disposal_reinstated (
    id          INTEGER PRIMARY KEY,
    reference   TEXT NOT NULL,
    category    TEXT NOT NULL,
    disposed_on TEXT NOT NULL,
    restored_at TEXT NOT NULL
);
CREATE INDEX disposal_reinstated_by_reference ON disposal_reinstated (category, reference);

-- Subject access requests (data protection principle 6).
CREATE TABLE subject_access_requests (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: 'SAR-00012' is logged
    requester_name    TEXT NOT NULL,
    subject_category  TEXT NOT NULL DEFAULT '',   -- '' when not linked to a record yet
    subject_record_id INTEGER,
    subject_person    TEXT NOT NULL DEFAULT '',   -- which person in the record (the area's key)
    identity_check    TEXT NOT NULL,
    received_on       TEXT NOT NULL,              -- 'YYYY-MM-DD'
    due_on            TEXT NOT NULL,              -- received + one calendar month
    status            TEXT NOT NULL DEFAULT 'open'
                      CHECK (status IN ('open', 'answered', 'withdrawn')),
    closed_on         TEXT,
    notes             TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL,
    created_by        INTEGER REFERENCES accounts (id)
);
CREATE INDEX sar_by_status ON subject_access_requests (status, due_on);
CREATE INDEX sar_by_subject ON subject_access_requests (subject_category, subject_record_id);
CREATE INDEX sar_by_closed ON subject_access_requests (closed_on) WHERE subject_record_id IS NULL;

-- Each verified backup: when, the backup's own folder name (never the path) and its size.
CREATE TABLE backup_log (
    id         INTEGER PRIMARY KEY,
    made_at    TEXT NOT NULL,
    name       TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    made_by    INTEGER REFERENCES accounts (id)
);
CREATE INDEX backup_log_by_time ON backup_log (made_at);
