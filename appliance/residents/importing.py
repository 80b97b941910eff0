"""Import a resident file: first a report of what would change, then an all-or-nothing commit.

    plan = plan_import(path, store, settings, mode="full")   # reads, checks, compares; changes nothing
    print(plan.report.format_text())
    commit_import(plan, store, confirm_mass_absent=False)    # one atomic replacement of the store

`full` treats the file as the whole population: residents it no longer lists are marked absent
(never deleted). `update` changes only the rows it has. A full import that would mark more than a
fifth of the present residents absent needs confirming: it is far more likely the wrong file.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from appliance.config import Settings
from appliance.errors import SemenitError
from appliance.i18n import get_language, translate
from appliance.residents import codes
from appliance.residents.dates import DateError, parse_date
from appliance.residents.importers import FileError, read_table
from appliance.residents.importers.columns import ColumnError, column_letter, map_columns
from appliance.residents.model import CODED_FIELDS, DATA_FIELDS, FIELDS, HIDUP
from appliance.residents.nik import NumberError, decode_nik, loose_nik, mask, parse_kk, read_nik
from appliance.residents.report import ImportReport, Issue, Person
from appliance.residents.store import ResidentStore
from appliance.storage.bulk import gc_paused
from appliance.storage.cells import has_control, without_control
from appliance.village import VillageProfile

MODES = ("full", "update")
MASS_ABSENT_SHARE = 0.2
MAX_TEXT = 200
TEXT_FIELDS = ("tempatlahir", "alamat", "dusun", "nama_ayah", "nama_ibu", "tag_id_card")
READ_FIELDS = ("nik", "nama", "no_kk", "tanggallahir", "rw", "rt", *TEXT_FIELDS, *CODED_FIELDS)
_IDX = {f: i for i, f in enumerate(FIELDS)}
_DATA_IDX = [(f, _IDX[f]) for f in DATA_FIELDS]


class ImportRefused(SemenitError):
    """The file as a whole is refused; nothing was changed. `key` names the reason; the text frames it
    with the file's name ("File X was refused: <reason> The resident data was not changed.")."""

    def __init__(self, file: str, key: str, **params):
        # A header or file name from a USB stick is echoed in the message: never its control characters.
        super().__init__(key, **{k: without_control(v) if isinstance(v, str) else v for k, v in params.items()})
        self.file = without_control(file)

    def text(self, lang: str | None = None) -> str:
        lang = lang or get_language()
        return translate("import.file.refused", lang, file=self.file, reason=super().text(lang))


class ConfirmationNeeded(Exception):
    """A full import would mark more than a fifth of the present residents absent.

    Internal, not a SemenitError: a question for the shell, which asks it in its own words (the CLI's
    --yes, the operator screen's confirmation) before committing again."""


@dataclass
class ImportPlan:
    report: ImportReport
    rows: list[list]  # the whole new population, lists in FIELDS order
    signature: object  # the store file's signature when planned (a stale plan is refused)
    meta: dict


# Internal, not a SemenitError: one cell's refusal inside plan_import, turned there into a row of the report.
class _Refuse(Exception):
    def __init__(self, column: str | None, key: str, **params):
        self.column, self.key, self.params = column, key, params


def _text(value) -> str | None:
    """A cell as text with its spaces tidied; None when empty."""
    if value is None:
        return None
    if value.__class__ is not str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        value = str(value)
    text = value.strip()
    if "  " in text or "\t" in text or "\n" in text or "\r" in text:
        text = " ".join(text.split())
    return text or None


def _rt_rw(value) -> str | None:
    text = _text(value)
    if text is None:
        return None
    return text.zfill(3) if text.isdigit() and len(text) < 3 else text


