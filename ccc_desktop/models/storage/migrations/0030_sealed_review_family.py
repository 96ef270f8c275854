"""Issue 12: which family a review of the contact arrangement is about was open to a Session
volunteer's key, so it read which families have had reviews. It joins the review's sealed
fields (models/sealed.py, the family_reviews entry); a family's reviews are found by the blind
index of the family in a new ``family_index`` column (storage/family_reviews.py), as a record's
letters are found by theirs.

``family_reviews.family_id`` is NOT NULL (0003); a sealed row keeps NULL there, so the NOT
NULL goes (storage/schema_edit.drop_not_null, as 0024 to 0026 did with their own copies) and
the file is checked, in the migration's one transaction. A family's removal deletes its
reviews itself. The index by family goes; one by the blind index comes.

The reviews are sealed again with their family inside at the next unlock by a Coordinator,
Chair or the recovery key (storage/sealing.py ``seal_owners``, as for letters in 0022), which
then compacts the file. Run again over a file it has upgraded, it only sets the mark again.
"""

from __future__ import annotations

from typing import Any

from ccc_desktop.models.storage.schema_edit import add_column, check, drop_not_null, mark


def upgrade(conn: Any) -> None:
    add_column(conn, "family_reviews", "family_index", "TEXT")
    conn.execute("DROP INDEX IF EXISTS family_reviews_by_family")
    conn.execute("CREATE INDEX IF NOT EXISTS family_reviews_by_index ON family_reviews (family_index)")
    mark(conn, "seal_pending")
    drop_not_null(conn, "family_reviews", "family_id")
    check(conn)
