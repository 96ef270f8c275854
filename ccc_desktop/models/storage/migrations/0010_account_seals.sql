-- Issue 12: what decides what an account's key slot carries (its role, whether it is enabled,
-- which slot is its) is authenticated with an HMAC under the seal key, which a Session
-- volunteer's key does not carry: a role written into the file by hand no longer verifies.
-- NULL until the first Coordinator or Chair unlock after the upgrade authenticates the rows.
ALTER TABLE accounts ADD COLUMN seal_mac TEXT;
