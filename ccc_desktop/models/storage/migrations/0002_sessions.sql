-- The centre's session days and dated sessions (booked by families, staffed by volunteers),
-- and the store of generated letters.
CREATE TABLE session_patterns (
    id         INTEGER PRIMARY KEY,
    weekday    INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),  -- Monday = 0
    start_time TEXT NOT NULL,                                      -- 'HH:MM'
    end_time   TEXT NOT NULL,
    capacity   INTEGER NOT NULL CHECK (capacity > 0),
    label      TEXT NOT NULL DEFAULT '',
    active     INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY,
    session_date TEXT NOT NULL,                                    -- 'YYYY-MM-DD'
    start_time   TEXT NOT NULL,
    end_time     TEXT NOT NULL,
    capacity     INTEGER NOT NULL CHECK (capacity > 0),
    pattern_id   INTEGER REFERENCES session_patterns (id) ON DELETE SET NULL,
    notes        TEXT NOT NULL DEFAULT '',
    finalised_at TEXT,
    finalised_by INTEGER REFERENCES accounts (id),
    UNIQUE (session_date, start_time)
);
CREATE INDEX sessions_by_date ON sessions (session_date);

-- Every generated letter or document is kept here, inside the encrypted file, never on disk.
CREATE TABLE letters (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,            -- e.g. 'attendance', 'summons-court'
    title        TEXT NOT NULL,
    subject_type TEXT NOT NULL,            -- 'family', 'summons', 'volunteer', 'centre', ...
    subject_id   INTEGER,
    created_at   TEXT NOT NULL,
    created_by   INTEGER REFERENCES accounts (id),
    pdf          BLOB NOT NULL
);
CREATE INDEX letters_by_subject ON letters (subject_type, subject_id);
