"""Issuing letters: the one path the kiosk, the CLI and the benchmark use.

    svc = LetterService(settings, home, store, printers)
    letter = svc.issue("SKTM", nik, {"keperluan": "Pengajuan beasiswa"})   # number, register, render, print
    svc.render_draft("SKTM", nik, fields, "pdf")                            # a preview: no number taken
    svc.reprint(number); svc.void(number, reason)

Order of an issue: check eligibility and fields (nothing is written for a refused request), then under
the register's lock allocate the number (the next of its counter, which is caught up from the register
first) and append "issued" with a snapshot of what the letter says, then render and hand it to the print
spool. The job's outcome is appended as "printed" or "failed"; a failed print keeps its number and can
be reprinted.

The render does not wait for the register: it starts on its own thread as soon as the number is signed,
while the entry is written and fsynced (the waits release the GIL). Its bytes reach the spool only
after allocate() has returned, so nothing is printed that the register does not hold; if the
entry cannot be written, the rendered bytes are dropped.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import orjson

from appliance import clock
from appliance.errors import SemenitError
from appliance.i18n import _
from appliance.letters import deaths, numbering, signing
from appliance.letters import model as letter_model
from appliance.letters.catalog import Template, catalog_dirs, load_catalog
from appliance.letters.register import Register
from appliance.residents.model import FIELDS, Resident
from appliance.residents.nik import mask
from appliance.storage.atomic import atomic_write
from appliance.storage.document import DOCUMENT_OPTIONS, read_or_set_aside
from appliance.village import VillageProfile

log = logging.getLogger(__name__)

LETTER_SETTINGS = {"catalog_dir": "", "eligibility": {}}
# In numbers.json: the register's size when the counters were last written (see allocate).
REGISTER_MARK = "_register_size"
# The counters live in memory between letters and reach numbers.json every this many letters and on
# close: they are derived from the register, and whoever finds them behind reads only the entries
# appended since their mark (_catch_up), at most this many letters' worth.
SAVE_COUNTERS_EVERY = 16


class LetterError(SemenitError):
    """A request that cannot be served: a catalog key and its parameters (text() is for the person),
    `reasons` the details already in words (eligibility, fields), `code` for machines and exit statuses."""

    def __init__(self, key: str, reasons: list[str] | None = None, code: str = "refused", **params: object):
        super().__init__(key, **params)
        self.reasons = reasons or []
        self.code = code


@dataclass
class IssuedLetter:
    number: str
    code: str
    title: str
    qr: str
    day: date
    format: str = ""
    files: list[str] = field(default_factory=list)
    job_ids: list[str] = field(default_factory=list)
    printer: str | None = None
    outcome: str = "issued"  # issued | pending | sent | done | failed
    error: str | None = None

    def as_dict(self) -> dict:
        return {"number": self.number, "type": self.code, "title": self.title, "qr": self.qr,
                "date": self.day.isoformat(), "format": self.format, "files": self.files, "jobs": self.job_ids,
                "printer": self.printer, "outcome": self.outcome, "error": self.error}


class _Rendering:
    """A render on its own thread; result() waits for it and raises what it raised."""

    def __init__(self, work):
        self._value: bytes | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(work,), name="letter-render", daemon=True)
        self._thread.start()

    def _run(self, work) -> None:
        try:
            self._value = work()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller of result()
            self._error = exc

    def result(self) -> bytes:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._value is not None
        return self._value


def _snapshot(resident) -> dict | None:
    return None if resident is None else dict(resident._asdict())


def _restore(data: dict | None):
    if data is None:
        return None
    return Resident(**{name: data.get(name) for name in FIELDS})


class LetterService:
    def __init__(self, settings, home: Path, store, printers=None, clock=None):
        self.settings = settings
        self.home = Path(home)
        self.store = store
        self.printers = printers
        self.village = VillageProfile.from_settings(settings)
        conf = settings.section("letters", LETTER_SETTINGS)
        try:
            numbering.check_format(self.village.format_nomor, self.village.urutan_nomor)
        except numbering.NumberFormatError as exc:
            raise LetterError("letters.error.number_format", code="settings", detail=exc.text()) from exc
        self.catalog = load_catalog(catalog_dirs(settings, self.home), conf.get("eligibility") or {})
        self.register = Register(self.home)
        self.numbers_path = self.home / "letters" / "numbers.json"
        self._counters: dict | None = None  # numbers.json as this process last knew it (register's lock)
        self._unsaved = 0
        self._clock = clock
        self._key = None
        self.page_url = signing.page_url(settings)
        self._recorded: set[tuple[str, str]] = set()
        self._record_lock = threading.Lock()
        self._listening = False
        if printers is not None:
            self._listen(printers)  # jobs the spool resumes at start-up report to the register too

    # --- helpers ----------------------------------------------------------------------------------

    def today(self) -> date:
        if self._clock is not None:
            return self._clock()
        return datetime.now(ZoneInfo(self.village.timezone)).date()

    def template(self, code: str) -> Template:
        template = self.catalog.get(code)
        if template is None:
            raise LetterError("letters.error.unknown_type", code="unknown_type", type=code,
                              known=", ".join(sorted(self.catalog.templates)))
        return template

    def _resident(self, nik: str):
        resident = self.store.get(str(nik).strip())
        if resident is None:
            raise LetterError("letters.error.unknown_resident", code="unknown_resident", nik=mask(str(nik)))
        return resident

    def _prepare(self, code: str, nik: str, fields: dict | None):
        template = self.template(code)
        resident = self._resident(nik)
        today = self.today()
        blocked = deaths.blocked_niks(self.home, self.store)  # reported dead here, not yet settled by an import
        reasons = template.check_eligibility(resident, self.store, today, blocked)
        if reasons:
            raise LetterError("letters.error.not_eligible", reasons, code="not_eligible", title=template.title)
        clean, errors = template.validate_fields(fields or {}, resident, self.store, today, blocked)
        if errors:
            raise LetterError("letters.error.fields", errors, code="fields", title=template.title)
        subject = self.store.get(clean[template.subject_field]) if template.subject_field else None
        family = self.store.family(resident.no_kk) if template.wants_family and resident.no_kk else None
        if template.family_table:  # a long family: refused before a number is taken, never cut
            draft = letter_model.build(template, self.village, resident, clean, number=None, day=today,
                                       subject=subject, family=family)
            if not letter_model.fits_one_page(draft, self.village.kertas):
                raise LetterError("letters.error.not_eligible", [_("letters.eligibility.family_page")],
                                  code="not_eligible", title=template.title)
        return template, resident, clean, subject, family, today

    def _signing_key(self):
        if self._key is None:
            self._key = signing.ensure_keypair(self.home)[0]
        return self._key

    def _render(self, letter, fmt: str, printer: str | None = None,
                escpos_profile: tuple[str, int] | None = None) -> bytes:
        from appliance.render import render

        if fmt == "pdf":
            return render("letter", "pdf", letter, self.village.kertas)
        profile, paper = escpos_profile or ("default", 80)
        if escpos_profile is None and printer and self.printers is not None:
            profile, paper = self.printers.escpos_profile(printer)
        return render("letter", "escpos", letter, profile, paper)

    # --- the contract -----------------------------------------------------------------------------

    def render_draft(self, code: str, nik: str, fields: dict | None, fmt: str = "pdf", printer: str | None = None,
                     escpos_profile: tuple[str, int] | None = None) -> bytes:
        """A preview of the letter, marked DRAF, without a number, a signature or a register entry.
        ESC/POS uses `escpos_profile` (profile, paper mm), else the printer's, else a default 80 mm."""
        template, resident, clean, subject, family, today = self._prepare(code, nik, fields)
        letter = letter_model.build(template, self.village, resident, clean, number=None, day=today,
                                    subject=subject, family=family, qr=None)
        if fmt not in ("pdf", "escpos"):
            raise LetterError("letters.error.format", code="format", fmt=fmt)
        if fmt == "escpos" and not template.thermal:
            raise LetterError("letters.error.regular_printer_only", code="format", title=template.title)
        return self._render(letter, fmt, printer, escpos_profile)

    def allocate(self, template: Template, day: date, entry: dict, content, on_signed=None) -> tuple[str, str]:
        """Take the next number and append "issued" under one lock. Returns (number, qr).

        `content(number)` is the letter model with that number: its QR payload binds what it states.
        `on_signed(number, qr)`, if given, is called once both are known, before the entry is written:
        it may start work that needs them (the render), never anything that leaves the unit."""
        key = numbering.sequence_key(self.village.urutan_nomor, template.classification, day)
        with self.register.lock():
            # A clock set back must not date a letter before what the register already holds.
            last = clock.last_register_day(self.register.path, self.village.timezone)
            if not clock.letter_day_allowed(day, last):
                raise LetterError("office.clock.behind_register", code="clock_behind", day=day.isoformat(),
                                  last=last.isoformat())
            # The register is the truth: damaged counters are set aside and rebuilt from it, and counters
            # a power cut or a kill left behind are caught up from it (_catch_up).
            if self._counters is None:
                self._counters = read_or_set_aside(self.numbers_path)
            counters = self._counters
            self._catch_up(counters)
            seq = int(counters.get(key, 0)) + 1
            number = numbering.format_number(
                self.village.format_nomor, classification=template.classification, seq=seq, day=day,
                kode_desa=self.village.kode_desa, kode_wilayah=self.village.kode_wilayah)
            payload = content(number)
            qr = signing.sign(self._signing_key(), payload, self.page_url)
            if on_signed is not None:
                on_signed(number, qr)
            # The register entry is the allocation: written (fsync) before the counter, so a kill
            # between the two leaves a counter behind the register (caught up next time), never a
            # number taken and recorded nowhere.
            self.register.append_locked("issued", number, seq=seq, seq_key=key, qr=qr, digest=payload.digest,
                                        **entry)
            counters[key] = seq
            counters[REGISTER_MARK] = self.register.path.stat().st_size
            self._unsaved += 1
            if self._unsaved >= SAVE_COUNTERS_EVERY:
                self._save_counters()
        return number, qr

    def _save_counters(self) -> None:
        """Write the counters (under the register's lock). Replaced atomically but not fsynced: a power cut
        may leave them old or damaged, which the register repairs. A failure (a full disk) only costs
        the next process a longer catch-up, so it is noted and the letter goes on."""
        if self._counters is None:
            return
        try:
            atomic_write(self.numbers_path, orjson.dumps(self._counters, option=DOCUMENT_OPTIONS), mode=0o600,
                         fsync_file=False, fsync_folder=False)
            self._unsaved = 0
        except OSError as exc:
            log.warning(_("storage.counters_not_saved", reason=exc.strerror or str(exc)))

    def _catch_up(self, counters: dict) -> None:
        """Bring the counters up to the register: the entries appended since the counters were last
        written (outcomes, or an "issued" whose counter write a kill cut off) are read from the byte
        offset noted then; a missing, deleted or older counter file means reading the whole register."""
        try:
            size = self.register.path.stat().st_size
        except FileNotFoundError:
            return
        mark = counters.get(REGISTER_MARK)
        if isinstance(mark, int) and mark == size:
            return
        since = mark if isinstance(mark, int) and 0 < mark <= size else 0
        for seq_key, seq in self._counters_from_register(since).items():
            if seq > int(counters.get(seq_key, 0)):
                counters[seq_key] = seq

    def _counters_from_register(self, offset: int = 0) -> dict:
        """The highest sequence per key in the register (from byte `offset` on), so a deleted or
        restored counter file can never hand out a number twice."""
        out: dict[str, int] = {}
        for entry in self.register.entries(offset):
            if entry.get("event") == "issued" and entry.get("seq_key"):
                out[entry["seq_key"]] = max(out.get(entry["seq_key"], 0), int(entry.get("seq", 0)))
        return out

    def issue(self, code: str, nik: str, fields: dict | None = None, printer: str | None = None,
              identified: dict | None = None) -> IssuedLetter:
        """`identified`: how the resident proved who they are (identity.Identified.as_entry()), kept in the
        register entry; None for the operator's own `semenit letter issue`."""
        template, resident, clean, subject, family, today = self._prepare(code, nik, fields)
        snapshot = {"resident": _snapshot(resident), "subject": _snapshot(subject),
                    "family": [_snapshot(m) for m in family] if family is not None else None}
        entry = {"code": template.code, "title": template.title, "nik": resident.nik, "nama": resident.nama,
                 "fields": clean, "day": today.isoformat(), "snapshot": snapshot,
                 "identified": identified or {"method": "operator"}}
        if not template.thermal:  # refused before a number is taken, never after
            printers = self._printers()
            name = printer or printers.default_for("letter")
            if name is not None and "pdf" not in printers.formats(name):
                raise LetterError("letters.error.regular_printer_only", code="format", title=template.title)

        def build(number: str, qr: str | None = None):
            return letter_model.build(template, self.village, resident, clean, number=number, day=today,
                                      subject=subject, family=family, qr=qr)

        members = {m.nik: m for m in family or ()}
        if subject is not None:
            members[subject.nik] = subject
        target = self._target(printer)
        early: dict[str, _Rendering] = {}

        def render_early(number: str, qr: str) -> None:
            if target is not None:
                name, fmt = target
                early[fmt] = _Rendering(lambda: self._render(build(number, qr), fmt, name))

        number, qr = self.allocate(template, today, entry,
                                   lambda n: signing.payload_for(build(n), template, clean, members), render_early)
        if template.records_death and template.subject_field and subject is not None:
            died = next((clean[f.name] for f in template.fields if f.age_of == template.subject_field), "")
            deaths.record_death(self.home, subject.nik, number=number, day=today, died=died,
                                import_id=subject.import_id)
        letter = build(number, qr)
        issued = IssuedLetter(number=number, code=template.code, title=template.title, qr=qr, day=today)
        self._print(issued, letter, printer, reprint=False, rendered=early)
        return issued

    def _target(self, printer: str | None) -> tuple[str, str] | None:
        """(printer, format) a letter goes to: PDF where the printer takes it; None when there is no printer."""
        printers = self._printers()
        name = printer or printers.default_for("letter")
        if name is None:
            return None
        return name, "pdf" if "pdf" in printers.formats(name) else "escpos"

    def _print(self, issued: IssuedLetter, letter, printer: str | None, reprint: bool,
               rendered: dict[str, _Rendering] | None = None) -> None:
        printers = self._printers()
        target = self._target(printer)
        if target is None:
            raise LetterError("letters.error.no_printer", code="no_printer")
        name, fmt = target
        early = (rendered or {}).get(fmt)
        content = {fmt: early.result() if early is not None else self._render(letter, fmt, name)}
        self._listen(printers)
        job = printers.spool.submit(printer=name, kind="letter", content=content, ref=issued.number)
        issued.printer, issued.format = name, fmt
        issued.job_ids.append(job.id)
        issued.outcome = job.state
        if reprint:
            self.register.append("reprinted", issued.number, job=job.id, printer=name)
        self._on_job(job)

    def wait(self, issued: IssuedLetter, timeout: float = 10.0) -> IssuedLetter:
        """Wait (bounded) for the letter's last print job to finish; fills outcome, files and error."""
        if not issued.job_ids or self.printers is None:
            return issued
        job = self.printers.spool.wait(issued.job_ids[-1], timeout)
        if job is not None:
            self._on_job(job)
            issued.outcome = job.state
            issued.error = job.error
            if job.output and job.output not in issued.files:
                issued.files.append(job.output)
        return issued

    def reprint(self, number: str, printer: str | None = None) -> IssuedLetter:
        """Print a letter again exactly as issued (same number, date, QR), from the register's snapshot."""
        record = self.register.get(number)
        if record is None:
            raise LetterError("letters.error.unknown_number", code="unknown_number", number=number)
        if record.status == "voided":
            raise LetterError("letters.error.voided", code="voided", number=number, reason=record.void_reason)
        template = self.template(record.code)
        day = date.fromisoformat(record.day)
        snap = record.snapshot or {}
        resident = _restore(snap.get("resident"))
        family = [_restore(m) for m in snap["family"]] if snap.get("family") is not None else None
        letter = letter_model.build(template, self.village, resident, record.fields, number=number, day=day,
                                    subject=_restore(snap.get("subject")), family=family, qr=record.qr)
        issued = IssuedLetter(number=number, code=record.code, title=record.title, qr=record.qr, day=day)
        self._print(issued, letter, printer, reprint=True)
        return issued

    def void(self, number: str, reason: str) -> None:
        reason = (reason or "").strip()
        if not reason:
            raise LetterError("letters.error.void_reason", code="void_reason")
        with self.register.lock():
            record = self.register.get(number)
            if record is None:
                raise LetterError("letters.error.unknown_number", code="unknown_number", number=number)
            if record.status == "voided":
                raise LetterError("letters.error.voided", code="voided", number=number, reason=record.void_reason)
            self.register.append_locked("voided", number, reason=reason)

    # --- print outcomes -> register ------------------------------------------------------------------

    def _printers(self):
        if self.printers is None:
            from appliance.printing import open_printers

            self.printers = open_printers(self.settings, self.home)
        return self.printers

    def _listen(self, printers) -> None:
        if not self._listening:
            printers.spool.add_listener(self._on_job)
            self._listening = True
            self._record_finished(printers)

    def _on_job(self, job) -> None:
        if getattr(job, "kind", "letter") != "letter" or job.state not in ("done", "failed") or not job.ref:
            return
        # Held while appending, so that wait() returns only once the outcome is in the register.
        with self._record_lock:
            key = (job.id, job.state)
            if key in self._recorded:
                return
            event = "printed" if job.state == "done" else "failed"
            extra = {"error": job.error or ""} if event == "failed" else {}
            with self.register.lock():
                # Several processes share the spool and may all see this job finish: a marker file,
                # checked and created under the register's lock, says it is recorded. It is created
                # after the entry, so a kill in between can at worst record the outcome twice, never
                # lose it.
                marker = self._outcome_marker(job)
                if marker.exists():
                    self._recorded.add(key)
                    return
                self.register.append_locked(event, job.ref, job=job.id, printer=job.printer, **extra)
                marker.parent.mkdir(parents=True, exist_ok=True)
                os.close(os.open(marker, os.O_CREAT | os.O_WRONLY, 0o600))
            if len(self._recorded) > 1000:  # only a shortcut: the marker files are the record
                self._recorded.clear()
            self._recorded.add(key)

    def _outcome_marker(self, job) -> Path:
        return self.register.folder / "outcomes" / f"{re.sub(r'[^A-Za-z0-9_-]', '_', job.id)}.{job.state}"

    def _record_finished(self, printers) -> None:
        """Outcomes of letter jobs that finished while nobody listened (resumed at start-up by the spool,
        or finished just before a kill) go into the register now. The markers are listed once: a
        spool of a few thousand jobs must not cost a look-up each at every start."""
        try:
            marked = set(os.listdir(self.register.folder / "outcomes"))
        except FileNotFoundError:
            marked = set()
        for job in printers.spool.jobs(("done", "failed")):
            if job.kind == "letter" and job.ref and self._outcome_marker(job).name not in marked:
                self._on_job(job)  # checks the marker again under the register's lock

    def close(self) -> None:
        if self._unsaved:
            try:
                with self.register.lock():
                    self._save_counters()
            except OSError as exc:
                log.warning(_("storage.counters_not_saved", reason=exc.strerror or str(exc)))
        if self.printers is not None and self._listening:
            self.printers.spool.remove_listener(self._on_job)
            self._listening = False
