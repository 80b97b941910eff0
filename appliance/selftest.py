"""The unit's self-test: is everything a resident needs working, and if not, what is wrong.

Each check is a small function returning a `Result` (ok / warn / fail, a catalog sentence, and details for
machines). Each opens the one area it checks through the application layer (appliance.services.unit),
inside the check, so a part that is missing or broken is reported as that check failing with its reason,
never as a crash of the whole self-test. Run at boot by semenit-selftest.service, by the technician as `semenit selftest`, and by
tests in a temporary SEMENIT_HOME.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from appliance.i18n import _

OK, WARN, FAIL = "ok", "warn", "fail"
KIOSK_UNIT = "semenit-ui.service"
# Below this the unit cannot take a new import plus its backup; below the second it should be cleaned up.
DISK_FAIL_BYTES = 256 * 1024 * 1024
DISK_WARN_BYTES = 1024 * 1024 * 1024
# A Pi has no battery clock: before NTP answers it may believe it is 1970. Letters carry dates.
CLOCK_EARLIEST = datetime(2024, 1, 1, tzinfo=UTC)
CLOCK_VOUCHED = {"ntp": "selftest.clock.ok_ntp", "rtc": "selftest.clock.ok_rtc", "operator": "selftest.clock.ok_operator"}

_NIK = re.compile(r"(?<!\d)(\d{4})\d{8}(\d{4})(?!\d)")


@dataclass
class Result:
    name: str
    status: str
    message: str
    details: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"name": self.name, "status": self.status, "message": self.message, "details": self.details}


@dataclass
class Context:
    home: Path
    settings: object | None = None  # appliance.config.Settings once the settings check loaded them
    env: dict = field(default_factory=lambda: dict(os.environ))
    dev_root: Path = Path("/dev")
    sys_root: Path = Path("/sys")
    kiosk_pid: int | None = None  # the running kiosk's process id (systemd's MainPID), None when it is not running

    @property
    def kiosk_running(self) -> bool:
        return self.kiosk_pid is not None


def _safe(text: str) -> str:
    """An exception's text for the report, with any NIK-like number masked (UU 27/2022)."""
    return _NIK.sub(lambda m: f"{m.group(1)}****{m.group(2)}", text)[:300]


def _reason(exc: BaseException) -> str:
    from appliance.errors import SemenitError

    if isinstance(exc, SemenitError):  # a refusal in the catalog's words (a damaged store, a printer table)
        return _safe(exc.text())
    if isinstance(exc, ModuleNotFoundError):
        return _("selftest.missing_part", module=exc.name or str(exc))
    if isinstance(exc, ImportError):  # "cannot import name 'x' from 'y'"
        return _("selftest.missing_part", module=_safe(str(exc)))
    return _safe(f"{type(exc).__name__}: {exc}")


def _settings(ctx: Context):
    if ctx.settings is None:
        from appliance.config import Settings

        ctx.settings = Settings.load()
    return ctx.settings


def _unit(ctx: Context, *areas: str):
    """The unit with only `areas` open, failures raised (the check reports them); no pollers, no GPIO."""
    from appliance.services.unit import Unit

    return Unit(_settings(ctx), ctx.home, start_threads=False, areas=areas, strict=True)


# --- the checks ------------------------------------------------------------------------------------

def check_settings(ctx: Context) -> Result:
    from appliance import paths
    from appliance.settings_check import check

    settings = _settings(ctx)
    problems = check(settings)
    if problems:
        return Result("settings", FAIL, " ".join(p.line(settings.source) for p in problems),
                      {"problems": [{"setting": p.setting, "reason": p.reason} for p in problems]})
    village = _unit(ctx).village
    source = str(settings.source) if settings.source else ""
    if not source:
        return Result("settings", WARN, _("selftest.settings.defaults", path=str(paths.config_file())),
                      {"source": None, "village": village.nama_desa})
    return Result("settings", OK, _("selftest.settings.ok", path=source, village=village.nama_desa),
                  {"source": source, "village": village.nama_desa})


