-- Attachments (issue 15): documents a family (or its referral), a volunteer or a summons
-- carries (court orders, referral forms, signed agreements, scans). The name and the bytes are
-- sealed with the seal key like every row in models/sealed.py SEALED_TABLES (file_name in
-- private_sealed, content sealed in place), so only Coordinator and Chair read them even with
-- the file open; the type and size stay plain for the list. Deleted with the record they
-- belong to (secure_delete is on; disposal vacuums the file).
CREATE TABLE attachments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_type TEXT NOT NULL CHECK (owner_type IN ('family', 'referral', 'volunteer', 'summons')),
    owner_id INTEGER NOT NULL,
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    added_at TEXT NOT NULL,
    added_by INTEGER,
    file_name TEXT NOT NULL DEFAULT '',
    content BLOB,
    private_sealed BLOB
);
CREATE INDEX attachments_owner ON attachments (owner_type, owner_id);
