"""The retention report and the disposal certificate (A4, dated, paged, the centre's name)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from ccc_desktop.documents.base import keep, letterhead, markup, para, render, table
from ccc_desktop.models.data_protection_records import CATEGORY_LABELS, LEFT, cleared_label
from ccc_desktop.models.dates import format_date, format_date_long
from ccc_desktop.models.records import CentreDetails
from ccc_desktop.models.statistics_records import LEDGER_STATEMENT

if TYPE_CHECKING:
    from ccc_desktop.models.data_protection_records import (
        DisposalBatch,
        RetentionItem,
        RetentionReport,
    )


CHUNK = 40


def _rows(items: list[RetentionItem], with_holds: bool) -> list[list[str]]:
    head = ["Reference", "Category", "Record", "Counted from", "Due on"]
    if with_holds:
        head.append("Held because")
    rows = [head]
    for i in items:
        label = i.label
        if i.disposed_before is not None and not with_holds:
            label += f"\n(disposed of on {format_date(i.disposed_before)}; back after a restore)"
        row = [i.reference, CATEGORY_LABELS.get(i.category, i.category), label,
               format_date(i.last_used), format_date(i.due_on)]
        if with_holds:
            row.append(i.note)
        rows.append(row)
    return rows


def retention_report_pdf(centre: CentreDetails, report: RetentionReport) -> bytes:
    story = letterhead(centre, report.generated_on)
    story.append(para("Retention report", "title"))
    story.append(markup(
        "Records are kept for {years} years from their last use (families), from resignation "
        "(volunteers) or from closing (subject access requests not linked to a record), then "
        "destroyed as confidential waste (policy clause 10; data protection principle 5). The "
        "date column shows that starting date. This report lists the records past that period and those falling due in "
        "the next {days} days.", years=report.period_years, days=report.horizon_days))
    widths = [25 * mm, 23 * mm, 72 * mm, 25 * mm, 25 * mm]
    sections = (
        ("Due for disposal", report.due, False,
         "No records are due for disposal."),
        ("Past the retention period but held", report.held, True,
         "No records are held back."),
        (f"Falling due in the next {report.horizon_days} days", report.soon, False,
         "No records fall due in that time."),
    )
    for heading, items, with_holds, empty in sections:
        title = markup("{h} ({n})", "heading", h=heading, n=len(items))
        if items:
            w = widths if not with_holds else [25 * mm, 23 * mm, 36 * mm, 25 * mm, 25 * mm, 36 * mm]
            rows = _rows(items, with_holds)
            # Tables of a few dozen rows each: reportlab splits one huge table very slowly.
            chunks = [rows[i:i + CHUNK] for i in range(1, len(rows), CHUNK)]
            story.append(keep(title, table([rows[0], *chunks[0]], w)))
            story.extend(table([rows[0], *chunk], w) for chunk in chunks[1:])
        else:
            story.append(keep(title, para(empty)))
        story.append(Spacer(1, 4 * mm))
    story.append(para(
        "Disposal is authorised in CCC Desktop by the Coordinator or the Chair, who re-enters their "
        "passphrase. The disposal log then keeps only the reference, the category, the last-used "
        "date, the disposal date and who authorised it.", "small"))
    story.append(para(LEDGER_STATEMENT, "small"))
    return render(story, "Retention report", centre.name,
                  footer=f"Confidential · Retention report of {format_date(report.generated_on)}")


def disposal_certificate_pdf(centre: CentreDetails, batch: DisposalBatch, today: date,
                             copies_gone_by: date | None = None, keep_days: int = 90) -> bytes:
    when = datetime.fromisoformat(batch.disposed_at)
    story = letterhead(centre, today)
    story.append(para("Certificate of disposal", "title"))
    story.append(markup(
        "This certifies that on {when} the records listed below were destroyed as confidential "
        "waste in line with clause 10 of the centre's confidentiality policy, having not been "
        "used for the retention period (families), since the volunteer's resignation "
        "(volunteers) or since the request or witness summons was closed. The records were "
        "deleted from the centre's encrypted database with secure deletion, and the database "
        "file was then compacted so that no copy remained in it.",
        when=format_date_long(when.date())))
    story.append(markup("<b>Authorised by:</b> {name}, {role}", name=batch.authorised_name,
                        role=batch.authorised_role))
    story.append(markup("<b>Disposal number:</b> {n} &nbsp;&nbsp; <b>Records destroyed:</b> {c}",
                        n=batch.id, c=len(batch.entries)))
    if not batch.vacuumed:
        story.append(para("Note: the file was not compacted after this disposal; compact it from "
                          "the Reports tab before relying on this certificate."))
    rows = [["Reference", "Category", "Counted from", "Disposed of on"]]  # 170 mm
    rows += [[e.reference, CATEGORY_LABELS.get(e.category, e.category), format_date(e.last_used),
              format_date(e.disposed_on)] for e in batch.entries]
    story.append(table(rows, [35 * mm, 35 * mm, 50 * mm, 50 * mm]))
    cleared = [[e.reference, *cleared_label(t, f), str(n)]
               for e in batch.entries for t, f, n in e.cleared if not f.startswith(LEFT)]
    if cleared:
        # Each short section moves to the next page whole rather than leave a sliver of a row.
        story.append(keep(para("Names removed from other records", "heading"), para(
            "Records the centre keeps that mentioned a disposed person by name (a witness "
            "summons served on a volunteer, a police visit, notes) were kept, with the name "
            "replaced by \"[removed]\": the full name wherever it stood, and a first or last "
            "name on its own too in the records about the person (their summonses, police "
            "visits, the sessions they were in). Papers that could not be cleared (stored "
            "letters, attached court papers) were destroyed with the record.", "small"),
            table([["Reference", "Kind of record", "What was cleared", "Records"], *cleared],
                  [35 * mm, 50 * mm, 65 * mm, 20 * mm])))
    left = [[e.reference, *cleared_label(t, f), str(n)]
            for e in batch.entries for t, f, n in e.cleared if f.startswith(LEFT)]
    if left:
        story.append(keep(para("Other records left to check", "heading"), para(
            "These records are not about the disposed person but mention one of their first or "
            "last names on its own (it may be someone else of the same name). They were not "
            "changed; the person who authorised the disposal was shown them to check. Attached "
            "documents were searched for the names through their words; pictures and scans "
            "(which the program cannot read) attached to records that mention the person are "
            "counted here to be looked at.", "small"),
            table([["Reference", "Kind of record", "Where the name appears", "Records"], *left],
                  [35 * mm, 50 * mm, 65 * mm, 20 * mm])))
    story.append(Spacer(1, 14 * mm))
    story.append(para("Signed: ______________________________    Date: ________________"))
    story.append(para("Received by the management committee on: ________________", "body"))
    if copies_gone_by is not None:
        story.append(markup(
            "The copies this program keeps in its backups folder (taken before an upgrade or a "
            "restore) are deleted {days} days after they are made: the last one that may hold "
            "these records will be gone by {gone}.", days=keep_days,
            gone=format_date_long(copies_gone_by)))
    else:
        story.append(para("No copy in this program's backups folder holds these records."))
    story.append(para(
        "Backups made before this date may still hold these records: destroy any such backup "
        "(or keep it locked away until it is replaced) so that the disposal is complete.", "small"))
    return render(story, "Certificate of disposal", centre.name,
                  footer=f"Disposal certificate {batch.id}")