def check_store(ctx: Context) -> Result:
    count = _unit(ctx, "residents").resident_count()
    if count == 0:
        return Result("store", WARN, _("selftest.store.empty"), {"residents": 0})
    return Result("store", OK, _("selftest.store.ok", count=count), {"residents": count})


def check_letters(ctx: Context) -> Result:
    catalog = _unit(ctx).load_catalog()
    count = len(catalog.templates)
    details = {"templates": count, "errors": [f"{f}:{line}: {msg}" for f, line, msg in catalog.errors]}
    if count == 0:
        return Result("letters", FAIL, _("selftest.letters.none"), details)
    if catalog.errors:
        return Result("letters", WARN, _("selftest.letters.errors", count=count, errors=len(catalog.errors)),
                      details)
    return Result("letters", OK, _("selftest.letters.ok", count=count), details)


def check_printers(ctx: Context) -> Result:
    unit = _unit(ctx, "printing")
    printers = unit.printers
    assert printers is not None  # strict: opened or raised
    try:
        names = printers.names()
        backends = {name: printers.printer(name).backend for name in names}
        states = [printers.refresh(name) for name in names]
    finally:
        unit.close()
    details = {"printers": [{"name": s.name, "backend": backends[s.name], "status": s.status,
                             "detail": _safe(s.detail)} for s in states]}
    if not states:
        return Result("printers", FAIL, _("selftest.printers.none"), details)
    bad = [s for s in states if s.blocking]
    doubtful = [s for s in states if s.status in ("unknown", "paper_low")]
    summary = "; ".join(s.message for s in states)
    if bad:
        return Result("printers", FAIL, summary, details)
    if doubtful:
        return Result("printers", WARN, summary, details)
    if set(backends.values()) == {"file"}:
        # Fine on a desktop; on a unit it means nothing comes out on paper.
        return Result("printers", WARN, _("selftest.printers.file_only", summary=summary), details)
    return Result("printers", OK, summary, details)


def _kiosk_pid() -> int | None:
    """The running kiosk service's main process id (its pins and printers are in use), or None."""
    systemctl = shutil.which("systemctl")
    if not systemctl or not Path("/run/systemd/system").is_dir():
        return None
    try:
        out = subprocess.run([systemctl, "show", "--property=MainPID", "--value", KIOSK_UNIT], capture_output=True,
                             text=True, timeout=5, check=False).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return None
    return int(out) if out.isdigit() and int(out) > 0 else None


def check_gpio(ctx: Context) -> Result:
    from appliance.hardware import probe

    if ctx.kiosk_running:
        # The running kiosk holds the button and light: it says what it got; claiming them again would fail.
        state = probe.kiosk_state(ctx.home, ctx.kiosk_pid)
        if state is None:
            return Result("gpio", WARN, _("selftest.gpio.kiosk_silent"),
                          {"available": None, "factory": None, "held_by": KIOSK_UNIT})
        details = {"available": state.get("available"), "factory": state.get("factory"), "held_by": KIOSK_UNIT}
    else:
        state = probe.open_and_describe(_settings(ctx))
        details = {"available": state["available"], "factory": state["factory"], "held_by": None}
    if not state.get("available"):
        details["reason"] = _safe(str(state.get("reason") or ""))
        return Result("gpio", FAIL, _("selftest.gpio.unavailable", reason=details["reason"]), details)
    key = "selftest.gpio.in_use" if ctx.kiosk_running else "selftest.gpio.ok"
    return Result("gpio", OK, _(key, factory=details["factory"]), details)


def check_crashes(ctx: Context) -> Result:
    from appliance import crashrecord

    entries = crashrecord.read(ctx.home)
    details = {"count": len(entries), "file": str(crashrecord.path(ctx.home)), "last": entries[-1] if entries else None}
    if not entries:
        return Result("crashes", OK, _("selftest.crashes.none"), details)
    last = entries[-1]
    return Result("crashes", WARN, _("selftest.crashes.some", count=len(entries), at=str(last.get("at", "?")),
                                     result=str(last.get("result", "?")), status=str(last.get("exit_status", "?")),
                                     file=details["file"]), details)


