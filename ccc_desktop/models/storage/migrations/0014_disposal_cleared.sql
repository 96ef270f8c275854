-- Issue 12: disposal reaches everything, and says so. When a family or volunteer is disposed
-- of, their names are cleared from other records' free text (summonses, police visits, notes
-- ...); each disposal log line now lists which kind of record and field was cleared and how
-- many records, never the name (a JSON list of [table, field, count]). That list says, for
-- instance, that a volunteer was served with a witness summons, so it is sealed with the seal
-- key like every table in models/sealed.py SEALED_TABLES (private_sealed); lines written
-- before this version list nothing.
ALTER TABLE disposal_log ADD COLUMN cleared TEXT NOT NULL DEFAULT '';
ALTER TABLE disposal_log ADD COLUMN private_sealed BLOB;
