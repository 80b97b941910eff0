"""The queue button on gpiozero's MockFactory: every press one number, bounces once, kill -9 safe."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import orjson

from appliance.config import Settings
from appliance.hardware import open_hardware
from appliance.hardware.button import Debouncer
from appliance.queue import QueueService

REPO = Path(__file__).resolve().parents[2]


def mock_settings(**gpio) -> Settings:
    return Settings({"gpio": {"pin_factory": "mock", **gpio}})


def press(pin, hold_s: float = 0.0) -> None:
    pin.drive_low()  # to ground: pressed (internal pull-up)
    if hold_s:
        time.sleep(hold_s)
    pin.drive_high()


def test_1000_fast_presses_give_1000_consecutive_numbers(semenit_home):
    queue = QueueService(Settings({}), semenit_home)
    numbers: list[int] = []
    hw = open_hardware(mock_settings(bounce_ms=1), on_button=lambda: numbers.append(queue.take().number))
    try:
        assert hw.available and hw.reason is None
        pin = hw.factory.pin(17)
        for _ in range(1000):
            press(pin)
            time.sleep(0.0012)  # just over the 1 ms debounce: as fast as the debounce allows
        assert hw.button.wait_idle(60)
    finally:
        hw.close()
    assert hw.button.accepted == 1000
    assert numbers == list(range(1, 1001))
    assert queue.status().last == 1000


def test_bouncing_contact_counts_once(semenit_home):
    count = []
    hw = open_hardware(mock_settings(bounce_ms=50), on_button=lambda: count.append(1))
    try:
        pin = hw.factory.pin(17)
        # one press whose contact chatters on the way down and on the way up (all within a few ms)
        for _ in range(5):
            pin.drive_low()
            pin.drive_high()
        pin.drive_low()
        time.sleep(0.1)  # held
        for _ in range(4):
            pin.drive_high()
            pin.drive_low()
        pin.drive_high()
        time.sleep(0.08)  # released for longer than the debounce time
        press(pin)  # a second, real press
        pin.drive_low()  # and a third press 0 ms after releasing: within the debounce time
        pin.drive_high()
        assert hw.button.wait_idle(5)
    finally:
        hw.close()
    assert len(count) == 2


def test_debouncer_rules():
    d = Debouncer(0.05)
    assert d.press(0.0) is True
    d.release(0.2)
    assert d.press(0.21) is False  # 10 ms after the release: a bounce
    d.release(0.22)
    assert d.press(0.30) is True  # released steadily for 80 ms
    assert d.press(0.31) is False  # still held: no new press without a release


CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from appliance.config import Settings
    from appliance.hardware import open_hardware
    from appliance.queue import QueueService

    home, presses = Path(sys.argv[1]), int(sys.argv[2])
    queue = QueueService(Settings({}), home)

    def on_press():
        n = queue.take().number
        sys.stdout.write(f"{n}\\n")
        sys.stdout.flush()

    hw = open_hardware(Settings({"gpio": {"pin_factory": "mock", "bounce_ms": 1}}), on_button=on_press)
    pin = hw.factory.pin(17)
    for _ in range(presses):
        pin.drive_low(); pin.drive_high(); time.sleep(0.002)
    hw.button.wait_idle(60)
    hw.close()
    """
)


def _child(home: Path, presses: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("GPIOZERO_PIN_FACTORY", None)
    return subprocess.Popen([sys.executable, "-c", CHILD, str(home), str(presses)], stdout=subprocess.PIPE,
                            text=True, env=env, cwd=REPO)


def test_kill_9_mid_way_then_restart_continues_the_numbering(semenit_home):
    first = _child(semenit_home, 5000)
    seen: list[int] = []
    deadline = time.monotonic() + 60
    while len(seen) < 300 and time.monotonic() < deadline:
        line = first.stdout.readline()
        if not line:
            break
        seen.append(int(line))
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    seen += [int(x) for x in first.stdout.read().split()]
    assert len(seen) >= 300 and first.returncode == -signal.SIGKILL

    last = orjson.loads((semenit_home / "queue.json").read_bytes())["last"]
    # at most one number was made durable after the child last reported one (it died in between)
    assert seen == list(range(1, len(seen) + 1))
    assert last in (seen[-1], seen[-1] + 1)

    second = _child(semenit_home, 200)
    out, _ = second.communicate(timeout=60)
    after = [int(x) for x in out.split()]
    assert second.returncode == 0
    assert after == list(range(last + 1, last + 201))  # continues: nothing repeated, nothing skipped
    assert not set(after) & set(seen)
