"""python-escpos's `Dummy` printer (it only collects bytes) without loading every printer backend.

`from escpos.printer import Dummy` runs the package's `__init__`, which imports every backend, pyusb and
pyserial included: ~0.5 s on a cold start, paid by `semenit queue take` and the first letter on a thermal
printer although neither opens a device here. The module that defines Dummy imports only the ESC/POS
core, so it is loaded on its own, under its own name (a later `import escpos.printer` reuses it).
"""

from __future__ import annotations

import importlib.util
import sys


def _load():
    name = "escpos.printer.dummy"
    if name in sys.modules:
        return sys.modules[name].Dummy
    import escpos

    path = escpos.__path__[0] + "/printer/dummy.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    module.__package__ = "escpos.printer"
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module.Dummy


Dummy = _load()
