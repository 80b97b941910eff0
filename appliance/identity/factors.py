"""The second factors and how much each proves (DESIGN §10).

The birth date is printed inside the NIK (digits 7–12, day + 40 for women) and on every KTP and KK
photocopy, so it proves nothing to someone holding a copy: it is "weak", never the default, and only used
where a village chooses it knowingly. An e-KTP tap proves the card is at hand (a relative may hold it). A
PIN registered at the office after the officer saw the KTP proves knowledge. A one-time print code proves
that an officer checked the documents today, for this NIK and this letter type.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Factor:
    name: str
    strength: int  # 0 weak .. 3 strongest; a letter type accepts factors at or above its minimum
    label_key: str  # catalog key of its name, for screens and the register export


FACTORS: dict[str, Factor] = {f.name: f for f in (
    Factor("birth_date", 0, "identity.factor.birth_date"),
    Factor("tag", 1, "identity.factor.tag"),
    Factor("pin", 2, "identity.factor.pin"),
    Factor("code", 3, "identity.factor.code"),
)}
# What a village may set as its kiosk's usual factor ([kiosk] second_factor); "code" is always offered too.
VILLAGE_FACTORS = ("pin", "tag", "birth_date")
DEFAULT_FACTOR = "pin"


def strength(name: str) -> int:
    return FACTORS[name].strength


def accepted(factor: str, min_factor: str | None) -> bool:
    """Whether `factor` is enough for a letter type whose least accepted factor is `min_factor`."""
    return min_factor is None or min_factor == "" or strength(factor) >= strength(min_factor)


def factor_for(village_factor: str, min_factor: str | None) -> str:
    """The factor the kiosk asks for this letter: the village's usual one, or a print code when the letter
    type asks for more than that."""
    return village_factor if accepted(village_factor, min_factor) else "code"


def uses_pin(village_factor: str | None) -> bool:
    """Whether residents identify with a PIN in this village ([kiosk] second_factor), so the kiosk offers
    "Ganti PIN": a print code or an e-KTP tap never asks for one."""
    return (village_factor or DEFAULT_FACTOR) == "pin"
