from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from appliance.services.kiosk import uses_pin
from appliance.uix.ui_screens import KScreen


class HomeScreen(KScreen):
    """Village name, the clock, two huge choices, the language switch, the printer when not ready."""

    screen_name = "home"
    village = StringProperty("")
    roomy_text_off = BooleanProperty(False)

    def on_kv_post(self, base_widget) -> None:
        # "Ganti PIN" only where residents have PINs (the village's second factor); the settings are read
        # once at start, so the button is taken out for good rather than hidden in place.
        super().on_kv_post(base_widget)
        button = self.ids.pin_change
        if not uses_pin(self.app.unit.kiosk_conf.get("second_factor")) and button.parent is not None:
            button.parent.remove_widget(button)

    def refresh(self) -> None:
        v = self.app.unit.village
        self.village = f"{v.sebutan_desa} {v.nama_desa}"

    def switch_language(self) -> None:
        self.app.set_lang("en" if self.app.lang == "id" else "id")
