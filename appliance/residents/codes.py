"""OpenSID's code tables (number -> label as printed on letters) and the words real files use for them.

Importers accept a code as its number ("2", 2, 2.0), its label in any case and spacing ("Cerai Mati"),
or one of the aliases OpenSID and Dukcapil SIAK write ("CM", "Tdk Th", "Pindah Dalam Negeri").
"""

from __future__ import annotations

import re

SEX = {1: "LAKI-LAKI", 2: "PEREMPUAN"}
AGAMA = {
    1: "ISLAM", 2: "KRISTEN", 3: "KATHOLIK", 4: "HINDU", 5: "BUDHA", 6: "KHONGHUCU",
    7: "KEPERCAYAAN TERHADAP TUHAN YME",
}
STATUS_KAWIN = {1: "BELUM KAWIN", 2: "KAWIN", 3: "CERAI HIDUP", 4: "CERAI MATI"}
KK_LEVEL = {
    1: "KEPALA KELUARGA", 2: "SUAMI", 3: "ISTRI", 4: "ANAK", 5: "MENANTU", 6: "CUCU", 7: "ORANGTUA",
    8: "MERTUA", 9: "FAMILI LAIN", 10: "PEMBANTU", 11: "LAINNYA",
}
PENDIDIKAN_KK = {
    1: "TIDAK/BELUM SEKOLAH", 2: "BELUM TAMAT SD/SEDERAJAT", 3: "TAMAT SD/SEDERAJAT", 4: "SLTP/SEDERAJAT",
    5: "SLTA/SEDERAJAT", 6: "DIPLOMA I/II", 7: "AKADEMI/DIPLOMA III/S. MUDA", 8: "DIPLOMA IV/STRATA I",
    9: "STRATA II", 10: "STRATA III",
}
PEKERJAAN = dict(enumerate([
    "BELUM/TIDAK BEKERJA", "MENGURUS RUMAH TANGGA", "PELAJAR/MAHASISWA", "PENSIUNAN",
    "PEGAWAI NEGERI SIPIL (PNS)", "TENTARA NASIONAL INDONESIA (TNI)", "KEPOLISIAN RI (POLRI)", "PERDAGANGAN",
    "PETANI/PEKEBUN", "PETERNAK", "NELAYAN/PERIKANAN", "INDUSTRI", "KONSTRUKSI", "TRANSPORTASI",
    "KARYAWAN SWASTA", "KARYAWAN BUMN", "KARYAWAN BUMD", "KARYAWAN HONORER", "BURUH HARIAN LEPAS",
    "BURUH TANI/PERKEBUNAN", "BURUH NELAYAN/PERIKANAN", "BURUH PETERNAKAN", "PEMBANTU RUMAH TANGGA",
    "TUKANG CUKUR", "TUKANG LISTRIK", "TUKANG BATU", "TUKANG KAYU", "TUKANG SOL SEPATU",
    "TUKANG LAS/PANDAI BESI", "TUKANG JAHIT", "TUKANG GIGI", "PENATA RIAS", "PENATA BUSANA", "PENATA RAMBUT",
    "MEKANIK", "SENIMAN", "TABIB", "PARAJI", "PERANCANG BUSANA", "PENTERJEMAH", "IMAM MASJID", "PENDETA",
    "PASTOR", "WARTAWAN", "USTADZ/MUBALIGH", "JURU MASAK", "PROMOTOR ACARA", "ANGGOTA DPR-RI", "ANGGOTA DPD",
    "ANGGOTA BPK", "PRESIDEN", "WAKIL PRESIDEN", "ANGGOTA MAHKAMAH KONSTITUSI", "ANGGOTA KABINET KEMENTERIAN",
    "DUTA BESAR", "GUBERNUR", "WAKIL GUBERNUR", "BUPATI", "WAKIL BUPATI", "WALIKOTA", "WAKIL WALIKOTA",
    "ANGGOTA DPRD PROVINSI", "ANGGOTA DPRD KABUPATEN/KOTA", "DOSEN", "GURU", "PILOT", "PENGACARA", "NOTARIS",
    "ARSITEK", "AKUNTAN", "KONSULTAN", "DOKTER", "BIDAN", "PERAWAT", "APOTEKER", "PSIKIATER/PSIKOLOG",
    "PENYIAR TELEVISI", "PENYIAR RADIO", "PELAUT", "PENELITI", "SOPIR", "PIALANG", "PARANORMAL", "PEDAGANG",
    "PERANGKAT DESA", "KEPALA DESA", "BIARAWATI", "WIRASWASTA", "LAINNYA",
], start=1))
GOLONGAN_DARAH = {
    1: "A", 2: "B", 3: "AB", 4: "O", 5: "A+", 6: "A-", 7: "B+", 8: "B-", 9: "AB+", 10: "AB-", 11: "O+",
    12: "O-", 13: "TIDAK TAHU",
}
WARGANEGARA = {1: "WNI", 2: "WNA", 3: "DUA KEWARGANEGARAAN"}
STATUS_DASAR = {1: "HIDUP", 2: "MATI", 3: "PINDAH", 4: "HILANG", 6: "PERGI", 9: "TIDAK VALID"}

