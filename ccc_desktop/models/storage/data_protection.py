"""SQL for disposal's reach into other records: which free text can name a disposed person, and
clearing it (issue 12). The disposal log and retention queries are in ``storage/retention``,
subject access requests in ``storage/subject_access``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ccc_desktop.models.data_protection_records import (
    LEFT,
    UNREAD,
    NameMention,
    NameScope,
    place_label,
)
from ccc_desktop.models.errors import VaultCorrupt
from ccc_desktop.models.sealed import SealedColumn
from ccc_desktop.models.storage.attachments import AttachmentStore
from ccc_desktop.models.storage.database import Database
from ccc_desktop.models.storage.family_reviews import ReviewStore
from ccc_desktop.models.storage.family_rows import ConsentStore, DisclosureStore, IncidentStore
from ccc_desktop.models.storage.legal import AgreementStore, PoliceStore, SummonsStore
from ccc_desktop.models.storage.letters import LetterStore
from ccc_desktop.models.storage.name_clearing import NameMatcher, folded_name
from ccc_desktop.models.storage.sealing import seal_row
from ccc_desktop.models.storage.subject_access import SarStore
from ccc_desktop.models.storage.text_rows import TextRow, sealed_text_rows, text_rows
from ccc_desktop.models.storage.volunteers import DbsStore

# Disposal (issue 12): every free-text field of another record that can name a family member or
# a volunteer. When a family or volunteer is disposed of, each mention of their names is
# replaced by "[removed]" in these, and the disposal log lists which (table, field) and how
# many records, never the name. The labels printed for them are in
# ``data_protection_records.CLEARED_LABELS``; ``tests/domain/test_disposal_reach.py`` checks
# every text column of the schema is either here or known not to hold names.
NAME_TEXT_FIELDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("summonses", ("served_on", "applicant", "applicant_address", "notes", "outcome_note",
                   "case_number")),
    ("summons_steps", ("done_by", "note")),
    ("police_visits", ("asked", "said", "outcome")),
    ("subject_access_requests", ("requester_name", "notes", "identity_check")),
    ("families", ("previsit_by", "previsit_notes", "close_note", "must_not_attend",
                  "safety_notes")),
    ("family_reviews", ("notes",)),
    ("bookings", ("absence_reason",)),
    ("disclosures", ("requested_by", "asked_for", "reason", "disclosed")),
    ("consents", ("to_whom", "purpose")),
    ("dbs_checks", ("id_checked_by",)),
    ("assessment_agreements", ("approved_by", "scope")),
    ("sessions", ("notes",)),
    ("policy_reviews", ("reviewed_by", "changes")),
    ("letters", ("title",)),
    ("attachments", ("file_name",)),
    ("import_batches", ("file_name",)),
)
# Every stored letter's text is searched too, and one that names a disposed person in full is
# deleted (a PDF cannot be cleared). A record's own letters go with it, but a letter can name
# people other than its subject: a summons letter, a subject access response, and an
# attendance letter, addressed to whoever asked for it (a disclosure's "requested by", which
# may be a parent of another family or a volunteer).
LETTER_TEXT = "text"
# An attached document's words (a PDF's text layer, a Word or OpenDocument text): searched
# like a stored letter's, and the document is deleted when it must change (it cannot be
# cleared). One the program cannot read (a picture, a scan) is "unread": where it belongs to a
# record that mentions the disposed person, it is listed to be looked at.
DOCUMENT_TEXT = "content"
_DELETING = frozenset({LETTER_TEXT, DOCUMENT_TEXT})
# Which record an attachment belongs to, as ``_record_of`` names records.
_OWNER_RECORD = {"family": "family", "referral": "family", "volunteer": "volunteers",
                 "summons": "summons"}
# Columns the services seal themselves (models/sealed.SEALED_COLUMNS): (column, the JSON keys
# that are free text or () for plain text, padded as services/volunteer_base.pad_sealed).
NAME_SEALED_TEXT: tuple[tuple[SealedColumn, tuple[str, ...], bool], ...] = (
    (SealedColumn("incidents", "details_sealed", "incidents.details|<id>|<family_id>"),
     ("what", "who", "action", "told"), True),
    (SealedColumn("families", "restricted_sealed", "families.restricted|<id>"), (), True),
    (SealedColumn("volunteers", "details_sealed", "volunteers.private|<id>"),
     ("notes", "resignation_reason"), True),
)


# Which column says where a record is, for the disposal dialog (data_protection_records.place_label).
_PLACE = {
    "summonses": "id", "summons_steps": "summons_id", "police_visits": "visit_date",
    "subject_access_requests": "id", "families": "reference", "family_reviews": "family_id",
    "bookings": "family_id", "disclosures": "family_id", "consents": "family_id",
    "dbs_checks": "volunteer_id", "assessment_agreements": "agency_name",
    "sessions": "session_date", "policy_reviews": "reviewed_on", "letters": "created_at",
    "attachments": "added_at", "incidents": "family_id", "volunteers": "id",
    "import_batches": "imported_at",
}


# Within ``reading_once``: each letter's and document's words, read (opened and parsed, in
# memory) the first time a disposal of several records needs them. Per thread (a ContextVar):
# the dialog's check and the disposal each have their own.
_READ: ContextVar[dict[tuple[str, int], Any] | None] = ContextVar("disposal_texts", default=None)
_Read = TypeVar("_Read")
# How an attached document is read (documents/pdf_text.read_document): its words, or None when
# none can be read, and whether any of it cannot be (a scan, scanned pages among text pages).
DocumentReader = Callable[[bytes, str], tuple[str | None, bool]]


@contextmanager
def reading_once() -> Iterator[None]:
    """Within: the stored letters and attached documents are read once however many records
    are disposed of (their words do not change; a deleted one is no longer asked for). The
    words are forgotten at the end; nothing is written anywhere."""
    token = _READ.set({})
    try:
        yield
    finally:
        texts = _READ.get()
        if texts is not None:
            texts.clear()
        _READ.reset(token)


def _read_once(table: str, row_id: int, read: Callable[[], _Read]) -> _Read:
    texts = _READ.get()
    if texts is None:
        return read()
    if (table, row_id) not in texts:
        texts[(table, row_id)] = read()
    return texts[(table, row_id)]


def _unlink_letter(db: Database, letter_id: int) -> None:
    """A disclosure answered with a letter deleted here no longer points at it (the link is
    sealed, so no foreign key clears it)."""
    store = DisclosureStore(db)
    for d in store.log():
        if d["letter_id"] == letter_id:
            store.answer(int(d["id"]), letter_id=None)


def _letter_rows(db: Database, keep: Callable[[str], bool],
                 letter_text: Callable[[bytes], str]) -> list[TextRow]:
    """The kept letters as text; "changing" one deletes it."""
    rows: list[TextRow] = []
    store = LetterStore(db)
    # Which record a letter is about, and when it was made, are sealed: every letter that opens.
    for r in store.all():

        def read(letter_id: int = r.id) -> str:
            pdf = store.pdf(letter_id)
            return letter_text(pdf) if pdf else ""

        try:
            text = _read_once("letters", r.id, read) or ""
        except VaultCorrupt:  # moved to another record in the file: it opens nowhere
            continue
        if not keep(text):
            continue

        def delete(_new: dict[str, str], letter_id: int = r.id) -> None:
            db.execute("DELETE FROM letters WHERE id = ?", (letter_id,))
            db.changed("letters")
            _unlink_letter(db, letter_id)

        # Where it is, for the dialog: when it was made and whose letters it is among.
        place = f"{r.created_at}|{r.subject_type}:{r.subject_id if r.subject_id is not None else ''}"
        rows.append(TextRow("letters", r.id, {LETTER_TEXT: text}, place, delete))
    return rows


@dataclass(frozen=True)
class Unread:
    """An attached document the program could not read (a picture, a scan)."""

    attachment_id: int
    owner: tuple[str, int]  # the record it belongs to, as ``_record_of`` names it
    place: str  # "family:12"...: which record, for place_label


def _owner_place(owner_type: str, owner_id: int) -> str:
    return f"{owner_type}:{owner_id}"


def _attachment_rows(db: Database, keep: Callable[[str], bool],
                     document_text: DocumentReader,
                     unread: list[Unread]) -> list[TextRow]:
    """Every attached document with a file name or words ``keep`` says yes to (words read in
    memory); "changing" the words deletes the document, changing the name renames it. The
    documents that cannot be read are added to ``unread``."""
    rows: list[TextRow] = []
    store = AttachmentStore(db)
    for a in store.all():
        attachment_id = int(a["id"])

        def read(attachment_id: int = attachment_id, media_type: str = str(a["media_type"])
                 ) -> tuple[str | None, bool]:
            data = store.content(attachment_id)
            return document_text(data, media_type) if data else (None, True)

        try:
            text, partly = _read_once("attachments", attachment_id, read)
        except VaultCorrupt:  # moved to another record in the file: it opens nowhere
            continue
        owner_type, owner_id = str(a["owner_type"]), int(a["owner_id"])
        if text is None or partly:  # a picture or scan, or a PDF with scanned pages
            unread.append(Unread(attachment_id, (_OWNER_RECORD.get(owner_type, owner_type), owner_id),
                                 _owner_place(owner_type, owner_id)))
        texts = {f: t for f, t in (("file_name", a["file_name"]), (DOCUMENT_TEXT, text))
                 if isinstance(t, str) and t}
        if not any(keep(t) for t in texts.values()):
            continue

        def write(new: dict[str, str], attachment_id: int = attachment_id) -> None:
            if DOCUMENT_TEXT in new:
                store.delete(attachment_id)
            elif "file_name" in new:
                db.execute("UPDATE attachments SET file_name = ? WHERE id = ?",
                           (new["file_name"], attachment_id))
                seal_row(db, "attachments", attachment_id, ("file_name",))

        rows.append(TextRow("attachments", attachment_id, texts,
                            _owner_place(owner_type, owner_id), write))
    return rows


def _rows_naming(db: Database, keep: Callable[[str], bool],
                 letter_text: Callable[[bytes], str] | None = None,
                 document_text: DocumentReader | None = None,
                 unread: list[Unread] | None = None) -> list[TextRow]:
    """Every record that stays with a free-text field ``keep`` says yes to (and, given a way to
    read a PDF's text, every stored letter, and given a way to read a
    document, every attached document's words: last, they may be deleted). The attached
    documents that cannot be read go into ``unread``."""
    rows: list[TextRow] = []
    for table, fields in NAME_TEXT_FIELDS:
        if table == "attachments" and document_text is not None:
            continue  # with the documents' words, below
        rows.extend(text_rows(db, table, fields, _PLACE[table], keep))
    for column, keys, padded in NAME_SEALED_TEXT:
        rows.extend(sealed_text_rows(db, column, keys, padded, _PLACE[column.table], keep))
    if letter_text is not None:
        rows.extend(_letter_rows(db, keep, letter_text))
    if document_text is not None:
        rows.extend(_attachment_rows(db, keep, document_text, [] if unread is None else unread))
    return rows


@dataclass
class NameClearing:
    """What clearing one person's names did: (table, field) -> records changed, and the
    records left as they are that mention a first or last name alone."""

    cleared: dict[tuple[str, str], int] = field(default_factory=dict)
    left: list[NameMention] = field(default_factory=list)

    def counts(self) -> dict[tuple[str, str], int]:
        """For the disposal log: what was cleared, and per (table, LEFT + field) how many
        records were left mentioning a name alone."""
        out = dict(self.cleared)
        for (table, f), n in Counter((m.table, LEFT + m.field) for m in {
                (m.table, m.record_id, m.field): m for m in self.left}.values()).items():
            out[(table, f)] = n
        return out


_FAMILY_PARTS = ("family_reviews", "bookings", "disclosures", "consents", "incidents")


def _record_of(row: TextRow) -> tuple[str, int]:
    """The record a row belongs to as the Coordinator sees it: a family's reviews, bookings,
    disclosures, consents and incidents are part of the family; a step part of its summons."""
    if row.table == "families":
        return ("family", row.row_id)
    if row.table in _FAMILY_PARTS:
        return ("family", int(row.place))
    if row.table == "summonses":
        return ("summons", row.row_id)
    if row.table == "summons_steps":
        return ("summons", int(row.place))
    return (row.table, row.row_id)


def _owner_of(row: TextRow) -> tuple[str, int] | None:
    """The record an attached document belongs to (None for any other row)."""
    if row.table != "attachments":
        return None
    owner_type, owner_id = str(row.place).split(":")
    return (_OWNER_RECORD.get(owner_type, owner_type), int(owner_id))


def _linked_records(scope: NameScope) -> set[tuple[str, int]]:
    """The linked records that can hold attached documents (summonses)."""
    return {("summons", i) for i in scope.linked.get("summonses", frozenset())}


def _decide(rows: list[TextRow], scope: NameScope, reference: str, skip: dict[str, frozenset[int]],
            write: bool, unread: Sequence[Unread] = ()) -> NameClearing:
    matcher = NameMatcher(scope.names, scope.shared)
    out = NameClearing()
    if matcher.empty:
        return out
    rows = [r for r in rows if r.row_id not in skip.get(r.table, frozenset())
            and any(matcher.mentions(t) for t in r.texts.values())]
    # A record that names the person in full anywhere is about them too: "Quentin to walk the
    # mother" beside "pre-visit by Quentin Harcourt-Vane" (a family's reviews, incidents and
    # notes are one record with it, as a summons's steps are with the summons).
    in_full = {_record_of(r) for r in rows if any(matcher.has_whole(t) for t in r.texts.values())}
    # The records that mention the person at all (or are linked to them): a picture or a scan
    # attached to one of these cannot be read, so it is listed to be looked at.
    about = {_record_of(r) for r in rows} | {o for o in map(_owner_of, rows) if o} | \
        _linked_records(scope)
    deleted: set[int] = set()  # attached documents that go (not listed to look at, below)
    for r in rows:
        linked = r.row_id in scope.linked.get(r.table, frozenset()) or _record_of(r) in in_full
        clear = matcher.clear_all if linked else matcher.clear_whole
        new = {f: clear(t) for f, t in r.texts.items()}
        new = {f: t for f, t in new.items() if t != r.texts[f]}
        if new.keys() & _DELETING:  # the whole document goes: that is what is counted
            new = {f: t for f, t in new.items() if f in _DELETING}
            if r.table == "attachments":
                deleted.add(r.row_id)
        if new:
            if write:
                r.write(new)
            for f in new:
                out.cleared[(r.table, f)] = out.cleared.get((r.table, f), 0) + 1
        place = place_label(r.table, r.place)
        if not new.keys() & _DELETING:  # (a deleted letter or document is not listed)
            for f, t in r.texts.items():  # a name someone who stays has too: listed anywhere
                for name in dict.fromkeys(matcher.shared_names(new.get(f, t))):
                    out.left.append(NameMention(reference, r.table, r.row_id, f, name, place,
                                                shared=True))
        if linked:
            continue
        for f, t in r.texts.items():
            for word in dict.fromkeys(matcher.lone_words(new.get(f, t))):
                out.left.append(NameMention(reference, r.table, r.row_id, f, word, place))
    # Papers of a linked summons go with its names (drop_summons_papers): not listed.
    gone = skip.get("attachments", frozenset()) | scope.linked.get("attachments", frozenset()) \
        | deleted
    for u in unread:
        if u.owner in about and u.attachment_id not in gone:
            out.left.append(NameMention(reference, "attachments", u.attachment_id, UNREAD, "",
                                        place_label("attachments", u.place)))
    return out


def clear_names(db: Database, scope: NameScope, reference: str = "",
                letter_text: Callable[[bytes], str] | None = None,
                document_text: DocumentReader | None = None) -> NameClearing:
    """Every mention of the scope's names in the records that stay: the whole name everywhere,
    a first or last name alone only in the records linked to the person (or naming them in
    full). Run after the disposed record's own rows are deleted (``scope.own`` is skipped
    too); records left mentioning a name alone are listed, not changed, and so are the
    pictures and scans (documents it cannot read) of the records that mention the person."""
    matcher = NameMatcher(scope.names, scope.shared)
    if matcher.empty:
        return NameClearing()
    unread: list[Unread] = []
    rows = _rows_naming(db, matcher.mentions, letter_text, document_text, unread)
    return _decide(rows, scope, reference, scope.own, write=True, unread=unread)


def names_left_alone(db: Database, scopes: list[tuple[str, NameScope]],
                     letter_text: Callable[[bytes], str] | None = None,
                     document_text: DocumentReader | None = None,
                     ) -> list[NameMention]:
    """Before a disposal, changing nothing: the records that will be left mentioning a first or
    last name of a person in ``scopes`` ((reference, scope) each) alone, and the documents the
    program cannot read attached to records that mention them. Records any of them owns
    (deleted with it) are not listed."""
    matchers = [NameMatcher(s.names, s.shared) for _, s in scopes]
    if all(m.empty for m in matchers):
        return []
    unread: list[Unread] = []
    rows = _rows_naming(db, lambda t: any(m.mentions(t) for m in matchers), letter_text,
                        document_text, unread)
    skip: dict[str, frozenset[int]] = {}
    for _, s in scopes:
        for table, ids in s.own.items():
            skip[table] = skip.get(table, frozenset()) | ids
    out: list[NameMention] = []
    for reference, scope in scopes:
        out.extend(_decide(rows, scope, reference, skip, write=False, unread=unread).left)
    return out


def _ids(db: Database, sql: str, params: tuple[Any, ...]) -> frozenset[int]:
    return frozenset(int(r[0]) for r in db.query(sql, params))


def _summons_links(db: Database, summons_ids: Iterable[int]) -> dict[str, frozenset[int]]:
    ids = sorted(set(summons_ids))
    if not ids:
        return {}
    marks = ", ".join("?" for _ in ids)  # built from a count; the ids are parameters
    return {
        "summonses": frozenset(ids),
        "summons_steps": _ids(db, f"SELECT id FROM summons_steps WHERE summons_id IN ({marks})",  # noqa: S608
                              tuple(ids)),
        "letters": LetterStore(db).ids_for([("summons", i) for i in ids]),
        "attachments": AttachmentStore(db).ids_for([("summons", i) for i in ids]),
    }


def _subject_own(db: Database, category: str, record_id: int) -> dict[str, frozenset[int]]:
    """A record's letters, attachments and linked subject access requests (with their letters)."""
    sars = frozenset(int(r["id"]) for r in SarStore(db).for_subject(category, record_id))
    letters = LetterStore(db).ids_for([(category, record_id),
                                       *(("subject_access", sar) for sar in sars)])
    owners = ("family", "referral") if category == "family" else (category,)
    files = AttachmentStore(db).ids_for([(o, record_id) for o in owners])
    return {"subject_access_requests": sars, "letters": letters, "attachments": files}


