"""Which column of a file is which resident field: OpenSID names, SIAK labels, common variants.

Headers are compared without case, spaces or punctuation ("Tanggal Lahir" = "tanggal_lahir" =
"tanggallahir"). A header we do not know at all refuses the file: it is more likely a misspelt
column whose data would otherwise be silently lost than a column nobody needs.
"""

from __future__ import annotations

import re

# normalised header -> resident field
FIELD_HEADERS: dict[str, str] = {
    # OpenSID's own column names
    **{h: h for h in ("alamat", "dusun", "rw", "rt", "nama", "nik", "sex", "tempatlahir", "tanggallahir")},
    "nokk": "no_kk", "agamaid": "agama_id", "pendidikankkid": "pendidikan_kk_id",
    "pekerjaanid": "pekerjaan_id", "statuskawin": "status_kawin", "kklevel": "kk_level",
    "warganegaraid": "warganegara_id", "namaayah": "nama_ayah", "namaibu": "nama_ibu",
    "golongandarahid": "golongan_darah_id", "statusdasar": "status_dasar", "tagidcard": "tag_id_card",
    # Dukcapil SIAK labels
    "nomorkk": "no_kk", "namapenduduk": "nama", "status": "status_dasar", "kelamin": "sex",
    "ayah": "nama_ayah", "ibu": "nama_ibu", "shdk": "kk_level", "agama": "agama_id",
    "pendidikan": "pendidikan_kk_id", "pekerjaan": "pekerjaan_id", "goldarah": "golongan_darah_id",
    # variants operators type in their own spreadsheets
    "namalengkap": "nama", "jeniskelamin": "sex", "nomorkartukeluarga": "no_kk", "tgllahir": "tanggallahir",
    "hubungan": "kk_level", "hubungandalamkeluarga": "kk_level", "statusperkawinan": "status_kawin",
    "kewarganegaraan": "warganegara_id", "golongandarah": "golongan_darah_id", "pendidikankk": "pendidikan_kk_id",
    "padukuhan": "dusun", "pedukuhan": "dusun", "dukuh": "dusun", "nomorktp": "nik", "tagid": "tag_id_card",
}

# Known columns Semenit does not keep (OpenSID's other 22, SIAK's administrative ones).
IGNORED_HEADERS = frozenset({
    "pendidikansedangid", "ayahnik", "ibunik", "aktalahir", "dokumenpasport", "tanggalakhirpaspor",
    "dokumenkitas", "aktaperkawinan", "tanggalperkawinan", "aktaperceraian", "tanggalperceraian", "cacatid",
    "carakbid", "hamil", "ktpel", "statusrekam", "alamatsekarang", "suku", "idasuransi", "noasuransi", "lat",
    "lng", "nikayah", "nikibu", "kecamatan", "desakel", "desa", "kelurahan", "deskripsipekerjaan", "cacat",
    "cetakktp", "gantiktp", "ktpberakhir", "nomorpaspor", "nomoraktalahir", "nomoraktakawin", "tanggalkwn",
    "nomoraktacerai", "tglcerai", "petugasregistrasi", "tglubah", "petugasentri", "tglentri", "no", "nomor",
    "id",
})

REQUIRED = ("nik", "nama")

_FOLD = re.compile(r"[^0-9a-z]")


def fold(header: str) -> str:
    return _FOLD.sub("", header.lower())


# Internal, not a SemenitError: plan_import turns it into ImportRefused (which names the file).
class ColumnError(Exception):
    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params


def map_columns(header: list[str]) -> dict[str, int]:
    """Resident field -> column index. Raises ColumnError for an unknown, doubled or missing column."""
    mapping: dict[str, int] = {}
    for index, name in enumerate(header):
        key = fold(name)
        if not key:
            continue
        field = FIELD_HEADERS.get(key)
        if field is None:
            if key in IGNORED_HEADERS:
                continue
            raise ColumnError("import.file.unknown_column", column=name, letter=column_letter(index))
        if field in mapping:
            raise ColumnError("import.file.double_column", column=name, letter=column_letter(index))
        mapping[field] = index
    missing = [f for f in REQUIRED if f not in mapping]
    if missing:
        raise ColumnError("import.file.missing_column", columns=", ".join(missing))
    return mapping


def column_letter(index: int) -> str:
    """0 -> 'A', 26 -> 'AA': how the operator finds the column in a spreadsheet."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
