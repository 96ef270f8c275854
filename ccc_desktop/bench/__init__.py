"""python -m ccc_desktop.bench: a synthetic vault at scale, timed with SQLCipher and plain SQLite."""
