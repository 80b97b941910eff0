from __future__ import annotations

import csv
from pathlib import Path

import pytest

from appliance.residents.model import DATA_FIELDS

GOOD = {
    "nik": "3404134501900001", "no_kk": "3404130101100001", "nama": "SRI RAHAYU", "sex": "2",
    "tempatlahir": "SLEMAN", "tanggallahir": "1990-01-05", "agama_id": "1", "pendidikan_kk_id": "5",
    "pekerjaan_id": "88", "status_kawin": "2", "kk_level": "1", "warganegara_id": "1", "golongan_darah_id": "13",
    "alamat": "BERAN LOR", "dusun": "BERAN LOR", "rw": "004", "rt": "002", "nama_ayah": "SUPARNO",
    "nama_ibu": "SUMIYATI", "status_dasar": "1", "tag_id_card": "",
}


def person(**changes) -> dict:
    row = dict(GOOD)
    row.update(changes)
    return row


@pytest.fixture
def write_csv(tmp_path):
    """Write rows (dicts of OpenSID columns) to a CSV file and return its path."""

    def write(rows: list[dict], name: str = "penduduk.csv", delimiter: str = ",", encoding: str = "utf-8",
              header: list[str] | None = None) -> Path:
        path = tmp_path / name
        columns = header or list(DATA_FIELDS)
        with path.open("w", newline="", encoding=encoding) as fh:
            writer = csv.writer(fh, delimiter=delimiter)
            writer.writerow(columns)
            for row in rows:
                writer.writerow([row.get(c, "") for c in columns])
        return path

    return write