def owned_rows(db: Database, category: str, record_id: int) -> dict[str, frozenset[int]]:
    """The rows a witness summons or a subject access request takes with it when disposed of
    (they name nobody to clear, but what they hold is not left behind to check)."""
    if category == "summons":
        return _summons_links(db, [record_id])
    if category == "subject_access":
        return {"subject_access_requests": frozenset((record_id,)),
                "letters": LetterStore(db).ids_for([("subject_access", record_id)])}
    return {}


def _shared_names(db: Database, names: tuple[str, ...], family_id: int = 0,
                  volunteer_id: int = 0) -> tuple[str, ...]:
    """Those of ``names`` that are also the full name of someone in a record that stays: an
    adult or child of another family (the same father in two families' records, a namesake),
    or another volunteer. Their records keep the name (it is theirs as much as the disposed
    person's); anywhere else it is listed to check, not cleared."""
    wanted = {folded_name(n): n for n in names}
    found: dict[str, str] = {}
    for sql, params in (
            ("SELECT full_name FROM family_adults WHERE family_id != ?", (family_id,)),
            ("SELECT full_name FROM family_children WHERE family_id != ?", (family_id,)),
            ("SELECT full_name FROM volunteers WHERE id != ?", (volunteer_id,))):
        for (full_name,) in db.query(sql, params):
            key = folded_name(full_name or "")
            if key in wanted:
                found[key] = wanted[key]
    return tuple(found.values())


