"""The services the kiosk runs on, opened once from the settings (no Kivy here).

Each area is opened on its own: a missing or broken one (no printer configured, a letters catalog with
errors, no GPIO on a laptop) is recorded in `problems` with a plain message and the rest still starts,
so the screen can say what is wrong instead of the unit showing a blank display.
"""

from __future__ import annotations

import logging
from pathlib import Path

from appliance.config import Settings
from appliance.i18n import _
from appliance.services import kiosk, usb
from appliance.services.operator import OperatorPin
from appliance.village import VillageProfile

log = logging.getLogger("semenit.ui")

UI_DEFAULTS = {
    "language": "id",
    "fullscreen": "auto",  # auto: full screen on a unit, a window on a desktop
    "rotation": 0,
    "touch_match": "touch|-ts|ft5|goodix|ili|egalax|waveshare",  # which input devices are the touch panel
    "display_diagonal_in": 0,  # 0 = from the resolution: 7" for 800×480 and 720×1280, else 10.1"
    "width": 1280,
    "height": 800,
    "mode": "auto",  # unit | desktop | auto (unit when started by systemd)
    "operator_hold_s": 3.0,
    "touch_guard_s": 0.35,  # touches this soon after a screen appears are ignored (double taps)
    "letters_per_page": 4,
}


class Backend:
    def __init__(self, settings: Settings, home: Path, on_button=None, start_threads: bool = True):
        self.settings = settings
        self.home = Path(home)
        self.problems: list[tuple[str, str]] = []
        self.kiosk_conf = settings.section("kiosk", kiosk.DEFAULTS)
        self.ui_conf = settings.section("ui", UI_DEFAULTS)
        self.usb_conf = settings.section("usb", usb.DEFAULTS)
        self.village = VillageProfile.from_settings(settings)
        self.guard = kiosk.VerificationGuard(self.home, self.kiosk_conf)
        self.usage = kiosk.LetterUsage(self.home)
        self.operator_pin = OperatorPin(self.home)
        self.store = self._open("residents", self._open_store)
        self.printers = self._open("printing", lambda: self._open_printers(start_threads))
        self.letters = self._open("letters", self._open_letters)
        # The service's catalog carries the unit's eligibility overrides; without a service, the shipped one.
        self.catalog = getattr(self.letters, "catalog", None) or self._open("letters", self._open_catalog)
        for file, line, message in getattr(self.catalog, "errors", []) or []:
            self.problems.append(("letters", f"{Path(str(file)).name}:{line}: {message}"))
        self.queue = self._open("queue", self._open_queue)
        # The queue button calls whoever listens now (the app sets itself once it runs).
        self.button_listener = on_button
        self.hardware = self._open("hardware", lambda: self._open_hardware(self._button)) if start_threads else None
        if self.hardware is not None and not getattr(self.hardware, "available", True):
            self.problems.append(("hardware", str(getattr(self.hardware, "reason", ""))))

    def _open(self, area: str, opener):
        try:
            return opener()
        except Exception as exc:  # noqa: BLE001 - one broken area must not keep the kiosk dark
            log.warning("%s unavailable: %s", area, exc.__class__.__name__)
            self.problems.append((area, _("ui.problem.area", area=area, error=str(exc)[:200])))
            return None

    def _open_store(self):
        from appliance.residents.store import ResidentStore

        return ResidentStore.open(self.home)

    def _open_printers(self, start: bool):
        from appliance.printing import open_printers

        return open_printers(self.settings, self.home, start=start)

    def _open_catalog(self):
        from appliance.letters.catalog import catalog_dirs, load_catalog

        return load_catalog(catalog_dirs(self.settings, self.home))

    def _open_letters(self):
        from appliance.letters.service import LetterService

        if self.store is None:
            raise RuntimeError(_("ui.problem.no_store"))
        return LetterService(self.settings, self.home, self.store, printers=self.printers)

    def _open_queue(self):
        from appliance.queue import QueueService

        return QueueService(self.settings, self.home, printers=self.printers)

    def _button(self, *_args) -> None:
        listener = self.button_listener
        if listener is not None:
            listener()

    def _open_hardware(self, on_button):
        from appliance.hardware import open_hardware

        return open_hardware(self.settings, on_button=on_button)

    # --- what the screens ask ---------------------------------------------------------------------
    def new_session(self) -> kiosk.KioskSession:
        factor = str(self.kiosk_conf.get("second_factor", "birth_date"))
        pins = kiosk.ResidentPins(self.home) if factor == "pin" else None
        return kiosk.KioskSession(self.store, self.catalog, self.guard, factor=factor, pins=pins)

    def templates(self) -> list:
        if self.catalog is None:
            return []
        return self.usage.order(list(self.catalog.templates.values()))

    def letter_printer(self) -> str | None:
        if self.printers is None:
            return None
        try:
            return self.printers.default_for("letter")
        except Exception:  # noqa: BLE001
            return None

    def printer_state(self, name: str | None = None):
        """The state of the letter printer (never blocks: the printing area caches it)."""
        if self.printers is None:
            return None
        name = name or self.letter_printer()
        if not name:
            return None
        try:
            return self.printers.state(name)
        except Exception:  # noqa: BLE001
            return None

    def close(self) -> None:
        for part in (self.hardware, self.printers):
            if part is not None:
                try:
                    part.close()
                except Exception:  # noqa: BLE001
                    log.warning("close failed", exc_info=True)


def load_demo_residents(backend: Backend, n: int = 200, seed: int = 1) -> int:
    """First run of `make run`: the demo village's synthetic residents, through the real import service."""
    import tempfile

    from appliance.residents import demo
    from appliance.residents.importing import commit_import, plan_import

    store = backend.store
    if store is None or len(store) > 0:
        return 0
    with tempfile.TemporaryDirectory(prefix="semenit-demo-") as tmp:
        path = Path(tmp) / "demo_penduduk.csv"
        demo.write_csv(demo.generate(n, seed=seed), path)
        plan = plan_import(path, store, backend.settings, mode="full")
        commit_import(plan, store)
    return len(store)
