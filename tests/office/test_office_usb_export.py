"""Export onto a real stick image (vfat on a loop device) mounted read-only by the unit's own helper: the
kiosk's export asks for a short read-write mount, the files arrive, and the stick is read-only again. An
NTFS stick and a damaged one are not mounted, and leave the notice the operator is shown."""

from __future__ import annotations

import errno
import time
from pathlib import Path

import pytest
from sticks import PathUnit, Stick, helper_env, make_image

from appliance.i18n import set_language
from appliance.services.usb import UsbWatcher
from appliance.services.usb_export import StickError, refused, writable_stick


@pytest.fixture
def env(tmp_path):
    return helper_env(tmp_path)


@pytest.fixture
def plug(tmp_path, env):
    plugged = []

    def plug(kind):
        stick = Stick(make_image(tmp_path / f"{kind}.img", kind), env)
        plugged.append(stick)
        return stick

    yield plug
    for stick in plugged:
        stick.close()


@pytest.mark.parametrize("kind", ["vfat", "exfat"])
def test_export_writes_through_a_short_read_write_mount_and_leaves_the_stick_read_only(plug, env, kind):
    stick = plug(kind)
    mounted = stick.helper("mount", stick.name)
    assert mounted.returncode == 0, mounted.stderr
    options = stick.mount_options()
    assert options is not None and "ro" in options
    assert {"nosuid", "nodev", "noexec"} <= set(options)
    with pytest.raises(OSError) as refused_write:
        (stick.folder / "coba.txt").write_text("x")
    assert refused_write.value.errno == errno.EROFS

    with PathUnit(env) as unit, writable_stick(env["SEMENIT_USB_BASE"], env["SEMENIT_USB_REQUESTS"]) as folder:
        assert folder == stick.folder
        assert "rw" in stick.mount_options()
        (folder / "semenit-ekspor").mkdir()
        (folder / "semenit-ekspor" / "buku-agenda.csv").write_bytes(b"nomor,jenis\n470/001/TRJ/XI/2026,SKD\n")
    assert len(unit.served) == 2 and all("ok" in s for s in unit.served), unit.served
    assert "ro" in stick.mount_options()
    # The files are on the stick itself: unmounted and mounted again by the helper, they are still there.
    assert stick.helper("unmount", stick.name).returncode == 0
    assert stick.mount_options() is None
    assert stick.helper("mount", stick.name).returncode == 0
    assert (stick.folder / "semenit-ekspor" / "buku-agenda.csv").read_bytes() == \
        b"nomor,jenis\n470/001/TRJ/XI/2026,SKD\n"
    assert "ro" in stick.mount_options()


def test_a_failed_export_still_leaves_the_stick_read_only(plug, env):
    stick = plug("vfat")
    assert stick.helper("mount", stick.name).returncode == 0
    with PathUnit(env), pytest.raises(ZeroDivisionError):
        with writable_stick(env["SEMENIT_USB_BASE"], env["SEMENIT_USB_REQUESTS"]):
            assert "rw" in stick.mount_options()
            1 / 0  # noqa: B018 - the export breaks half-way
    assert "ro" in stick.mount_options()


def test_no_answer_from_the_helper_is_a_message_not_a_hang(plug, env):
    stick = plug("vfat")
    assert stick.helper("mount", stick.name).returncode == 0
    set_language("en")
    with pytest.raises(StickError, match="the system did not answer"):
        with writable_stick(env["SEMENIT_USB_BASE"], env["SEMENIT_USB_REQUESTS"], wait_s=0.5):
            pass
    assert "ro" in stick.mount_options()


@pytest.mark.parametrize("kind, reason, words", [
    ("ntfs", "ntfs", "uses NTFS"),
    ("damaged", "damaged", "damaged or not formatted"),
])
def test_a_stick_the_unit_cannot_use_is_not_mounted_and_says_why(plug, env, kind, reason, words):
    stick = plug(kind)
    result = stick.helper("mount", stick.name)
    assert result.returncode == 0, result.stderr  # the service stays up: unplugging removes the notice
    assert stick.mount_options() is None
    notices = refused(env["SEMENIT_USB_BASE"])
    assert [(n.name, n.reason) for n in notices] == [(stick.name, reason)]
    set_language("en")
    assert words in notices[0].message()
    watcher = UsbWatcher(env["SEMENIT_USB_BASE"], lambda files: None)
    watcher.poll()
    assert watcher.files == [] and watcher.refused == notices
    with pytest.raises(StickError, match=words):
        with writable_stick(env["SEMENIT_USB_BASE"], env["SEMENIT_USB_REQUESTS"]):
            pass
    assert stick.helper("unmount", stick.name).returncode == 0
    assert refused(env["SEMENIT_USB_BASE"]) == []


def test_the_helper_refuses_bad_requests(env):
    requests = Path(env["SEMENIT_USB_REQUESTS"])
    (requests / "request").write_text("abc123 rw ../../etc\n")
    with PathUnit(env):
        answer = requests / "answer-abc123"
        deadline = time.monotonic() + 30
        while not answer.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    assert answer.read_text().strip() == "error bad-request"
