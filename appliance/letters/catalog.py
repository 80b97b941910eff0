"""The catalog of letter types: one TOML file per type in `letters/` (DESIGN §6), loaded and checked.

A template is data a village may edit or bring on a USB stick, so everything in it is checked when it
is loaded, never while a resident waits: TOML syntax, required keys and their types, unknown keys,
placeholders (only known resident/village/letter keys and declared fields), eligibility rules and
their labels, and that the longest allowed values still fit one page. A broken file is refused with
its file, line and a plain message, and the other files still load.

    catalog = load_catalog()
    catalog.templates["SKTM"].check_eligibility(resident, store, date.today())  -> [reasons]
    catalog.errors  -> [(file, line, message)]
"""

from __future__ import annotations

import os
import re
import sys
import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path

from appliance.i18n import _
from appliance.identity.factors import FACTORS
from appliance.letters import placeholders as ph
from appliance.letters import tomllines
from appliance.letters.values import LETTER_KEYS, RESIDENT_KEYS, VILLAGE_KEYS
from appliance.letters.words import parse_amount
from appliance.render.fonts import drawable
from appliance.residents import codes


def _shipped_dir() -> Path:
    """The shipped `letters/` folder: SEMENIT_LETTERS, else beside the package in a checkout (editable
    install), else the provisioned unit's copy of the source (/opt/semenit/src beside the venv)."""
    candidates = [Path(os.environ["SEMENIT_LETTERS"])] if os.environ.get("SEMENIT_LETTERS") else []
    candidates += [Path(__file__).resolve().parents[2] / "letters", Path(sys.prefix).parent / "src" / "letters",
                   Path("/usr/share/semenit/letters")]
    return next((c for c in candidates if c.is_dir()), candidates[0])


SHIPPED_DIR = _shipped_dir()

FIELD_TYPES = ("text", "choice", "date", "time", "number", "money", "family_member")
# A date field's `min`/`max` are days from the letter's day; without them: a century back, a year ahead
# (a departure in 1900 or 2100 is a typing error, not a statement a village can sign).
DATE_DEFAULT_DAYS = (-36525, 366)
MONEY_MAX = 999_999_999  # the longest amount in words the one-page check assumes
FAMILY_MAX = 20  # longest KK a family letter lists on one page (every member, whole names); longer: refused

# rule -> (kind, code table). "labels" rules list labels of an OpenSID code table.
RULES: dict[str, tuple[str, str | None]] = {
    "status_dasar": ("labels", "status_dasar"),
    "present": ("bool", None),
    "age_min": ("int", None),
    "age_max": ("int", None),
    "status_kawin": ("labels", "status_kawin"),
    "kk_level": ("labels", "kk_level"),
    "sex": ("labels", "sex"),
    "warganegara": ("labels", "warganegara"),
    "family_min": ("int", None),
    "pekerjaan_not": ("labels", "pekerjaan"),
}
DEFAULT_RULES = {"status_dasar": ["HIDUP"], "present": True}

