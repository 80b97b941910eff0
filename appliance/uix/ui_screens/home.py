from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from appliance.uix.ui_screens import KScreen


class HomeScreen(KScreen):
    """Village name, the clock, two huge choices, the language switch, the printer when not ready."""

    screen_name = "home"
    village = StringProperty("")
    roomy_text_off = BooleanProperty(False)

    def refresh(self) -> None:
        v = self.app.unit.village
        self.village = f"{v.sebutan_desa} {v.nama_desa}"

    def switch_language(self) -> None:
        self.app.set_lang("en" if self.app.lang == "id" else "id")
