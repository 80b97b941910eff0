from __future__ import annotations

from kivy.properties import StringProperty

from appliance.uix.ui_screens import KScreen


def masked_address(resident, tr) -> str:
    """Where the resident lives, without the street: dusun and RT/RW are enough to recognise oneself."""
    parts = []
    if resident.rt or resident.rw:
        parts.append(tr("ui.confirm.rt_rw", rt=resident.rt or "-", rw=resident.rw or "-"))
    if resident.dusun:
        parts.append(tr("ui.confirm.dusun", dusun=resident.dusun))
    return ", ".join(parts)


class ConfirmScreen(KScreen):
    """"Apakah ini Anda?" with the name and a masked address."""

    screen_name = "confirm"
    name_text = StringProperty("")
    detail = StringProperty("")

    def refresh(self) -> None:
        app = self.app
        r = app.session.resident
        if r is None:
            self.clear()
            return
        self.name_text = r.nama
        self.detail = "\n".join(x for x in (app.tr("ui.confirm.nik", nik=app.session.masked_nik),
                                            masked_address(r, app.tr)) if x)

    def clear(self) -> None:
        self.name_text = self.detail = ""
