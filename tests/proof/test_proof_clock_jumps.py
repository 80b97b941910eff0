"""Time rules that survive the clock going back and forth (issue 14 item 12): the lockout.

A Pi 4 boots with a wrong clock until NTP answers. A NIK locked just before the clock went back stayed
locked for the whole offset while the screen said 15 minutes. (The queue's day: tests/queue.)
"""

from appliance.services.kiosk import VerificationGuard

NIK = "3404135001900001"


class Wall:
    def __init__(self):
        self.t = 1_900_000_000.0

    def __call__(self) -> float:
        return self.t


class Steady:
    def __init__(self, boot="boot-1"):
        self.up, self.boot = 100.0, boot

    def __call__(self) -> dict:
        return {"boot": self.boot, "up": self.up, "wall": 0.0}


def _lock(guard):
    block = None
    for _ in range(5):
        block = guard.failure(NIK)
    assert block is not None and block.reason == "nik_locked"


def test_a_lock_ends_after_its_real_length_when_the_clock_went_back(semenit_home):
    wall, steady = Wall(), Steady()
    guard = VerificationGuard(semenit_home, {}, clock=wall, steady=steady)
    _lock(guard)
    wall.t -= 6 * 3600  # NTP sets the clock six hours back
    steady.up += 60
    block = guard.check(NIK)
    assert block is not None and 13 * 60 < block.retry_after_s <= 14 * 60
    steady.up += 14 * 60 + 1  # fifteen real minutes after the lock
    wall.t += 14 * 60 + 1
    assert guard.check(NIK) is None


def test_a_lock_across_a_reboot_with_the_clock_behind_lasts_one_lock_from_then(semenit_home):
    wall = Wall()
    _lock(VerificationGuard(semenit_home, {}, clock=wall, steady=Steady("boot-1")))
    wall.t -= 30 * 86400  # rebooted with a clock a month behind
    guard = VerificationGuard(semenit_home, {}, clock=wall, steady=Steady("boot-2"))
    block = guard.check(NIK)
    assert block is not None and block.retry_after_s <= 15 * 60
    wall.t += 15 * 60
    assert guard.check(NIK) is None
