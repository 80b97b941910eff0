"""The register, the keys and a letter's QR through the unit (Unit.records), as every shell reaches them:
a unit with no area open serves them all, even when the resident data is damaged; the CLI prints what the
use case returned. Real parts: the keyed register, Ed25519 keys on disk, a letter issued to the file
printer."""

from __future__ import annotations

from datetime import date

from appliance.cli import main
from appliance.config import Settings
from appliance.services.unit import Unit


def _unit(home) -> Unit:
    return Unit(Settings({}), home, start_threads=False, areas=(), strict=True)


def test_keys_are_made_once_and_read_without_being_made(semenit_home):
    unit = _unit(semenit_home)
    assert unit.records.village_key() is None  # reading never creates a key
    made = unit.records.init_keys()
    assert made.created and len(made.fingerprint) > 8
    again = unit.records.init_keys()
    assert not again.created and again.fingerprint == made.fingerprint
    assert unit.records.village_key().fingerprint == made.fingerprint
    assert "BEGIN PUBLIC KEY" in unit.records.public_key_pem()


def test_the_register_and_the_keys_need_no_area_even_with_the_resident_data_damaged(
        resident_store, semenit_home, capsys):
    nik = next(iter(resident_store)).nik
    (semenit_home / "residents.json").write_bytes(b"\x00 not a database")
    unit = _unit(semenit_home)
    report = unit.records.verify_register([])
    assert report.ok and report.count == 0
    anchor, lines = unit.records.register_anchor(date.today())
    assert anchor.text in "\n".join(lines)
    assert main(["register", "verify"]) == 0 and main(["keys", "init"]) == 0
    capsys.readouterr()
    # the damaged store itself is one line in the catalog's words (a SemenitError), not a traceback
    assert main(["residents", "find", nik]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "semenit rollback" in err and "Traceback" not in err
