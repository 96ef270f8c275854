import json
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ccc_desktop.models import crypto


def test_production_kdf_is_the_strong_one() -> None:
    """Outside the tests' explicit cheap setting, new vaults use Argon2id at >= 64 MiB."""
    code = (
        "import json; from ccc_desktop.models import crypto; "
        "p = crypto.default_kdf(); print(json.dumps(p.to_json()))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    params = json.loads(out.stdout)
    assert params == crypto.PRODUCTION_KDF.to_json()
    assert params["memory_kib"] >= 64 * 1024
    assert params["iterations"] >= 2


def test_weak_key_file_is_refused_outside_tests(vault_dir) -> None:
    code = (
        "import sys; from pathlib import Path; from ccc_desktop.models.keyslots import SlotFile\n"
        "try:\n SlotFile.load(Path(sys.argv[1]))\nexcept Exception as e: print(type(e).__name__)"
    )
    out = subprocess.run([sys.executable, "-c", code, str(vault_dir / "centre.keys")],
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "VaultCorrupt"


def test_key_file_holds_no_plaintext_key(vault_dir, coordinator) -> None:
    text = (vault_dir / "centre.keys").read_text()
    assert coordinator.session.db_key.hex() not in text
    assert crypto.b64(coordinator.session.db_key) not in text
    assert set(json.loads(text)) == {"format", "kdf", "salt", "slots", "failures", "generation",
                                     "epoch", "revoked", "revoked_at", "removed", "pending",
                                     "header_mac"}
    assert {k for s in json.loads(text)["slots"] for k in s} == {
        "id", "kind", "tag", "wrapped", "public", "envelope", "mac"}


def test_slots_are_all_the_same_length(vault_dir, coordinator) -> None:
    """A manager's slot and a Session volunteer's look alike: the file does not say who holds
    the seal key."""
    slots = json.loads((vault_dir / "centre.keys").read_text())["slots"]
    assert len(slots) == 4  # coordinator, chair, volunteer, recovery
    for field in ("id", "tag", "wrapped", "public", "envelope", "mac"):
        assert len({len(s[field]) for s in slots}) == 1, field


def test_seal_roundtrip_and_tamper() -> None:
    key = bytes(crypto.new_key())
    blob = crypto.seal(key, b"secret", b"aad")
    assert crypto.unseal(key, blob, b"aad") == b"secret"
    assert crypto.unseal(key, blob, b"other") is None
    assert crypto.unseal(bytes(crypto.new_key()), blob, b"aad") is None
    bad = bytearray(blob)
    bad[-1] ^= 1
    assert crypto.unseal(key, bytes(bad), b"aad") is None


@given(st.text(max_size=60))
def test_recovery_key_normaliser_never_crashes(text: str) -> None:
    out = crypto.normalise_recovery_key(text)
    assert out is None or len(out) == 39


def test_groups_to_confirm_are_three_different_groups_of_eight() -> None:
    seen = set()
    for _ in range(200):
        groups = crypto.groups_to_confirm()
        assert len(set(groups)) == 3 and groups == sorted(groups)
        assert all(1 <= g <= 8 for g in groups)
        seen.update(groups)
    assert seen == set(range(1, 9))


def test_wrong_recovery_groups_names_each_wrong_group() -> None:
    key = "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567"
    assert crypto.wrong_recovery_groups(key, {2: "efgh", 3: " IJ-KL ", 8: "4567"}) == []
    assert crypto.wrong_recovery_groups(key, {1: "AB0D", 3: "1JKL"}) == [1]  # 1JKL is IJKL; AB0D is ABOD
    assert crypto.wrong_recovery_groups(key, {1: "ABCD", 5: "QRTS", 7: ""}) == [5, 7]
    assert crypto.wrong_recovery_groups(key, {9: "ABCD"}) == [9]


def test_recovery_key_normaliser_accepts_sloppy_typing() -> None:
    key = crypto.new_recovery_key()
    assert crypto.normalise_recovery_key(key.lower().replace("-", "  ")) == key


@pytest.mark.parametrize("n,delay", [(0, 0), (1, 0), (2, 2), (3, 4), (10, 60)])
def test_throttle_grows(n: int, delay: float) -> None:
    from ccc_desktop.models.keyslots import throttle_delay

    assert throttle_delay(n) == delay
