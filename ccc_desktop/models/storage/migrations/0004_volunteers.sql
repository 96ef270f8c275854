-- Volunteers, their DBS checks (results sealed with the second key) and the rota (issue 4).
CREATE TABLE volunteers (
    -- AUTOINCREMENT: an id (and so the reference V-00012 made from it) is never used twice,
    -- even after a disposal; the disposal log keeps references for ever.
    id                         INTEGER PRIMARY KEY AUTOINCREMENT,
    full_name                  TEXT NOT NULL,
    -- Address, phone, email, date of birth, notes and the resignation reason: sealed JSON
    -- (models/sealed.py), so a Session volunteer's key does not open colleagues' details.
    private_sealed             BLOB NOT NULL,
    start_date                 TEXT,                       -- 'YYYY-MM-DD'
    roles                      TEXT NOT NULL DEFAULT 'session',  -- comma list: session, coordinator, committee
    references_received        INTEGER NOT NULL DEFAULT 0 CHECK (references_received BETWEEN 0 AND 9),
    induction_on               TEXT,
    safeguarding_on            TEXT,
    undertaking_version        TEXT NOT NULL DEFAULT '',
    undertaking_signed_on      TEXT,
    policy_read_on             TEXT,
    court_clause_acknowledged  INTEGER NOT NULL DEFAULT 0,  -- clause 3: no reports in court proceedings
    status                     TEXT NOT NULL DEFAULT 'applicant'
                               CHECK (status IN ('applicant', 'active', 'paused', 'resigned')),
    resigned_on                TEXT,                       -- starts the three-year retention clock
    account_id                 INTEGER UNIQUE REFERENCES accounts (id) ON DELETE SET NULL,
    created_at                 TEXT NOT NULL,
    updated_at                 TEXT NOT NULL,
    CHECK (status <> 'resigned' OR resigned_on IS NOT NULL)
);
CREATE INDEX volunteers_by_status ON volunteers (status, full_name);
CREATE INDEX volunteers_by_resignation ON volunteers (resigned_on) WHERE resigned_on IS NOT NULL;

-- One row per DBS certificate seen. No copy of the certificate is stored, only these facts.
-- outcome_sealed, disclosed_sealed and decision_sealed are AES-GCM ciphertext under the seal key
-- (models/sealed.py), padded to a fixed size so their length says nothing about the result.
CREATE TABLE dbs_checks (
    id                   INTEGER PRIMARY KEY,
    volunteer_id         INTEGER NOT NULL REFERENCES volunteers (id) ON DELETE CASCADE,
    level                TEXT NOT NULL
                         CHECK (level IN ('basic', 'standard', 'enhanced', 'enhanced_barred')),
    certificate_number   TEXT NOT NULL UNIQUE CHECK (length(certificate_number) = 12),
    issue_date           TEXT NOT NULL,
    update_service       INTEGER NOT NULL DEFAULT 0,
    last_status_check    TEXT,
    id_checked_by        TEXT NOT NULL,
    renewal_applied_on   TEXT,                             -- a renewal in progress pauses warnings
    outcome_sealed       BLOB NOT NULL,
    disclosed_sealed     BLOB NOT NULL,
    decision_sealed      BLOB NOT NULL,
    created_at           TEXT NOT NULL,
    created_by           INTEGER REFERENCES accounts (id),
    updated_at           TEXT NOT NULL
);
CREATE INDEX dbs_checks_by_volunteer ON dbs_checks (volunteer_id, issue_date);

-- Who is on duty at which session.
CREATE TABLE rota (
    session_id    INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    volunteer_id  INTEGER NOT NULL REFERENCES volunteers (id) ON DELETE CASCADE,
    duty          TEXT NOT NULL DEFAULT '',
    assigned_at   TEXT NOT NULL,
    PRIMARY KEY (session_id, volunteer_id)
);
CREATE INDEX rota_by_volunteer ON rota (volunteer_id);
