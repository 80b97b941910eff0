"""The layering holds, read from the source (every import statement, at any depth):

- the UI (appliance/uix) reaches the appliance only through the application layer (appliance.services),
  the message catalogs (appliance.i18n) and the settings file (appliance.config): never residents,
  letters, queue, storage, printing or hardware directly, so there is one home per use case;
- the core (residents, letters, queue, services, storage, i18n, config, village, errors, paths) imports no
  UI or hardware library (Kivy, gpiozero, pyusb, pyserial, python-escpos's printer classes) and neither the
  UI nor the CLI, so it runs the same under the kiosk, the command line and the tests.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
APPLIANCE = REPO / "appliance"

UI_MAY_IMPORT = ("appliance.services", "appliance.i18n", "appliance.config", "appliance.uix")
CORE = ("residents", "letters", "render", "queue.py", "services", "storage", "i18n", "config.py", "village.py",
        "errors.py", "paths.py")
UI_AND_HARDWARE_LIBRARIES = ("kivy", "gpiozero", "usb", "serial", "escpos.printer", "lgpio", "RPi",
                             "appliance.uix", "appliance.cli", "appliance.selftest")
# Known breaches being removed by another part of the same change: each entry must still be a breach
# (the test fails once it is fixed, so the entry is deleted rather than left to hide a new one).
KNOWN_CORE_BREACHES: dict[tuple[str, str], str] = {}


def imports(path: Path, root: Path = REPO) -> list[str]:
    """Every module `path` imports, absolute names (relative imports resolved against its package)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                out.append(".".join([*base, node.module] if node.module else base))
            else:
                out.append(node.module or "")
    return out


def _under(name: str, prefixes) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def ui_breaches() -> list[str]:
    found = []
    for path in sorted((APPLIANCE / "uix").rglob("*.py")):
        for name in imports(path):
            if _under(name, ("appliance",)) and not _under(name, UI_MAY_IMPORT):
                found.append(f"{path.relative_to(REPO)} imports {name}")
    return found


def core_breaches() -> dict[tuple[str, str], str]:
    found = {}
    for part in CORE:
        target = APPLIANCE / part
        files = [target] if target.suffix == ".py" else sorted(target.rglob("*.py"))
        for path in files:
            for name in imports(path):
                library = next((lib for lib in UI_AND_HARDWARE_LIBRARIES if _under(name, (lib,))), None)
                if library is not None:
                    found[(str(path.relative_to(APPLIANCE)), library)] = f"{path.relative_to(REPO)} imports {name}"
    return found


def test_the_ui_reaches_the_appliance_only_through_services():
    assert ui_breaches() == []


def test_the_core_imports_no_ui_or_hardware_library():
    found = core_breaches()
    unexpected = [line for key, line in found.items() if key not in KNOWN_CORE_BREACHES]
    assert unexpected == []
    fixed = [key for key in KNOWN_CORE_BREACHES if key not in found]
    assert fixed == [], "fixed: remove these from KNOWN_CORE_BREACHES"


def test_the_checks_see_a_breach(tmp_path):
    """The reader is not blind: relative and nested imports are found and resolved."""
    probe = tmp_path / "appliance" / "uix" / "probe.py"
    probe.parent.mkdir(parents=True)
    probe.write_text("def f():\n    from ..letters import service\n    import gpiozero\n", encoding="utf-8")
    assert imports(probe, tmp_path) == ["appliance.letters", "gpiozero"]
    assert _under("appliance.letters.service", ("appliance.letters",))
    assert not _under("appliance.lettersx", ("appliance.letters",))
