"""Attachments (issue 15): documents a family, its referral, a volunteer or a summons carries.

PDF, JPEG and PNG are previewed in the app; DOCX and ODT are kept as they are. A file whose
content is not what its name says (a program renamed .pdf, a picture named .docx) is refused by
its first bytes. The name and the bytes are sealed with the seal key, so only Coordinator and
Chair read them; the Session volunteer is refused here, and holds no key that would open them
in the file. Adding, opening and saving out are written to the audit trail. Attachments go with
their record: a family's (and its referral's) when the family is disposed of, a volunteer's
with the volunteer.
"""

from __future__ import annotations

import builtins
import io
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ccc_desktop.models.data_protection_records import SarDocument, SubjectAccessRequest
from ccc_desktop.models.errors import NotFound, ValidationError
from ccc_desktop.models.fileio import atomic_write_bytes
from ccc_desktop.models.records import Shown
from ccc_desktop.models.roles import Permission
from ccc_desktop.models.services.area import Area
from ccc_desktop.models.storage.attachments import AttachmentStore
from ccc_desktop.models.storage.meta import SettingsStore

if TYPE_CHECKING:
    from ccc_desktop.models.services.registry import Services
    from ccc_desktop.models.vault import Session

MAX_MB_SETTING = "attachment_max_mb"
DEFAULT_MAX_MB = 20
OWNERS = {"family": Permission.EDIT_FAMILIES, "referral": Permission.EDIT_FAMILIES,
          "volunteer": Permission.MANAGE_VOLUNTEERS, "summons": Permission.MANAGE_LEGAL}
# The audit trail names the record the attachment belongs to (a referral's is its family's).
AUDIT_TYPE = {"family": "family", "referral": "family", "volunteer": "volunteer",
              "summons": "summons"}
KINDS = {  # extension -> (media type, what it is called)
    ".pdf": ("application/pdf", "a PDF"),
    ".jpg": ("image/jpeg", "a JPEG picture"),
    ".jpeg": ("image/jpeg", "a JPEG picture"),
    ".png": ("image/png", "a PNG picture"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              "a Word document"),
    ".odt": ("application/vnd.oasis.opendocument.text", "an OpenDocument text"),
}
KIND_NAMES = {media: what.split(" ", 1)[1] for media, what in KINDS.values()}
PREVIEWABLE = {"application/pdf", "image/jpeg", "image/png"}


