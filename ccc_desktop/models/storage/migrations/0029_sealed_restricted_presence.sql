-- Issue 12: whether a family has restricted notes showed to a Session volunteer's key (the
-- column was empty for a family without). Every family now holds sealed notes, empty text
-- padded as written notes are (1 KiB steps, migration 0026), so a family without notes and one
-- with a short note look alike. New families get them when made (storage/families.py); the
-- families made before get them at the next unlock by a Coordinator, Chair or the recovery
-- key (storage/sealing.py fill_restricted_notes). Run again, it only sets the marks again.
INSERT OR REPLACE INTO meta (key, value) VALUES ('restricted_fill_pending', x'01');
INSERT OR REPLACE INTO meta (key, value) VALUES ('seal_pending', x'01');
