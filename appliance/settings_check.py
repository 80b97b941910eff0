"""The whole settings file checked at start and by `semenit selftest`: each problem with its key and reason.

A setting that is wrong must stop the unit with a sentence naming it, not fail later while a resident
waits, or worse, not fail at all: a `|` in kode_desa (the QR payload's separator) made every genuine
letter fail verification silently. The rules here are about the file's values; each area still reads
its own section (config.Settings.section) with its defaults.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from appliance.config import Settings
from appliance.i18n import _
from appliance.storage.cells import has_control

_KODE_DESA = re.compile(r"^[A-Za-z0-9.\-]{1,20}$")
_KODE_WILAYAH = re.compile(r"^[0-9]{6,10}$")


@dataclass(frozen=True)
class SettingsProblem:
    setting: str  # "village.kertas", "printers.struk.backend"
    reason: str  # a catalog sentence

    def line(self, source) -> str:
        return _("settings.invalid", setting=self.setting, path=str(source or "-"), reason=self.reason)


def _timezone_problem(name: str) -> str | None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return _("settings.reason.timezone", value=name[:60])
    return None


def _texts(prefix: str, value, out: list[SettingsProblem]) -> None:
    """No control characters in any text of the file: it ends up on letters, tickets and screens."""
    if isinstance(value, str):
        if has_control(value):
            out.append(SettingsProblem(prefix, _("settings.reason.control")))
    elif isinstance(value, dict):
        for key, item in value.items():
            _texts(f"{prefix}.{key}" if prefix else str(key), item, out)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _texts(f"{prefix}[{i}]", item, out)


def _village(section, out: list[SettingsProblem]) -> None:
    from appliance.letters.numbering import NumberFormatError, check_format
    from appliance.village import DEFAULTS, LETTER_DEFAULTS, PAPERS, SEQUENCES

    v = {**DEFAULTS, **LETTER_DEFAULTS, **section}
    for key in ("kertas", "urutan_nomor", "kode_desa", "kode_wilayah", "timezone", "format_nomor"):
        if not isinstance(v[key], str):
            out.append(SettingsProblem(f"village.{key}", _("settings.reason.not_text")))
            return
    if v["kertas"].upper() not in PAPERS:
        out.append(SettingsProblem("village.kertas", _("settings.reason.one_of", value=v["kertas"][:40],
                                                        choices=", ".join(PAPERS))))
    if v["urutan_nomor"].lower() not in SEQUENCES:
        out.append(SettingsProblem("village.urutan_nomor", _("settings.reason.one_of", value=v["urutan_nomor"][:40],
                                                              choices=", ".join(SEQUENCES))))
    if not _KODE_DESA.match(v["kode_desa"]):
        out.append(SettingsProblem("village.kode_desa", _("settings.reason.kode_desa", value=v["kode_desa"][:40])))
    if not _KODE_WILAYAH.match(v["kode_wilayah"]):
        out.append(SettingsProblem("village.kode_wilayah", _("settings.reason.kode_wilayah")))
    if problem := _timezone_problem(v["timezone"]):
        out.append(SettingsProblem("village.timezone", problem))
    if "|" in v["format_nomor"]:
        out.append(SettingsProblem("village.format_nomor", _("settings.reason.bar")))
    else:
        try:
            check_format(v["format_nomor"], v["urutan_nomor"].lower())
        except NumberFormatError as exc:
            out.append(SettingsProblem("village.format_nomor", exc.text()))
    officials = v["pejabat"]
    if not isinstance(officials, list) or not all(
            isinstance(p, dict) and isinstance(p.get("kode"), str) and p.get("kode") and
            isinstance(p.get("jabatan"), str) and p.get("jabatan") for p in officials):
        out.append(SettingsProblem("village.pejabat", _("settings.reason.pejabat")))


def _printers(tables, out: list[SettingsProblem]) -> None:
    from appliance.printing.capabilities import BACKENDS

    for name, table in tables.items():
        if not isinstance(table, dict):
            out.append(SettingsProblem(f"printers.{name}", _("settings.reason.not_table")))
        elif table.get("backend") not in BACKENDS:
            out.append(SettingsProblem(f"printers.{name}.backend", _("settings.reason.one_of",
                                       value=str(table.get("backend", ""))[:40], choices=", ".join(BACKENDS))))


def check(settings: Settings) -> list[SettingsProblem]:
    """Every problem of the settings file (empty: the file is fine)."""
    out: list[SettingsProblem] = []
    raw = settings.raw
    _texts("", raw, out)
    for name in ("village", "queue", "printers", "printing", "kiosk"):
        if name in raw and not isinstance(raw[name], dict):
            out.append(SettingsProblem(name, _("settings.reason.not_table")))
    if isinstance(raw.get("village", {}), dict):
        _village(raw.get("village", {}), out)
    queue = raw.get("queue", {})
    if isinstance(queue, dict) and queue.get("timezone"):
        if not isinstance(queue["timezone"], str):
            out.append(SettingsProblem("queue.timezone", _("settings.reason.not_text")))
        elif problem := _timezone_problem(queue["timezone"]):
            out.append(SettingsProblem("queue.timezone", problem))
    if isinstance(raw.get("printers", {}), dict):
        _printers(raw.get("printers", {}), out)
    if isinstance(raw.get("kiosk", {}), dict):
        _second_factor(raw.get("kiosk", {}), out)
    return out


def _second_factor(section: dict, out: list[SettingsProblem]) -> None:
    """An unknown factor would stop the first resident at the kiosk: it stops the unit at start instead."""
    from appliance.identity.factors import VILLAGE_FACTORS

    value = section.get("second_factor")
    if value is not None and value not in VILLAGE_FACTORS:
        out.append(SettingsProblem("kiosk.second_factor", _("settings.reason.one_of", value=str(value)[:40],
                                                            choices=", ".join(VILLAGE_FACTORS))))
