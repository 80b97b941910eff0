"""Raspberry Pi firmware settings: check config.txt / cmdline.txt, and merge ours into /boot/firmware.

The firmware silently ignores what it does not understand, so a typo in config.txt means a unit that boots
without its watchdog or its display. `check_config` refuses unknown keys, unknown overlays and parameters,
and dtoverlay/dtparam lines the firmware would cut; `check_cmdline` refuses a cmdline that is not exactly
one line or has no `root=` (the unit would not boot). The known names are data (firmware_config/known.toml).

The merge is idempotent: our settings live in one managed block at the end of config.txt (later lines
win, `[all]` resets any filter before it), earlier lines that set the same key or load the same overlay
are commented out, and cmdline.txt stays one line with its `root=`. A second merge changes nothing.

Standard library only: provision.sh runs this module (`python3 -m appliance.firmware apply`) with the
system's Python before the app and its dependencies are installed.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from appliance.i18n import _
from appliance.storage.atomic import atomic_write

CONFIG_DIR = Path(__file__).resolve().parent.parent / "firmware_config"
UNIT_CONFIG_DIR = Path("/opt/semenit/src/firmware_config")
PROFILES = ("pi4", "pi5")
DISPLAYS = ("dsi7", "touch2", "hdmi")
BEGIN = "# --- semenit: begin (written by provision.sh from firmware_config/; edit there) ---"
END = "# --- semenit: end ---"
DISABLED = "#semenit-off# "
# cmdline keys that may rightly appear more than once.
MULTI_KEYS = {"console"}

_FILTER = re.compile(r"^\[[^\[\]]+\]$")
_KEY = re.compile(r"^([A-Za-z0-9_]+)(:[0-9])?$")
_GPIO_PINS = re.compile(r"^\d+(-\d+)?(,\d+(-\d+)?)*$")
# Keys whose value follows a space instead of "=".
_SPACED_KEYS = {"include", "initramfs"}
_GPIO_OPTIONS = {"ip", "op", "a0", "a1", "a2", "a3", "a4", "a5", "dh", "dl", "pu", "pd", "pn", "np"}


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Known:
    keys: frozenset[str]
    dtparams: frozenset[str]
    overlays: dict[str, frozenset[str]]
    max_dt_line: int

    @classmethod
    def load(cls, config_dir: Path | None = None) -> Known:
        path = default_config_dir(config_dir) / "known.toml"
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        return cls(
            keys=frozenset(data["keys"]),
            dtparams=frozenset(data["dtparams"]),
            overlays={name: frozenset(params) for name, params in data["overlays"].items()},
            max_dt_line=int(data.get("max_dt_line", 98)),
        )


def default_config_dir(config_dir: Path | None = None) -> Path:
    """firmware_config/ beside the source tree (a checkout, or /opt/semenit/src on a unit)."""
    if config_dir is not None:
        return Path(config_dir)
    return CONFIG_DIR if CONFIG_DIR.is_dir() else UNIT_CONFIG_DIR


def _active(line: str) -> str:
    """The line without its comment and surrounding blanks ('' for a comment or blank line)."""
    return line.split("#", 1)[0].strip()


def _split_setting(text: str) -> tuple[str, str] | None:
    if "=" not in text:
        return None
    key, value = text.split("=", 1)
    return key.strip(), value.strip()


def check_config(text: str, known: Known, name: str = "config.txt") -> list[Problem]:
    """Problems in a config.txt (or a fragment of one); empty means accepted."""
    problems: list[Problem] = []
    overlay: str | None = None  # dtparam lines after a dtoverlay set that overlay's parameters

    def refuse(lineno: int, message_key: str, **params) -> None:
        problems.append(Problem(name, lineno, _(message_key, **params)))

    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = _active(raw)
        if not line:
            continue
        if _FILTER.match(line):
            overlay = None
            continue
        if line.split(None, 1)[0] in _SPACED_KEYS and "=" not in line.split(None, 1)[0]:
            continue  # `include extra.txt`, `initramfs initrd.img followkernel`
        setting = _split_setting(line)
        if setting is None:
            refuse(lineno, "firmware.check.malformed", text=line)
            continue
        key, value = setting
        match = _KEY.match(key)
        if not match or match.group(1) not in known.keys:
            refuse(lineno, "firmware.check.unknown_key", setting=key)
            continue
        key = match.group(1)
        if key in ("dtoverlay", "dtparam") and len(raw.rstrip("\r\n")) > known.max_dt_line:
            refuse(lineno, "firmware.check.too_long", setting=key, length=len(raw.rstrip("\r\n")),
                   limit=known.max_dt_line)
            continue
        if key == "dtoverlay":
            parts = [p.strip() for p in value.split(",")]
            overlay = parts[0] or None
            if overlay is None:
                continue  # `dtoverlay=` alone ends the previous overlay's parameters
            if overlay not in known.overlays:
                refuse(lineno, "firmware.check.unknown_overlay", overlay=overlay)
                overlay = None
                continue
            for param in parts[1:]:
                pname = param.split("=", 1)[0].strip()
                if pname not in known.overlays[overlay]:
                    refuse(lineno, "firmware.check.unknown_param", param=pname, overlay=overlay)
        elif key == "dtparam":
            for param in value.split(","):
                pname = param.split("=", 1)[0].strip()
                allowed = known.dtparams | (known.overlays.get(overlay, frozenset()) if overlay else frozenset())
                if pname not in allowed:
                    refuse(lineno, "firmware.check.unknown_param", param=pname, overlay=overlay or "-")
        elif key == "gpio":
            pins, _eq, options = value.partition("=")
            opts = {o.strip() for o in options.split(",") if o.strip()}
            if not _GPIO_PINS.match(pins.strip()) or not opts or not opts <= _GPIO_OPTIONS:
                refuse(lineno, "firmware.check.bad_gpio", value=value)
    return problems


def check_cmdline(text: str, name: str = "cmdline.txt") -> list[Problem]:
    """cmdline.txt must be exactly one line and name the root file system."""
    lines = text.splitlines()
    if text.endswith("\n") and lines and lines[-1] == "":
        lines = lines[:-1]
    if len(lines) != 1 or not lines[0].strip():
        return [Problem(name, max(len(lines), 1), _("firmware.check.cmdline_lines", count=len(lines)))]
    if not any(token.startswith("root=") for token in lines[0].split()):
        return [Problem(name, 1, _("firmware.check.cmdline_root"))]
    return []


def is_cmdline(path: Path) -> bool:
    return "cmdline" in Path(path).name


def check_file(path: Path, known: Known) -> list[Problem]:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [Problem(str(path), 0, _("firmware.check.unreadable", reason=str(exc)))]
    if is_cmdline(path):
        return check_cmdline(text, str(path))
    return check_config(text, known, str(path))


# --- merge ----------------------------------------------------------------------------------------

def fragments(profile: str, display: str, serial_printer: bool, config_dir: Path | None = None) -> list[Path]:
    """Our config.txt fragments for this unit, in the order they are written."""
    if profile not in PROFILES:
        raise ValueError(_("firmware.apply.bad_profile", profile=profile, choices=", ".join(PROFILES)))
    if display not in DISPLAYS:
        raise ValueError(_("firmware.apply.bad_display", display=display, choices=", ".join(DISPLAYS)))
    base = default_config_dir(config_dir) / "config"
    names = ["common.txt", f"{profile}.txt", f"display-{display}.txt"]
    if serial_printer:
        names.append(f"uart-{profile}.txt")
    return [base / n for n in names]


def config_block(profile: str, display: str, serial_printer: bool, config_dir: Path | None = None) -> list[str]:
    lines = [BEGIN, "[all]"]
    for path in fragments(profile, display, serial_printer, config_dir):
        lines.append(f"# {path.parent.name}/{path.name}")
        lines.extend(_active(raw) for raw in path.read_text(encoding="utf-8").splitlines() if _active(raw))
    lines.append(END)
    return lines


def _overlay_name(text: str) -> str | None:
    setting = _split_setting(text)
    if setting and setting[0] == "dtoverlay":
        return setting[1].split(",", 1)[0].strip() or None
    return None


def merge_config(existing: str, block: list[str]) -> str:
    """config.txt with our managed block at the end, replacing a previous one."""
    outside: list[str] = []
    inside = False
    for raw in existing.splitlines():
        if raw.strip() == BEGIN:
            inside = True
        elif raw.strip() == END and inside:
            inside = False
        elif not inside:
            outside.append(raw)
    ours = [line for line in block if _active(line) and not _FILTER.match(_active(line))]
    our_keys = {s[0] for s in map(_split_setting, ours) if s and s[0] not in ("dtoverlay", "dtparam", "gpio")}
    our_overlays = {name for name in map(_overlay_name, ours) if name}
    merged: list[str] = []
    for raw in outside:
        line = _active(raw)
        setting = _split_setting(line) if line else None
        key = setting[0].split(":", 1)[0] if setting else None
        if key in our_keys or (key == "dtoverlay" and _overlay_name(line) in our_overlays):
            merged.append(DISABLED + raw)
        else:
            merged.append(raw)
    while merged and not merged[-1].strip():
        merged.pop()
    return "\n".join([*merged, "", *block]) + "\n"


def load_cmdline_rules(serial_printer: bool, config_dir: Path | None = None) -> tuple[list[str], list[str]]:
    with (default_config_dir(config_dir) / "cmdline.toml").open("rb") as fh:
        data = tomllib.load(fh)
    sections = ["all"] + (["serial-printer"] if serial_printer else [])
    set_tokens = [t for s in sections for t in data.get(s, {}).get("set", [])]
    remove = [t for s in sections for t in data.get(s, {}).get("remove", [])]
    return set_tokens, remove


def merge_cmdline(existing: str, set_tokens: list[str], remove: list[str]) -> str:
    """One line: `remove` entries dropped, `set_tokens` replacing same-key tokens or added; root= kept."""
    problems = check_cmdline(existing)
    if problems:
        raise ValueError(str(problems[0]))
    tokens = existing.split()

    def removed(token: str) -> bool:
        return any(token == r or token.startswith(r + ",") or token.split("=", 1)[0] == r for r in remove)

    tokens = [t for t in tokens if t.startswith("root=") or not removed(t)]
    for new in set_tokens:
        key = new.split("=", 1)[0]
        if key in MULTI_KEYS or key == "root":
            if new not in tokens:
                tokens.append(new)
            continue
        same = [i for i, t in enumerate(tokens) if t.split("=", 1)[0] == key]
        if same:
            tokens[same[0]] = new
            for i in reversed(same[1:]):
                del tokens[i]
        else:
            tokens.append(new)
    return " ".join(tokens) + "\n"


@dataclass
class Change:
    path: Path
    before: str
    after: str


def plan(boot: Path, profile: str, display: str, serial_printer: bool = False,
         config_dir: Path | None = None) -> list[Change]:
    """What `apply` would write: the files whose content differs, with old and new text."""
    boot = Path(boot)
    known = Known.load(config_dir)
    block = config_block(profile, display, serial_printer, config_dir)
    problems = check_config("\n".join(block), known, "firmware_config")
    if problems:
        raise ValueError(str(problems[0]))
    changes = []
    config = boot / "config.txt"
    before = config.read_text(encoding="utf-8") if config.exists() else ""
    after = merge_config(before, block)
    if after != before:
        changes.append(Change(config, before, after))
    cmdline = boot / "cmdline.txt"
    before = cmdline.read_text(encoding="utf-8")
    after = merge_cmdline(before, *load_cmdline_rules(serial_printer, config_dir))
    if after != before:
        changes.append(Change(cmdline, before, after))
    return changes


def apply(boot: Path, profile: str, display: str, serial_printer: bool = False,
          config_dir: Path | None = None, dry_run: bool = False) -> list[Change]:
    """Merge our settings into BOOT/config.txt and BOOT/cmdline.txt; returns what changed.

    The first time a file is changed its original is kept beside it as `NAME.semenit-orig`.
    """
    changes = plan(boot, profile, display, serial_printer, config_dir)
    if not dry_run:
        for change in changes:
            orig = change.path.with_name(change.path.name + ".semenit-orig")
            if change.path.exists() and not orig.exists():
                atomic_write(orig, change.before.encode("utf-8"))
            atomic_write(change.path, change.after.encode("utf-8"))
    return changes


def main(argv: list[str] | None = None) -> int:
    """`python3 -m appliance.firmware apply|check ...`: the same as `semenit firmware`, standard library only."""
    parser = argparse.ArgumentParser(prog="python3 -m appliance.firmware")
    sub = parser.add_subparsers(dest="command", required=True)
    add_arguments(sub)
    args = parser.parse_args(argv)
    return args.func(args)


def add_arguments(sub) -> None:
    check = sub.add_parser("check", help=_("cli.help.firmware_check"))
    check.add_argument("files", nargs="+", type=Path, metavar=_("cli.metavar.file"), help=_("cli.help.firmware_files"))
    check.add_argument("--config-dir", type=Path, default=None, metavar=_("cli.metavar.folder"),
                       help=_("cli.help.firmware_config_dir"))
    check.set_defaults(func=run_check)
    app = sub.add_parser("apply", help=_("cli.help.firmware_apply"))
    app.add_argument("--boot", type=Path, default=Path("/boot/firmware"), metavar=_("cli.metavar.folder"),
                     help=_("cli.help.firmware_boot"))
    app.add_argument("--profile", choices=PROFILES, required=True, help=_("cli.help.firmware_profile"))
    app.add_argument("--display", choices=DISPLAYS, required=True, help=_("cli.help.firmware_display"))
    app.add_argument("--serial-printer", action="store_true", help=_("cli.help.firmware_serial"))
    app.add_argument("--config-dir", type=Path, default=None, metavar=_("cli.metavar.folder"),
                     help=_("cli.help.firmware_config_dir"))
    app.add_argument("--dry-run", action="store_true", help=_("cli.help.firmware_dry_run"))
    app.set_defaults(func=run_apply)


def run_check(args) -> int:
    known = Known.load(args.config_dir)
    bad = 0
    for path in args.files:
        problems = check_file(path, known)
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            bad += 1
        else:
            print(_("firmware.check.ok", file=str(path)))
    if bad:
        print(_("firmware.check.refused", count=bad), file=sys.stderr)
        return 1
    return 0


def run_apply(args) -> int:
    try:
        changes = apply(args.boot, args.profile, args.display, args.serial_printer, args.config_dir,
                        args.dry_run)
    except (OSError, ValueError) as exc:
        print(_("firmware.apply.failed", reason=str(exc)), file=sys.stderr)
        return 1
    for change in changes:
        print(f"changed {change.path}")  # machine-read by provision.sh
    if not changes:
        print(_("firmware.apply.unchanged", boot=str(args.boot)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
