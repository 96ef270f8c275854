"""The text of a stored PDF (a letter the program made) or an attached document, for disposal's
search for a disposed person's names (``storage/data_protection.clear_names``). In memory only:
nothing is written, nothing is decrypted to disk."""

from __future__ import annotations

import html
import io
import re
import zipfile

# A Word or OpenDocument file is a zip of XML parts; more than this, unpacked, is not read (a
# zip that unpacks to gigabytes is not a letter), and the document counts as unreadable.
MAX_UNPACKED = 64 * 1024 * 1024
_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_ODT = "application/vnd.oasis.opendocument.text"
_DOCX_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml")
_ODT_PARTS = re.compile(r"(content|styles)\.xml")
# Tags that stand for white space between words; a paragraph's end is a line break; any other
# tag (a run, a span) joins its text to its neighbours' as it is shown ("Quen" "tin").
_SPACE_TAGS = re.compile(r"<(?:w:tab|w:br|w:cr|text:s|text:tab|text:line-break)\b[^>]*/?>")
_PARAGRAPH_ENDS = re.compile(r"</(?:w:p|text:p|text:h)>")
_TAG = re.compile(r"<[^>]*>")


def pdf_text(pdf: bytes) -> str:
    """Every page's text, pages joined by a line break; '' when the PDF cannot be read."""
    return _pdf_words(pdf)[0]


def _pdf_words(pdf: bytes) -> tuple[str, bool]:
    """(every page's text, pages joined by a line break; whether a page has marks on it but no
    words: a scanned page in a document whose other pages have a text layer). ('', False)
    when the PDF cannot be read."""
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError:
        return "", False
    try:
        out = []
        scanned = False
        for page in doc:
            textpage = page.get_textpage()
            try:
                words = textpage.get_text_range()
                if not words.strip() and next(iter(page.get_objects(max_depth=1)), None) is not None:
                    scanned = True
                out.append(words)
            finally:
                textpage.close()
                page.close()
        return "\n".join(out), scanned
    finally:
        doc.close()


def _xml_text(xml: str) -> str:
    xml = _SPACE_TAGS.sub(" ", xml)
    xml = _PARAGRAPH_ENDS.sub("\n", xml)
    return html.unescape(_TAG.sub("", xml))


def _zipped_text(data: bytes, parts: re.Pattern[str]) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = [i for i in z.infolist() if parts.fullmatch(i.filename)]
            if not infos or sum(i.file_size for i in infos) > MAX_UNPACKED:
                return None
            return "\n".join(_xml_text(z.read(i).decode("utf-8", "replace")) for i in infos)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, NotImplementedError, EOFError):
        return None


def document_text(data: bytes, media_type: str) -> str | None:
    """The words of an attached document, or None when the program cannot read them: a
    picture, a scan (a PDF with no text on any page), a damaged or locked file. A PDF is read
    through its text layer, a Word or OpenDocument text through its XML, plain text as it is."""
    return read_document(data, media_type)[0]


def read_document(data: bytes, media_type: str) -> tuple[str | None, bool]:
    """(``document_text``, whether some of the document cannot be read): a picture or a scan
    cannot be read at all; a PDF with some scanned pages among pages with a text layer is read
    through its text, and its scanned pages cannot be. Disposal searches the words and lists a
    document with anything unread to be looked at."""
    if media_type == "application/pdf":
        text, scanned = _pdf_words(data)
        return (text, scanned) if text.strip() else (None, True)
    words = _other_text(data, media_type)
    return words, words is None


def _other_text(data: bytes, media_type: str) -> str | None:
    if media_type == _DOCX:
        return _zipped_text(data, _DOCX_PARTS)
    if media_type == _ODT:
        return _zipped_text(data, _ODT_PARTS)
    if media_type.startswith("text/"):
        return data.decode("utf-8", "replace")
    return None
