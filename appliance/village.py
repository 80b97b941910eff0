"""The village profile: names, codes and officials, from the unit's settings (section [village]).

The words a letter uses for the village's units (Kalurahan/Desa, Kapanewon/Kecamatan, Lurah/Kepala
Desa) come from here, never from code. The defaults are the demo village of DESIGN §15.
"""

from __future__ import annotations

from dataclasses import dataclass

from appliance.config import Settings

DEFAULTS = {
    "sebutan_desa": "Kalurahan",
    "nama_desa": "Triharjo",
    "sebutan_kecamatan": "Kapanewon",
    "nama_kecamatan": "Sleman",
    "sebutan_kabupaten": "Kabupaten",
    "nama_kabupaten": "Sleman",
    "nama_provinsi": "Daerah Istimewa Yogyakarta",
    # Kemendagri area code of the village (10 digits); its first 6 digits open every local NIK.
    "kode_wilayah": "3404132005",
    "kode_desa": "TRJ",
    "alamat": "Jl. Kaliurang Km 17, Triharjo, Sleman, Yogyakarta 55514",
    "timezone": "Asia/Jakarta",
}


@dataclass(frozen=True)
class VillageProfile:
    sebutan_desa: str
    nama_desa: str
    sebutan_kecamatan: str
    nama_kecamatan: str
    sebutan_kabupaten: str
    nama_kabupaten: str
    nama_provinsi: str
    kode_wilayah: str
    kode_desa: str
    alamat: str
    timezone: str

    @property
    def nik_area(self) -> str:
        """The 6-digit province/regency/district prefix of NIKs issued in this village's kecamatan."""
        return self.kode_wilayah[:6]

    @classmethod
    def from_settings(cls, settings: Settings) -> VillageProfile:
        section = settings.section("village", DEFAULTS)
        return cls(**{name: str(section[name]) for name in DEFAULTS})
