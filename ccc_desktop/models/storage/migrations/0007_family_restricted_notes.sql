-- Restricted notes on a family record (issue 3): free text only the Coordinator and Chair read,
-- sealed with the second key (models/sealed.py). NULL = none. Deleted with the family's row.
ALTER TABLE families ADD COLUMN restricted_sealed BLOB;
