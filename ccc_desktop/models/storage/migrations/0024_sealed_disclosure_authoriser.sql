-- Issue 12: who authorised a disclosure and the consent it relied on are sealed with the rest
-- of the request (models/sealed.py SEALED_TABLES: either gave away that a family's request
-- was answered beyond attendance, under an exception ground). Sealing needs the seal key,
-- which a migration does not hold: the mark has the next unlock by a Coordinator, Chair or
-- the recovery key do it (storage/sealing.py seal_pending: rows sealed before a field joined
-- the registry still hold it in their column), then compact the file.
INSERT OR REPLACE INTO meta (key, value) VALUES ('seal_pending', x'01');
