-- Families (issue 3): referrals, adults and children, safety, bookings and the register,
-- consent to share contact details, disclosure requests and incidents.
-- Depends only on 0001/0002 (accounts, sessions, letters).

CREATE TABLE families (
    -- AUTOINCREMENT: an id (and so the reference made from it) is never used twice, even
    -- after a disposal; the disposal log keeps references for ever.
    id                     INTEGER PRIMARY KEY AUTOINCREMENT,
    reference              TEXT NOT NULL UNIQUE,               -- 'F-0001'
    contact_kind           TEXT NOT NULL DEFAULT 'supported'
                           CHECK (contact_kind IN ('supported', 'handover')),
    referral_status        TEXT NOT NULL DEFAULT 'received'
                           CHECK (referral_status IN ('received', 'pre-visit booked', 'pre-visit done',
                                                      'accepted', 'declined', 'closed')),
    referral_date          TEXT NOT NULL,                      -- 'YYYY-MM-DD'
    referral_route         TEXT NOT NULL
                           CHECK (referral_route IN ('self', 'solicitor', 'cafcass',
                                                     'social services', 'other')),
    referrer_name          TEXT NOT NULL DEFAULT '',
    referrer_organisation  TEXT NOT NULL DEFAULT '',
    referrer_contact       TEXT NOT NULL DEFAULT '',
    court_order            INTEGER NOT NULL DEFAULT 0,
    previsit_on            TEXT,
    previsit_by            TEXT NOT NULL DEFAULT '',
    previsit_notes         TEXT NOT NULL DEFAULT '',
    must_not_attend        TEXT NOT NULL DEFAULT '',
    safety_notes           TEXT NOT NULL DEFAULT '',
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL,
    last_used_on           TEXT NOT NULL                       -- retention depends on it
);
CREATE INDEX families_by_last_used ON families (last_used_on);
CREATE INDEX families_by_status ON families (referral_status);

CREATE TABLE family_adults (
    id                     INTEGER PRIMARY KEY,
    family_id              INTEGER NOT NULL REFERENCES families (id) ON DELETE CASCADE,
    full_name              TEXT NOT NULL,
    role                   TEXT NOT NULL
                           CHECK (role IN ('resident parent', 'visiting parent', 'other relative')),
    address                TEXT NOT NULL DEFAULT '',
    phone                  TEXT NOT NULL DEFAULT '',
    email                  TEXT NOT NULL DEFAULT '',
    arrive_minutes_before  INTEGER NOT NULL DEFAULT 0,
    leave_minutes_after    INTEGER NOT NULL DEFAULT 0,
    ground_rules_on        TEXT,                               -- clause 1 and 11 explained/agreed
    policy_agreed_on       TEXT
);
CREATE INDEX family_adults_by_family ON family_adults (family_id);

CREATE TABLE family_children (
    id             INTEGER PRIMARY KEY,
    family_id      INTEGER NOT NULL REFERENCES families (id) ON DELETE CASCADE,
    full_name      TEXT NOT NULL,
    date_of_birth  TEXT NOT NULL,
    needs          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX family_children_by_family ON family_children (family_id);

-- Search: every word of every adult's and child's name, and the reference, folded to lower
-- case without accents. Prefix search is a range scan on the index.
CREATE TABLE family_search (
    word       TEXT NOT NULL,
    family_id  INTEGER NOT NULL REFERENCES families (id) ON DELETE CASCADE
);
CREATE INDEX family_search_by_word ON family_search (word, family_id);
CREATE INDEX family_search_by_family ON family_search (family_id);

CREATE TABLE family_reviews (
    id           INTEGER PRIMARY KEY,
    family_id    INTEGER NOT NULL REFERENCES families (id) ON DELETE CASCADE,
    reviewed_on  TEXT NOT NULL,
    notes        TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL
);
CREATE INDEX family_reviews_by_family ON family_reviews (family_id, reviewed_on);

-- Bookings and attendance in one row: a family's place at a dated session.
CREATE TABLE bookings (
    id              INTEGER PRIMARY KEY,
    family_id       INTEGER NOT NULL REFERENCES families (id) ON DELETE CASCADE,
    session_id      INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    status          TEXT NOT NULL DEFAULT 'booked'
                    CHECK (status IN ('booked', 'cancelled', 'absent', 'no-show')),
    arrived_at      TEXT,                                      -- 'HH:MM'
    left_at         TEXT,
    absence_reason  TEXT NOT NULL DEFAULT '',
    -- An assessment session (clause 7): an agency assesses the family at the centre; only
    -- while an assessment agreement is in force (AgreementService.require_in_force).
    assessment      INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    UNIQUE (family_id, session_id)
);
CREATE INDEX bookings_by_session ON bookings (session_id, status);

-- Clauses 5 and 6: consent to share an adult's contact details.
CREATE TABLE consents (
    id            INTEGER PRIMARY KEY,
    family_id     INTEGER NOT NULL REFERENCES families (id) ON DELETE CASCADE,
    adult_id      INTEGER NOT NULL REFERENCES family_adults (id) ON DELETE CASCADE,
    to_whom       TEXT NOT NULL,
    purpose       TEXT NOT NULL,
    given_on      TEXT NOT NULL,
    how           TEXT NOT NULL,
    withdrawn_on  TEXT,
    created_at    TEXT NOT NULL
);
CREATE INDEX consents_by_family ON consents (family_id);

-- Clause 4: every request and every disclosure made (the disclosure log).
CREATE TABLE disclosures (
    id              INTEGER PRIMARY KEY,
    family_id       INTEGER NOT NULL REFERENCES families (id) ON DELETE CASCADE,
    requested_by    TEXT NOT NULL,
    organisation    TEXT NOT NULL DEFAULT '',
    requested_on    TEXT NOT NULL,
    asked_for       TEXT NOT NULL,
    answer          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (answer IN ('pending', 'attendance', 'beyond', 'refused')),
    ground          TEXT CHECK (ground IS NULL OR ground IN ('child at risk of harm',
                                                            'risk of physical violence', 'consent')),
    consent_id      INTEGER REFERENCES consents (id) ON DELETE SET NULL,
    authorised_by   INTEGER REFERENCES accounts (id),
    reason          TEXT NOT NULL DEFAULT '',
    disclosed       TEXT NOT NULL DEFAULT '',
    letter_id       INTEGER REFERENCES letters (id) ON DELETE SET NULL,
    answered_on     TEXT,
    created_at      TEXT NOT NULL,
    created_by      INTEGER REFERENCES accounts (id)
);
CREATE INDEX disclosures_by_family ON disclosures (family_id, requested_on);

-- Incidents: the account itself is sealed (what, who, action, who told).
CREATE TABLE incidents (
    id                INTEGER PRIMARY KEY,
    family_id         INTEGER NOT NULL REFERENCES families (id) ON DELETE CASCADE,
    occurred_on       TEXT NOT NULL,
    kind              TEXT NOT NULL DEFAULT 'safeguarding' CHECK (kind IN ('safeguarding', 'accident')),
    details_sealed    BLOB NOT NULL,
    keep_beyond_three_years INTEGER NOT NULL DEFAULT 1,
    created_at        TEXT NOT NULL,
    created_by        INTEGER REFERENCES accounts (id)
);
CREATE INDEX incidents_by_family ON incidents (family_id);