TABLES: dict[str, dict[int, str]] = {
    "sex": SEX,
    "agama": AGAMA,
    "status_kawin": STATUS_KAWIN,
    "kk_level": KK_LEVEL,
    "pendidikan_kk": PENDIDIKAN_KK,
    "pekerjaan": PEKERJAAN,
    "golongan_darah": GOLONGAN_DARAH,
    "warganegara": WARGANEGARA,
    "status_dasar": STATUS_DASAR,
}

# Words seen in OpenSID workbooks and SIAK exports that are not the label itself.
ALIASES: dict[str, dict[str, int]] = {
    "sex": {"L": 1, "LK": 1, "LAKI": 1, "LAKILAKI": 1, "PRIA": 1, "P": 2, "PR": 2, "W": 2, "WANITA": 2},
    "agama": {"KATOLIK": 3, "KRISTENKATOLIK": 3, "KRISTENPROTESTAN": 2, "PROTESTAN": 2, "BUDDHA": 5,
              "KONGHUCU": 6, "KHONGHUCHU": 6, "KEPERCAYAAN": 7, "KEPERCAYAANTERHADAPTUHANYANGMAHAESA": 7},
    "status_kawin": {"BK": 1, "BELUMMENIKAH": 1, "K": 2, "MENIKAH": 2, "CH": 3, "CM": 4},
    "kk_level": {"KK": 1, "KEPALA": 1, "ORANGTUA": 7, "FAMILI": 9, "FAMILILAINNYA": 9},
    "pendidikan_kk": {"TIDAKSEKOLAH": 1, "BELUMSEKOLAH": 1, "SD": 3, "SLTP": 4, "SMP": 4, "SLTA": 5, "SMA": 5,
                      "D1": 6, "D2": 6, "D3": 7, "S1": 8, "D4": 8, "S2": 9, "S3": 10},
    "pekerjaan": {"BELUMBEKERJA": 1, "TIDAKBEKERJA": 1, "PNS": 5, "TNI": 6, "POLRI": 7, "PETANI": 9,
                  "PEKEBUN": 9, "NELAYAN": 11, "BURUHTANI": 20, "BURUHHARIAN": 19},
    "golongan_darah": {"TDKTH": 13, "TDKTAHU": 13, "TIDAKTAHU": 13, "TT": 13},
    "warganegara": {"WARGANEGARAINDONESIA": 1, "INDONESIA": 1, "WARGANEGARAASING": 2, "ASING": 2},
    "status_dasar": {"PINDAHDALAMNEGERI": 3, "PINDAHLUARNEGERI": 3, "MENINGGAL": 2, "MENINGGALDUNIA": 2,
                     "WAFAT": 2, "TIDAKVALID": 9},
}

_NOT_LETTER_OR_DIGIT = re.compile(r"[^0-9A-Z+\-]")


def word_key(text: str) -> str:
    """Fold case, spaces and punctuation so that 'Tamat SD / Sederajat' equals 'TAMAT SD/SEDERAJAT'."""
    key = _NOT_LETTER_OR_DIGIT.sub("", text.upper())
    # A sign is meaningful only for blood groups (A+); elsewhere it is a hyphen as in LAKI-LAKI.
    return key if key.endswith(("+", "-")) and len(key) <= 3 else key.replace("-", "").replace("+", "")


def _build_lookup() -> dict[str, dict[str, int]]:
    lookup: dict[str, dict[str, int]] = {}
    for table, labels in TABLES.items():
        words = {word_key(label): code for code, label in labels.items()}
        words.update(ALIASES.get(table, {}))
        lookup[table] = words
    return lookup


_LOOKUP = _build_lookup()


# Internal, not a SemenitError: plan_import turns it into a row message of the import report.
class UnknownCode(ValueError):
    """A value that is neither a code, a label nor a known alias of the table."""


def label(table: str, code: int | None) -> str:
    """The printed label of `code` ('' when the code is missing)."""
    if code is None:
        return ""
    return TABLES[table].get(code, "")


def parse(table: str, value) -> int | None:
    """A cell's value as the table's code; None for an empty cell. Raises UnknownCode."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise UnknownCode(str(value))
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            raise UnknownCode(str(value))
        code = int(value)
        if code in TABLES[table]:
            return code
        raise UnknownCode(str(value))
    text = str(value).strip()
    if not text or text == "-":
        return None
    # ASCII digits only: str.isdigit() also accepts '²', which int() refuses.
    if text.isascii() and (text.isdigit() or (text.endswith(".0") and text[:-2].isdigit())):
        code = int(text.split(".")[0])
        if code in TABLES[table]:
            return code
        raise UnknownCode(text)
    code = _LOOKUP[table].get(word_key(text))
    if code is None:
        raise UnknownCode(text)
    return code
