"""Numbers: format, amounts in words, and no number ever issued twice when processes race."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections import Counter
from datetime import date

import orjson
import pytest

from appliance.letters.numbering import NumberFormatError, check_format, format_number
from appliance.letters.register import Register
from appliance.letters.words import rupiah, tanggal, terbilang

WORKER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from appliance.config import Settings
    from appliance.letters.service import LetterService
    from appliance.printing import open_printers
    from appliance.residents.store import ResidentStore

    home, count, nik = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    settings = Settings()
    printers = open_printers(settings, home)
    svc = LetterService(settings, home, ResidentStore.open(home), printers)
    issued = [svc.issue("PENGANTAR", nik, {"keperluan": "Melamar pekerjaan"}) for _ in range(count)]
    outcomes = [svc.wait(letter, 120).outcome for letter in issued]
    svc.close()
    printers.close()
    print(" ".join(letter.number for letter in issued))
    print(" ".join(sorted(set(outcomes))))
""")


def test_number_format_and_words():
    number = format_number("[kode_surat]/[nomor_surat, 3]/[kode_desa]/[bulan_romawi]/[tahun]", classification="470",
                           seq=12, day=date(2026, 11, 28), kode_desa="TRJ")
    assert number == "470/012/TRJ/XI/2026"
    assert terbilang(2_500_000) + " rupiah" == "dua juta lima ratus ribu rupiah"
    assert terbilang(1_100) == "seribu seratus" and rupiah(2_500_000) == "Rp2.500.000"
    assert tanggal(date(2026, 11, 28)) == "28 November 2026"
    check_format("[kode_surat]/[nomor_surat, 3]/[kode_desa]/[bulan_romawi]/[tahun]", "jenis")
    for unsafe, sequence in (("[kode_surat]/[nomor_surat]", "jenis"), ("[nomor_surat]/[tahun]", "jenis"),
                             ("[kode_surat]/[nomor_surat]/[tahunan]", "global")):
        with pytest.raises(NumberFormatError):
            check_format(unsafe, sequence)


def test_sequences_are_per_classification_per_year_or_global(resident_store, make_service):
    # PENGANTAR and DOMISILI share 400.12.2.1 (Permendagri 83/2022): they share its sequence, so the
    # number (which starts with the code) is never issued twice; SKTM (400) has its own.
    svc = make_service(resident_store)
    nik = next(r.nik for r in sorted(resident_store, key=lambda r: r.nik) if r.present and r.age(svc.today()) >= 17)
    first = svc.issue("PENGANTAR", nik, {"keperluan": "Melamar pekerjaan"}).number
    other = svc.issue("DOMISILI", nik, {"sejak": "2015", "keperluan": "Pengurusan BPJS"}).number
    second = svc.issue("PENGANTAR", nik, {"keperluan": "Melamar pekerjaan"}).number
    head = next(r.nik for r in sorted(resident_store, key=lambda r: r.nik) if r.present and r.kk_level == 1
                and not svc.catalog.templates["SKTM"].check_eligibility(r, resident_store, svc.today()))
    own = svc.issue("SKTM", head, {"keperluan": "Pengajuan beasiswa"}).number
    assert (first.split("/")[:2], other.split("/")[:2], second.split("/")[:2], own.split("/")[:2]) == (
        ["400.12.2.1", "001"], ["400.12.2.1", "002"], ["400.12.2.1", "003"], ["400", "001"])
    glob = make_service(resident_store, {"village": {"urutan_nomor": "global"}})
    assert glob.issue("DOMISILI", nik, {"sejak": "2015", "keperluan": "Pengurusan BPJS"}).number.startswith(
        "400.12.2.1/001/")
    # A lost counter file is rebuilt from the register: never a number twice.
    svc.close()  # the counters reach numbers.json when a service closes (and every few letters)
    (svc.home / "letters" / "numbers.json").unlink()
    fresh = make_service(resident_store)
    assert fresh.issue("PENGANTAR", nik, {"keperluan": "Melamar pekerjaan"}).number.startswith("400.12.2.1/004/")


def test_four_processes_issue_1000_distinct_numbers_without_gaps(resident_store, semenit_home):
    nik = next(r.nik for r in sorted(resident_store, key=lambda r: r.nik) if r.present)
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, str(semenit_home), "250", nik],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    numbers = []
    for worker in workers:
        out, err = worker.communicate(timeout=240)
        assert worker.returncode == 0, err[-2000:]
        issued, outcomes = out.strip().splitlines()[-2:]
        numbers.extend(issued.split())
        assert outcomes == "done"
    assert len(numbers) == 1000 and len(set(numbers)) == 1000
    sequence = sorted(int(n.split("/")[1]) for n in numbers)
    assert sequence == list(range(1, 1001))
    register = Register(semenit_home)
    report = register.verify()
    assert report.ok, report.problems[:3]
    events = Counter(orjson.loads(line)["event"] for line in register.path.read_bytes().splitlines())
    assert events == {"issued": 1000, "printed": 1000}
    assert {r.status for r in register.letters().values()} == {"printed"}
    assert len(list((semenit_home / "printed").glob("*.pdf"))) == 1000


def test_counters_kept_in_memory_reach_the_file_every_few_letters_and_at_close(resident_store, make_service):
    """The counters live in memory between letters; whoever reads numbers.json while it is behind (another
    process, the next start) catches up from the register and takes the next number, never one twice."""
    from appliance.letters.service import REGISTER_MARK, SAVE_COUNTERS_EVERY

    svc = make_service(resident_store)
    nik = next(r.nik for r in sorted(resident_store, key=lambda r: r.nik) if r.present and r.age(svc.today()) >= 17)
    counters = svc.home / "letters" / "numbers.json"

    def issue(service) -> int:
        return int(service.issue("PENGANTAR", nik, {"keperluan": "Melamar pekerjaan"}).number.split("/")[1])

    seqs = [issue(svc) for _ in range(SAVE_COUNTERS_EVERY + 2)]
    saved = orjson.loads(counters.read_bytes())  # written at the SAVE_COUNTERS_EVERY-th letter, not since
    assert max(v for k, v in saved.items() if k != REGISTER_MARK) == SAVE_COUNTERS_EVERY
    other = make_service(resident_store)  # another process, reading the file two letters behind
    seqs.append(issue(other))
    seqs.append(issue(svc))  # and this one, after the other took a number
    assert seqs == list(range(1, SAVE_COUNTERS_EVERY + 5))
    other.close()
    svc.close()
    saved = orjson.loads(counters.read_bytes())
    assert max(v for k, v in saved.items() if k != REGISTER_MARK) == SAVE_COUNTERS_EVERY + 4
    assert 0 < saved[REGISTER_MARK] <= svc.register.path.stat().st_size