# key -> (type, required)
TOP_KEYS: dict[str, tuple[type | tuple, bool]] = {
    "code": (str, True),
    "title": (str, True),
    "title_en": (str, True),
    "description": (str, True),
    "description_en": (str, True),
    "classification": (str, True),
    "validity_days": (int, True),
    "intro": (str, True),
    "body": (list, True),
    "closing": (str, False),
    "resident_rows": (list, True),
    "purpose": (str, False),
    # The least second factor this letter type accepts at the kiosk (appliance/identity/factors.py).
    "min_factor": (str, False),
    "subject_field": (str, False),
    "subject_rows": (list, False),
    "family_table": (bool, False),
    "signer": (str, False),
    "eligibility": (dict, False),
    "fields": (list, False),
    "details": (list, False),
    "thermal": (bool, False),
    "records_death": (bool, False),
}
FIELD_KEYS: dict[str, tuple[type | tuple, bool]] = {
    "name": (str, True),
    "type": (str, True),
    "label": (str, True),
    "label_en": (str, True),
    "required": (bool, False),
    "max_length": (int, False),
    "choices": (list, False),
    "allow_other": (bool, False),
    "min": (int, False),
    "max": (int, False),
    "hint": (str, False),
    "hint_en": (str, False),
    # date: not after today; not before the birth of the family member another field names; printed with
    # the day ("Jumat, 27 November 2026"); `age_of` adds {isian.NAME_umur} (that member's age on the date);
    # `late_after_days` adds {isian.NAME_terlambat}, a sentence when the date is longer ago than that.
    "not_future": (bool, False),
    "after_birth_of": (str, False),
    "with_day": (bool, False),
    "age_of": (str, False),
    "late_after_days": (int, False),
    # family_member: who may be chosen (e.g. a mother: PEREMPUAN, at least 10 years old on the letter's day)
    "sex": (str, False),
    "age_min": (int, False),
    "include_self": (bool, False),  # the resident may name themself (a mother reporting her own child's birth)
    # number: the unit printed after it ("gram", "cm")
    "unit": (str, False),
}
DETAIL_KEYS = {"label": (str, True), "value": (str, True)}
BODY_MARKERS = ("@rincian", "@subjek", "@keluarga")
DEFAULT_CLOSING = (
    "Demikian surat keterangan ini dibuat dengan sebenarnya untuk dapat dipergunakan sebagaimana mestinya."
)
_CODE = re.compile(r"^[A-Z][A-Z0-9_]{1,19}$")
_CLASSIFICATION = re.compile(r"^\d{3}(\.\d{1,3}){0,3}$")
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