def check_display(ctx: Context) -> Result:
    cards = sorted(glob.glob(str(ctx.dev_root / "dri" / "card*")))
    # The kernel says for each connector (HDMI-A-1, DSI-1, ...) whether a screen is on it.
    connectors = {}
    for status in sorted(glob.glob(str(ctx.sys_root / "class" / "drm" / "card*-*" / "status"))):
        try:
            connectors[Path(status).parent.name.split("-", 1)[1]] = Path(status).read_text().strip()
        except OSError:
            continue
    connected = [name for name, state in connectors.items() if state == "connected"]
    details = {"drm": cards, "connectors": connectors}
    if cards and connected:
        return Result("display", OK, _("selftest.display.drm", devices=", ".join(connected)), details)
    if cards and connectors:
        return Result("display", FAIL, _("selftest.display.unplugged", connectors=", ".join(connectors)), details)
    if cards:
        return Result("display", OK, _("selftest.display.drm", devices=", ".join(cards)), details)
    for var in ("WAYLAND_DISPLAY", "DISPLAY"):
        if ctx.env.get(var):
            return Result("display", OK, _("selftest.display.session", value=f"{var}={ctx.env[var]}"),
                          {var: ctx.env[var]})
    return Result("display", FAIL, _("selftest.display.none"), {"drm": []})


def _runtime_watchdog_usec() -> int | None:
    """systemd's RuntimeWatchdogUSec (0 = off), or None where systemd cannot be asked."""
    systemctl = shutil.which("systemctl")
    if not systemctl or not Path("/run/systemd/system").is_dir():
        return None
    try:
        out = subprocess.run([systemctl, "show", "--property=RuntimeWatchdogUSec", "--value"],
                             capture_output=True, text=True, timeout=5, check=False).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return None
    if out in ("", "infinity"):
        return None if not out else 0
    units = {"us": 1, "ms": 1000, "s": 1_000_000, "min": 60_000_000}
    total = 0
    for number, unit in re.findall(r"(\d+)\s*(us|ms|s|min)?", out):
        total += int(number) * units.get(unit or "us", 1)
    return total


def check_watchdog(ctx: Context) -> Result:
    usec = _runtime_watchdog_usec()
    if usec:
        return Result("watchdog", OK, _("selftest.watchdog.systemd", seconds=round(usec / 1_000_000)),
                      {"runtime_watchdog_usec": usec})
    if Path("/dev/watchdog").exists():
        return Result("watchdog", WARN, _("selftest.watchdog.device_only"),
                      {"runtime_watchdog_usec": usec, "device": "/dev/watchdog"})
    return Result("watchdog", FAIL, _("selftest.watchdog.none"), {"runtime_watchdog_usec": usec})


def check_disk(ctx: Context) -> Result:
    usage = shutil.disk_usage(ctx.home)
    free_mb = usage.free // (1024 * 1024)
    details = {"path": str(ctx.home), "free_bytes": usage.free, "total_bytes": usage.total}
    if usage.free < DISK_FAIL_BYTES:
        return Result("disk", FAIL, _("selftest.disk.full", free_mb=free_mb), details)
    if usage.free < DISK_WARN_BYTES:
        return Result("disk", WARN, _("selftest.disk.low", free_mb=free_mb), details)
    return Result("disk", OK, _("selftest.disk.ok", free_mb=free_mb), details)


