"""A smaller ICU data library for the Linux bundle.

PySide6's Qt Core links ICU, and ICU's data library (``libicudata.so.NN``, 31 MB of the 32 MB
it ships) holds everything every ICU user might want: break-iterator dictionaries,
transliterators, unit, currency, language and region names in 800 locales, and 190 character
set converters. Qt Core calls only ICU's case mapping, collation (``QCollator``, the file
dialog's sorting), calendar time-zone names and converters for encodings Qt does not know
itself (see ``QT_ICU_CALLS``), so the bundle ships the same library with only the data those
calls can reach. Anything ICU cannot find in it makes ICU fall back to the root locale, as for
a locale it has no data for; nothing crashes.

The data is ICU's "common data" package (``icudtNNl.dat``) exported as one symbol,
``icudtNN_dat``. ``trim`` keeps a subset of its items; ``build_library`` wraps the result in a
shared library with the same name and symbol, using the assembler and linker of binutils.

Run it by hand to see what it keeps:

    python bundling/icu_data.py .venv/lib/python3.11/site-packages/PySide6/Qt/lib/libicudata.so.73
"""

from __future__ import annotations

import re
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

# The ICU functions libQt6Core imports (nm -D --undefined-only, PySide6 6.x): case mapping
# (data compiled into libicuuc), collation, calendar time-zone names, and converters.
QT_ICU_CALLS = ("u_strToLower", "u_strToUpper", "ucal_", "ucnv_", "ucol_")

# Trees of locale data no Qt call reads: break iterators (Qt has its own text boundaries),
# transliteration, spelled-out numbers, units, currencies, language and region names.
_DROPPED_TREES = ("brkitr", "translit", "rbnf", "unit", "curr", "lang", "region")
# Collation tailorings for Chinese, Japanese and Korean are a third of the collation data
# (1.1 MB); names in those scripts sort by the root order (code points of the Unicode
# Collation Algorithm), which is what a file dialog needs.
_DROPPED_COLLATIONS = ("zh", "ko", "ja", "yue")  # Cantonese's tailoring is Chinese's
# Character names (u_charName) and the bulky multi-byte converters (East Asian and EBCDIC);
# the single-byte converters (Windows and ISO code pages) are kept, a few kB each.
_LARGE_CONVERTER = 8_000
_LOCALE_ID = re.compile(r"[a-z]{2,3}(_[A-Za-z0-9]+)*")
# Locales whose own data stays in every tree: the app is in British English.
_KEPT_LOCALES = ("root", "en", "en_GB", "en_001", "en_150")


def keep(name: str, size: int) -> bool:
    """Whether the bundle keeps the data item NAME (its path inside the package, without the
    ``icudtNNl/`` prefix) of SIZE bytes."""
    parts = name.split("/")
    stem = parts[-1].rsplit(".", 1)[0]
    if len(parts) > 1:
        tree = parts[0]
        if tree in _DROPPED_TREES:
            return False
        if tree == "coll":
            return stem.split("_")[0] not in _DROPPED_COLLATIONS
        if tree == "zone":  # time-zone names: the index, shared strings and English only
            return stem in ("res_index", "pool") or stem in _KEPT_LOCALES
        return True
    if name == "unames.icu":
        return False
    if name.endswith(".cnv"):
        return size < _LARGE_CONVERTER
    if name.endswith(".res") and _LOCALE_ID.fullmatch(stem) and stem not in ("pool",):
        # Top-level locale data (formats, calendars) of every locale but English; the
        # supplemental tables (likelySubtags, zoneinfo64, metaZones, …) are kept.
        return stem in _KEPT_LOCALES
    return True


def _items(data: bytes) -> tuple[int, list[tuple[str, bytes]]]:
    """The header size and the (name, bytes) items of an ICU common data package."""
    header_size, magic1, magic2 = struct.unpack_from("<HBB", data, 0)
    if (magic1, magic2) != (0xDA, 0x27) or data[12:16] != b"CmnD":
        raise ValueError("not an ICU common data package (little-endian CmnD)")
    count = struct.unpack_from("<I", data, header_size)[0]
    toc = [struct.unpack_from("<II", data, header_size + 4 + 8 * i) for i in range(count)]
    items = []
    for i, (name_offset, data_offset) in enumerate(toc):
        start = header_size + name_offset
        name = data[start:data.index(b"\0", start)].decode("ascii")
        end = header_size + toc[i + 1][1] if i + 1 < count else len(data)
        items.append((name, data[header_size + data_offset:end]))
    return header_size, items


