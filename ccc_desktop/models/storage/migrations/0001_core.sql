-- The ground floor: vault metadata, accounts, settings and the append-only audit trail.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
);

CREATE TABLE accounts (
    id                     INTEGER PRIMARY KEY,
    username               TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name           TEXT NOT NULL,
    role                   TEXT NOT NULL CHECK (role IN ('coordinator', 'chair', 'volunteer')),
    slot_id                TEXT UNIQUE,
    enabled                INTEGER NOT NULL DEFAULT 1,
    must_change_passphrase INTEGER NOT NULL DEFAULT 0,
    created_at             TEXT NOT NULL,
    last_login_at          TEXT
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    account_id  INTEGER,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    record_type TEXT NOT NULL DEFAULT '',
    record_id   TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL DEFAULT '',
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_log_record ON audit_log (record_type, record_id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
