"""Blank templates: the expected columns with one example row, as CSV and as XLSX."""

from __future__ import annotations

import io

from ccc_desktop.models.exports import csv_bytes
from ccc_desktop.models.imports.fields import FIELDS, Kind


def template_rows(kind: Kind) -> tuple[list[str], list[str]]:
    fields = FIELDS[kind]
    return [f.label for f in fields], [f.example for f in fields]


def template_csv(kind: Kind) -> bytes:
    header, example = template_rows(kind)
    return csv_bytes(header, [example])


def template_xlsx(kind: Kind) -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = kind.label
    header, example = template_rows(kind)
    sheet.append(header)
    # Every example is text: Excel must not turn 001234567890 into a number or 14/03/2019
    # into an American date.
    sheet.append(example)
    for col, f in enumerate(FIELDS[kind], start=1):
        cell = sheet.cell(row=1, column=col)
        cell.font = Font(bold=True)
        note = (f"{'Needed' if f.required else 'Optional'}"
                f"{' when any ' + f.group + ' column is filled in' if f.group else ''}. "
                f"{f.help or f.type.value}")
        cell.comment = Comment(note, "CCC Desktop")
        sheet.cell(row=2, column=col).number_format = "@"
        sheet.column_dimensions[cell.column_letter].width = max(14, len(f.label) + 2)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
