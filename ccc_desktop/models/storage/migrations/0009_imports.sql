-- Imports from spreadsheets (issue 15). One row per import, naming the file by its SHA-256
-- checksum and name, with the counts; each record the import created (or added to a record
-- already held) is listed so the whole batch can be undone until those records are next edited.
CREATE TABLE import_batches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    file_name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    account_id INTEGER,
    actor TEXT NOT NULL,
    audit_id INTEGER NOT NULL,
    created INTEGER NOT NULL DEFAULT 0,
    merged INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    left_out INTEGER NOT NULL DEFAULT 0,
    undone_at TEXT,
    undone_by TEXT
);
CREATE TABLE import_items (
    batch_id INTEGER NOT NULL REFERENCES import_batches(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    record_type TEXT NOT NULL,   -- family, adult, child, volunteer, dbs_check, session
    record_id INTEGER NOT NULL,
    owner_type TEXT NOT NULL,    -- the record whose later edits end the undo: family, volunteer, session
    owner_id INTEGER NOT NULL,
    PRIMARY KEY (batch_id, seq)
);
CREATE INDEX import_items_owner ON import_items(owner_type, owner_id);
-- The column mapping the Coordinator chose, by header, for the next file of the same kind.
CREATE TABLE import_mappings (
    kind TEXT NOT NULL,
    header TEXT NOT NULL,        -- the header folded to lower-case words
    field TEXT NOT NULL,         -- a field key, or '' for "not imported"
    saved_at TEXT NOT NULL,
    PRIMARY KEY (kind, header)
);
