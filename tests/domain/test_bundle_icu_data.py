"""The bundle's smaller ICU data library (bundling/icu_data.py) still serves every ICU call Qt
Core makes: Qt run on the trimmed library sorts, cases and converts as it does on the full one,
except for what was left out on purpose (East Asian converters and collation tailorings)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6 import QtCore

from bundling.icu_data import QT_ICU_CALLS, build_library, keep

QT_LIB = Path(QtCore.__file__).parent / "Qt" / "lib"
ICU_DATA = sorted(QT_LIB.glob("libicudata.so.*"))
pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux") or not ICU_DATA,
                       reason="PySide6 ships its own ICU on Linux only"),
    pytest.mark.skipif(not all(shutil.which(t) for t in ("as", "ld", "nm", "objcopy", "readelf")),
                       reason="binutils builds the library (.ci/run installs it)"),
]

# Run in a fresh Python so the dynamic linker loads the ICU data library given on
# LD_LIBRARY_PATH (it wins over Qt Core's RUNPATH).
PROBE = r"""
import json, sys
from PySide6.QtCore import QCollator, QLocale, QStringDecoder, QTimeZone
names = ["Zoë", "Łukasz", "Lucy", "Mariusz", "Ćwik", "Czarnecki", "Ángel", "Öztürk", "Émile",
         "10 file", "9 file", "محمد", "שרה", "Straße", "Strasse", "Ørsted", "Aaron"]
out = {}
for loc in ("en_GB", "pl_PL", "da_DK", "tr_TR", "ar_EG"):
    c = QCollator(QLocale(loc))
    c.setNumericMode(True)
    out["sort " + loc] = sorted(names, key=c.sortKey)
    out["upper " + loc] = QLocale(loc).toUpper("istanbul straße łódź")
    out["lower " + loc] = QLocale(loc).toLower("İSTANBUL ŁÓDŹ")
for name in ("windows-1250", "windows-1252", "ISO-8859-2", "KOI8-R", "windows-1256", "Shift_JIS"):
    out["codec " + name] = QStringDecoder(name).isValid()
tz = QTimeZone(b"Europe/London")
out["zone"] = tz.displayName(QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName,
                             QLocale("en_GB"))
json.dump(out, sys.stdout)
"""


def probe(library_dir: Path | None) -> dict[str, Any]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    if library_dir is not None:
        env["LD_LIBRARY_PATH"] = str(library_dir)
    run = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True,
                         text=True, timeout=120, check=True)
    assert run.stderr == "", run.stderr  # ICU found everything Qt asked for: no warnings
    result: dict[str, Any] = json.loads(run.stdout)
    return result


def test_qt_on_the_trimmed_icu_data_behaves_as_on_the_full(tmp_path: Path) -> None:
    original = ICU_DATA[0]
    before, after, dropped = build_library(original, tmp_path / original.name)
    assert after < before / 5, f"{before} -> {after} bytes"
    assert (tmp_path / original.name).stat().st_size < original.stat().st_size / 5
    assert any(n.endswith("/brkitr/cjdict.dict") for n in dropped)

    full, trimmed = probe(None), probe(tmp_path)
    # Left out on purpose: the East Asian multi-byte converters.
    assert full.pop("codec Shift_JIS") is True
    assert trimmed.pop("codec Shift_JIS") is False
    assert trimmed == full
    # And it is right, not only the same: Polish and Danish order, Turkish dotted i.
    assert trimmed["sort pl_PL"][2:6] == ["Aaron", "Ángel", "Czarnecki", "Ćwik"]
    assert trimmed["sort pl_PL"].index("Łukasz") == trimmed["sort pl_PL"].index("Lucy") + 1
    assert trimmed["sort da_DK"].index("Ørsted") > trimmed["sort da_DK"].index("Zoë")
    assert trimmed["sort en_GB"][:2] == ["9 file", "10 file"]
    assert trimmed["upper tr_TR"] == "İSTANBUL STRASSE ŁÓDŹ"
    assert trimmed["codec windows-1250"] is True
    assert trimmed["zone"] == "Greenwich Mean Time"


def test_what_is_kept() -> None:
    assert all(call.islower() or "_" in call for call in QT_ICU_CALLS)
    assert keep("coll/root.res", 300_000) and keep("coll/ucadata.icu", 570_000)
    assert keep("coll/pl.res", 2_000) and not keep("coll/zh.res", 700_000)
    assert keep("zone/en.res", 4_000) and not keep("zone/pl.res", 40_000)
    assert keep("supplementalData.res", 240_000) and keep("zoneinfo64.res", 150_000)
    assert keep("pool.res", 160_000) and keep("en_GB.res", 10_000) and not keep("pl.res", 40_000)
    assert keep("cnvalias.icu", 64_000) and keep("ibm-5346_P100-1998.cnv", 1_500)
    assert not keep("gb18030.cnv", 232_000) and not keep("unames.icu", 296_000)
    assert not keep("brkitr/cjdict.dict", 2_000_000) and not keep("curr/pl.res", 20_000)