def check_clock(ctx: Context, now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> Result:
    """The time letters will carry: not before 2024, not before the register's last letter, and what vouches
    for it since this boot (NTP, a kept RTC, or the operator's confirmation on the screen)."""
    from appliance import clock
    from appliance.letters.register import Register
    from appliance.village import VillageProfile

    current = now()
    stamp = current.strftime("%Y-%m-%d %H:%M")
    details: dict = {"now": current.isoformat(timespec="seconds")}
    if current < CLOCK_EARLIEST:
        return Result("clock", FAIL, _("selftest.clock.wrong", now=stamp), details)
    settings = _settings(ctx)
    conf = settings.section("clock", clock.DEFAULTS)
    last = clock.last_register_day(Register(ctx.home).path, VillageProfile.from_settings(settings).timezone)
    details["last_letter_day"] = last.isoformat() if last else None
    if not clock.letter_day_allowed(current.date(), last):
        return Result("clock", FAIL, _("selftest.clock.before_register", now=stamp, last=str(last)), details)
    vouched = clock.confirmed_by(ctx.home, clock.ClockSources.from_settings(conf), current, last)
    details["confirmed_by"] = vouched
    if vouched is None:
        return Result("clock", WARN, _("selftest.clock.unconfirmed", now=stamp), details)
    return Result("clock", OK, _(CLOCK_VOUCHED[vouched], now=stamp), details)


def check_key(ctx: Context) -> Result:
    from appliance.config import Settings
    from appliance.services.letter_records import LetterRecords

    # Read only (the self-test never creates a key), and apart from the settings: a broken settings file
    # is the settings check's finding, not this one's.
    key = LetterRecords(Settings({}), ctx.home).village_key()
    if key is None:
        return Result("village_key", FAIL, _("selftest.key.missing"), {"present": False})
    return Result("village_key", OK, _("selftest.key.ok", fingerprint=key.fingerprint),
                  {"present": True, "fingerprint": key.fingerprint})


CHECKS: list[tuple[str, Callable[[Context], Result]]] = [
    ("settings", check_settings),
    ("store", check_store),
    ("letters", check_letters),
    ("printers", check_printers),
    ("gpio", check_gpio),
    ("display", check_display),
    ("watchdog", check_watchdog),
    ("disk", check_disk),
    ("clock", check_clock),
    ("village_key", check_key),
    ("crashes", check_crashes),
]


def run(home: Path | None = None, checks=None, env: dict | None = None) -> dict:
    """Run every check; a check that raises is a failed check with its reason. Returns the JSON report."""
    from appliance import paths

    ctx = Context(home=Path(home) if home else paths.home(), kiosk_pid=_kiosk_pid())
    if env is not None:
        ctx.env = dict(env)
    results = []
    for name, fn in checks or CHECKS:
        started = time.monotonic()
        try:
            result = fn(ctx)
        except Exception as exc:  # a broken part is this check's failure, not the self-test's
            result = Result(name, FAIL, _("selftest.check_failed", reason=_reason(exc)))
        result.details["seconds"] = round(time.monotonic() - started, 3)
        results.append(result)
    failed = [r.name for r in results if r.status == FAIL]
    return {
        "ok": not failed,
        "failed": failed,
        "warnings": [r.name for r in results if r.status == WARN],
        "checked_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "home": str(ctx.home),
        "checks": [r.as_dict() for r in results],
    }


def render(report: dict) -> str:
    """The readable report: one line a check, then the verdict."""
    marks = {OK: _("selftest.mark.ok"), WARN: _("selftest.mark.warn"), FAIL: _("selftest.mark.fail")}
    width = max(len(m) for m in marks.values())
    lines = [_("selftest.title", home=report["home"])]
    for check in report["checks"]:
        label = _(f"selftest.name.{check['name']}")
        lines.append(f"  [{marks[check['status']]:<{width}}] {label}: {check['message']}")
    if report["ok"]:
        lines.append(_("selftest.verdict.ok", warnings=len(report["warnings"])))
    else:
        labels = ", ".join(_(f"selftest.name.{n}") for n in report["failed"])
        lines.append(_("selftest.verdict.fail", count=len(report["failed"]), names=labels))
    return "\n".join(lines)
