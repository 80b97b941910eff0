"""What the kiosk shows about its devices: the printer's state, the status light, the USB stick, the
clock (a mixin of KioskApp). Listeners run in other threads and reach the UI through Clock triggers.
"""

from __future__ import annotations

import logging
from pathlib import Path

from kivy.clock import Clock

log = logging.getLogger("semenit.ui")


class DeviceStatus:
    # --- printer, light, USB -------------------------------------------------------------------------
    def update_printer_banner(self) -> None:
        state = self.backend.printer_state()
        if self.backend.printers is None:
            self.banner = self.tr("ui.home.no_printer")
        elif state is None or state.status in ("ready", "busy", "unknown"):
            self.banner = ""
        else:
            self.banner = state.message
        self._light()
        if self.sm.current == "printing":
            self.screen("printing").refresh()

    def _light(self) -> None:
        hw = self.backend.hardware
        if hw is None:
            return
        state = self.backend.printer_state()
        # DESIGN §8: fast blink when a person is needed — a printer fault, or a stick waiting to be imported.
        attention = (state is not None and state.status in ("paper_out", "offline", "cover_open")) or bool(
            self.usb_files) or bool(self.assist.help_number)
        try:
            hw.light.show("attention" if attention else "working" if self.busy else "ready")
        except Exception:  # noqa: BLE001 - the light is a nicety; never let it stop the screen
            log.warning("status light failed", exc_info=True)

    def _start_usb(self) -> None:
        from appliance.services.usb import UsbWatcher

        mount = Path(str(self.backend.usb_conf["mount_dir"]))
        changed = Clock.create_trigger(lambda dt: self._usb_changed())
        self.usb_watcher = UsbWatcher(mount, lambda files: changed(), float(self.backend.usb_conf["poll_s"]),
                                      skip=(str(self.backend.usb_conf["export_dir"]),))
        self.usb_watcher.start()

    def _usb_changed(self) -> None:
        self.usb_files = list(self.usb_watcher.files)
        self._light()
        if self.sm.current.startswith("operator"):
            self.sm.current_screen.refresh()

    def _tick_clock(self) -> None:
        from datetime import datetime
        from zoneinfo import ZoneInfo

        try:
            now = datetime.now(ZoneInfo(self.backend.village.timezone))
        except Exception:  # noqa: BLE001 - an unknown zone name must not stop the clock
            now = datetime.now()
        self.clock_text = now.strftime("%H:%M")
