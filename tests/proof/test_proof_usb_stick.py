"""A hostile USB stick through the kiosk's own path: the USB watcher (appliance.services.usb) that the
operator screen lists, then the import the operator starts on a listed file. Symlinks, `..` in names,
a FIFO and a character device, a 2 GB sparse file, 10,000 files and a workbook with macros are
refused or ignored safely, with a message; nothing blocks the caller's (UI) thread."""

from __future__ import annotations

import os
import stat
import threading
import time
import zipfile

import pytest

from appliance.residents import demo
from appliance.residents.importing import ImportRefused, plan_import
from appliance.residents.store import ResidentStore
from appliance.services.usb import UsbWatcher, scan
from tests.conftest import FIXTURES_DIR


def _in_thread(fn, timeout: float):
    """Run fn in a worker thread; fail (instead of hanging the test) if it does not return in time."""
    box = {}

    def work():
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            box["error"] = exc

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    worker.join(timeout)
    assert not worker.is_alive(), f"{fn} still running after {timeout} s"
    if "error" in box:
        raise box["error"]
    return box["value"]


@pytest.fixture
def stick(tmp_path):
    root = tmp_path / "usb"
    root.mkdir()
    demo.write_csv(demo.generate(50, seed=3), root / "warga.csv")
    (root / "tautan.csv").symlink_to("/etc/passwd")  # a symlink to a file outside the stick
    (root / "loop").symlink_to(root)  # a symlink loop
    (root / "akar").symlink_to("/")  # a symlink to the whole system
    (root / "..\\..\\etc\\shadow.csv").write_text("nik,nama\n", encoding="utf-8")  # `..` in a name
    os.mkfifo(root / "pipa.csv")  # opening a FIFO blocks for ever
    os.mknod(root / "perangkat.csv", 0o600 | stat.S_IFCHR, os.makedev(1, 5))  # as /dev/zero: endless bytes
    with open(root / "besar.xlsx", "wb") as fh:  # 2 GB, sparse: costs no disk
        fh.truncate(2 * 1024**3)
    with zipfile.ZipFile(FIXTURES_DIR / "contoh_penduduk.xlsx") as src, \
            zipfile.ZipFile(root / "makro.xlsm", "w", zipfile.ZIP_DEFLATED) as dst:  # a workbook with a macro
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\0" * 512)
    many = root / "banyak"
    many.mkdir()
    for i in range(10_000):
        (many / f"f{i:05d}.csv").touch()
    return root


def test_the_watcher_offers_only_regular_resident_files_inside_the_stick(stick):
    changes = []
    started = time.monotonic()
    watcher = UsbWatcher(stick, changes.append, poll_s=0.1)
    watcher.start()  # the UI thread only starts it: the scan runs in the watcher's thread
    assert time.monotonic() - started < 1.0  # far less than a scan of 10,000 entries on a busy machine
    try:
        deadline = time.monotonic() + 10
        while not changes and time.monotonic() < deadline:
            time.sleep(0.02)
        assert changes, "the watcher never reported the stick"
    finally:
        watcher.stop()
    offered = {f.name: f for f in changes[-1]}
    for refused in ("tautan.csv", "pipa.csv", "perangkat.csv", "makro.xlsm", "loop", "akar"):
        assert refused not in offered
    assert "warga.csv" in offered and "besar.xlsx" in offered
    root = stick.resolve()
    for f in changes[-1]:
        assert f.path.resolve().is_relative_to(root) and stat.S_ISREG(os.lstat(f.path).st_mode)
    assert len(changes[-1]) <= 2100  # 10,000 files: the scan stops after a bounded number of entries
    assert offered["besar.xlsx"].size == 2 * 1024**3


def test_scan_of_10000_files_is_bounded_in_time(stick):
    started = time.monotonic()
    _in_thread(lambda: scan(stick), 10)
    assert time.monotonic() - started < 5


def test_importing_what_the_stick_holds_never_hangs_and_says_why(stick, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    store = ResidentStore.open(home)
    plan = _in_thread(lambda: plan_import(stick / "warga.csv", store), 20)
    assert len(plan.report.added) == 50
    expected = {
        "besar.xlsx": "import.file.too_big",  # refused from its size, without reading 2 GB
        "pipa.csv": "import.file.not_a_file",
        "perangkat.csv": "import.file.not_a_file",
        "makro.xlsm": "import.file.macros",
        "..\\..\\etc\\shadow.csv": "import.file.no_rows",
        "banyak/f00001.csv": "import.file.empty",
    }
    for name, key in expected.items():
        path = stick / name
        started = time.monotonic()
        with pytest.raises(ImportRefused) as refused:
            _in_thread(lambda p=path: plan_import(p, store), 10)
        assert time.monotonic() - started < 5, name
        assert refused.value.key == key, (name, refused.value.key)
        message = refused.value.text("id")
        assert path.name in message and len(message) > len(path.name) + 10
    assert not (home / "residents.json").exists()  # nothing was committed by any of it
