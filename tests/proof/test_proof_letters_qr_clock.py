"""Letters against forgery and replay, and numbering when the clock is set back around midnight."""

from __future__ import annotations

import dataclasses
import random
from datetime import datetime
from zoneinfo import ZoneInfo

import orjson
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from appliance.cli import main
from appliance.config import Settings
from appliance.letters import signing
from appliance.letters.service import LetterService
from appliance.letters.verify import EXIT_GENUINE, EXIT_REFUSED, EXIT_VOIDED, verify_letter
from appliance.printing import open_printers
from appliance.queue import QueueService
from appliance.residents.store import ResidentStore
from tests.proof.conftest import letter_requests
from tests.proof.test_proof_kill import check_letters

JAKARTA = ZoneInfo("Asia/Jakarta")


def _service(home, clock=None):
    settings = Settings()
    printers = open_printers(settings, home)
    return LetterService(settings, home, ResidentStore.open(home), printers, clock=clock), printers


def test_forged_altered_and_replayed_qr(demo_home, capsys):
    svc, printers = _service(demo_home)
    try:
        code, nik, fields = letter_requests(svc.store)[0]
        genuine = svc.issue(code, nik, fields)
        voided = svc.issue(code, nik, fields)
        svc.void(voided.number, "salah ketik nama")
    finally:
        svc.close()
        printers.close()
    assert verify_letter(demo_home, genuine.qr).exit_code == EXIT_GENUINE

    base, wire = genuine.qr.split("#", 1)
    # Forged: the right format and a real number, signed with a key that is not the village's.
    payload, _body, _sig = signing.parse(genuine.qr)
    forged = signing.sign(Ed25519PrivateKey.generate(), payload, base)
    assert forged.rsplit("*", 1)[0] == genuine.qr.rsplit("*", 1)[0]
    result = verify_letter(demo_home, forged)
    assert (result.genuine, result.exit_code, result.reason) == (False, EXIT_REFUSED, "bad_signature")
    # The genuine signature moved onto another name, or another date.
    other = dataclasses.replace(payload, nama="ORANG LAIN")
    moved = signing.sign(Ed25519PrivateKey.generate(), other, base).rsplit("*", 1)[0] + "*" + wire.rsplit("*", 1)[1]
    assert verify_letter(demo_home, moved).reason == "bad_signature"

    # 100 random single-character changes of the payload (seeded), each refused by `semenit verify`.
    rng = random.Random(7)
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_/*+%."
    for _ in range(100):
        at = rng.randrange(len(wire))
        ch = rng.choice(alphabet.replace(wire[at], ""))
        altered = base + "#" + wire[:at] + ch + wire[at + 1:]
        assert main(["verify", altered]) == EXIT_REFUSED, (at, ch)
        assert "DITOLAK" in capsys.readouterr().err
    assert verify_letter(demo_home, genuine.qr[:-1]).exit_code == EXIT_REFUSED
    assert verify_letter(demo_home, genuine.qr + "A").exit_code == EXIT_REFUSED

    # Replayed: the QR of a voided letter is genuine but the register says it is voided.
    assert main(["verify", voided.qr]) == EXIT_VOIDED
    out = capsys.readouterr()
    assert "DIBATALKAN" in out.out + out.err and "salah ketik nama" in out.out + out.err
    assert main(["verify", forged]) == EXIT_REFUSED
    assert "DITOLAK" in "".join(capsys.readouterr())


def test_clock_set_back_around_midnight_keeps_queue_and_letter_numbers_unique(demo_home):
    """23:59 on New Year's Eve, past midnight, then NTP sets the clock back before midnight (twice)."""
    moments = [datetime(2026, 12, 31, 23, 59, 50, tzinfo=JAKARTA), datetime(2027, 1, 1, 0, 0, 5, tzinfo=JAKARTA),
               datetime(2026, 12, 31, 23, 59, 55, tzinfo=JAKARTA), datetime(2027, 1, 1, 0, 0, 10, tzinfo=JAKARTA),
               datetime(2026, 12, 31, 23, 58, 0, tzinfo=JAKARTA), datetime(2027, 1, 1, 0, 1, 0, tzinfo=JAKARTA)]
    now = [moments[0]]
    queue = QueueService(Settings(), demo_home, clock=lambda: now[0])
    svc, printers = _service(demo_home, clock=lambda: now[0].date())
    tickets, numbers = [], []
    try:
        requests = letter_requests(svc.store)[:2]
        for moment in moments:
            now[0] = moment
            for _ in range(3):
                ticket = queue.allocate()
                tickets.append((ticket.day, ticket.number))
                for code, nik, fields in requests:
                    numbers.append(svc.issue(code, nik, fields).number)
    finally:
        svc.close()
        printers.close()
    queue_numbers = [(day, n) for day, n in tickets]
    assert len(set(queue_numbers)) == len(queue_numbers)
    # The queue day never went back: after the first midnight every ticket belongs to 2027-01-01.
    assert {day for day, _ in queue_numbers[3:]} == {"2027-01-01"}
    assert len(set(numbers)) == len(numbers) == 6 * 3 * 2
    seqs = check_letters(demo_home)  # per type and year: 1..n, each once
    assert any(k.startswith("2026/") for k in seqs) and any(k.startswith("2027/") for k in seqs)
    register_days = {e["day"] for e in (orjson.loads(x) for x in (demo_home / "letters" / "register.jsonl")
                                        .read_bytes().splitlines()) if e["event"] == "issued"}
    assert register_days == {"2026-12-31", "2027-01-01"}
