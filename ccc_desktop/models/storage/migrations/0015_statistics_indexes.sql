-- The statistics at 20,000 families (issue 14). Every figures() call first asks whether any
-- record is not yet counted in the ledger (stats_json IS NULL): without an index that reads
-- every family, volunteer and session. These partial indexes hold only the rows not yet
-- counted, so the question is one lookup and the index stays empty once all are counted.
CREATE INDEX IF NOT EXISTS families_uncounted ON families (id) WHERE stats_json IS NULL;
CREATE INDEX IF NOT EXISTS volunteers_uncounted ON volunteers (id) WHERE stats_json IS NULL;
CREATE INDEX IF NOT EXISTS sessions_uncounted ON sessions (id) WHERE stats_json IS NULL;
-- The families waiting at a period's end sum two events over all time: by event, then day.
CREATE INDEX IF NOT EXISTS stats_ledger_by_event ON stats_ledger (event, on_day);
