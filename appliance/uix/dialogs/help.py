from __future__ import annotations

from appliance.uix.dialogs import KDialog


class HelpDialog(KDialog):
    """"Petugas sudah dipanggil" with the call number; the officer who comes clears the call."""

    def officer_came(self) -> None:
        self.app.assist.clear_help()
        self.close()
