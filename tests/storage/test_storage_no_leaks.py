"""Nothing the app runs leaves files outside SEMENIT_HOME and its own cache (issue 14 item 19).

python-escpos pickles its capabilities into a fresh /tmp/tmpXXXX folder on every import unless told
where; a unit leaked one per start, a test run 217.
"""

import os
import subprocess
import sys


def test_importing_escpos_leaves_nothing_in_the_temporary_folder(tmp_path):
    tmp, home = tmp_path / "tmp", tmp_path / "home"
    tmp.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "ESCPOS_CAPABILITIES_PICKLE_DIR"}
    env.update(TMPDIR=str(tmp), SEMENIT_HOME=str(home))
    code = ("import os, appliance, escpos.printer, escpos.capabilities as c; "
            "assert 'ESCPOS_CAPABILITIES_PICKLE_DIR' not in os.environ; print(c.pickle_path)")
    for _ in range(2):  # the second start reads the pickle the first one wrote
        child = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
        assert child.returncode == 0, child.stderr
        assert child.stdout.strip().startswith(str(home / "cache" / "escpos"))
    assert list(tmp.iterdir()) == []
    assert [p.name for p in (home / "cache" / "escpos").iterdir()] == [os.path.basename(child.stdout.strip())]