class _RowReader:
    """Turns one row's cells into a resident's values, or refuses it with the column and reason."""

    def __init__(self, header: list[str], mapping: dict[str, int], village: VillageProfile, today: date,
                 datemode: int, uncomputed: frozenset = frozenset()):
        self.mapping = mapping
        self.uncomputed = uncomputed
        self.names = {f: f"{header[i]} ({column_letter(i)})" for f, i in mapping.items()}
        self.area = village.nik_area
        self.today = today
        self.datemode = datemode
        self.width = len(header)
        self._codes: dict[str, dict] = {f: {} for f in CODED_FIELDS}
        # (field, column) for every field we keep; a field the file lacks reads as an empty cell.
        self._where = [(f, mapping.get(f)) for f in READ_FIELDS]

    def values_of(self, cells: list) -> dict:
        return {f: (None if i is None else cells[i]) for f, i in self._where}

    def cell(self, cells: list, field: str):
        i = self.mapping.get(field)
        return cells[i] if i is not None and i < len(cells) else None

    def code(self, field: str, raw):
        """A coded cell as its code; memoised, since a file repeats the same few values 100,000 times."""
        memo = self._codes[field]
        try:
            return memo[raw]
        except KeyError:
            pass
        except TypeError:  # an unhashable cell value cannot be a code
            raise _Refuse(self.names.get(field), "import.row.unknown_code", value=str(raw)[:40]) from None
        try:
            code = codes.parse(CODED_FIELDS[field], raw)
        except codes.UnknownCode as exc:
            raise _Refuse(self.names.get(field), "import.row.unknown_code", value=str(raw).strip()[:40]) from exc
        memo[raw] = code
        return code

    def read(self, row: int, cells: list, warnings: list[Issue]) -> dict | None:
        """The resident's values; None when the row has no NIK yet (OpenSID's 0): skipped with a warning."""
        if len(cells) < self.width:
            cells = cells + [None] * (self.width - len(cells))
        get = self.values_of(cells)
        if self.uncomputed:
            for f, i in self._where:
                if (row, i) in self.uncomputed:
                    raise _Refuse(self.names.get(f), "import.row.formula_without_value")
        # One search per row over all its text (a search per cell costs seconds at 100,000 rows).
        if has_control("".join(v for v in get.values() if v.__class__ is str)):
            field = next(f for f, v in get.items() if v.__class__ is str and has_control(v))
            raise _Refuse(self.names.get(field), "import.row.control_chars")
        try:
            nik, notes = read_nik(get["nik"])
        except NumberError as exc:
            raise _Refuse(self.names["nik"], f"import.row.{exc.key}", **exc.params) from exc
        for key in sorted(notes):
            warnings.append(Issue(row, self.names["nik"], key))
        if nik is None:
            warnings.append(Issue(row, self.names["nik"], "import.row.no_nik_yet"))
            return None
        values: dict = {"nik": nik}
        nama = _text(get["nama"])
        if not nama:
            raise _Refuse(self.names["nama"], "import.row.no_name")
        if len(nama) > MAX_TEXT:
            raise _Refuse(self.names["nama"], "import.row.too_long", limit=MAX_TEXT)
        values["nama"] = nama
        try:
            values["no_kk"] = parse_kk(get["no_kk"])
        except NumberError as exc:
            raise _Refuse(self.names.get("no_kk"), f"import.row.{exc.key}", **exc.params) from exc
        for field in CODED_FIELDS:
            raw = get[field]
            values[field] = None if raw is None else self.code(field, raw)
        try:
            born = parse_date(get["tanggallahir"], self.today, self.datemode)
        except DateError as exc:
            raise _Refuse(self.names.get("tanggallahir"), exc.key, **exc.params) from exc
        for field in TEXT_FIELDS:
            text = _text(get[field])
            if text and len(text) > MAX_TEXT:
                raise _Refuse(self.names.get(field), "import.row.too_long", limit=MAX_TEXT)
            values[field] = text
        values["rw"] = _rt_rw(get["rw"])
        values["rt"] = _rt_rw(get["rt"])
        if values["status_dasar"] is None:
            values["status_dasar"] = HIDUP

        # The NIK encodes area, birth date and sex: real exports disagree often, so warn, never refuse.
        parts = decode_nik(nik, self.today)
        if parts.area != self.area:
            warnings.append(Issue(row, self.names["nik"], "import.warn.nik_area", {"area": parts.area, "village": self.area}))
        if parts.birth_date is None:
            warnings.append(Issue(row, self.names["nik"], "import.warn.nik_date_invalid"))
        elif born is not None and parts.birth_date != born:
            warnings.append(Issue(row, self.names["nik"], "import.warn.nik_date_differs",
                                  {"nik_date": parts.birth_date.isoformat(), "row_date": born.isoformat()}))
        if born is None and parts.birth_date is not None:
            born = parts.birth_date
            warnings.append(Issue(row, self.names.get("tanggallahir"), "import.warn.birth_from_nik"))
        if values["sex"] is None:
            values["sex"] = parts.sex
            warnings.append(Issue(row, self.names.get("sex"), "import.warn.sex_from_nik"))
        elif values["sex"] != parts.sex:
            warnings.append(Issue(row, self.names["nik"], "import.warn.nik_sex_differs"))
        values["tanggallahir"] = born.isoformat() if born else None
        name = values.get("nama") or ""
        if not (name.isascii() and name.strip()) and not _printable_name(name):
            # Javanese script, emoji, only spaces: a letter would print this name blank, so the kiosk
            # refuses letters for it; the operator hears of it now, at the import.
            warnings.append(Issue(row, self.names.get("nama"), "import.warn.name_not_printable"))
        return values


def _printable_name(name: str) -> bool:
    from appliance.render.fonts import drawable

    return drawable(name)


def plan_import(path: Path | str, store: ResidentStore, settings: Settings | None = None, mode: str = "full",
                now: datetime | None = None) -> ImportPlan:
    with gc_paused():
        return _plan(Path(path), store, settings or Settings(), mode, now)


