"""The values a template can name: resident keys (`{penduduk.nama}`), village keys (`{desa.nama_desa}`),
letter keys (`{surat.nomor}`), and how each resident key is printed.

Each resident key has a printed label (for the data table) and the longest length the one-page check
made at template load assumes for it. Values are never cut (a letter states them whole: a verifier
compares them with the KTP and KK); a value longer still only makes the PDF choose a smaller size.
"""

from __future__ import annotations

from datetime import date

from appliance.letters.words import tanggal
from appliance.residents import codes

# key: (label on the letter, longest printed length, English label)
RESIDENT_KEYS: dict[str, tuple[str, int, str]] = {
    "nama": ("Nama", 60, "Name"),
    "nik": ("NIK", 16, "NIK"),
    "no_kk": ("No. KK", 16, "Family card no."),
    "kepala_keluarga": ("Kepala Keluarga", 60, "Head of the family"),  # from the KK (filled when the letter is built)
    "tempatlahir": ("Tempat Lahir", 40, "Place of birth"),
    "tanggallahir": ("Tanggal Lahir", 18, "Date of birth"),
    "ttl": ("Tempat/Tgl Lahir", 60, "Place/date of birth"),
    "umur": ("Umur", 10, "Age"),
    "jenis_kelamin": ("Jenis Kelamin", 9, "Sex"),
    "agama": ("Agama", 30, "Religion"),
    "pekerjaan": ("Pekerjaan", 40, "Occupation"),
    "pendidikan": ("Pendidikan", 30, "Education"),
    "status_kawin": ("Status Perkawinan", 11, "Marital status"),
    "hubungan": ("Hubungan dalam Keluarga", 15, "Relation to the head of family"),
    "kewarganegaraan": ("Kewarganegaraan", 19, "Citizenship"),
    "golongan_darah": ("Golongan Darah", 10, "Blood type"),
    "alamat": ("Alamat", 300, "Address"),
    "alamat_jalan": ("Alamat", 60, "Street address"),
    "dusun": ("Dusun", 30, "Hamlet"),  # the label printed is the village's own word (sebutan_dusun)
    "rt": ("RT", 3, "RT"),
    "rw": ("RW", 3, "RW"),
    "nama_ayah": ("Nama Ayah", 60, "Father's name"),
    "nama_ibu": ("Nama Ibu", 60, "Mother's name"),
}

VILLAGE_KEYS = (
    "sebutan_desa", "nama_desa", "sebutan_kecamatan", "nama_kecamatan", "sebutan_kabupaten", "nama_kabupaten",
    "nama_provinsi", "sebutan_kepala", "sebutan_dusun", "alamat", "kode_desa", "telepon",
)

LETTER_KEYS = ("nomor", "tanggal", "berlaku_sampai", "judul")
LETTER_KEY_LENGTH = {"nomor": 32, "tanggal": 18, "berlaku_sampai": 18, "judul": 60}


def _rt_rw(value) -> str:
    text = str(value or "").strip()
    return text if text and text != "-" else "-"


def resident_values(resident, village, today: date) -> dict[str, str]:
    """Every resident key printed for `resident` (a Resident NamedTuple)."""
    age = resident.age(today)
    street = (resident.alamat or "").strip()
    parts = [street] if street else []  # then "RT 004 / RW 012", the dusun, the village, kecamatan, kabupaten
    rt, rw = _rt_rw(resident.rt), _rt_rw(resident.rw)
    parts.append(" / ".join(p for p in (f"RT {rt}" if rt != "-" else "", f"RW {rw}" if rw != "-" else "") if p))
    dusun = (resident.dusun or "").strip()
    if dusun:
        word = village.sebutan_dusun
        parts.append(dusun if dusun.lower().startswith(word.lower()) else f"{word} {dusun.title()}")
    parts.append(f"{village.sebutan_desa} {village.nama_desa}")
    parts.append(f"{village.sebutan_kecamatan} {village.nama_kecamatan}")
    parts.append(f"{village.sebutan_kabupaten} {village.nama_kabupaten}")
    born = tanggal(resident.tanggallahir) if resident.tanggallahir else ""
    place = (resident.tempatlahir or "").strip()
    values = {
        "nama": (resident.nama or "").strip(),
        "nik": resident.nik or "",
        "no_kk": resident.no_kk or "",
        "kepala_keluarga": "",
        "tempatlahir": place,
        "tanggallahir": born,
        "ttl": ", ".join(p for p in (place, born) if p),
        "umur": f"{age} tahun" if age is not None else "",
        "jenis_kelamin": codes.label("sex", resident.sex),
        "agama": codes.label("agama", resident.agama_id),
        "pekerjaan": codes.label("pekerjaan", resident.pekerjaan_id),
        "pendidikan": codes.label("pendidikan_kk", resident.pendidikan_kk_id),
        "status_kawin": codes.label("status_kawin", resident.status_kawin),
        "hubungan": codes.label("kk_level", resident.kk_level),
        "kewarganegaraan": codes.label("warganegara", resident.warganegara_id),  # WNI, as the KTP prints it
        "golongan_darah": codes.label("golongan_darah", resident.golongan_darah_id),
        "alamat": ", ".join(p for p in parts if p),
        "alamat_jalan": street,
        "dusun": (resident.dusun or "").strip(),
        "rt": _rt_rw(resident.rt),
        "rw": _rt_rw(resident.rw),
        "nama_ayah": (resident.nama_ayah or "").strip(),
        "nama_ibu": (resident.nama_ibu or "").strip(),
    }
    return values


def worst_resident_values() -> dict[str, str]:
    """The longest printed value of every resident key (the one-page check): free text in the widest
    letter, coded values as their longest label, dates and numbers as the longest they can be."""
    values = {key: "W" * length for key, (_label, length, _en) in RESIDENT_KEYS.items()}

    def longest(table: str) -> str:
        return max(codes.TABLES[table].values(), key=len)

    longest_date = "30 September 2026"
    values.update({
        "nik": "9" * 16, "no_kk": "9" * 16, "rt": "999", "rw": "999", "umur": "100 tahun",
        "tanggallahir": longest_date, "ttl": "W" * 40 + ", " + longest_date,
        "jenis_kelamin": longest("sex"), "agama": longest("agama"), "pekerjaan": longest("pekerjaan"),
        "pendidikan": longest("pendidikan_kk"), "status_kawin": longest("status_kawin"),
        "hubungan": longest("kk_level"), "kewarganegaraan": longest("warganegara"), "golongan_darah": longest("golongan_darah"),
    })
    return values


def village_values(village) -> dict[str, str]:
    return {key: str(getattr(village, key)) for key in VILLAGE_KEYS}
