-- Issue 12: a stored letter is bound to its subject (subject_type, subject_id) and an attached
-- document to its owner (owner_type, owner_id): those open columns are part of the sealed
-- values' associated data with the table and row id (models/sealed.py SealedTable.bound), so
-- someone holding only the database key who moves a sealed file to another record in the
-- file gets a row that no longer opens, and the app leaves it out with a plain message.
-- Rows sealed before were bound to table and row id only. Sealing them again needs the seal
-- key, which a migration does not hold: these marks have the next unlock by a Coordinator,
-- Chair or the recovery key do it (storage/sealing.py bind_owners, inside seal_pending), and
-- until then a Session volunteer's unlock says records are waiting to be sealed.
INSERT OR REPLACE INTO meta (key, value) VALUES ('owner_bind_pending', x'01');
INSERT OR REPLACE INTO meta (key, value) VALUES ('seal_pending', x'01');
