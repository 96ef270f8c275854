-- Issue 12: what a Session volunteer may not see is sealed inside the file with the seal key
-- (models/sealed.py SEALED_TABLES). Each table below gets a private_sealed blob: JSON of the
-- row's private fields, bound to table and row id, padded to a size bucket. The plaintext
-- columns stay (cleared once sealed) so older rows read until the sealing step, which needs
-- the seal key, moves them at the next unlock by a Coordinator, Chair or the recovery key
-- (meta 'seal_pending'), then vacuums the file.
ALTER TABLE families ADD COLUMN private_sealed BLOB;
ALTER TABLE family_adults ADD COLUMN private_sealed BLOB;
ALTER TABLE family_children ADD COLUMN private_sealed BLOB;
ALTER TABLE family_reviews ADD COLUMN private_sealed BLOB;
ALTER TABLE consents ADD COLUMN private_sealed BLOB;
ALTER TABLE disclosures ADD COLUMN private_sealed BLOB;
ALTER TABLE summonses ADD COLUMN private_sealed BLOB;
ALTER TABLE summons_steps ADD COLUMN private_sealed BLOB;
ALTER TABLE police_visits ADD COLUMN private_sealed BLOB;
ALTER TABLE assessment_agreements ADD COLUMN private_sealed BLOB;
ALTER TABLE subject_access_requests ADD COLUMN private_sealed BLOB;
ALTER TABLE letters ADD COLUMN private_sealed BLOB;

-- DBS checks: level and certificate number are sealed too, so their CHECK and UNIQUE move to
-- the service and to a blind index (HMAC of the number under a key derived from the seal key).
CREATE TABLE dbs_checks_sealed (
    id                   INTEGER PRIMARY KEY,
    volunteer_id         INTEGER NOT NULL REFERENCES volunteers (id) ON DELETE CASCADE,
    level                TEXT NOT NULL DEFAULT '',
    certificate_number   TEXT NOT NULL DEFAULT '',
    certificate_index    TEXT UNIQUE,
    issue_date           TEXT NOT NULL,
    update_service       INTEGER NOT NULL DEFAULT 0,
    last_status_check    TEXT,
    id_checked_by        TEXT NOT NULL DEFAULT '',
    renewal_applied_on   TEXT,
    outcome_sealed       BLOB NOT NULL,
    disclosed_sealed     BLOB NOT NULL,
    decision_sealed      BLOB NOT NULL,
    private_sealed       BLOB,
    created_at           TEXT NOT NULL,
    created_by           INTEGER REFERENCES accounts (id),
    updated_at           TEXT NOT NULL
);
INSERT INTO dbs_checks_sealed (id, volunteer_id, level, certificate_number, issue_date,
    update_service, last_status_check, id_checked_by, renewal_applied_on, outcome_sealed,
    disclosed_sealed, decision_sealed, created_at, created_by, updated_at)
SELECT id, volunteer_id, level, certificate_number, issue_date, update_service,
    last_status_check, id_checked_by, renewal_applied_on, outcome_sealed, disclosed_sealed,
    decision_sealed, created_at, created_by, updated_at FROM dbs_checks;
DROP TABLE dbs_checks;
ALTER TABLE dbs_checks_sealed RENAME TO dbs_checks;
CREATE INDEX dbs_checks_by_volunteer ON dbs_checks (volunteer_id, issue_date);

-- Audit entries whose wording or timing would give a sealed fact away keep their action and
-- detail here, sealed; the open columns then say only that an entry was made.
ALTER TABLE audit_log ADD COLUMN sealed BLOB;

INSERT OR REPLACE INTO meta (key, value) VALUES ('seal_pending', x'01');
