"""A newcomer's clone (issue 14 item 18): without ../shared one line says what is missing and where."""

import shutil
import subprocess
import sys

from tests.conftest import REPO


def test_a_clone_without_shared_gets_one_line(tmp_path):
    clone = tmp_path / "clone"  # tmp_path/shared does not exist: ../shared is missing for this clone
    clone.mkdir()
    for name in ("tests", "letters", "pyproject.toml"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, clone / name)
    child = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                            "tests/residents/test_residents_import_fixtures.py"], cwd=clone, capture_output=True,
                           text=True, timeout=300)
    assert child.returncode == 4, child.stdout[-2000:]
    out = child.stdout + child.stderr
    assert "shared OpenSID fixtures, missing at" in out and str(tmp_path / "shared") in out
    assert "Error" not in out.replace("_pytest.outcomes.Exit", "") and out.count("FAILED") == 0


def test_the_desktop_demo_without_a_display_says_so(semenit_home, monkeypatch, capsys):
    from appliance.cli import main

    for name in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER"):
        monkeypatch.delenv(name, raising=False)
    assert main(["run", "--demo"]) == 1
    err = capsys.readouterr().err
    assert "DISPLAY" in err and "xvfb-run" in err and len(err.strip().splitlines()) == 1
