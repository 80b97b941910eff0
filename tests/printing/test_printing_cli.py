"""`semenit printer ...` and `semenit queue ...` as a technician and scripts use them."""

from __future__ import annotations

import orjson
import pytest

from appliance.cli import main
from appliance.i18n import set_language


@pytest.fixture(autouse=True)
def indonesian():
    set_language("id")
    yield
    set_language("id")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write_config(home, text: str) -> None:
    (home / "semenit.toml").write_text(text)


def test_printer_list_status_test_with_the_default_file_printer(semenit_home, capsys):
    code, out, _ = run(capsys, "printer", "list", "--json")
    assert code == 0
    printers = orjson.loads(out)["printers"]
    assert [p["name"] for p in printers] == ["file"] and printers[0]["default_for"] == ["letter", "ticket"]

    code, out, _ = run(capsys, "printer", "status", "--json")
    assert code == 0 and orjson.loads(out)["printers"][0]["status"] == "ready"

    code, out, _ = run(capsys, "printer", "test")
    assert code == 0 and "tercetak" in out
    pdfs = list((semenit_home / "printed").glob("*-test.pdf"))
    assert len(pdfs) == 1 and pdfs[0].read_bytes().startswith(b"%PDF")

    code, _, err = run(capsys, "printer", "status", "ghost")
    assert code == 2 and "ghost" in err


def test_pulled_printer_gives_a_clear_message_and_a_kept_job(semenit_home, capsys, tcp_printer):
    write_config(semenit_home, f"""
[printers.thermal]
backend = "network"
host = "127.0.0.1"
port = {tcp_printer.port}
profile = "TM-T88V"
paper_mm = 80
role = ["ticket", "letter"]
timeout_s = 1.0
""")
    code, out, _ = run(capsys, "printer", "test", "thermal", "--wait", "5")
    assert code == 0 and tcp_printer.model.count(b"HALAMAN UJI PRINTER") == 1

    tcp_printer.stop()
    code, out, err = run(capsys, "printer", "status", "thermal", "--json")
    assert code == 3 and orjson.loads(out)["printers"][0]["status"] == "offline"

    code, out, err = run(capsys, "printer", "test", "thermal", "--wait", "5")
    assert code == 1
    assert "tidak tersambung" in out and "semenit printer retry" in err  # what happened, what to do
    code, out, _ = run(capsys, "printer", "jobs", "--json")
    kept = orjson.loads(out)["jobs"]
    assert len(kept) == 1 and kept[0]["state"] == "pending" and kept[0]["error"]

    tcp_printer.start()
    code, out, _ = run(capsys, "--lang", "en", "printer", "retry", kept[0]["id"], "--wait", "5")
    assert code == 0 and "printed" in out
    assert tcp_printer.model.count(b"HALAMAN UJI PRINTER") == 2
    code, out, _ = run(capsys, "printer", "retry", kept[0]["id"])  # already printed: not again
    assert code == 0 and tcp_printer.model.count(b"HALAMAN UJI PRINTER") == 2


def test_queue_take_status_reset(semenit_home, capsys):
    code, out, _ = run(capsys, "queue", "take", "--json")
    first = orjson.loads(out)
    assert code == 0 and first["number"] == 1 and first["waiting_before"] == 0
    assert first["job"]["state"] == "done" and first["job"]["output"].endswith(".bin")
    assert first["light"] == "ready"

    code, out, _ = run(capsys, "queue", "take")
    assert code == 0 and "002" in out and "Menunggu sebelum Anda: 1" in out

    code, out, _ = run(capsys, "queue", "status", "--json")
    status = orjson.loads(out)
    assert (status["last"], status["waiting"], status["timezone"]) == (2, 2, "Asia/Jakarta")

    code, out, _ = run(capsys, "queue", "next", "--json")
    assert orjson.loads(out) == {"number": 1}

    code, out, _ = run(capsys, "queue", "reset", "--json")
    assert code == 0 and orjson.loads(out)["last"] == 0
    code, out, _ = run(capsys, "queue", "take", "--no-print", "--json")
    assert orjson.loads(out)["number"] == 1 and orjson.loads(out)["job"] is None


def test_queue_take_with_the_printer_out_of_paper_still_gives_the_number(semenit_home, capsys, tcp_printer):
    write_config(semenit_home, f"""
[printers.thermal]
backend = "network"
host = "127.0.0.1"
port = {tcp_printer.port}
role = ["ticket"]
""")
    tcp_printer.model.paper = "out"
    code, out, _ = run(capsys, "queue", "take", "--json", "--wait", "5")
    taken = orjson.loads(out)
    assert code == 0 and taken["number"] == 1
    assert taken["job"]["state"] == "pending" and "habis" in taken["job"]["error"]
    assert taken["light"] == "attention"
