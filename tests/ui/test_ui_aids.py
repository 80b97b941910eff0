"""Issue 15: a kiosk an elderly villager finishes alone. Printer faults put the resident first and hold the
letter for the operator; help one touch away; spoken guidance off the UI thread; the satisfaction rating."""

from __future__ import annotations

import sys
import threading
import wave
from pathlib import Path

import pytest

from tests.ui.conftest import to_preview

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "printing"))

from fakeprinter import TcpPrinter  # noqa: E402


def _printer_settings(port: int) -> str:
    return (f'[printers.loket]\nbackend = "network"\nhost = "127.0.0.1"\nport = {port}\nrole = ["letter", "ticket"]\n'
            f'timeout_s = 0.5\n\n[printing]\npoll_s = 0.2\npoll_attention_s = 0.1\nretry_base_s = 0.2\n'
            f'retry_max_s = 0.4\n')


@pytest.fixture
def tcp_printer():
    server = TcpPrinter().start()
    yield server
    server.stop()




def test_paper_out_while_printing_the_letter_waits_for_the_operator_not_for_paper(kiosk_factory, tcp_printer):
    from appliance.services import operator_actions
    from appliance.services.held_letters import HeldLetters

    tour = kiosk_factory((800, 480), fixture=False, settings_text=_printer_settings(tcp_printer.port))
    d, app, backend = tour.d, tour.app, tour.unit
    spool = backend.printers.spool
    d.wait(lambda: backend.printer_state().status == "ready", timeout=15, what="the printer")
    to_preview(tour)

    tcp_printer.model.paper = "out"  # the roll runs out as the resident touches "Cetak"
    d.wait(lambda: backend.printer_state().status == "paper_out", timeout=10, what="paper out")
    d.tap("print")
    scr = app.screen("printing")
    d.wait(lambda: scr.fault == "paper_out" and bool(scr.number), timeout=15, what="the resident's message")
    number = scr.number
    shown = " ".join(d.texts())
    # Plain words: what happened, nothing to do, the letter kept under its number; a queue number offered.
    for key in ("ui.fault.title", "ui.fault.paper_out", "ui.fault.nothing_to_do"):
        assert app.tr(key) in shown
    assert app.tr("ui.fault.kept", number=number) in shown
    assert d.has("take_queue")
    assert backend.hardware.light.state == "attention"  # the light calls an officer
    job_id = app.job_ids[0]
    held = HeldLetters(backend.home, spool)
    d.wait(lambda: [h.job for h in held.list()] == [job_id] and spool.get(job_id).state == "failed",
           timeout=15, what="the letter held")
    assert held.list()[0].number == number

    d.tap("take_queue")  # the resident takes a queue number and walks away from the kiosk
    d.wait(lambda: bool(app.screen("queue").number) or "failed" in app.screen("queue").info, what="a number")
    assert app.session.resident is None
    tickets = [j.id for j in spool.jobs() if j.kind == "ticket"]
    assert tickets

    tcp_printer.model.paper = "ok"  # paper back: the printer works again (the ticket comes out) ...
    d.wait(lambda: all(spool.get(t).state == "done" for t in tickets), timeout=15, what="the ticket printed")
    assert backend.printer_state().status == "ready"
    # ... but the letter, with a resident's data, does not print into an empty tray.
    assert spool.get(job_id).state == "failed"
    assert tcp_printer.model.count(number.encode()) == 0
    assert operator_actions.held_text(backend).count(number) == 1

    operator_actions.release_held(backend)  # the operator, at the printer, releases it
    d.wait(lambda: spool.get(job_id).state == "done", timeout=15, what="the released letter")
    assert tcp_printer.model.count(number.encode()) >= 1
    assert held.list() == []


def test_help_is_one_touch_away_lights_the_call_and_the_officer_clears_it(kiosk_factory):
    tour = kiosk_factory((800, 480), fixture=False)
    d, app, backend = tour.d, tour.app, tour.unit
    tour.home()
    light = backend.hardware.light
    assert light.state != "attention"
    d.tap("help")
    d.wait(lambda: app.dialog is not None, what="the help dialog")
    number = app.assist.help_number
    assert number >= 1 and str(number) in d.texts()
    assert light.state == "attention"
    d.tap("help_back")  # the resident goes on; the call stays open until an officer comes
    assert light.state == "attention"
    d.tap("help")
    assert app.assist.help_number == number  # the same call, not a second one
    d.tap("help_clear")
    assert app.assist.help_number == 0 and light.state != "attention"


