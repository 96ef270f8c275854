-- Issue 12: of a DBS check, whether it is on the update service, when a renewal was applied
-- for, and when it was recorded and last changed and by whom are sealed with its other facts
-- (models/sealed.py): a check is recorded days after its certificate is issued, so its
-- created_at gave the sealed issue date (0020) away to a Session volunteer's key, and the
-- renewal dates the renewal schedule. What stays open is which volunteer a check is for.
-- The values move into each row's sealed blob at the next unlock by a Coordinator, Chair or
-- the recovery key (storage/sealing.py seal_pending), which then vacuums the file.
INSERT OR REPLACE INTO meta (key, value) VALUES ('seal_pending', x'01');
