-- Issue 12: when each adult had the ground rules and the centre's policy explained and agreed
-- joins the adult's sealed fields (models/sealed.py, family_adults), so a Session volunteer's
-- key no longer reads it; the register never needed it (a Coordinator or Chair books) and the
-- dashboard opens it. The dates still in their columns are sealed at the next unlock by a
-- Coordinator, Chair or the recovery key (storage/sealing.py seal_pending finds rows sealed
-- before a field joined the registry), which then compacts the file. Run again, it only sets
-- the mark again.
INSERT OR REPLACE INTO meta (key, value) VALUES ('seal_pending', x'01');
