"""Settings and state files that are wrong or damaged: one plain line each, never a traceback, and where
the truth exists elsewhere (the register) the unit repairs itself (issue 14 items 13 and 14)."""

import json

import pytest

from appliance.cli import main

NIK = "5201145003976995"  # ADINI SEPTIA LISTA in OpenSID's contoh_penduduk.xlsx


def _issue(capsys) -> tuple[int, str, str]:
    code = main(["letter", "issue", "PENGANTAR", "--nik", NIK, "--field", "keperluan=Melamar kerja", "--wait", "5"])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize(("content", "setting", "words"), [
    (b"\xff\xfe[village]\n", None, "UTF-8"),
    (b'[village]\nkertas = "Letter"\n', "village.kertas", "A4, F4"),
    (b'[village]\npejabat = "x"\n', "village.pejabat", "[[village.pejabat]]"),
    (b'[village]\ntimezone = "Mars/Olympus"\n', "village.timezone", "Mars/Olympus"),
    (b'[village]\nkode_desa = "T|RJ"\n', "village.kode_desa", "T|RJ"),
    (b'[printers.struk]\nbackend = "laser"\n', "printers.struk.backend", "laser"),
    (b'[queue]\ntimezone = "Asia/Atlantis"\n', "queue.timezone", "Asia/Atlantis"),
])
def test_a_wrong_setting_stops_letter_issue_and_selftest_with_its_key(resident_store, semenit_home, capsys,
                                                                      content, setting, words):
    (semenit_home / "semenit.toml").write_bytes(content)
    code, out, err = _issue(capsys)
    assert code == 1 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert words in err and (setting is None or setting in err)
    assert not (semenit_home / "letters" / "register.jsonl").exists()
    main(["selftest", "--json"])
    report = json.loads(capsys.readouterr().out)
    settings = next(c for c in report["checks"] if c["name"] == "settings")
    assert settings["status"] == "fail" and words in settings["message"]


def test_a_damaged_queue_file_is_one_line_and_reset_repairs_it(semenit_home, capsys):
    (semenit_home / "queue.json").write_bytes(b"\x00garbage{")
    assert main(["queue", "take"]) == 1
    err = capsys.readouterr().err
    assert "queue.json" in err and "queue reset" in err and "Traceback" not in err
    assert main(["queue", "reset"]) == 0
    assert main(["queue", "take"]) == 0
    assert "001" in capsys.readouterr().out
    assert list(semenit_home.glob("queue.json.damaged-*"))


def test_damaged_counters_are_rebuilt_from_the_register(resident_store, semenit_home, capsys):
    assert _issue(capsys)[0] == 0
    (semenit_home / "letters" / "numbers.json").write_bytes(b"garbage")
    code, out, err = _issue(capsys)
    assert code == 0, err
    assert "/002/TRJ/" in out  # the register says one letter was issued: the next is 002, never 001 again
    assert list((semenit_home / "letters").glob("numbers.json.damaged-*"))


def test_a_garbage_last_register_line_is_set_aside_and_issuing_goes_on(resident_store, semenit_home, capsys):
    assert _issue(capsys)[0] == 0
    register = semenit_home / "letters" / "register.jsonl"
    with register.open("ab") as fh:
        fh.write(b'{"i": 99, garbage\n')
    code, out, err = _issue(capsys)
    assert code == 0, err
    assert "/002/TRJ/" in out
    aside = list((semenit_home / "letters").glob("register.damaged-*"))
    assert [p.read_bytes() for p in aside] == [b'{"i": 99, garbage\n']
    assert main(["register", "verify"]) == 0


def test_a_garbage_private_key_is_one_line(resident_store, semenit_home, capsys):
    assert main(["keys", "init"]) == 0
    (semenit_home / "keys" / "village-ed25519.key").write_bytes(b"garbage")
    capsys.readouterr()
    code, out, err = _issue(capsys)
    assert code == 1 and "village-ed25519.key" in err and "Traceback" not in err