def trim(data: bytes) -> tuple[bytes, list[str]]:
    """The package DATA with only the items ``keep`` wants, and the names it dropped."""
    header_size, items = _items(data)
    kept: list[tuple[str, bytes]] = []
    dropped: list[tuple[str, bytes]] = []
    for name, body in items:
        short = name.split("/", 1)[1]  # without the icudtNNl/ prefix
        (kept if keep(short, len(body)) else dropped).append((name, body))
    # A small converter that only extends a dropped one names its base table: it goes too.
    bases = [name.rsplit("/", 1)[1][:-4].encode("ascii") + b"\0"
             for name, _ in dropped if name.endswith(".cnv")]
    extensions = [(name, body) for name, body in kept
                  if name.endswith(".cnv") and any(base in body for base in bases)]
    kept = [item for item in kept if item not in extensions]
    dropped = sorted(dropped + extensions)
    # The table of contents: count, then (name offset, data offset) pairs relative to its
    # start, then the names; each item starts 16-byte aligned, in the original (sorted) order.
    names = b"".join(name.encode("ascii") + b"\0" for name, _ in kept)
    toc_size = 4 + 8 * len(kept)
    offset = toc_size + len(names)
    offset += -(header_size + offset) % 16
    entries, bodies = [], []
    name_offset = toc_size
    for name, body in kept:
        entries.append(struct.pack("<II", name_offset, offset))
        name_offset += len(name) + 1
        padded = body + b"\0" * (-len(body) % 16)
        bodies.append(padded)
        offset += len(padded)
    toc = struct.pack("<I", len(kept)) + b"".join(entries) + names
    toc += b"\0" * (-(header_size + len(toc)) % 16)
    return data[:header_size] + toc + b"".join(bodies), [name for name, _ in dropped]


def _symbol(library: Path) -> tuple[str, bytes]:
    """The data symbol of an ICU data library and its bytes (read with binutils)."""
    out = subprocess.run(["nm", "-D", "-S", "--defined-only", str(library)],
                         check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        fields = line.split()
        if len(fields) == 4 and re.fullmatch(r"icudt\d+_dat", fields[3]):
            address, size = int(fields[0], 16), int(fields[1], 16)
            break
    else:
        raise ValueError(f"{library} exports no icudtNN_dat symbol")
    with tempfile.TemporaryDirectory() as tmp:
        rodata = Path(tmp) / "rodata"
        subprocess.run(["objcopy", "-O", "binary", "--only-section=.rodata", str(library),
                        str(rodata)], check=True)
        start = int(subprocess.run(
            ["readelf", "-W", "-S", str(library)], check=True, capture_output=True, text=True
        ).stdout.split(".rodata", 1)[1].split()[1], 16)
        blob = rodata.read_bytes()[address - start:address - start + size]
    return fields[3], blob


def build_library(original: Path, target: Path) -> tuple[int, int, list[str]]:
    """Write to TARGET the ICU data library ORIGINAL with its data trimmed; the same soname
    and symbol. Returns the data's size before and after and the names of the dropped items."""
    symbol, blob = _symbol(original)
    trimmed, dropped = trim(blob)
    soname = original.name
    with tempfile.TemporaryDirectory() as tmp:
        dat = Path(tmp) / "icudata.dat"
        dat.write_bytes(trimmed)
        source = Path(tmp) / "icudata.s"
        source.write_text(
            '\t.section .rodata\n\t.balign 16\n'
            f'\t.globl {symbol}\n\t.type {symbol}, @object\n{symbol}:\n'
            f'\t.incbin "{dat}"\n\t.size {symbol}, . - {symbol}\n'
            '\t.section .note.GNU-stack,"",@progbits\n')
        obj = Path(tmp) / "icudata.o"
        subprocess.run(["as", "-o", str(obj), str(source)], check=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["ld", "-shared", "-soname", soname, "-z", "noexecstack", "-s",
                        "-o", str(target), str(obj)], check=True)
    return len(blob), len(trimmed), dropped


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as out:
        before, after, dropped = build_library(Path(sys.argv[1]), Path(out) / "lib.so")
    print(f"ICU data: {before / 1e6:.1f} MB -> {after / 1e6:.1f} MB, {len(dropped)} items dropped")