def test_every_resident_step_has_the_step_cancel_and_help_in_the_same_place(kiosk_factory):
    tour = kiosk_factory((800, 480), fixture=False)
    d, app = tour.d, tour.app
    (resident, template), _ = tour.cases()
    tour.register_pin(resident)
    tour.home()
    d.tap("print_letter")
    seen = {}
    for step, screen, go in ((1, "letter", lambda: d.tap(f"letter_{template.code}")),
                             (2, "nik", lambda: tour.enter_nik(resident.nik)),
                             (3, "verify", lambda: tour.enter_second_factor(resident)),
                             (4, "confirm", lambda: d.tap("yes")),
                             (5, "fields", lambda: tour.fill_fields()),
                             (6, "preview", None)):
        d.wait_screen(screen)
        d.pump(2)
        assert app.tr("ui.step.of", step=step, total=6) in d.texts(), screen
        cancel = d.find("cancel_session")
        seen[screen] = (round(cancel.to_window(*cancel.pos)[0]), round(cancel.to_window(*cancel.pos)[1]))
        assert d.find("help")
        if go is not None:
            go()
    assert len(set(seen.values())) == 1, seen  # Batal: bottom-left on every step
    d.tap("cancel_session")  # wipes the session
    assert app.sm.current == "home" and app.session.resident is None and app.session.nik == ""


def test_speech_says_each_screens_instruction_off_the_ui_thread(kiosk_factory, tmp_path):
    from appliance.i18n import catalog
    from appliance.uix.speech import Speaker

    if Speaker().espeak is None:
        pytest.fail("espeak-ng is missing: `make deb` installs it")
    wav_dir = tmp_path / "said"
    tour = kiosk_factory((800, 480), fixture=False, settings_text=f'[speech]\nwav_dir = "{wav_dir}"\n')
    d, app = tour.d, tour.app
    speaker = app.assist.speaker
    tour.home()
    d.tap("speech")  # one large button switches it on
    assert app.assist.speech_on
    (resident, template), _ = tour.cases()
    d.tap("print_letter")
    assert speaker.idle(30)
    assert speaker.said[-1].startswith(app.tr("ui.speak.letter", letters="")[:20])  # the letters, read out
    d.tap(f"letter_{template.code}")
    assert speaker.idle(30)
    assert speaker.said[-1] == app.tr("ui.speak.nik")  # each screen's instruction as it appears
    d.type_digits(resident.nik[:3])
    assert speaker.idle(30)
    assert speaker.said[-1] == resident.nik[2]  # the digits typed
    assert "speech" in speaker.threads and threading.current_thread().name not in speaker.threads
    assert any(p.name.endswith("-touch.wav") for p in speaker.written)  # a sound on every touch

    # Every screen's instruction, in Indonesian, through the real espeak-ng: a WAV with sound in it.
    keys = sorted(k for k in catalog() if k.startswith("ui.speak."))
    assert len(keys) >= 15
    solo = Speaker(wav_dir=tmp_path / "each")
    for key in keys:
        before = len(solo.written)
        solo.say(app.tr(key, letters="Domisili", letter="Surat Keterangan Domisili"), "id")
        assert solo.idle(30), key
        assert len(solo.written) == before + 1, key
        with wave.open(str(solo.written[-1])) as w:
            assert w.getnframes() > w.getframerate() // 4, key  # at least a quarter second of speech


def test_saying_never_waits_for_espeak(tmp_path):
    from appliance.uix.speech import Speaker

    slow = tmp_path / "slow-espeak"
    # A stand-in that blocks until the test lets it go: say() must return while it hangs.
    slow.write_text(f"#!/bin/sh\nwhile [ ! -e {tmp_path}/go ]; do sleep 0.01; done\n")
    slow.chmod(0o755)
    speaker = Speaker(espeak=str(slow), player="")
    speaker.say("satu")
    speaker.say("dua")  # interrupts the first
    speaker.tone("touch")
    assert not speaker.idle(0.2)  # we got here while "espeak-ng" still speaks: nothing waited for it
    (tmp_path / "go").touch()
    assert speaker.idle(10)
    speaker.close()


