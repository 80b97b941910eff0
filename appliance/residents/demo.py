"""Synthetic but realistic residents for the demo kiosk, tests and the benchmark.

Families of one head each with spouse, children and sometimes a parent; NIKs consistent with the
birth date and sex, in the demo village's area; No KK from the family's registration date; names
from common Javanese and Indonesian given names. The first families are fixed so every letter rule
has someone to try it on (a head of family, a child under 17, an unmarried adult, a dead and a moved
resident).
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

from appliance.residents.model import DATA_FIELDS

MEN = ("Agus Budi Cahyo Dwi Eko Fajar Gunawan Hadi Iwan Joko Kusnadi Bambang Slamet Sugeng Sutrisno "
       "Wahyu Yoga Rudi Teguh Heru Purnomo Suharto Sumarno Wawan Arif Andi Bayu Danang Aris Rizky").split()
MEN_FAMILY = ("Santoso Wibowo Prasetyo Nugroho Susilo Hartono Wijaya Saputra Kurniawan Setiawan Pratama "
              "Hidayat Utomo Purwanto Raharjo").split()
WOMEN = ("Sri Siti Dewi Endang Tri Wulan Yuni Ani Lestari Rini Sulastri Suharti Ratna Nur Indah Fitri "
         "Ayu Dian Rina Mega Puji Umi Yuli Novi Winarsih Sumiyati Partini Tutik Kartini Wahyuni").split()
WOMEN_FAMILY = "Rahayu Lestari Handayani Wulandari Astuti Purwanti Susanti Kusumawati Utami Sari".split()
DUSUN = ["Karangasem", "Beran Lor", "Beran Kidul", "Jetis", "Krapyak", "Medari", "Mlati", "Ngemplak",
         "Pandowo", "Sawahan", "Tegalweru", "Sucen"]
TEMPAT = ["SLEMAN", "SLEMAN", "SLEMAN", "YOGYAKARTA", "BANTUL", "KLATEN", "MAGELANG", "KULON PROGO"]
AREA = "340413"


def _name(rng: random.Random, sex: int) -> str:
    if sex == 1:
        return f"{rng.choice(MEN)} {rng.choice(MEN_FAMILY)}".upper()
    return f"{rng.choice(WOMEN)} {rng.choice(WOMEN_FAMILY)}".upper()


class _Numbers:
    """Unique NIK and No KK serials per (area, date, sex)."""

    def __init__(self):
        self.serials: dict[str, int] = {}

    def _next(self, prefix: str) -> str:
        n = self.serials.get(prefix, 0) + 1
        self.serials[prefix] = n
        return f"{prefix}{n:04d}"

    def nik(self, born: date, sex: int) -> str:
        day = born.day + (40 if sex == 2 else 0)
        return self._next(f"{AREA}{day:02d}{born.month:02d}{born.year % 100:02d}")

    def kk(self, registered: date) -> str:
        return self._next(f"{AREA}{registered.day:02d}{registered.month:02d}{registered.year % 100:02d}")


def _born(rng: random.Random, today: date, lo: int, hi: int) -> date:
    return today - timedelta(days=rng.randint(lo * 365 + 1, hi * 365 + 300))


def generate(n: int, seed: int = 1, today: date | None = None) -> list[dict]:
    """`n` residents as dicts of DATA_FIELDS (codes as ints, dates ISO)."""
    rng = random.Random(seed)
    today = today or date.today()
    numbers = _Numbers()
    people: list[dict] = []
    family_no = 0
    while len(people) < n:
        family_no += 1
        dusun_i = rng.randrange(len(DUSUN))
        rw = f"{dusun_i * 3 + rng.randint(1, 3):03d}"
        rt = f"{rng.randint(1, 9):03d}"
        address = f"{DUSUN[dusun_i].upper()} RT {rt} RW {rw}"
        kk = numbers.kk(today - timedelta(days=rng.randint(200, 6000)))
        fixed = family_no <= 3  # the first families cover every letter rule
        head_sex = 1 if fixed or rng.random() < 0.85 else 2
        head_born = _born(rng, today, 30, 70)
        members = [(1, head_sex, head_born, 2 if head_sex == 1 else 4)]
        married = head_sex == 1 and (fixed or rng.random() < 0.9)
        if married:
            members.append((3, 2, _born(rng, today, 25, 65), 2))
        children = 3 if fixed else rng.choice((0, 1, 2, 2, 3, 3, 4))
        for c in range(children):
            age_hi = max(1, min(40, (today - head_born).days // 365 - 20))
            child_born = _born(rng, today, 0, age_hi)
            if fixed and c == 0:
                child_born = _born(rng, today, 19, 25)  # an unmarried adult
            if fixed and c == 1:
                child_born = _born(rng, today, 5, 12)  # a child
            members.append((4, rng.choice((1, 2)), child_born, 1))
        if rng.random() < 0.1:
            members.append((7, 2, _born(rng, today, 70, 90), 4))
        father = next((m for m in members if m[0] in (1, 2) and m[1] == 1), None)
        father_name = _name(rng, 1) if father is None else None
        head_name = None
        for level, sex, born, kawin in members:
            name = _name(rng, sex)
            if level == 1:
                head_name = name
            age = (today - born).days // 365
            pekerjaan = 3 if 6 <= age < 22 and level == 4 else (1 if age < 6 else rng.choice((9, 15, 19, 84, 88, 2)))
            status = 1
            if family_no == 2 and level == 4 and not any(p["status_dasar"] == 2 for p in people):
                status = 2  # a dead resident
            people.append({
                "nik": numbers.nik(born, sex),
                "no_kk": kk,
                "nama": name,
                "sex": sex,
                "tempatlahir": rng.choice(TEMPAT),
                "tanggallahir": born.isoformat(),
                "agama_id": rng.choices((1, 2, 3, 4, 5), (88, 6, 4, 1, 1))[0],
                "pendidikan_kk_id": 1 if age < 7 else rng.randint(2, 8),
                "pekerjaan_id": pekerjaan,
                "status_kawin": kawin,
                "kk_level": level,
                "warganegara_id": 1,
                "golongan_darah_id": rng.choice((1, 2, 3, 4, 13, 13)),
                "alamat": address,
                "dusun": DUSUN[dusun_i].upper(),
                "rw": rw,
                "rt": rt,
                "nama_ayah": (head_name if level == 4 and head_sex == 1 else father_name or _name(rng, 1)),
                "nama_ibu": _name(rng, 2),
                "status_dasar": status,
                "tag_id_card": None,
            })
        if family_no == 3:
            people[-1]["status_dasar"] = 3  # a resident who moved away
    return people[:n]


def write_csv(people: list[dict], path: Path) -> None:
    with Path(path).open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(DATA_FIELDS)
        for p in people:
            writer.writerow(["" if p.get(f) is None else p[f] for f in DATA_FIELDS])


def write_xlsx(people: list[dict], path: Path) -> None:
    """An OpenSID-style workbook: named header row, codes as numbers, NIKs as text."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Sheet1")
    sheet.append(list(DATA_FIELDS))
    for p in people:
        sheet.append([("" if p.get(f) is None else (str(p[f]) if f in ("nik", "no_kk") else p[f]))
                      for f in DATA_FIELDS])
    book.save(path)
