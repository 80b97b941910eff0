"""One letter, as text: built from a template, the village profile, the resident and the filled fields.

Both renderers (pdf.py and escpos.py) draw this model and nothing else, so a PDF and a receipt of the
same letter say the same thing. Building it is pure: no store, no clock, no files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from appliance.i18n import catalog as i18n_catalog
from appliance.letters import placeholders as ph
from appliance.letters.catalog import FAMILY_MAX, MONEY_MAX, Template
from appliance.letters.values import (
    LETTER_KEY_LENGTH,
    RESIDENT_KEYS,
    resident_values,
    village_values,
    worst_resident_values,
)
from appliance.letters.words import angka, hari, parse_amount, rupiah, tanggal, terbilang
from appliance.residents import codes
from appliance.village import DEFAULTS, NAME_MAX, SEBUTAN_MAX, Official, SignatureBlock, VillageProfile

FAMILY_HEADER = ("No", "Nama", "NIK", "L/P", "Tanggal Lahir", "Hubungan")


def letter_text(key: str, **params) -> str:
    """A fixed sentence of the letter itself (letters.text.* in the catalog): always Bahasa Indonesia,
    whatever language the screen speaks, because the letter is an Indonesian legal document."""
    return i18n_catalog()[f"letters.text.{key}"]["id"].format(**params)


@dataclass(frozen=True)
class Kop:
    """The letterhead: the same for every letter of a village, so renderers cache what they draw of it."""

    lines: tuple[str, ...]  # PEMERINTAH KABUPATEN …, KAPANEWON …, KALURAHAN …
    address: str
    contact: str
    logo: str  # path, or "" for the drawn placeholder emblem


@dataclass
class LetterModel:
    code: str
    title: str
    number: str
    day: date
    kop: Kop
    intro: str
    resident_rows: list[tuple[str, str]]
    blocks: list[tuple] = field(default_factory=list)  # ("p", text) | ("table", rows) | ("family", rows)
    validity: str = ""
    closing: str = ""
    place_date: str = ""
    signature: SignatureBlock = SignatureBlock((), "", "")
    holder: str | None = None  # the resident's name under "Pemegang Surat", when that column is printed
    qr: str | None = None
    draft: bool = False
    nama: str = ""
    nik: str = ""
    thermal: bool = True  # False: this type prints only on the regular printer (template `thermal = false`)


def kop_for(village: VillageProfile) -> Kop:
    lines = (
        f"PEMERINTAH {village.sebutan_kabupaten} {village.nama_kabupaten}".upper(),
        f"{village.sebutan_kecamatan} {village.nama_kecamatan}".upper(),
        f"{village.sebutan_desa} {village.nama_desa}".upper(),
    )
    contact = " · ".join(p for p in (f"Telp. {village.telepon}" if village.telepon else "",
                                     f"Email: {village.email}" if village.email else "") if p)
    return Kop(lines, village.alamat, contact, village.logo)


def _apply_filter(name: str, value: str) -> str:
    if name == "upper":
        return value.upper()
    if name == "lower":
        return value.lower()
    if name == "title":
        return value.title()
    if name in ("terbilang", "rupiah"):
        try:
            amount = parse_amount(value)
        except ValueError:
            return value
        return terbilang(amount) if name == "terbilang" else rupiah(amount)
    if name == "kalimat":  # free text ending a sentence: exactly one full stop, whatever the resident typed
        value = value.rstrip()
        return value if not value or value[-1] in ".!?" else value + "."
    if name == "tanggal":
        try:
            return tanggal(value)
        except ValueError:
            return value
    return value


def field_values(template: Template, clean: dict[str, str], members: dict | None = None,
                 day: date | None = None) -> dict[str, str]:
    """The fields as printed: dates in Indonesian (with the day where the template asks), money as Rp,
    numbers with thousands dots and their unit, a family member by name; plus the computed values
    (NAME_umur: a member's age on the date; NAME_terlambat: the late-report sentence, or "")."""
    members = members or {}
    out = {}
    for item in template.fields:
        value = clean.get(item.name, "")
        raw = value
        if value and item.type == "date":
            value = (hari(value) + ", " if item.with_day else "") + tanggal(value)
        elif value and item.type == "money":
            value = rupiah(int(value))
        elif value and item.type == "number":
            value = angka(int(value)) + (f" {item.unit}" if item.unit else "")
        elif value and item.type == "family_member":
            member = members.get(value)
            value = (member.nama or "").strip() if member is not None else ""
        out[item.name] = value
        if item.age_of:
            member = members.get(clean.get(item.age_of, ""))
            age = _age_on(member, raw) if member is not None and raw else None
            out[f"{item.name}_umur"] = f"{age} tahun" if age is not None else ""
        if item.late_after_days is not None:
            late = (day - date.fromisoformat(raw)).days if raw and day else 0
            out[f"{item.name}_terlambat"] = (letter_text("late_report", days=late, limit=item.late_after_days)
                                             if late > item.late_after_days else "")
    return out


def _age_on(member, on: str) -> int | None:
    if not member.tanggallahir:
        return None
    born, then = date.fromisoformat(str(member.tanggallahir)[:10]), date.fromisoformat(on)
    return then.year - born.year - ((then.month, then.day) < (born.month, born.day))


def _kk_date(day) -> str:
    """A birth date as the KK prints it (DD-MM-YYYY): narrow, so the name column keeps whole names."""
    if not day:
        return "-"
    day = date.fromisoformat(str(day)[:10])
    return f"{day.day:02d}-{day.month:02d}-{day.year}"


def family_rows(family) -> list[tuple[str, ...]]:
    """Every member on the KK, whole names (hospitals and BPJS desks check each one against the KK).
    The catalog refuses a family letter for a KK longer than FAMILY_MAX, so this is never cut."""
    rows = []
    for index, member in enumerate(family, start=1):
        rows.append((str(index), (member.nama or "").strip() or "-", member.nik or "-",
                     "L" if member.sex == 1 else "P" if member.sex == 2 else "-",
                     _kk_date(member.tanggallahir),
                     codes.label("kk_level", member.kk_level) or "-"))
    return rows


def _names_empty_optional(template: Template, parts, values) -> bool:
    """A paragraph naming an optional field the resident left empty is left out whole (never a sentence
    ending in "dengan keterangan:" and nothing)."""
    for part in ph.placeholders(parts):
        if part.namespace == "isian" and not values["isian"].get(part.key):
            item = template.field(part.key)  # None: a computed value (e.g. NAME_terlambat), optional by nature
            if item is None or not item.required:
                return True
    return False


def assemble(template: Template, village: VillageProfile, values: dict[str, dict[str, str]], *, number: str,
             day: date, family: list[tuple] | None, qr: str | None, draft: bool) -> LetterModel:
    """Put the letter together from already-printed values (values[namespace][key])."""

    def text(parts) -> str:
        return ph.render(parts, values, _apply_filter)

    resident = values["penduduk"]
    def label(key: str) -> str:
        return village.sebutan_dusun if key == "dusun" else RESIDENT_KEYS[key][0]

    rows = [(label(key), resident.get(key, "")) for key in template.resident_rows]
    if template.purpose is not None:
        rows.append(("Keperluan", text(template.purpose)))
    blocks: list[tuple] = []
    for paragraph in template.body:
        if paragraph == "@rincian":
            blocks.append(("table", [(d.label, text(d.value)) for d in template.details]))
        elif paragraph == "@subjek":
            subject = values.get("subjek", {})
            blocks.append(("table", [(label(k), subject.get(k, "")) for k in template.subject_rows]))
        elif paragraph == "@keluarga":
            blocks.append(("family", family or []))
        elif not _names_empty_optional(template, paragraph, values):
            blocks.append(("p", text(paragraph)))
    validity = ""
    if template.validity_days:
        validity = letter_text("validity", days=template.validity_days, until=values["surat"]["berlaku_sampai"])
    return LetterModel(
        code=template.code,
        title=template.title.upper(),
        number=number,
        day=day,
        kop=kop_for(village),
        intro=text(template.intro),
        resident_rows=rows,
        blocks=blocks,
        validity=validity,
        closing=text(template.closing),
        place_date=f"{village.nama_desa}, {values['surat']['tanggal']}",
        signature=village.signature(template.signer),
        holder=resident.get("nama") if village.kolom_pemegang_surat else None,
        qr=qr,
        draft=draft,
        nama=resident.get("nama", ""),
        nik=resident.get("nik", ""),
        thermal=template.thermal,
    )


def build(template: Template, village: VillageProfile, resident, clean: dict[str, str], *, number: str | None,
          day: date, subject=None, family=None, qr: str | None = None) -> LetterModel:
    """The letter for `resident` (a Resident); number None makes a draft."""
    draft = number is None
    subject_values = resident_values(subject, village, day) if subject is not None else {}
    members = {m.nik: m for m in family or ()}
    if subject is not None:
        members[subject.nik] = subject
    printed = resident_values(resident, village, day)
    head = next((m for m in family or () if m.kk_level == 1), None)
    printed["kepala_keluarga"] = (head.nama or "").strip() if head is not None else ""
    values = {
        "penduduk": printed,
        "subjek": subject_values,
        "isian": field_values(template, clean, members, day),
        "desa": village_values(village),
        "surat": {
            "nomor": number or letter_text("draft_number"),
            "tanggal": tanggal(day),
            "berlaku_sampai": tanggal(day + timedelta(days=template.validity_days)),
            "judul": template.title,
        },
    }
    if template.family_table and family is None:
        family = []
    rows = family_rows(family) if template.family_table else None
    return assemble(template, village, values, number=number or letter_text("draft_number"), day=day, family=rows, qr=qr,
                    draft=draft)


# --- the one-page check made at template load ------------------------------------------------------

_WORST_VILLAGE = VillageProfile(**{**{k: "N" * (SEBUTAN_MAX if k.startswith("sebutan") else NAME_MAX) for k in DEFAULTS},
                                   "alamat": "N" * NAME_MAX * 3, "timezone": "Asia/Jakarta"},
                                sebutan_kepala="N" * SEBUTAN_MAX, sebutan_dusun="N" * SEBUTAN_MAX,
                                telepon="N" * 16, email="N" * 30,
                                kolom_pemegang_surat=True, kepala="a", penandatangan="c", atas_nama="b",
                                pejabat=tuple(Official(k, "N" * 30, "N" * 40, "9" * 18) for k in "abc"))


def _worst_field(item) -> str:
    if item.type == "date":
        return ("Minggu, " if item.with_day else "") + tanggal(date(2026, 9, 30))
    if item.type == "time":
        return "23:59"
    if item.type in ("money", "number"):
        high = min(item.max if item.max is not None else MONEY_MAX, MONEY_MAX)
        amount = int("9" * len(str(high))) if int("9" * len(str(high))) <= high else high
        return rupiah(amount) if item.type == "money" else angka(amount) + (f" {item.unit}" if item.unit else "")
    if item.type == "choice" and not item.allow_other:
        return max(item.choices, key=len)
    if item.type == "family_member":
        return "W" * RESIDENT_KEYS["nama"][1]
    return "W" * item.max_length


# A family letter cannot promise one page for FAMILY_MAX members and every value at its widest: the load
# check assumes a long but ordinary family (ORDINARY_NAME capitals per member, an address of ORDINARY_ADDRESS),
# and the service checks the real letter (fits_one_page) before it takes a number, so an unusual family is
# told to ask the office, and never gets a letter with a name cut.
ORDINARY_NAME = 30
ORDINARY_ADDRESS = 160


def worst_case(template: Template, resident: dict[str, str] | None = None,
               family: list[tuple] | None = None) -> LetterModel:
    """The letter with every value at its longest allowed length (wide letters), for the one-page check;
    with `resident` (printed values) and `family` (rows), the real ones in place of the longest."""
    worst = worst_resident_values()
    if template.family_table and resident is None:
        worst.update(alamat="N" * ORDINARY_ADDRESS, nama="N" * ORDINARY_NAME)
    if resident is not None:
        worst = resident
    if family is None:
        name = "N" * ORDINARY_NAME if template.family_table else "W" * RESIDENT_KEYS["nama"][1]
        family = [("20", name, "9" * 16, "P", "30-09-2026", "KEPALA KELUARGA")] * FAMILY_MAX
    day = date(2026, 9, 30)
    values = {
        "penduduk": worst,
        "subjek": worst,
        "isian": {**{f.name: _worst_field(f) for f in template.fields},
                  **{key: letter_text("late_report", days=99999, limit=9999) if key.endswith("_terlambat")
                     else "150 tahun" for f in template.fields for key in f.computed()}},
        "desa": village_values(_WORST_VILLAGE),
        "surat": {k: "W" * n for k, n in LETTER_KEY_LENGTH.items()},
    }
    qr = "SMN1|" + "W" * 40 + "|20260930|" + "W" * 20 + "|3404********0001|" + "A" * 86
    return assemble(template, _WORST_VILLAGE, values, number="W" * LETTER_KEY_LENGTH["nomor"], day=day,
                    family=family if template.family_table else None, qr=qr, draft=False)


def statements(letter: LetterModel) -> dict:
    """What the letter states, as data (for the QR's digest and the verifier's "what the letter must say"):
    the same model both renderings draw, so the PDF, the receipt and this dict cannot disagree. NIKs are
    whole here; whoever puts this in a QR digests it (DESIGN §6: the full NIK only hashed)."""
    tables = [[list(row) for row in block[1]] for block in letter.blocks if block[0] == "table"]
    return {
        "nomor": letter.number,
        "tanggal": letter.day.isoformat(),
        "jenis": letter.code,
        "judul": letter.title,
        "nama": letter.nama,
        "nik": letter.nik,
        "data": [list(row) for row in letter.resident_rows],
        "rincian": tables,
        "keluarga": [list(row) for block in letter.blocks if block[0] == "family" for row in block[1]],
        "paragraf": [block[1] for block in letter.blocks if block[0] == "p"],
        "berlaku": letter.validity,
        "penandatangan": [*letter.signature.above, letter.signature.name],
    }


def fits_one_page(letter: LetterModel, paper: str) -> bool:
    """Whether this very letter fits one page (checked for a family letter before its number is taken)."""
    from appliance.render.letter_pdf import fits

    return fits(letter, paper)


__all__ = ["Kop", "LetterModel", "assemble", "build", "fits_one_page", "statements", "kop_for", "letter_text", "worst_case"]
