"""The unit's own install path: provision.sh --app-mode venv --wheels DIR, offline, into a real Debian root."""

from __future__ import annotations

import json

from provisioning_helpers import changed

PY = "/opt/semenit/venv/bin/python"


def test_venv_install_is_offline_and_idempotent(venv_provisioned):
    _c, first, second = venv_provisioned
    assert first.returncode == 0, first.stdout[-4000:] + first.stderr[-4000:]
    assert "change: install the app (venv) into /opt/semenit" in first.stdout
    assert second.returncode == 0 and changed(second) == 0, second.stdout


def test_the_venv_has_the_app_and_its_libraries(venv_provisioned):
    c = venv_provisioned[0]
    # Installed from PyPI's wheels, not from the checkout and not from Debian's packages.
    probe = ("import appliance, escpos, gpiozero, reportlab, tinydb, orjson, sys; "
             "print(appliance.__file__); print(sys.flags.no_site, reportlab.__file__)")
    proc = c.run(PY, "-c", probe, user="kiosk")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("/opt/semenit/venv/lib/python3") and "site-packages/appliance" in lines[0]
    assert "/opt/semenit/venv/" in lines[1]
    kivy = c.run("env", "KIVY_NO_ARGS=1", "KIVY_HOME=/tmp/kivy-probe", "KIVY_NO_CONSOLELOG=1", PY, "-c",
                 "import kivy; print(kivy.__version__)", user="kiosk")
    assert kivy.stdout.strip() == "2.3.1", kivy.stdout + kivy.stderr
    version = c.run("/usr/local/bin/semenit", "--version", user="kiosk")
    assert version.returncode == 0 and version.stdout.startswith("semenit ")
    # The technician's command, started as root, runs as the kiosk user on the unit's data.
    whoami = c.run("/usr/local/bin/semenit", "selftest", "--json")
    report = json.loads(whoami.stdout)
    assert report["home"] == "/var/lib/semenit"
    assert next(x for x in report["checks"] if x["name"] == "settings")["status"] == "ok"


def test_key_pin_and_selftest_in_the_venv_unit(venv_provisioned):
    c = venv_provisioned[0]
    probe = ("from appliance.letters import signing; from appliance.services.operator import OperatorPin; "
             "home = '/var/lib/semenit'; pin = OperatorPin(home); "
             "print(signing.load_public(home) is not None, pin.verify('482913'), pin.verify('000000'))")
    proc = c.run(PY, "-c", probe, user="kiosk")
    assert proc.stdout.split() == ["True", "True", "False"], proc.stdout + proc.stderr
    report = json.loads(c.run("/opt/semenit/venv/bin/semenit", "selftest", "--json", user="kiosk").stdout)
    by_name = {check["name"]: check for check in report["checks"]}
    # The templates are found through the settings' [letters] catalog_dir (the venv holds only the package).
    assert by_name["letters"]["status"] == "ok", by_name["letters"]
    assert by_name["village_key"]["status"] == "ok" and by_name["settings"]["status"] == "ok"