def family_name_scope(db: Database, family_id: int, names: Iterable[str]) -> NameScope:
    """A family's names; its own rows; the records linked to it that stay: its summonses
    (with their steps and papers), police visits, assessment agreements and the sessions it
    was booked into."""
    one = (family_id,)
    own = {"families": frozenset(one), **_subject_own(db, "family", family_id)}
    own["bookings"] = _ids(db, "SELECT id FROM bookings WHERE family_id = ?", one)
    own["family_reviews"] = frozenset(ReviewStore(db).ids_for([family_id]))  # sealed link (0030)
    # Which family these are about is sealed: opened and compared.
    own["disclosures"] = frozenset(DisclosureStore(db).ids_for(family_id))
    own["consents"] = frozenset(ConsentStore(db).ids_for(family_id))
    own["incidents"] = frozenset(IncidentStore(db).ids_for(family_id))
    # Which family a summons or a police visit is about is sealed: opened and compared here.
    linked = _summons_links(db, [s.id for s in SummonsStore(db).for_family(family_id)])
    linked["police_visits"] = frozenset(v.id for v in PoliceStore(db).all() if v.family_id == family_id)
    linked["assessment_agreements"] = frozenset(AgreementStore(db).ids_for_family(family_id))
    linked["sessions"] = _ids(db, "SELECT DISTINCT session_id FROM bookings WHERE family_id = ?", one)
    linked["import_batches"] = _ids(db, "SELECT DISTINCT batch_id FROM import_items "
                                        "WHERE owner_type = 'family' AND owner_id = ?", one)
    names = tuple(names)
    return NameScope(names, own, linked, _shared_names(db, names, family_id=family_id))