def test_rating_is_one_touch_and_the_month_exports_with_its_index(kiosk_factory, tmp_path):
    from openpyxl import load_workbook

    from appliance.services import operator_actions
    from appliance.services.survey import Survey, grade

    tour = kiosk_factory((800, 480), fixture=False)
    d, app, backend = tour.d, tour.app, tour.unit
    (resident, template), _ = tour.cases()
    to_preview(tour)
    d.tap("print")
    d.wait_screen("done")
    d.tap("rate_4")
    d.tap("rate_1")  # a second touch changes nothing: one answer per letter
    d.wait_idle()
    survey = Survey(backend.home, backend.village.timezone)
    from datetime import datetime
    from zoneinfo import ZoneInfo

    month = datetime.now(ZoneInfo(backend.village.timezone)).strftime("%Y-%m")
    rows = survey.answers(month)
    assert [(r["score"], r["letter"]) for r in rows] == [(4, template.code)]
    assert resident.nik not in (backend.home / "survey.jsonl").read_text()
    survey.rate(3)
    survey.rate(2)
    result = survey.month_result(month)
    assert result.count == 3 and result.ikm == 75.0 and result.grade == "C"
    assert grade(88.31) == "A" and grade(88.30) == "B" and grade(76.60) == "C" and grade(64.99) == "D"

    message = operator_actions.export_survey(backend, month)
    exported = list(Path(str(backend.usb_conf["mount_dir"])).rglob(f"survei-kepuasan-{month}.xlsx"))
    assert len(exported) == 1 and "75.00" in message
    wb = load_workbook(exported[0])
    answers, index = wb.worksheets
    assert [r[2] for r in answers.iter_rows(min_row=2, values_only=True)] == [4, 3, 2]
    values = {r[0]: r[1] for r in index.iter_rows(values_only=True)}
    assert values[app.tr("survey.col.ikm")] == 75.0 and values[app.tr("survey.col.grade")] == "C"


def test_cli_lists_a_held_letter_and_releases_it_only_on_request(semenit_home, tcp_printer):
    import json
    import os
    import subprocess

    from appliance.config import Settings
    from appliance.printing import open_printers
    from appliance.services.held_letters import HeldLetters

    config = semenit_home / "semenit.toml"
    config.write_text(_printer_settings(tcp_printer.port), encoding="utf-8")
    tcp_printer.model.paper = "out"
    printers = open_printers(Settings.load(config), semenit_home, start=False)
    number = "470/009/TRJ/XII/2026"
    try:
        job = printers.spool.submit(kind="letter", content={"escpos": b"HELD LETTER " + number.encode() + b"\n"},
                                    ref=number)
        assert HeldLetters(semenit_home, printers.spool).hold(job.id, number, "PENGANTAR")
    finally:
        printers.close(timeout=1)
    tcp_printer.model.paper = "ok"
    env = {**os.environ, "SEMENIT_HOME": str(semenit_home), "SEMENIT_CONFIG": str(config)}
    listed = subprocess.run([sys.executable, "-m", "appliance", "held", "--json"], env=env, capture_output=True,
                            text=True, timeout=60)
    assert listed.returncode == 0, listed.stderr
    assert [(h["job"], h["number"]) for h in json.loads(listed.stdout)["held"]] == [(job.id, number)]
    assert tcp_printer.model.count(number.encode()) == 0  # paper is back, and still nothing printed
    # The spool's own list says "held" with the letter's number, not "failed: cancelled".
    jobs = subprocess.run([sys.executable, "-m", "appliance", "printer", "jobs"], env=env, capture_output=True,
                          text=True, timeout=60)
    assert jobs.returncode == 0, jobs.stderr
    assert f"surat {number}): ditahan" in jobs.stdout and f"held release {job.id}" in jobs.stdout
    assert "gagal" not in jobs.stdout and "dibatalkan" not in jobs.stdout
    bad = subprocess.run([sys.executable, "-m", "appliance", "held", "release", "no-such-job"], env=env,
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    released = subprocess.run([sys.executable, "-m", "appliance", "held", "release", job.id, "--json"], env=env,
                              capture_output=True, text=True, timeout=60)
    assert released.returncode == 0, released.stderr
    assert json.loads(released.stdout)["job"]["state"] == "done"
    assert tcp_printer.model.count(number.encode()) == 1
