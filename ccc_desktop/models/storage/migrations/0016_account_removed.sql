-- Issue 12: an account can be removed. The row stays (the records and the audit trail name it
-- by its id, so its name is still shown there), with no key slot, and can never be enabled
-- again; it leaves the accounts list. NULL: not removed.
ALTER TABLE accounts ADD COLUMN removed_at TEXT;