# Internal, not a SemenitError: the catalog loader catches it and keeps (file, line, text) in Catalog.errors.
class TemplateError(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    label: str
    label_en: str
    required: bool = True
    max_length: int = 60
    choices: tuple[str, ...] = ()
    allow_other: bool = False
    min: int | None = None
    max: int | None = None
    hint: str = ""
    hint_en: str = ""
    not_future: bool = False
    after_birth_of: str = ""
    with_day: bool = False
    age_of: str = ""
    late_after_days: int | None = None
    sex: str = ""
    age_min: int | None = None
    include_self: bool = False
    unit: str = ""

    def computed(self) -> tuple[str, ...]:
        """The extra values this field adds to the isian namespace."""
        return ((f"{self.name}_umur",) if self.age_of else ()) + (
            (f"{self.name}_terlambat",) if self.late_after_days is not None else ())


@dataclass(frozen=True)
class Detail:
    label: str
    value: tuple  # compiled placeholder parts


def _spoken(table: str, code: int | None) -> str:
    """An OpenSID code as a sentence to the resident says it, in the current language ("anak" / "child");
    "-" when the record has none."""
    if not codes.label(table, code):
        return "-"
    key = f"codes.{table}.{code}"
    said = _(key)
    return codes.label(table, code).lower() if said == key else said


def _spoken_list(table: str, labels) -> str:
    """A rule's allowed labels, each as `_spoken` says it."""
    return ", ".join(_spoken(table, codes.parse(table, label)) for label in labels)


@dataclass(frozen=True)
class Template:
    code: str
    title: str
    title_en: str
    description: str
    description_en: str
    classification: str
    validity_days: int
    intro: tuple
    body: tuple  # compiled paragraphs, or a marker string from BODY_MARKERS
    closing: tuple
    resident_rows: tuple[str, ...]
    purpose: tuple | None = None
    subject_field: str | None = None
    subject_rows: tuple[str, ...] = ()
    family_table: bool = False
    signer: str | None = None
    rules: dict = field(default_factory=dict)
    fields: tuple[Field, ...] = ()
    details: tuple[Detail, ...] = ()
    thermal: bool = True  # False: the village prints this type only on the regular printer
    records_death: bool = False  # issuing it notes the subject's death (letters/deaths.py)
    source: Path | None = None
    min_factor: str | None = None

    def field(self, name: str) -> Field | None:
        for item in self.fields:
            if item.name == name:
                return item
        return None

    # --- eligibility ---------------------------------------------------------------------------

    def check_eligibility(self, resident, store, today: date,
                          blocked: set[str] | frozenset = frozenset()) -> list[str]:
        """Plain-language reasons why `resident` may not ask for this letter (empty = eligible).
        `blocked`: NIKs whose death was reported here and not yet settled by an import (letters.deaths)."""
        reasons: list[str] = []
        rules = self.rules
        if resident.nik in blocked:
            return [_("letters.eligibility.reported_dead")]
        if not drawable(resident.nama or ""):  # never a blank or boxed name on a letter
            reasons.append(_("letters.eligibility.name_not_printable"))
        allowed = rules.get("status_dasar")
        if allowed and codes.label("status_dasar", resident.status_dasar) not in allowed:
            reasons.append(_("letters.eligibility.status_dasar", status=_spoken("status_dasar", resident.status_dasar),
                             allowed=_spoken_list("status_dasar", allowed)))
        elif rules.get("present") and getattr(resident, "absent_since", None):
            reasons.append(_("letters.eligibility.present"))
        age = resident.age(today)
        if ("age_min" in rules or "age_max" in rules) and age is None:
            reasons.append(_("letters.eligibility.age_unknown"))
        elif "age_min" in rules and age < rules["age_min"]:
            reasons.append(_("letters.eligibility.age_min", minimum=rules["age_min"], age=age))
        elif "age_max" in rules and age > rules["age_max"]:
            reasons.append(_("letters.eligibility.age_max", maximum=rules["age_max"], age=age))
        if "pekerjaan_not" in rules:
            actual = codes.label("pekerjaan", resident.pekerjaan_id)
            if not actual or actual in rules["pekerjaan_not"]:
                reasons.append(_("letters.eligibility.pekerjaan_not", actual=(actual or "-").lower()))
        for rule, attr in (("status_kawin", "status_kawin"), ("kk_level", "kk_level"), ("sex", "sex"),
                           ("warganegara", "warganegara_id")):
            if rule in rules:
                table, code = RULES[rule][1], getattr(resident, attr)
                if codes.label(table, code) not in rules[rule]:
                    reasons.append(_(f"letters.eligibility.{rule}", actual=_spoken(table, code),
                                     allowed=_spoken_list(table, rules[rule])))
        if "family_min" in rules or self.family_table:
            members = store.family(resident.no_kk) if resident.no_kk else []
            if max(len(members), 1) < rules.get("family_min", 0):
                reasons.append(_("letters.eligibility.family_min"))
            if self.family_table and len(members) > FAMILY_MAX:
                reasons.append(_("letters.eligibility.family_max", count=len(members), maximum=FAMILY_MAX))
            elif self.family_table and not all(drawable(m.nama or "") for m in members):
                reasons.append(_("letters.eligibility.name_not_printable"))

        return reasons

    # --- the resident's input ------------------------------------------------------------------

    def family_choices(self, resident, store, item: Field | None = None, today: date | None = None,
                       blocked: set[str] | frozenset = frozenset()) -> list[tuple[str, str]]:
        """(NIK, "NAMA (HUBUNGAN)") of the living family members a family_member field may name: not the
        resident, not one reported dead here (`blocked`), and of the field's sex and minimum age."""
        members = store.family(resident.no_kk) if resident.no_kk else []
        today = today or date.today()
        out = []
        for m in members:
            if (m.nik == resident.nik and not (item is not None and item.include_self)) or m.nik in blocked \
                    or m.status_dasar != 1:
                continue
            if item is not None and item.sex and codes.label("sex", m.sex) != item.sex:
                continue
            if item is not None and item.age_min is not None and (m.age(today) or 0) < item.age_min:
                continue
            if not drawable(m.nama or ""):  # the letter could not print this member's name
                continue
            out.append((m.nik, f"{m.nama} ({codes.label('kk_level', m.kk_level) or '-'})"))
        return out

    @property
    def family_fields(self) -> bool:
        return any(f.type == "family_member" for f in self.fields)

    @property
    def wants_family(self) -> bool:
        """Whether building the letter needs the resident's KK: the family table, a member named by a field,
        or the head of the family printed."""
        return self.family_table or self.family_fields or "kepala_keluarga" in self.resident_rows

    def validate_fields(self, values: dict, resident, store, today: date | None = None,
                        blocked: set[str] | frozenset = frozenset()) -> tuple[dict[str, str], list[str]]:
        """Check the resident's input; returns (clean values as strings, plain-language errors)."""
        today = today or date.today()
        values = {k: ("" if v is None else str(v).strip()) for k, v in (values or {}).items()}
        clean: dict[str, str] = {}
        errors: list[str] = []
        unknown = sorted(set(values) - {f.name for f in self.fields})
        if unknown:
            errors.append(_("letters.field.unknown", names=", ".join(unknown),
                            known=", ".join(f.name for f in self.fields) or "-"))
        for item in self.fields:
            value = values.get(item.name, "")
            label = item.label
            if not value:
                if item.required:
                    errors.append(_("letters.field.required", label=label))
                clean[item.name] = ""
                continue
            if len(value) > item.max_length:
                errors.append(_("letters.field.too_long", label=label, maximum=item.max_length))
                continue
            if item.type == "choice" and not item.allow_other and value not in item.choices:
                errors.append(_("letters.field.choice", label=label, choices="; ".join(item.choices)))
                continue
            if item.type == "date":
                try:
                    day = date.fromisoformat(value)
                except ValueError:
                    errors.append(_("letters.field.date", label=label))
                    continue
                # The specific reasons first (a future date, a date before the person's birth), then the
                # field's bounds in days from the letter's day.
                if item.not_future and day > today:
                    errors.append(_("letters.field.date_future", label=label))
                    continue
                if item.after_birth_of:
                    member = store.get(values.get(item.after_birth_of, ""))
                    born = member.tanggallahir if member is not None else None
                    if born and day < date.fromisoformat(str(born)[:10]):
                        errors.append(_("letters.field.date_before_birth", label=label))
                        continue
                low = today + timedelta(days=item.min if item.min is not None else DATE_DEFAULT_DAYS[0])
                high = today + timedelta(days=item.max if item.max is not None else DATE_DEFAULT_DAYS[1])
                if not low <= day <= high:
                    errors.append(_("letters.field.date_range", label=label, low=low.strftime("%d-%m-%Y"),
                                    high=high.strftime("%d-%m-%Y")))
                    continue
                value = day.isoformat()
            if item.type == "time":
                hours, _sep, minutes = value.partition(":")
                if not (hours.isdigit() and minutes.isdigit() and int(hours) < 24 and int(minutes) < 60
                        and len(minutes) == 2):
                    errors.append(_("letters.field.time", label=label))
                    continue
                value = f"{int(hours):02d}:{minutes}"
            if item.type in ("number", "money"):
                try:
                    number = parse_amount(value)
                except ValueError:
                    errors.append(_("letters.field.number", label=label))
                    continue
                low = item.min if item.min is not None else 0
                high = item.max if item.max is not None else MONEY_MAX
                if not low <= number <= high:
                    errors.append(_("letters.field.range", label=label, low=low, high=high))
                    continue
                value = str(number)
            if item.type == "family_member":
                allowed = {nik for nik, _label in self.family_choices(resident, store, item, today, blocked)}
                if value not in allowed:
                    errors.append(_("letters.field.family_member", label=label))
                    continue
            clean[item.name] = value
        return clean, errors


@dataclass
class Catalog:
    templates: dict[str, Template]
    errors: list[tuple[str, int, str]]

    def get(self, code: str) -> Template | None:
        return self.templates.get(code.upper()) if code else None

    def __iter__(self):
        return iter(sorted(self.templates.values(), key=lambda t: t.title))

    def __len__(self) -> int:
        return len(self.templates)


# --- loading -------------------------------------------------------------------------------------


class _Checker:
    """Checks one parsed template, raising TemplateError with the line of what is wrong."""

    def __init__(self, text: str, data: dict):
        self.text = text
        self.data = data

    @cached_property
    def lines(self) -> dict[tuple, int]:
        """Where each key sits: only an error needs it, and scanning every template costs each load."""
        return tomllines.key_lines(self.text)

    def fail(self, path: tuple, message: str, /, **params):
        raise TemplateError(tomllines.line_of(self.lines, path), _(f"letters.catalog.{message}", **params))

    def check_keys(self, table: dict, spec: dict, path: tuple) -> None:
        for key in table:
            if key not in spec:
                self.fail((*path, key), "unknown_key", name=key, known=", ".join(spec))
        for key, (kind, required) in spec.items():
            if key not in table:
                if required:
                    self.fail(path, "missing_key", name=key)
                continue
            value = table[key]
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                self.fail((*path, key), "wrong_type", name=key, kind=_(f"letters.catalog.kind.{kind.__name__}"))

    def compile(self, text: str, path: tuple, namespaces: dict[str, set[str]]) -> tuple:
        def line(token: str) -> int:
            start = tomllines.line_of(self.lines, path)
            return tomllines.line_containing(self.text, token, start) or start

        try:
            parts = ph.compile_text(text)
        except ph.PlaceholderError as exc:
            raise TemplateError(line(exc.token), _("letters.catalog.placeholder_syntax", token=exc.token)) from exc
        for item in ph.placeholders(parts):
            if item.namespace not in namespaces:
                raise TemplateError(line(item.token), _("letters.catalog.placeholder_namespace", token=item.token,
                                                        known=", ".join(sorted(namespaces))))
            if item.key not in namespaces[item.namespace]:
                key = {"penduduk": "unknown_resident_key", "subjek": "unknown_resident_key",
                       "isian": "unknown_field"}.get(item.namespace, "unknown_value")
                raise TemplateError(line(item.token), _(f"letters.catalog.{key}", token=item.token, name=item.key))
        return parts


def _parse_fields(chk: _Checker, raw: list) -> tuple[Field, ...]:
    fields: list[Field] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        path = ("fields", index)
        if not isinstance(item, dict):
            chk.fail(path, "wrong_type", name="fields", kind=_("letters.catalog.kind.dict"))
        chk.check_keys(item, FIELD_KEYS, path)
        name = item["name"]
        if not _NAME.match(name) or name in seen:
            chk.fail((*path, "name"), "field_name", name=name)
        seen.add(name)
        if item["type"] not in FIELD_TYPES:
            chk.fail((*path, "type"), "field_type", kind=item["type"], known=", ".join(FIELD_TYPES))
        choices = tuple(item.get("choices", ()))
        if item["type"] == "choice" and (not choices or not all(isinstance(c, str) and c for c in choices)):
            chk.fail((*path, "choices"), "field_choices", name=name)
        max_length = item.get("max_length", 60)
        if not 1 <= max_length <= 300:
            chk.fail((*path, "max_length"), "field_max_length", name=name)
        if choices and max(len(c) for c in choices) > max_length:
            chk.fail((*path, "choices"), "choice_too_long", name=name, maximum=max_length)
        fields.append(Field(
            name=name, type=item["type"], label=item["label"], label_en=item["label_en"],
            required=item.get("required", True), max_length=max_length, choices=choices,
            allow_other=item.get("allow_other", False), min=item.get("min"), max=item.get("max"),
            hint=item.get("hint", ""), hint_en=item.get("hint_en", ""),
            not_future=item.get("not_future", False), after_birth_of=item.get("after_birth_of", ""),
            with_day=item.get("with_day", False), age_of=item.get("age_of", ""),
            late_after_days=item.get("late_after_days"), sex=str(item.get("sex", "")).upper(),
            age_min=item.get("age_min"), include_self=item.get("include_self", False), unit=item.get("unit", ""),
        ))
    by_name = {f.name: f for f in fields}
    for index, f in enumerate(fields):
        path = ("fields", index)
        date_only = {"not_future": f.not_future, "after_birth_of": f.after_birth_of, "with_day": f.with_day,
                     "age_of": f.age_of, "late_after_days": f.late_after_days is not None}
        member_only = {"sex": f.sex, "age_min": f.age_min is not None, "include_self": f.include_self}
        for key, used in date_only.items():
            if used and f.type != "date":
                chk.fail((*path, key), "field_option", name=f.name, option=key, kind="date")
        for key, used in member_only.items():
            if used and f.type != "family_member":
                chk.fail((*path, key), "field_option", name=f.name, option=key, kind="family_member")
        if f.unit and f.type != "number":
            chk.fail((*path, "unit"), "field_option", name=f.name, option="unit", kind="number")
        for key in ("after_birth_of", "age_of"):
            other = getattr(f, key)
            if other and (other not in by_name or by_name[other].type != "family_member"):
                chk.fail((*path, key), "field_member_ref", name=f.name, option=key, other=other)
        if f.sex and f.sex not in codes.TABLES["sex"].values():
            chk.fail((*path, "sex"), "rule_label", rule="sex", label=f.sex,
                     known=", ".join(codes.TABLES["sex"].values()))
    return tuple(fields)


def _parse_rules(chk: _Checker, raw: dict, path: tuple) -> dict:
    rules = dict(DEFAULT_RULES)
    for rule, value in raw.items():
        if rule not in RULES:
            chk.fail((*path, rule), "unknown_rule", rule=rule, known=", ".join(RULES))
        kind, table = RULES[rule]
        if kind == "labels":
            if not isinstance(value, list) or not value:
                chk.fail((*path, rule), "rule_labels", rule=rule)
            labels = [str(v).upper().strip() for v in value]
            known = set(codes.TABLES[table].values())
            for label in labels:
                if label not in known:
                    chk.fail((*path, rule), "rule_label", rule=rule, label=label, known=", ".join(sorted(known)))
            rules[rule] = labels
        elif kind == "int":
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 150:
                chk.fail((*path, rule), "rule_int", rule=rule)
            rules[rule] = value
        else:
            if not isinstance(value, bool):
                chk.fail((*path, rule), "wrong_type", name=rule, kind=_("letters.catalog.kind.bool"))
            rules[rule] = value
    return rules


def parse_template(text: str, source: Path | None = None, overrides: dict | None = None) -> Template:
    """Parse and check one template's text. Raises TemplateError(line, message)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise TemplateError(int(match.group(1)) if match else 1,
                            _("letters.catalog.syntax", detail=str(exc))) from exc
    chk = _Checker(text, data)
    chk.check_keys(data, TOP_KEYS, ())
    code = data["code"].strip().upper()
    if not _CODE.match(code):
        chk.fail(("code",), "code", code=data["code"])
    if not _CLASSIFICATION.match(data["classification"]):
        chk.fail(("classification",), "classification", value=data["classification"])
    if not 0 <= data["validity_days"] <= 3660:
        chk.fail(("validity_days",), "validity")
    if "min_factor" in data and data["min_factor"] not in FACTORS:
        chk.fail(("min_factor",), "min_factor", value=data["min_factor"], known=", ".join(FACTORS))
    fields = _parse_fields(chk, data.get("fields", []))
    by_name = {f.name: f for f in fields}
    rules = _parse_rules(chk, data.get("eligibility", {}), ("eligibility",))
    if overrides and overrides.get(code):
        # The village's own rules for this type ([letters.eligibility.CODE] in the unit's settings).
        rules.update({k: v for k, v in _parse_rules(chk, overrides[code], ("eligibility",)).items()
                      if k in overrides[code]})

    subject_field = data.get("subject_field")
    if subject_field is not None and (subject_field not in by_name or by_name[subject_field].type != "family_member"):
        chk.fail(("subject_field",), "subject_field", name=subject_field)
    if data.get("records_death") and not subject_field:
        chk.fail(("records_death",), "records_death")
    resident_keys = set(RESIDENT_KEYS)
    namespaces = {
        "penduduk": resident_keys,
        "isian": set(by_name) | {key for f in fields for key in f.computed()},
        "desa": set(VILLAGE_KEYS),
        "surat": set(LETTER_KEYS),
    }
    if subject_field:
        namespaces["subjek"] = resident_keys

    for key in ("resident_rows", "subject_rows"):
        rows = data.get(key, [])
        if key == "subject_rows" and rows and not subject_field:
            chk.fail((key,), "subject_rows")
        for row in rows:
            if not isinstance(row, str) or row not in RESIDENT_KEYS:
                line = tomllines.line_containing(text, f'"{row}"', tomllines.line_of(chk.lines, (key,)))
                raise TemplateError(line or tomllines.line_of(chk.lines, (key,)),
                                    _("letters.catalog.unknown_resident_row", name=row))

    body = []
    for index, paragraph in enumerate(data["body"]):
        if not isinstance(paragraph, str) or not paragraph.strip():
            chk.fail(("body",), "wrong_type", name=f"body[{index}]", kind=_("letters.catalog.kind.str"))
        if paragraph.startswith("@"):
            if paragraph not in BODY_MARKERS:
                line = tomllines.line_containing(text, paragraph, tomllines.line_of(chk.lines, ("body",)))
                raise TemplateError(line or 1, _("letters.catalog.marker", marker=paragraph,
                                                 known=", ".join(BODY_MARKERS)))
            if paragraph == "@subjek" and not subject_field:
                chk.fail(("body",), "subject_rows")
            if paragraph == "@rincian" and not data.get("details"):
                chk.fail(("body",), "details_missing")
            body.append(paragraph)
        else:
            body.append(chk.compile(paragraph, ("body",), namespaces))

    details = []
    for index, item in enumerate(data.get("details", [])):
        path = ("details", index)
        if not isinstance(item, dict):
            chk.fail(path, "wrong_type", name="details", kind=_("letters.catalog.kind.dict"))
        chk.check_keys(item, DETAIL_KEYS, path)
        details.append(Detail(item["label"], chk.compile(item["value"], (*path, "value"), namespaces)))

    template = Template(
        code=code,
        title=data["title"].strip(),
        title_en=data["title_en"].strip(),
        description=data["description"].strip(),
        description_en=data["description_en"].strip(),
        classification=data["classification"],
        validity_days=data["validity_days"],
        intro=chk.compile(data["intro"], ("intro",), namespaces),
        body=tuple(body),
        closing=chk.compile(data.get("closing", DEFAULT_CLOSING), ("closing",), namespaces),
        resident_rows=tuple(data["resident_rows"]),
        purpose=chk.compile(data["purpose"], ("purpose",), namespaces) if "purpose" in data else None,
        subject_field=subject_field,
        subject_rows=tuple(data.get("subject_rows", ())),
        family_table=data.get("family_table", False) or "@keluarga" in body,
        signer=data.get("signer"),
        rules=rules,
        fields=fields,
        details=tuple(details),
        thermal=data.get("thermal", True),
        records_death=data.get("records_death", False),
        source=source,
        min_factor=data.get("min_factor"),
    )
    _check_fits(chk, template)
    return template


def _check_fits(chk: _Checker, template: Template) -> None:
    """Refuse a template whose longest allowed content cannot fit one page of the smaller paper (A4)."""
    from appliance.letters import model
    from appliance.render import letter_pdf as pdf

    letter = model.worst_case(template)
    if pdf.fits(letter, "A4"):
        return
    # Name the culprit: the longest field if there is one, else the body.
    longest = max(template.fields, key=lambda f: f.max_length, default=None)
    if longest is not None:
        index = template.fields.index(longest)
        chk.fail(("fields", index, "max_length"), "does_not_fit_field", name=longest.name,
                 maximum=longest.max_length)
    chk.fail(("body",), "does_not_fit")


def catalog_dirs(settings=None, home: Path | None = None) -> list[Path]:
    """Shipped templates first, then [letters] catalog_dir, then SEMENIT_HOME/letters (a village's own,
    e.g. copied from a USB stick); a later file with the same code replaces an earlier one."""
    dirs = [SHIPPED_DIR]
    if settings is not None:
        extra = settings.section("letters", {"catalog_dir": ""}).get("catalog_dir")
        if extra:
            dirs.append(Path(extra))
    if home is not None:
        dirs.append(Path(home) / "letters")
    return dirs


def load_catalog(directory: Path | str | list | None = None, overrides: dict | None = None) -> Catalog:
    """Load every `*.toml` in `directory` (or the list of directories; default: the shipped `letters/`).

    `overrides` maps a letter code to eligibility rules that replace the template's (the unit's
    `[letters.eligibility.CODE]` settings). A broken file is reported in `.errors` and skipped.
    """
    if directory is None:
        dirs = [SHIPPED_DIR]
    elif isinstance(directory, list | tuple):
        dirs = [Path(d) for d in directory]
    else:
        dirs = [Path(directory)]
    overrides = {str(k).upper(): v for k, v in (overrides or {}).items()}
    return _kept_catalog(dirs, overrides)


def _kept_catalog(dirs: list[Path], overrides: dict) -> Catalog:
    """The catalog as checked last time its files, the code that checks them, the fonts it measures with,
    the overrides and the language were the same (storage.derived_cache); one with errors is loaded
    again every time, so each broken file is reported whenever it is loaded."""
    from appliance.i18n import get_language
    from appliance.render import fonts
    from appliance.storage.derived_cache import cached, files_key

    sources = [p for folder in dirs if folder.is_dir() for p in sorted(folder.glob("*.toml"))]
    app = Path(__file__).parents[1]  # what parses, checks and measures a template, and the code tables
    code = [p for part in ("letters", "render", "residents") for p in sorted((app / part).glob("*.py"))]
    code.append(app / "identity" / "factors.py")
    try:
        font_files = [fonts.font_path(style) for style in fonts.FILES]
    except fonts.FontMissing:
        return _load(dirs, overrides)
    key = (files_key(sources), files_key(code), files_key(font_files), sorted(overrides.items(), key=repr),
           get_language(), sys.version_info[:2])
    return cached("letter-catalog", key, lambda: _load(dirs, overrides), keep=lambda catalog: not catalog.errors)


def _load(dirs: list[Path], overrides: dict) -> Catalog:
    templates: dict[str, Template] = {}
    errors: list[tuple[str, int, str]] = []
    for folder in dirs:
        if not folder.is_dir():
            continue
        seen_here: dict[str, Path] = {}
        for path in sorted(folder.glob("*.toml")):
            try:
                text = path.read_bytes().decode("utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                errors.append((str(path), 1, _("letters.catalog.unreadable", detail=str(exc))))
                continue
            try:
                template = parse_template(text, path, overrides)
            except TemplateError as exc:
                errors.append((str(path), exc.line, exc.message))
                continue
            if template.code in seen_here:
                line = tomllines.line_of(tomllines.key_lines(text), ("code",))
                errors.append((str(path), line, _("letters.catalog.duplicate_code", code=template.code,
                                                  other=seen_here[template.code].name)))
                continue
            seen_here[template.code] = path
            templates[template.code] = template
    return Catalog(templates, errors)
