-- Issue 12: an incident's sealed account (what happened, who was involved, the action taken,
-- who was told) was sealed at its own length. With its kind sealed (0022), that length still
-- told a short accident from a long safeguarding account to a Session volunteer's key. The
-- service now pads it to 1 KiB steps, as it does a volunteer's details; accounts written before
-- are sealed again padded at the next unlock by a Coordinator, Chair or the recovery key
-- (storage/sealing.py pad_incident_details, inside seal_pending), which then vacuums the file.
INSERT OR REPLACE INTO meta (key, value) VALUES ('seal_pending', x'01');
INSERT OR REPLACE INTO meta (key, value) VALUES ('incident_pad_pending', x'01');
