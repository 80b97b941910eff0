"""The queue counter: durable, daily reset at local midnight, never repeating a number."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from appliance.config import Settings
from appliance.queue import QueueError, QueueService

REPO = Path(__file__).resolve().parents[2]


class Clock:
    def __init__(self, t: datetime):
        self.t = t

    def __call__(self) -> datetime:
        return self.t


def service(home, clock, **queue):
    return QueueService(Settings({"queue": queue} if queue else {}), home, clock=clock)


def test_numbers_count_up_and_survive_a_new_service(semenit_home):
    clock = Clock(datetime(2026, 11, 28, 2, 0, tzinfo=UTC))
    q = service(semenit_home, clock)
    assert [q.take().number for _ in range(3)] == [1, 2, 3]
    again = service(semenit_home, clock)  # a restart
    t = again.take()
    assert t.number == 4 and t.day == "2026-11-28" and t.waiting_before == 3
    assert t.issued_at == "2026-11-28T09:00:00+07:00"  # local time, Asia/Jakarta by default
    assert again.status().last == 4


def test_restart_at_local_midnight_in_jakarta(semenit_home):
    clock = Clock(datetime(2026, 11, 28, 16, 59, 59, tzinfo=UTC))  # 23:59:59 WIB
    q = service(semenit_home, clock)
    assert [q.take().number for _ in range(5)] == [1, 2, 3, 4, 5]
    clock.t = datetime(2026, 11, 28, 17, 0, 0, tzinfo=UTC)  # 00:00:00 WIB on the 29th
    t = q.take()
    assert (t.number, t.day, t.waiting_before) == (1, "2026-11-29", 0)
    assert q.status().last == 1


def test_timezone_from_settings(semenit_home):
    clock = Clock(datetime(2026, 11, 28, 14, 59, tzinfo=UTC))  # 23:59 WIT (Asia/Jayapura, +9)
    q = service(semenit_home, clock, timezone="Asia/Jayapura")
    assert q.take().number == 1 and q.take().number == 2
    clock.t += timedelta(minutes=1)  # midnight in Papua, still afternoon in Jakarta
    assert q.take().number == 1
    assert q.status().timezone == "Asia/Jayapura"


def test_village_timezone_is_the_default(semenit_home):
    q = QueueService(Settings({"village": {"timezone": "Asia/Makassar"}}), semenit_home)
    assert q.status().timezone == "Asia/Makassar"


def test_clock_set_back_never_repeats_a_number(semenit_home):
    clock = Clock(datetime(2026, 11, 29, 3, 0, tzinfo=UTC))  # 10:00 WIB
    q = service(semenit_home, clock)
    assert [q.take().number for _ in range(3)] == [1, 2, 3]
    clock.t -= timedelta(hours=1)  # set back within the day
    assert q.take().number == 4
    clock.t = datetime(2026, 11, 28, 16, 50, tzinfo=UTC)  # set back across midnight: 23:50 on the 28th
    t = q.take()
    assert (t.number, t.day) == (5, "2026-11-29")  # stays on the day already reached
    clock.t = datetime(2026, 11, 29, 17, 0, tzinfo=UTC)  # the real next midnight
    assert q.take().number == 1


def test_waiting_before_follows_served_numbers(semenit_home):
    clock = Clock(datetime(2026, 11, 28, 2, 0, tzinfo=UTC))
    q = service(semenit_home, clock)
    for _ in range(4):
        q.take()
    assert q.call_next() == 1 and q.call_next() == 2
    t = q.take()
    assert (t.number, t.waiting_before) == (5, 2)  # 3 and 4 are still waiting
    s = q.status()
    assert (s.last, s.served, s.waiting) == (5, 2, 3)
    for _ in range(3):
        q.call_next()
    assert q.call_next() is None


def test_reset_starts_again_at_one(semenit_home):
    clock = Clock(datetime(2026, 11, 28, 2, 0, tzinfo=UTC))
    q = service(semenit_home, clock)
    q.take()
    q.take()
    status = q.reset()
    assert (status.last, status.served, status.waiting) == (0, 0, 0)
    assert q.take().number == 1


def test_unknown_timezone_is_a_clear_error(semenit_home):
    with pytest.raises(QueueError) as err:
        QueueService(Settings({"queue": {"timezone": "Asia/Atlantis"}}), semenit_home)
    assert "Asia/Atlantis" in str(err.value) and "Asia/Jakarta" in str(err.value)


TAKER = (
    "import sys; from pathlib import Path; from appliance.config import Settings; "
    "from appliance.queue import QueueService; q = QueueService(Settings({}), Path(sys.argv[1])); "
    "print(' '.join(str(q.take().number) for _ in range(int(sys.argv[2]))))"
)


def test_two_processes_never_share_a_number(semenit_home):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [subprocess.Popen([sys.executable, "-c", TAKER, str(semenit_home), "100"], stdout=subprocess.PIPE,
                              text=True, env=env, cwd=REPO) for _ in range(2)]
    numbers = []
    for p in procs:
        out, _ = p.communicate(timeout=60)
        assert p.returncode == 0
        numbers += [int(x) for x in out.split()]
    assert sorted(numbers) == list(range(1, 201))


class Steady:
    """Real time, apart from the wall clock the test moves (as CLOCK_BOOTTIME is apart from a wrong clock)."""

    def __init__(self):
        self.up = 1000.0

    def __call__(self) -> dict:
        return {"boot": "boot-1", "up": self.up, "wall": 0.0}


def test_a_clock_that_jumped_forward_and_back_restarts_the_next_real_day(semenit_home):
    """Issue 14 item 12: after one jump forward the day stuck at the future date for good."""
    clock, steady = Clock(datetime(2027, 3, 1, 3, 0, tzinfo=UTC)), Steady()  # a wrong clock: March 2027
    q = QueueService(Settings({}), semenit_home, clock=clock, steady=steady)
    assert [q.take().number for _ in range(2)] == [1, 2]
    steady.up += 600
    clock.t = datetime(2026, 11, 29, 3, 10, tzinfo=UTC)  # NTP answers: the real time
    assert q.take().number == 3  # the same real day: numbering goes on, never repeats
    steady.up += 86400
    clock.t += timedelta(days=1)  # the next real day
    t = q.take()
    assert (t.number, t.day) == (1, "2026-11-30")
    steady.up += 86400
    clock.t += timedelta(days=1)
    assert q.take().number == 1


def test_a_clock_set_back_after_a_restart_continues_then_heals(semenit_home):
    clock, steady = Clock(datetime(2027, 3, 1, 3, 0, tzinfo=UTC)), Steady()
    QueueService(Settings({}), semenit_home, clock=clock, steady=steady).take()
    clock.t = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)
    rebooted = Steady()
    rebooted.up, boot = 50.0, {"boot": "boot-2"}
    q = QueueService(Settings({}), semenit_home, clock=clock, steady=lambda: {**rebooted(), **boot})
    assert q.take().number == 2  # nothing known across the reboot: never repeat a number
    rebooted.up += 86400
    clock.t += timedelta(days=1)
    assert q.take().number == 1  # a real day later in the same boot: a new day


def test_reset_brings_a_stuck_future_day_back_to_today(semenit_home):
    clock = Clock(datetime(2027, 3, 1, 3, 0, tzinfo=UTC))
    q = service(semenit_home, clock)
    q.take()
    clock.t = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)
    assert q.reset().day == "2026-11-29"
    t = q.take()
    assert (t.number, t.day) == (1, "2026-11-29")
