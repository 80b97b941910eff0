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
    anchor, lines = unit.records.register_anchor(date.today(), unit.village)
    assert anchor.text in "\n".join(lines)
    assert main(["register", "verify"]) == 0 and main(["keys", "init"]) == 0
    capsys.readouterr()
    # the damaged store itself is one line in the catalog's words (a SemenitError), not a traceback
    assert main(["residents", "find", nik]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "semenit rollback" in err and "Traceback" not in err


def test_the_operators_letter_list_shows_the_village_clock_not_utc(resident_store, semenit_home, capsys):
    """A letter issued at 04:17 WIB is dated 1 December on paper; the operator's list (reprint / void)
    must say 01-12 04:17, not the register's UTC 30-11 21:17."""
    from datetime import UTC, datetime, timedelta

    from appliance.services import operator_actions
    from appliance.services.operator_actions import _village_time

    assert main(["keys", "init"]) == 0
    head = next(r for r in sorted(resident_store, key=lambda r: r.nik) if r.present and r.kk_level == 1)
    assert main(["letter", "issue", "SKTM", "--nik", head.nik, "--field", "keperluan=Pengajuan beasiswa"]) == 0
    capsys.readouterr()
    unit = Unit(Settings({}), semenit_home, start_threads=False, areas=("letters",), strict=True)
    [row] = operator_actions.recent_letters(unit)
    issued = datetime.fromisoformat(row["at"])
    wib = issued.astimezone(UTC) + timedelta(hours=7)  # Asia/Jakarta, the default village zone
    assert row["when"] == wib.strftime("%d-%m-%Y %H:%M")
    from zoneinfo import ZoneInfo

    assert _village_time("2026-11-30T21:17:05+00:00", ZoneInfo("Asia/Jakarta")) == "01-12-2026 04:17"
