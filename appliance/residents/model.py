"""The resident record: OpenSID's field names, codes as ints (see codes.py), immutable."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from appliance.residents import codes

HIDUP = 1


class Resident(NamedTuple):
    nik: str
    no_kk: str | None
    nama: str
    sex: int | None
    tempatlahir: str | None
    tanggallahir: str | None  # ISO date, YYYY-MM-DD
    agama_id: int | None
    pendidikan_kk_id: int | None
    pekerjaan_id: int | None
    status_kawin: int | None
    kk_level: int | None
    warganegara_id: int | None
    golongan_darah_id: int | None
    alamat: str | None
    dusun: str | None
    rw: str | None
    rt: str | None
    nama_ayah: str | None
    nama_ibu: str | None
    status_dasar: int | None
    tag_id_card: str | None
    updated_at: str | None  # when an import last changed this resident (ISO timestamp)
    import_id: str | None  # which import that was
    absent_since: str | None  # set when a full import no longer listed the resident (never deleted)

    @property
    def birth_date(self) -> date | None:
        return date.fromisoformat(self.tanggallahir) if self.tanggallahir else None

    def age(self, on: date | None = None) -> int | None:
        born = self.birth_date
        if born is None:
            return None
        on = on or date.today()
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))

    @property
    def present(self) -> bool:
        """Living here: status HIDUP and still listed by the latest full import."""
        return self.status_dasar == HIDUP and self.absent_since is None

    def label(self, field: str) -> str:
        """The printed label of a coded field ('agama_id' -> 'ISLAM')."""
        return codes.label(CODED_FIELDS[field], getattr(self, field))


FIELDS: tuple[str, ...] = Resident._fields

# Resident fields that hold a code, and the table each one uses.
CODED_FIELDS = {
    "sex": "sex",
    "agama_id": "agama",
    "pendidikan_kk_id": "pendidikan_kk",
    "pekerjaan_id": "pekerjaan",
    "status_kawin": "status_kawin",
    "kk_level": "kk_level",
    "warganegara_id": "warganegara",
    "golongan_darah_id": "golongan_darah",
    "status_dasar": "status_dasar",
}

# Bookkeeping fields: set by the store, not compared when deciding whether an import changes a resident.
META_FIELDS = ("updated_at", "import_id", "absent_since")
DATA_FIELDS = tuple(f for f in FIELDS if f not in META_FIELDS)
