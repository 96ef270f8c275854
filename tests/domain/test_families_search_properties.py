"""Property: a family is found by the start of any word of any adult's or child's name,
however it is accented or cased, and typed in any case."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ccc_desktop.models.storage.name_folding import fold, words
from tests.family_helpers import child, referral, resident

_word = st.text(alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzéèöüñçABCDEZÉÖ'-"), min_size=1,
                max_size=10).filter(lambda w: words(w))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(adult=st.lists(_word, min_size=1, max_size=3), kid=st.lists(_word, min_size=1, max_size=3),
       data=st.data())
def test_any_word_prefix_finds_the_family(coordinator, adult, kid, data) -> None:  # type: ignore[no-untyped-def]
    fid = coordinator.families.create(referral(), [resident(full_name=" ".join(adult))],
                                      [child(full_name=" ".join(kid))])
    word = data.draw(st.sampled_from(words(" ".join(adult + kid))))
    prefix = word[: data.draw(st.integers(1, len(word)))]
    typed = data.draw(st.sampled_from([prefix, prefix.upper()]))
    assert fid in [r.id for r in coordinator.families.search(typed)]
    assert fold(typed) == fold(fold(typed))


# ---- any script, and letters with no accent to drop (issue 13) ------------------------------
_SCRIPTS = {
    "Łukasz Żółkiewski": ["Lukasz", "łukasz", "zolk", "ŻÓŁ"],
    "Zoë Ødegård-Strauß": ["Zoe", "zoë", "odegard", "strauss", "Straus"],
    "Siân Llŷr": ["Sian", "llyr"],
    "王小明": ["王小明", "王"],
    "مرحبا بك": ["مرحبا", "بك"],
    "שלום כהן": ["שלום", "כהן"],
    "Αλέξανδρος Παπαδόπουλος": ["αλεξανδρος", "Παπαδ"],
    "Наталья Ёлкина": ["наталья", "Ёлк"],
    "Đorđe Ðokić": ["Dorde", "dokic"],
}


def test_names_are_found_whatever_the_script(coordinator) -> None:  # type: ignore[no-untyped-def]
    ids = {name: coordinator.families.create(referral(), [resident(full_name=name)], [child()])
           for name in _SCRIPTS}
    for name, queries in _SCRIPTS.items():
        for q in queries:
            assert ids[name] in [r.id for r in coordinator.families.search(q)], (name, q)
    assert coordinator.families.search('"') == [] and coordinator.families.search("AND OR") == []
    assert coordinator.families.search("NEAR(a b)") == []


def test_references_are_found_as_typed(coordinator) -> None:  # type: ignore[no-untyped-def]
    fid = coordinator.families.create(referral(), [resident()], [child()])
    ref = coordinator.families.reference(fid)  # F-0001
    for typed in (ref, ref.lower(), "f1", "0001", "1", "F-1"):
        assert fid in [r.id for r in coordinator.families.search(typed)], typed


def test_the_released_vault_is_searchable_after_upgrading(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Migration 0012 rebuilds the name index from the records a centre already holds."""
    import shutil
    from pathlib import Path

    from ccc_desktop.models.clock import FixedClock
    from ccc_desktop.models.services.registry import build_services
    from ccc_desktop.models.storage.migrate import latest_version
    from ccc_desktop.models.vault import Vault
    from tests.conftest import START

    folder = tmp_path / "v7"
    shutil.copytree(Path(__file__).parent.parent / "fixtures" / "vault-v7", folder)
    s = build_services(Vault(folder, FixedClock(START)).unlock("coordinator", "riverside coordinator"))
    assert s.session.db.user_version() == latest_version()
    rows = s.families.search("", limit=5000)
    assert len(rows) == s.families.count() > 0
    for row in rows:
        for name in (row.adults + ", " + row.children).split(", "):
            if name:
                word = name.split()[-1]
                assert row.id in [r.id for r in s.families.search(word, limit=5000)], (row.reference, name)
        assert row.id in [r.id for r in s.families.search(row.reference, limit=5000)]
        assert row.id in [r.id for r in s.families.search(str(row.id), limit=5000)]
