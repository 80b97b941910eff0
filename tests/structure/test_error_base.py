"""One error base for everything a person may read, checked from the source.

The rule: every exception class defined in appliance/ is a `SemenitError` (a catalog key and its
parameters; the text in both languages of appliance/i18n/catalogs) unless it never reaches a person as
itself: it is caught inside the core and turned into something else a person reads (a row of the import
report, a job's state, a catalog error line, another SemenitError), or it is a bug guard. Such a class is
listed in INTERNAL with that place, and its source says "Internal" in the comment above it or in its
docstring. Anything raised out of a use case to the CLI, the kiosk or the self-test is therefore a
SemenitError, and the shells need no other way to put a failure in words.

Read from the source (like test_import_boundaries.py): no Kivy is imported to look at the UI's classes.
"""

from __future__ import annotations

import ast
import builtins
import re
import string
from pathlib import Path

from appliance.i18n import LANGUAGES, load_catalog

REPO = Path(__file__).resolve().parent.parent.parent
APPLIANCE = REPO / "appliance"

INTERNAL = {
    "appliance.letters.catalog.TemplateError": "the catalog loader keeps it as (file, line, text) in Catalog.errors",
    "appliance.letters.placeholders.PlaceholderError": "the catalog check turns it into a TemplateError",
    "appliance.render.letter_escpos.ThermalNotAllowed": "guard: LetterService refuses the type first (LetterError)",
    "appliance.render.letter_pdf.DoesNotFit": "guard: the catalog check refuses a template that could overflow",
    "appliance.printing.state.PrinterError": "the spool turns it into the job's and the printer's state",
    "appliance.residents.codes.UnknownCode": "plan_import turns it into a row of the import report",
    "appliance.residents.dates.DateError": "plan_import turns it into a row of the import report",
    "appliance.residents.nik.NumberError": "a cell's reason; the importer and the NIK checks word it themselves",
    "appliance.residents.importers.columns.ColumnError": "plan_import turns it into ImportRefused",
    "appliance.residents.importers.readers.FileError": "plan_import turns it into ImportRefused",
    "appliance.residents.importers.xlsx_sheet.SheetTooBig": "read_table turns it into a FileError",
    "appliance.residents.importers.xlsx_sheet.NoVisibleSheet": "read_table turns it into a FileError",
    "appliance.residents.importing.ConfirmationNeeded": "a question the shell asks in its own words (--yes)",
    "appliance.residents.importing._Refuse": "plan_import turns it into a row of the import report",
    "appliance.services.kiosk.SessionError": "a caller's bug (a step out of order), never a message",
    "appliance.uix.driver.DriverError": "the UI tour's own failed check, an assertion for the developer",
}
BUILTIN_EXCEPTIONS = {name for name, obj in vars(builtins).items()
                      if isinstance(obj, type) and issubclass(obj, BaseException)}


def _base_name(node: ast.expr) -> str:
    return node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""


def _modules():
    for path in sorted(APPLIANCE.rglob("*.py")):
        module = ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
        yield module, path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _classes() -> dict[str, tuple[str, Path, ast.ClassDef]]:
    """Every class of the appliance by its name: (module, file, node). Names are unique among them."""
    out: dict[str, tuple[str, Path, ast.ClassDef]] = {}
    for module, path, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                out.setdefault(node.name, (module, path, node))
    return out


CLASSES = _classes()


def _derives(name: str, root: set[str], seen: frozenset[str] = frozenset()) -> bool:
    if name in root:
        return True
    if name not in CLASSES or name in seen:
        return False
    return any(_derives(_base_name(b), root, seen | {name}) for b in CLASSES[name][2].bases)


def _exception_classes() -> dict[str, str]:
    """Exception class name -> its qualified name, for every exception class defined in appliance/."""
    return {name: f"{module}.{name}" for name, (module, _path, _node) in CLASSES.items()
            if _derives(name, BUILTIN_EXCEPTIONS)}


def _says_internal(path: Path, node: ast.ClassDef) -> bool:
    lines = path.read_text(encoding="utf-8").splitlines()
    above = lines[node.lineno - 2] if node.lineno >= 2 else ""
    doc = ast.get_docstring(node) or ""
    return "Internal" in above or doc.startswith("Internal") or "\n\nInternal" in doc or "Internal," in doc


def test_exception_class_names_are_unique_so_the_rule_reads_them_right():
    names: dict[str, list[str]] = {}
    for module, _path, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and _derives(node.name, BUILTIN_EXCEPTIONS):
                names.setdefault(node.name, []).append(module)
    assert {n: m for n, m in names.items() if len(m) > 1} == {}


def test_every_exception_a_person_may_read_is_a_semenit_error():
    exceptions = _exception_classes()
    assert len(exceptions) > 20  # the walk found the tree's exception classes
    semenit = {name for name in exceptions if _derives(name, {"SemenitError"})}
    assert {"CliError", "ImportRefused", "SpoolError", "PrintingConfigError", "QueueError",
            "SettingsError", "StickError", "StorageCorrupt"} <= semenit
    loose = sorted(qualified for name, qualified in exceptions.items()
                   if name not in semenit and qualified not in INTERNAL)
    assert loose == [], "make these SemenitErrors (a catalog key), or list them in INTERNAL with the reason"
    # the list stays true: nothing in it is gone or became a SemenitError, and each says so where it is
    assert sorted(set(INTERNAL) - set(exceptions.values())) == []
    assert sorted(q for q in INTERNAL if q.rsplit(".", 1)[1] in semenit) == []
    unsaid = [q for q in INTERNAL if not _says_internal(CLASSES[q.rsplit(".", 1)[1]][1], CLASSES[q.rsplit(".", 1)[1]][2])]
    assert unsaid == [], "say in a comment above the class (or its docstring) why it stays internal"


