"""Every message exists in both languages, with the same placeholders, and every key the code names exists."""

import re
import string
from pathlib import Path

from appliance.i18n import LANGUAGES, catalog, translate

REPO = Path(__file__).resolve().parent.parent
# _("key"), translate("key"), t("key") and the error base's SomethingError("key", ...) (appliance/errors.py).
KEY_USE = re.compile(r"""(?:\b_|\btranslate|\bt|Error)\(\s*["']([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)["']""")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_has_every_language_with_the_same_placeholders():
    problems = []
    for key, entry in catalog().items():
        for lang in LANGUAGES:
            if not entry.get(lang, "").strip():
                problems.append(f"{key}: no {lang}")
        if all(lang in entry for lang in LANGUAGES) and _fields(entry["id"]) != _fields(entry["en"]):
            problems.append(f"{key}: placeholders differ")
    assert not problems, "\n".join(problems)


def test_every_key_named_in_the_code_exists():
    keys = catalog()
    missing = []
    for path in (REPO / "appliance").rglob("*.py"):
        for key in KEY_USE.findall(path.read_text(encoding="utf-8")):
            if key not in keys:
                missing.append(f"{path.relative_to(REPO)}: {key}")
    assert not missing, "\n".join(missing)


def test_translate_formats_and_falls_back():
    assert translate("import.row.nik.length", "en", digits=15) == "A NIK must have 16 digits; this one has 15."
    assert translate("import.row.nik.length", "id", digits=15) == "NIK harus 16 angka, tertulis 15 angka."
    assert translate("no.such.key", "id") == "no.such.key"