def volunteer_name_scope(db: Database, volunteer_id: int, name: str,
                         summons_ids: Iterable[int]) -> NameScope:
    """A volunteer's name; their own rows; the records linked to them that stay: the
    summonses served on them (``summons_ids``, with steps and papers) and the sessions they
    were on the rota for."""
    one = (volunteer_id,)
    own = {"volunteers": frozenset(one), **_subject_own(db, "volunteer", volunteer_id),
           "dbs_checks": frozenset(DbsStore(db).ids_for(volunteer_id))}
    linked = _summons_links(db, summons_ids)
    linked["sessions"] = _ids(db, "SELECT DISTINCT session_id FROM rota WHERE volunteer_id = ?", one)
    linked["import_batches"] = _ids(db, "SELECT DISTINCT batch_id FROM import_items "
                                        "WHERE owner_type = 'volunteer' AND owner_id = ?", one)
    return NameScope((name,), own, linked, _shared_names(db, (name,), volunteer_id=volunteer_id))


def drop_summons_papers(db: Database, summons_ids: Iterable[int]) -> dict[tuple[str, str], int]:
    """The stored letters and attached documents of summonses that keep their record but named
    a disposed person: they cannot be cleared, so they go. (table, what) -> how many."""
    letters, attachments = LetterStore(db), AttachmentStore(db)
    n_letters = sum(letters.delete_for_subject("summons", sid) for sid in summons_ids)
    n_files = sum(attachments.delete_for(("summons",), sid) for sid in summons_ids)
    out = {}
    if n_letters:
        out[("summonses", "deleted letters")] = n_letters
    if n_files:
        out[("summonses", "deleted attachments")] = n_files
    return out


