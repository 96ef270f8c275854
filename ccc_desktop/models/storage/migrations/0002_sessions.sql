-- The centre's session days and the dated sessions that families book into and volunteers staff.
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
