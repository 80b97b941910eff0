"""What each backend can do, as data (the way python-escpos keeps printer profiles as data).

`formats`: the content a backend accepts (a job carries one or both renderings).
`reads_status`: whether the connection lets us ask the printer for its state.
`tracks_jobs`: whether the backend keeps its own queue we can ask about a job (CUPS), so a job we
handed over can be followed to its end and never sent twice.
`finds_jobs`: whether the backend can tell afterwards that a job got through (the file exists, CUPS knows
its title), so a job a power cut left half-recorded is resolved by asking it instead of by a person.
`module`: where the backend class lives (imported only when a printer of that kind is configured).
"""

from __future__ import annotations

BACKENDS: dict[str, dict] = {
    "file": {
        "module": "appliance.printing.backends.file:FilePrinter",
        "formats": frozenset({"pdf", "escpos"}),
        "reads_status": False,
        "tracks_jobs": False,
        "finds_jobs": True,
        "defaults": {"folder": "", "profile": "default", "paper_mm": 80},
    },
    "cups": {
        "module": "appliance.printing.backends.cups:CupsPrinter",
        "formats": frozenset({"pdf"}),
        "reads_status": True,
        "tracks_jobs": True,
        "finds_jobs": True,
        "defaults": {"queue": "Semenit", "options": [], "server": ""},
    },
    "network": {
        "module": "appliance.printing.backends.escpos:NetworkPrinter",
        "formats": frozenset({"escpos"}),
        "reads_status": True,
        "tracks_jobs": False,
        "finds_jobs": False,
        "defaults": {"host": "", "port": 9100, "timeout_s": 2.0, "profile": "default", "paper_mm": 0, "status": True},
    },
    "serial": {
        "module": "appliance.printing.backends.escpos:SerialPrinter",
        "formats": frozenset({"escpos"}),
        "reads_status": True,
        "tracks_jobs": False,
        "finds_jobs": False,
        "defaults": {
            "port": "/dev/ttyUSB0",
            "baudrate": 9600,
            "dsrdtr": False,
            "timeout_s": 1.0,
            "profile": "default",
            "paper_mm": 0,
            "status": True,
        },
    },
    "usb": {
        "module": "appliance.printing.backends.escpos:UsbPrinter",
        "formats": frozenset({"escpos"}),
        "reads_status": True,
        "tracks_jobs": False,
        "finds_jobs": False,
        # vendor/product as "0x0416" strings or ints; in_ep/out_ep only for printers that need them
        "defaults": {
            "vendor": "",
            "product": "",
            "interface": 0,
            "in_ep": 0x82,
            "out_ep": 0x01,
            "timeout_s": 2.0,
            "profile": "default",
            "paper_mm": 0,
            "status": True,
        },
    },
    "device": {
        "module": "appliance.printing.backends.escpos:DevicePrinter",
        "formats": frozenset({"escpos"}),
        # the kernel's usblp device file can be written, but gives no reliable status answer
        "reads_status": False,
        "tracks_jobs": False,
        "finds_jobs": False,
        "defaults": {"path": "/dev/usb/lp0", "profile": "default", "paper_mm": 0, "status": False},
    },
}

# Which kinds of job a printer takes when its settings do not say (`role = [...]`).
DEFAULT_ROLES = {
    "file": ("letter", "ticket"),
    "cups": ("letter",),
    "network": ("ticket", "letter"),
    "serial": ("ticket", "letter"),
    "usb": ("ticket", "letter"),
    "device": ("ticket", "letter"),
}

# Paper width when neither the settings nor the profile say (most kiosk printers are 80 mm).
DEFAULT_PAPER_MM = 80


def profile_info(profile_name: str) -> dict:
    """Width and features of an escpos printer profile (from python-escpos's capabilities data)."""
    from escpos.capabilities import get_profile  # data only, no hardware

    profile = get_profile(profile_name or "default")
    width = profile.profile_data.get("media", {}).get("width", {})
    mm = width.get("mm")
    pixels = width.get("pixels")
    return {
        "name": profile_name or "default",
        "paper_mm": int(round(float(mm))) if isinstance(mm, (int, float)) else None,
        "pixels": pixels if isinstance(pixels, int) else None,
        "native_qr": bool(profile.supports("qrCode")),
    }
