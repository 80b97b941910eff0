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
    kiosk_running: bool = False


def _safe(text: str) -> str:
    """An exception's text for the report, with any NIK-like number masked (UU 27/2022)."""
    return _NIK.sub(lambda m: f"{m.group(1)}****{m.group(2)}", text)[:300]


def _reason(exc: BaseException) -> str:
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

    settings = _settings(ctx)
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


def _kiosk_running() -> bool:
    """Whether the kiosk service runs now (its pins and printers are in use)."""
    systemctl = shutil.which("systemctl")
    if not systemctl or not Path("/run/systemd/system").is_dir():
        return False
    try:
        return subprocess.run([systemctl, "is-active", "--quiet", KIOSK_UNIT], timeout=5, check=False).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def check_gpio(ctx: Context) -> Result:
    if ctx.kiosk_running:
        # The running kiosk holds the button and light: claiming them again would fail and mean nothing.
        return Result("gpio", OK, _("selftest.gpio.in_use"), {"available": True, "held_by": KIOSK_UNIT})
    from appliance.hardware import open_hardware

    hw = open_hardware(_settings(ctx), on_button=lambda *args: None)
    try:
        if not hw.available:
            return Result("gpio", FAIL, _("selftest.gpio.unavailable", reason=str(hw.reason)),
                          {"available": False})
        return Result("gpio", OK, _("selftest.gpio.ok"), {"available": True})
    finally:
        hw.close()


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
    current = now()
    details = {"now": current.isoformat(timespec="seconds")}
    if current < CLOCK_EARLIEST:
        return Result("clock", FAIL, _("selftest.clock.wrong", now=current.strftime("%Y-%m-%d %H:%M")), details)
    return Result("clock", OK, _("selftest.clock.ok", now=current.strftime("%Y-%m-%d %H:%M")), details)


def check_key(ctx: Context) -> Result:
    from appliance.letters import signing

    private = signing.key_dir(ctx.home) / signing.PRIVATE_NAME
    public = signing.load_public(ctx.home)  # reads only: the self-test never creates a key
    if public is None or not private.exists():
        return Result("village_key", FAIL, _("selftest.key.missing"), {"present": False})
    return Result("village_key", OK, _("selftest.key.ok", fingerprint=signing.fingerprint(public)),
                  {"present": True, "fingerprint": signing.fingerprint(public)})


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
]


def run(home: Path | None = None, checks=None, env: dict | None = None) -> dict:
    """Run every check; a check that raises is a failed check with its reason. Returns the JSON report."""
    from appliance import paths

    ctx = Context(home=Path(home) if home else paths.home(), kiosk_running=_kiosk_running())
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