def _plan(path: Path, store: ResidentStore, settings: Settings, mode: str, now: datetime | None) -> ImportPlan:
    if mode not in MODES:
        raise ValueError(mode)
    village = VillageProfile.from_settings(settings)
    now = now or datetime.now(ZoneInfo(village.timezone))
    store.reload_if_changed()
    signature = store.signature
    try:
        table = read_table(path)
        mapping = map_columns(table.header)
    except (FileError, ColumnError) as exc:
        raise ImportRefused(path.name, exc.key, **exc.params) from exc

    reader = _RowReader(table.header, mapping, village, now.date(), table.datemode, table.uncomputed)
    report = ImportReport(file=path.name, format=table.format, mode=mode)
    by_nik: dict[str, list[tuple[int, dict]]] = defaultdict(list)
    refused_niks: set[str] = set()
    try:
        for row, cells in table.rows:
            try:
                values = reader.read(row, cells, report.warnings)
            except _Refuse as exc:
                report.refused.append(Issue(row, exc.column, exc.key, exc.params))
                nik = loose_nik(reader.cell(cells, "nik"))
                if nik:
                    refused_niks.add(nik)
                continue
            if values is not None:
                by_nik[values["nik"]].append((row, values))
    except FileError as exc:
        raise ImportRefused(path.name, exc.key, **exc.params) from exc
    if not by_nik and not report.refused:
        raise ImportRefused(path.name, "import.file.no_rows")

    records = _settle_duplicates(by_nik, reader.names["nik"], report, refused_niks)
    rows = _compare(records, store, report, mode, refused_niks, now)
    report.needs_confirmation = (
        mode == "full" and report.missing_present > MASS_ABSENT_SHARE * report.present_before
    )
    meta = {
        "last_import": {
            "id": _import_id(now), "file": path.name, "format": table.format, "mode": mode,
            "at": now.isoformat(timespec="seconds"), "counts": report.counts(),
        }
    }
    return ImportPlan(report=report, rows=rows, signature=signature, meta=meta)


def _settle_duplicates(by_nik, nik_column: str, report: ImportReport, refused_niks: set[str]) -> list[dict]:
    """One record per NIK. A NIK twice: keep the single living row if there is exactly one, else refuse all."""
    records = []
    for nik, entries in by_nik.items():
        if len(entries) == 1:
            records.append(entries[0][1])
            continue
        rows = ", ".join(str(r) for r, _ in entries)
        living = [(r, v) for r, v in entries if v["status_dasar"] == HIDUP]
        if len(living) == 1:
            kept_row, kept = living[0]
            records.append(kept)
            for r, _ in entries:
                if r != kept_row:
                    report.warnings.append(Issue(r, nik_column, "import.warn.duplicate_kept_living",
                                                 {"rows": rows, "kept": kept_row}))
        else:
            refused_niks.add(nik)
            for r, _ in entries:
                report.refused.append(Issue(r, nik_column, "import.row.duplicate_nik", {"rows": rows}))
    return records


def _import_id(now: datetime) -> str:
    return "imp-" + now.strftime("%Y%m%dT%H%M%S")


def _compare(records: list[dict], store: ResidentStore, report: ImportReport, mode: str,
             refused_niks: set[str], now: datetime) -> list[list]:
    existing = store.rows()
    stamp = now.isoformat(timespec="seconds")
    import_id = _import_id(now)
    absent_i, status_i, updated_i, import_i = (_IDX[f] for f in ("absent_since", "status_dasar", "updated_at",
                                                                 "import_id"))
    report.present_before = sum(1 for r in existing.values() if r[status_i] == HIDUP and r[absent_i] is None)
    new_rows: dict[str, list] = {}
    for values in records:
        nik = values["nik"]
        old = existing.get(nik)
        if old is None:
            row = [values.get(f) for f in DATA_FIELDS] + [stamp, import_id, None]
            report.added.append(Person(mask(nik), values["nama"]))
            new_rows[nik] = row
            continue
        changed = [f for f, i in _DATA_IDX if old[i] != values.get(f)]
        if old[absent_i] is not None:
            changed.append("absent_since")
        if changed:
            new_rows[nik] = [values.get(f) for f in DATA_FIELDS] + [stamp, import_id, None]
            report.changed.append(Person(mask(nik), values["nama"], changed))
        else:
            report.unchanged += 1
            new_rows[nik] = old
    rows = []
    for nik, old in existing.items():
        if nik in new_rows:
            continue
        if mode == "full" and nik not in refused_niks and old[absent_i] is None:
            row = list(old)
            row[absent_i] = stamp
            row[updated_i] = stamp
            row[import_i] = import_id
            rows.append(row)
            report.missing.append(Person(mask(nik), old[_IDX["nama"]]))
            report.missing_present += old[status_i] == HIDUP
        else:
            rows.append(old)
    rows.extend(new_rows.values())
    return rows


def commit_import(plan: ImportPlan, store: ResidentStore, confirm_mass_absent: bool = False) -> bool:
    """Write the plan in one atomic step. Returns False when there was nothing to change."""
    if plan.report.needs_confirmation and not confirm_mass_absent:
        raise ConfirmationNeeded(plan.report.file)
    if not plan.report.has_changes:
        return False
    with gc_paused():
        store.commit(plan.rows, plan.meta, plan.signature)
    return True
