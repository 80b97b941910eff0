"""The village profile: names, codes and officials, from the unit's settings (section [village]).

The words a letter uses for the village's units (Kalurahan/Desa, Kapanewon/Kecamatan, Lurah/Kepala
Desa) come from here, never from code. The defaults are the demo village of DESIGN §15.

Officials and the default signer (DESIGN §6, issue 3):

    [village]
    sebutan_kepala = "Lurah"
    penandatangan = "carik"     # kode of the official who signs by default ("" or the head: signs directly)
    atas_nama = ""              # when set, the signer signs "u.b." under this official's "a.n."
    [[village.pejabat]]
    kode = "lurah"
    jabatan = "Lurah"
    nama = "..."
    nip = ""                    # NIP for civil servants, else NIPD
    nipd = "..."

The head of the village is the official whose kode equals `kepala` (default "lurah").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from appliance.config import Settings, SettingsError

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

# The letter-related part of the profile (issue 3). Kept apart so the text fields above stay plain strings.
LETTER_DEFAULTS = {
    "sebutan_kepala": "Lurah",
    # The village's word for its hamlets: Padukuhan in DIY, elsewhere Dusun, Dukuh, Banjar, Jorong, ...
    "sebutan_dusun": "Padukuhan",
    "telepon": "(0274) 868405",
    "email": "",
    # OpenSID's tokens: [kode_surat] [nomor_surat, N] [kode_desa] [kode_wilayah] [bulan_romawi] [bulan] [tahun]
    "format_nomor": "[kode_surat]/[nomor_surat, 3]/[kode_desa]/[bulan_romawi]/[tahun]",
    "urutan_nomor": "jenis",  # "jenis": a sequence per letter type per year; "global": one per year
    "kertas": "F4",  # "A4" or "F4" (215 x 330 mm, the Indonesian folio)
    "logo": "",  # path of a PNG/JPEG; empty draws a neutral placeholder emblem
    "kolom_pemegang_surat": True,  # print the resident's own signature column ("Pemegang Surat")
    "kepala": "lurah",
    "penandatangan": "lurah",
    "atas_nama": "",
    # The official (kode) who keeps the register and signs its daily summary; without one the paper says
    # "Sekretaris <sebutan_desa>".
    "sekretaris": "carik",
    "pejabat": [
        # No official number is invented: a NIP/NIPD line prints only where the profile gives one.
        {"kode": "lurah", "jabatan": "Lurah", "nama": "Drs. Sukirman Hadi", "nip": "", "nipd": ""},
        {"kode": "carik", "jabatan": "Carik", "nama": "Rina Wulandari, S.E.", "nip": "", "nipd": ""},
        {"kode": "jagabaya", "jabatan": "Jagabaya", "nama": "Bambang Prasetyo", "nip": "", "nipd": ""},
    ],
}

PAPERS = ("A4", "F4")
# The longest name and the longest "sebutan" word of the profile a letter prints (the one-page check of every
# template assumes them): Indonesia's longest regency name, "Kepulauan Siau Tagulandang Biaro", has 32.
NAME_MAX = 32
SEBUTAN_MAX = 16
SEQUENCES = ("jenis", "global")


@dataclass(frozen=True)
class Official:
    kode: str
    jabatan: str
    nama: str
    nip: str = ""
    nipd: str = ""

    @property
    def id_line(self) -> str:
        """'NIP. 1970…' for a civil servant, else 'NIPD. …' ('' when neither is known)."""
        if self.nip:
            return f"NIP. {self.nip}"
        if self.nipd:
            return f"NIPD. {self.nipd}"
        return ""


@dataclass(frozen=True)
class SignatureBlock:
    """The lines above and below the signature space, top to bottom."""

    above: tuple[str, ...]
    name: str
    id_line: str


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
    sebutan_kepala: str = LETTER_DEFAULTS["sebutan_kepala"]
    sebutan_dusun: str = LETTER_DEFAULTS["sebutan_dusun"]
    telepon: str = ""
    email: str = ""
    format_nomor: str = LETTER_DEFAULTS["format_nomor"]
    urutan_nomor: str = "jenis"
    kertas: str = "F4"
    logo: str = ""
    kolom_pemegang_surat: bool = True
    kepala: str = "lurah"
    penandatangan: str = "lurah"
    atas_nama: str = ""
    sekretaris: str = "carik"
    pejabat: tuple[Official, ...] = field(default_factory=tuple)

    @property
    def nik_area(self) -> str:
        """The 6-digit province/regency/district prefix of NIKs issued in this village's kecamatan."""
        return self.kode_wilayah[:6]

    @property
    def logo_path(self) -> Path | None:
        return Path(self.logo) if self.logo else None

    def official(self, kode: str) -> Official | None:
        for person in self.pejabat:
            if person.kode == kode:
                return person
        return None

    @property
    def secretary(self) -> Official | None:
        """The official who keeps the register and signs its daily summary (`sekretaris`)."""
        return self.official(self.sekretaris)

    def signature(self, signer: str | None = None) -> SignatureBlock:
        """The signature block for `signer` (an official's kode; None = the village's default signer).

        The head signs in his own name; anyone else signs "a.n." the head; when `atas_nama` names a
        third official, the signer signs "u.b." under that official's "a.n." (Permendagri 1/2023 usage).
        """
        head_title = f"{self.sebutan_kepala} {self.nama_desa}"
        person = self.official(signer or self.penandatangan) or self.official(self.penandatangan)
        if person is None or person.kode == self.kepala:
            head = self.official(self.kepala)
            if head is None:
                return SignatureBlock((head_title,), "", "")
            return SignatureBlock((head_title,), head.nama, head.id_line)
        middle = self.official(self.atas_nama) if self.atas_nama and self.atas_nama != person.kode else None
        if middle is None:
            return SignatureBlock((f"a.n. {head_title}", person.jabatan), person.nama, person.id_line)
        return SignatureBlock(
            (f"a.n. {head_title}", middle.jabatan, "u.b.", person.jabatan), person.nama, person.id_line
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> VillageProfile:
        section = settings.section("village", {**DEFAULTS, **LETTER_DEFAULTS})
        values = {name: str(section[name]) for name in DEFAULTS}
        for name in ("sebutan_kepala", "sebutan_dusun", "telepon", "email", "format_nomor", "logo", "kepala", "penandatangan",
                     "atas_nama", "sekretaris"):
            values[name] = str(section[name] or "")
        values["kertas"] = str(section["kertas"]).upper()
        values["urutan_nomor"] = str(section["urutan_nomor"]).lower()
        values["kolom_pemegang_surat"] = bool(section["kolom_pemegang_surat"])
        for name in (*DEFAULTS, "sebutan_kepala", "sebutan_dusun"):
            # the one-page check of every template assumes no longer a word (alamat: NAME_MAX * 3)
            limit = {"alamat": NAME_MAX * 3}.get(name, SEBUTAN_MAX if name.startswith("sebutan") else NAME_MAX)
            if len(values[name]) > limit:
                raise SettingsError(f"[village] {name}", "settings.reason.too_long", limit=limit)
        if values["kertas"] not in PAPERS:
            raise SettingsError("[village] kertas", "settings.reason.one_of", value=values["kertas"],
                                choices=", ".join(PAPERS))
        if values["urutan_nomor"] not in SEQUENCES:
            raise SettingsError("[village] urutan_nomor", "settings.reason.one_of", value=values["urutan_nomor"],
                                choices=", ".join(SEQUENCES))
        officials = []
        for item in section["pejabat"] or ():
            if not isinstance(item, dict) or not item.get("kode") or not item.get("jabatan"):
                raise SettingsError("[village] pejabat", "settings.reason.pejabat")
            officials.append(Official(**{k: str(item.get(k) or "") for k in ("kode", "jabatan", "nama", "nip",
                                                                                "nipd")}))
        values["pejabat"] = tuple(officials)
        return cls(**values)
