"""The clock rules (appliance.clock) on files laid out as systemd and the kernel lay them out, and the
letter guard in the real LetterService: no letter is dated before the last register entry."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import orjson
import pytest

from appliance import clock
from appliance.clock import ClockSources


@pytest.fixture
def sources(tmp_path):
    rtc = tmp_path / "sys-class-rtc-rtc0"
    rtc.mkdir()
    boot = tmp_path / "boot_id"
    boot.write_text("7c1b3e0a-0000-4000-8000-000000000001\n")
    return ClockSources(tmp_path / "run-timesync-synchronized", rtc, boot)


def set_rtc(sources, when: datetime) -> None:
    (sources.rtc_dir / "since_epoch").write_text(f"{int(when.timestamp())}\n")


NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def test_nothing_vouches_for_the_time_after_an_offline_boot(semenit_home, sources):
    assert clock.confirmed_by(semenit_home, sources, NOW) is None
    conf = {**clock.DEFAULTS, "synced_flag": str(sources.synced_flag), "rtc_dir": str(sources.rtc_dir),
            "boot_id": str(sources.boot_id)}
    assert clock.operator_must_confirm(semenit_home, conf, True, semenit_home / "none.jsonl", "Asia/Jakarta")
    # A desktop is not asked unless told to; a unit can be told never to ask.
    assert not clock.operator_must_confirm(semenit_home, conf, False, semenit_home / "none.jsonl", "Asia/Jakarta")
    assert clock.operator_must_confirm(semenit_home, {**conf, "confirm": "always"}, False,
                                       semenit_home / "none.jsonl", "Asia/Jakarta")
    assert not clock.operator_must_confirm(semenit_home, {**conf, "confirm": "never"}, True,
                                           semenit_home / "none.jsonl", "Asia/Jakarta")


def test_ntp_synchronisation_since_boot_vouches(semenit_home, sources):
    sources.synced_flag.touch()  # what systemd-timesyncd writes at its first synchronisation
    assert clock.confirmed_by(semenit_home, sources, NOW) == "ntp"


def test_an_rtc_vouches_only_if_it_kept_its_time_and_the_clock_agrees(semenit_home, sources):
    set_rtc(sources, NOW + timedelta(seconds=20))  # a DS3231 drifts seconds, not days
    assert clock.confirmed_by(semenit_home, sources, NOW) == "rtc"
    set_rtc(sources, datetime(1970, 1, 1, 0, 5, tzinfo=UTC))  # a Pi 5 without its battery after a power cut
    assert clock.confirmed_by(semenit_home, sources, NOW) is None
    set_rtc(sources, NOW - timedelta(days=2))  # the clock came from elsewhere (the saved clock file)
    assert clock.confirmed_by(semenit_home, sources, NOW) is None
    set_rtc(sources, NOW)  # agrees, but is behind the register: it lost time
    assert clock.confirmed_by(semenit_home, sources, NOW, not_before=date(2026, 12, 1)) is None
    (sources.rtc_dir / "since_epoch").unlink()  # no RTC at all (a Pi 4 without the module)
    assert clock.confirmed_by(semenit_home, sources, NOW) is None


def test_the_operators_confirmation_lasts_until_the_next_boot(semenit_home, sources):
    clock.confirm(semenit_home, sources, datetime(2026, 11, 30, 8, 0, tzinfo=UTC))
    assert clock.confirmed_by(semenit_home, sources, NOW) == "operator"
    sources.boot_id.write_text("7c1b3e0a-0000-4000-8000-000000000002\n")  # rebooted
    assert clock.confirmed_by(semenit_home, sources, NOW) is None
    (semenit_home / clock.STATE_NAME).write_bytes(b"{not json")
    assert clock.confirmed_by(semenit_home, sources, NOW) is None


def test_last_register_day_reads_the_tail_and_skips_a_torn_line(tmp_path):
    path = tmp_path / "register.jsonl"
    assert clock.last_register_day(path, "Asia/Jakarta") is None
    entries = [{"i": 0, "at": "2026-11-29T10:00:00+07:00", "event": "issued", "day": "2026-11-29"},
               {"i": 1, "at": "2026-11-30T23:30:00+00:00", "event": "printed"}]  # 1 December in Jakarta
    path.write_bytes(b"".join(orjson.dumps(e) + b"\n" for e in entries) + b'{"i": 2, "at": "20')
    assert clock.last_register_day(path, "Asia/Jakarta") == date(2026, 12, 1)
    assert clock.letter_day_allowed(date(2026, 12, 1), date(2026, 12, 1))
    assert not clock.letter_day_allowed(date(2026, 11, 30), date(2026, 12, 1))


def test_a_letter_is_never_dated_before_the_last_register_entry(semenit_home, resident_store):
    from appliance.config import Settings
    from appliance.i18n import set_language
    from appliance.letters.service import LetterError, LetterService
    from appliance.printing import open_printers

    printers = open_printers(Settings({}), semenit_home)
    from zoneinfo import ZoneInfo

    today = datetime.now(ZoneInfo("Asia/Jakarta")).date()  # the register's times are the real clock's
    day = {"today": today}
    svc = LetterService(Settings({}), semenit_home, resident_store, printers, clock=lambda: day["today"])
    try:
        nik = next(r.nik for r in sorted(resident_store, key=lambda r: r.nik) if r.present)
        fields = {"keperluan": "Melamar pekerjaan"}
        first = svc.issue("PENGANTAR", nik, fields)
        entries_before = svc.register.entries()

        day["today"] = today - timedelta(days=3)  # the clock set back after a power cut
        set_language("en")
        with pytest.raises(LetterError) as refused:
            svc.issue("PENGANTAR", nik, fields)
        assert refused.value.code == "clock_behind"
        assert f"before the last entry of the register ({today.isoformat()})" in refused.value.text("en")
        # Nothing taken: no register entry, and no number (the next one follows the first, below).
        assert svc.register.entries() == entries_before

        day["today"] = today  # the clock right again: the next number follows the first
        second = svc.issue("PENGANTAR", nik, fields)
        assert second.number.split("/")[1] == "002" and first.number.split("/")[1] == "001"
    finally:
        svc.close()
        printers.close()