def content_type(data: bytes) -> str | None:
    """The media type the bytes themselves show (magic numbers), or None."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
                if "mimetype" in names and z.read("mimetype").strip() == \
                        b"application/vnd.oasis.opendocument.text":
                    return "application/vnd.oasis.opendocument.text"
                if "word/document.xml" in names and "[Content_Types].xml" in names:
                    return KINDS[".docx"][0]
        except (zipfile.BadZipFile, OSError, KeyError, ValueError):
            return None
    return None


@dataclass(frozen=True)
class Attachment:
    id: int
    owner_type: str
    owner_id: int
    name: str
    media_type: str
    size: int
    added_at: str

    @property
    def previewable(self) -> bool:
        return self.media_type in PREVIEWABLE


class AttachmentService:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.store = AttachmentStore(session.db)
        self.settings = SettingsStore(session.db)

    def _require(self, owner_type: str) -> None:
        actor = self.session.actor
        actor.require(Permission.VIEW_RESTRICTED)
        if owner_type not in OWNERS:
            raise ValueError(owner_type)
        actor.require(OWNERS[owner_type])
        _ = self.session.seal_key  # PermissionDenied for a slot that holds no seal key

    def _now(self) -> str:
        return self.session.clock.now().isoformat(timespec="seconds")

    # ---- the size limit ------------------------------------------------------------------
    def max_mb(self) -> int:
        self.session.actor.require(Permission.VIEW_RESTRICTED)
        return int(self.settings.get(MAX_MB_SETTING, DEFAULT_MAX_MB))

    def set_max_mb(self, mb: int) -> None:
        actor = self.session.actor
        actor.require(Permission.EDIT_CENTRE)
        if not isinstance(mb, int) or not 1 <= mb <= 200:
            raise ValidationError("Largest attachment: enter a size from 1 to 200 MB.",
                                  "attachment_max_mb")
        with self.session.db.transaction():
            self.settings.put(MAX_MB_SETTING, mb)
            self.session.audit.record("setting changed", "settings", MAX_MB_SETTING, f"{mb} MB")

    # ---- adding, listing, opening ------------------------------------------------------------
    def add(self, owner_type: str, owner_id: int, name: str, data: bytes) -> Attachment:
        self._require(owner_type)
        if not self.store.owner_exists(owner_type, owner_id):
            raise NotFound("That record no longer exists.")
        name = Path((name or "").strip()).name
        if not name or len(name) > 200:
            raise ValidationError("File name: it must have a name under 200 characters.", "name")
        ext = Path(name).suffix.lower()
        if ext not in KINDS:
            raise ValidationError("Only PDF, JPEG, PNG, Word (.docx) and OpenDocument (.odt) "
                                  "files can be attached.", "file")
        expected, what = KINDS[ext]
        limit = self.max_mb()
        if len(data) > limit * 1024 * 1024:
            raise ValidationError(f"The file is larger than {limit} MB, the limit set in "
                                  "Settings.", "file")
        if not data:
            raise ValidationError("The file is empty.", "file")
        if content_type(data) != expected:
            raise ValidationError(f"The file is named {ext} but its content is not {what}: it "
                                  "was refused. Save it again from the program that made it.",
                                  "file")
        actor = self.session.actor
        with self.session.db.transaction():
            new_id = self.store.insert(owner_type, owner_id, name, expected, data, self._now(),
                                       actor.account_id)
            self.session.audit.record("attachment added", AUDIT_TYPE[owner_type], owner_id,
                                      f"attachment {new_id}: {expected}, {len(data)} bytes")
        return self._get(new_id)

    def add_file(self, owner_type: str, owner_id: int, path: Path) -> Attachment:
        self._require(owner_type)
        path = Path(path)
        try:
            size = path.stat().st_size
            if size > self.max_mb() * 1024 * 1024:
                raise ValidationError(f"The file is larger than {self.max_mb()} MB, the limit set "
                                      "in Settings.", "file")
            data = path.read_bytes()
        except OSError as exc:
            raise ValidationError(f"The file could not be read: {exc.strerror or exc}.", "file") from None
        return self.add(owner_type, owner_id, path.name, data)

    @staticmethod
    def _build(row: Any) -> Attachment:
        return Attachment(id=row["id"], owner_type=row["owner_type"], owner_id=row["owner_id"],
                          name=row["file_name"], media_type=row["media_type"], size=row["size"],
                          added_at=row["added_at"])

    def _get(self, attachment_id: int) -> Attachment:
        row = self.store.get(attachment_id)
        if row is None:
            raise NotFound("That attachment no longer exists.")
        return self._build(row)

    def list(self, owner_type: str, owner_id: int) -> Shown[Attachment]:
        """The record's documents. One moved here from another record in the file (by someone
        holding only the database key) does not open: it is left out, counted in ``hidden``
        for the screen to say so (issue 12)."""
        self._require(owner_type)
        rows = self.store.for_owner(owner_type, owner_id)
        out: Shown[Attachment] = Shown(self._build(r) for r in rows)
        out.hidden = rows.hidden
        return out

    def open(self, attachment_id: int, why: str = "opened") -> bytes:
        """The file's bytes; the opening is audited."""
        self.session.actor.require(Permission.VIEW_RESTRICTED)
        a = self._get(attachment_id)
        self._require(a.owner_type)
        plain = self.store.content(attachment_id) or b""
        with self.session.db.transaction():
            self.session.audit.record(f"attachment {why}",
                                      AUDIT_TYPE[a.owner_type], a.owner_id, f"attachment {a.id}")
        return plain

    def save_out(self, attachment_id: int, target: Path) -> Path:
        """Writes a copy where the user chose (the one time it leaves the encrypted file)."""
        data = self.open(attachment_id, "saved out")
        atomic_write_bytes(Path(target), data, "the attachment")
        return Path(target)

    def remove(self, attachment_id: int) -> None:
        self.session.actor.require(Permission.VIEW_RESTRICTED)
        a = self._get(attachment_id)
        self._require(a.owner_type)
        with self.session.db.transaction():
            self.store.delete(attachment_id)
            self.session.audit.record("attachment removed",
                                      AUDIT_TYPE[a.owner_type], a.owner_id, f"attachment {a.id}")

    def record_output(self, attachment_id: int, how: str) -> None:
        """A preview's Print or Save (the preview holds the bytes already)."""
        self.session.actor.require(Permission.VIEW_RESTRICTED)
        a = self._get(attachment_id)
        self._require(a.owner_type)
        with self.session.db.transaction():
            self.session.audit.record(f"attachment {how}",
                                      AUDIT_TYPE[a.owner_type], a.owner_id, f"attachment {a.id}")


def sar_documents(services: Services, request: SubjectAccessRequest) -> builtins.list[SarDocument]:
    """The documents the request's record carries, for the review before the response
    (``SubjectAccessService.review``): a volunteer's are their own; a family's (and its
    referral's) concern several people (a court order names both parents)."""
    rid = request.subject_record_id
    if rid is None:
        return []
    if request.subject_category == "volunteer":
        owners, own = [("volunteer", rid)], True
    elif request.subject_category == "family":
        owners, own = [("family", rid), ("referral", rid)], False
    else:
        return []
    out = []
    for owner_type, owner_id in owners:
        for a in services.attachments.list(owner_type, owner_id):
            out.append(SarDocument(a.id, a.name, KIND_NAMES.get(a.media_type, "document"),
                                   a.media_type, date.fromisoformat(a.added_at[:10]), own))
    return out


# The documents go into a subject access response through its review (each given or withheld
# with a reason), not as rows of a section: see SubjectAccessService.review and produce.
ATTACHMENTS = Area("attachments")
