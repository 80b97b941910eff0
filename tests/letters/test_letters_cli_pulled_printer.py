"""`semenit letter issue` with the printer unplugged: the number stands, the job is kept, the reason is said."""

import socket

from appliance.cli import main


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_issue_to_an_unplugged_printer_says_why_and_keeps_the_job(resident_store, capsys):
    (resident_store.home / "semenit.toml").write_text(
        f'[printers.thermal]\nbackend = "network"\nhost = "127.0.0.1"\nport = {_closed_port()}\n'
        'role = ["letter"]\n[printing]\nretry_base_s = 30\n', encoding="utf-8")
    status = main(["letter", "issue", "PENDUDUK", "--nik", "5201145003976995", "--field",
                   "keperluan=Persyaratan melamar pekerjaan", "--wait", "1"])
    out, err = capsys.readouterr()
    assert status == 0
    assert "/TRJ/" in out  # the number was taken and is shown
    assert err.strip(), "the reason the letter is not printed yet must be said"
    assert "5201145003976995" not in out + err
    capsys.readouterr()
    assert main(["printer", "jobs", "--json"]) == 0
    assert '"pending"' in capsys.readouterr().out