def _key_position(node: ast.ClassDef) -> int | None:
    """Where a class's constructor takes the catalog key: the index of its `key` parameter (after self),
    inherited from the nearest class that defines __init__; None when the class builds its key itself."""
    name = node.name
    while name in CLASSES:
        for item in CLASSES[name][2].body:
            if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                params = [a.arg for a in item.args.args[1:]]
                return params.index("key") if "key" in params else None
        bases = [_base_name(b) for b in CLASSES[name][2].bases]
        name = next((b for b in bases if _derives(b, {"SemenitError"})), "")
    return 0  # SemenitError itself: key first


def _key_uses() -> list[tuple[str, int, ast.expr, ast.Call]]:
    """(file, line, key expression, call) of every SemenitError built in appliance/: calls of a
    SemenitError class and the super().__init__ calls inside one."""
    semenit = {name for name in _exception_classes() if _derives(name, {"SemenitError"})}
    positions = {name: _key_position(CLASSES[name][2]) for name in semenit}
    out = []
    for _module, path, tree in _modules():
        for cls in [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef) and n.name in semenit]:
            for call in ast.walk(cls):
                if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "__init__"
                        and isinstance(call.func.value, ast.Call) and _base_name(call.func.value.func) == "super"
                        and call.args and cls.name != "SemenitError"):
                    base = next(_base_name(b) for b in cls.bases if _derives(_base_name(b), {"SemenitError"}))
                    pos = positions.get(base, 0) if base != "SemenitError" else 0
                    if pos is not None and len(call.args) > pos:
                        out.append((str(path.relative_to(REPO)), call.lineno, call.args[pos], call))
        for call in ast.walk(tree):
            if isinstance(call, ast.Call) and _base_name(call.func) in semenit:
                pos = positions[_base_name(call.func)]
                if pos is not None and len(call.args) > pos:
                    out.append((str(path.relative_to(REPO)), call.lineno, call.args[pos], call))
    return out


def _fields(text: str) -> set[str]:
    return {f for _lit, f, _spec, _conv in string.Formatter().parse(text) if f}


def test_every_semenit_error_key_is_in_both_catalogs_with_its_parameters():
    catalog = load_catalog()
    uses = _key_uses()
    literal = [(f, line, key.value, call) for f, line, key, call in uses
               if isinstance(key, ast.Constant) and isinstance(key.value, str)]
    assert len(literal) > 40  # the scan finds the raise sites (CliError alone has dozens)
    missing, unfilled = [], []
    for f, line, key, call in literal:
        texts = catalog.get(key, {})
        if any(lang not in texts for lang in LANGUAGES):
            missing.append(f"{f}:{line} {key}")
            continue
        if any(kw.arg is None for kw in call.keywords):
            continue  # **params: the names are not known from the source
        given = {kw.arg for kw in call.keywords}
        needed = set().union(*(_fields(texts[lang]) for lang in LANGUAGES))
        if needed - given:
            unfilled.append(f"{f}:{line} {key} needs {sorted(needed - given)}")
    assert missing == [], "add these keys to appliance/i18n/catalogs (id and en)"
    assert unfilled == [], "pass every {parameter} the message uses"
    # a key built at run time (f"office.usb.refused.{reason}"): its fixed part names messages that exist
    prefixes = [(f, line, key.values[0].value) for f, line, key, _call in uses
                if isinstance(key, ast.JoinedStr) and key.values and isinstance(key.values[0], ast.Constant)]
    assert prefixes, "the scan sees the keys built at run time too"
    lonely = [f"{f}:{line} {p}" for f, line, p in prefixes
              if not any(k.startswith(p) and all(lang in catalog[k] for lang in LANGUAGES) for k in catalog)]
    assert lonely == []


def test_a_semenit_error_reads_in_either_language_and_never_shows_its_key():
    from appliance.config import SettingsError
    from appliance.errors import SemenitError
    from appliance.letters.signing import VerifyError
    from appliance.queue import QueueError
    from appliance.residents.importing import ImportRefused

    cases: list[SemenitError] = [
        QueueError("queue.error.timezone", tz="Mars/Olympus"),
        ImportRefused("warga.csv", "import.file.empty"),
        SettingsError("[village] kertas", "settings.reason.one_of", value="A5", choices="A4, F4"),
        VerifyError("bad_signature"),
    ]
    for exc in cases:
        texts = {lang: exc.text(lang) for lang in LANGUAGES}
        assert texts["id"] != texts["en"]
        for text in texts.values():
            assert exc.key not in text and not re.search(r"\{\w+\}", text)
    assert "Mars/Olympus" in str(cases[0])
    assert cases[1].text("en").startswith("File warga.csv was refused:")
    assert "[village] kertas" in cases[2].text("id") and "A5" in cases[2].text("en")
