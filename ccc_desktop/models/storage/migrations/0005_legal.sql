-- Witness summonses and the policy's steps, letter templates, police visits,
-- assessment agreements (clause 7) and the confidentiality policy with its reviews (issue 5).
-- family_id columns hold a family's id without a foreign key (families live in 0003).

CREATE TABLE summonses (
    id            INTEGER PRIMARY KEY,
    received_on   TEXT NOT NULL,                 -- 'YYYY-MM-DD'
    received_how  TEXT NOT NULL CHECK (received_how IN ('post', 'in person', 'email', 'other')),
    served_on     TEXT NOT NULL DEFAULT '',      -- '' = the centre; otherwise a volunteer's name
    court         TEXT NOT NULL,
    court_address TEXT NOT NULL DEFAULT '',
    case_number   TEXT NOT NULL,
    hearing_date  TEXT NOT NULL,                 -- 'YYYY-MM-DD'
    hearing_time  TEXT NOT NULL DEFAULT '',      -- 'HH:MM' or ''
    applicant     TEXT NOT NULL DEFAULT '',      -- the party or solicitor who applied
    applicant_address TEXT NOT NULL DEFAULT '',
    family_id     INTEGER,
    respond_by    TEXT,                          -- 'YYYY-MM-DD' or NULL
    notes         TEXT NOT NULL DEFAULT '',
    outcome       TEXT CHECK (outcome IS NULL OR outcome IN
                      ('set aside', 'withdrawn', 'attendance required', 'other')),
    outcome_note  TEXT NOT NULL DEFAULT '',
    closed_on     TEXT,
    created_at    TEXT NOT NULL,
    created_by    INTEGER REFERENCES accounts (id)
);
CREATE INDEX summonses_open ON summonses (closed_on, hearing_date);
CREATE INDEX summonses_family ON summonses (family_id);

CREATE TABLE summons_steps (
    id          INTEGER PRIMARY KEY,
    summons_id  INTEGER NOT NULL REFERENCES summonses (id) ON DELETE CASCADE,
    step        TEXT NOT NULL CHECK (step IN ('chair', 'letter', 'naccc', 'solicitor')),
    done_on     TEXT NOT NULL,                   -- 'YYYY-MM-DD'
    done_by     TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    recorded_at TEXT NOT NULL,
    recorded_by INTEGER REFERENCES accounts (id),
    UNIQUE (summons_id, step)
);

-- Edited letter templates; a kind with no row uses the shipped default in resources/templates.
CREATE TABLE letter_templates (
    kind       TEXT PRIMARY KEY,
    body       TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by INTEGER REFERENCES accounts (id)
);

CREATE TABLE police_visits (
    id             INTEGER PRIMARY KEY,
    visit_date     TEXT NOT NULL,                -- 'YYYY-MM-DD'
    visit_time     TEXT NOT NULL DEFAULT '',     -- 'HH:MM'
    officer_name   TEXT NOT NULL,
    officer_number TEXT NOT NULL DEFAULT '',
    station        TEXT NOT NULL DEFAULT '',
    emergency      INTEGER NOT NULL DEFAULT 0,
    asked          TEXT NOT NULL DEFAULT '',
    said           TEXT NOT NULL DEFAULT '',
    outcome        TEXT NOT NULL DEFAULT '',
    family_id      INTEGER,
    recorded_at    TEXT NOT NULL,
    recorded_by    INTEGER REFERENCES accounts (id)
);
CREATE INDEX police_visits_by_date ON police_visits (visit_date);

-- Clause 7: an agreement that allows an agency to assess a family on the premises.
-- family_id NULL = a standing agreement covering any family.
CREATE TABLE assessment_agreements (
    id          INTEGER PRIMARY KEY,
    agency_type TEXT NOT NULL CHECK (agency_type IN
                    ('solicitor', 'cafcass', 'social worker', 'other')),
    agency_name TEXT NOT NULL,
    family_id   INTEGER,
    scope       TEXT NOT NULL,
    valid_from  TEXT NOT NULL,                   -- 'YYYY-MM-DD'
    valid_to    TEXT NOT NULL,                   -- 'YYYY-MM-DD', inclusive
    approved_by TEXT NOT NULL,
    ended_on    TEXT,                            -- ended early
    created_at  TEXT NOT NULL,
    created_by  INTEGER REFERENCES accounts (id),
    CHECK (valid_to >= valid_from)
);
CREATE INDEX agreements_by_family ON assessment_agreements (family_id, valid_from, valid_to);

-- The confidentiality policy: every saved text is a version; the newest is in force.
CREATE TABLE policy_versions (
    id         INTEGER PRIMARY KEY,
    body       TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    created_by INTEGER REFERENCES accounts (id)
);

CREATE TABLE policy_reviews (
    id          INTEGER PRIMARY KEY,
    reviewed_on TEXT NOT NULL,                   -- 'YYYY-MM-DD'
    reviewed_by TEXT NOT NULL,
    changes     TEXT NOT NULL DEFAULT '',
    version_id  INTEGER REFERENCES policy_versions (id),
    recorded_at TEXT NOT NULL,
    recorded_by INTEGER REFERENCES accounts (id)
);
CREATE INDEX policy_reviews_by_date ON policy_reviews (reviewed_on);
