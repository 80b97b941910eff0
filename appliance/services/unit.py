"""The unit, built once from its settings, and what it can do: the one home of every use case.

    unit = Unit(settings, home)              stores, catalog, printers, spool, queue, GPIO, guard, status
    unit.new_session()                       identify a resident (appliance.services.kiosk decides)
    unit.issue_letter(code, nik, fields)     issue and print a letter; unit.letter_progress(issued) follows it
    unit.take_queue_number()                 a ticket (the button, the screen, `semenit queue take`)
    unit.plan_import(path) / commit_import   the USB import: a report first, then all or nothing
    unit.check_operator_pin(pin)             the operator's way in, under the same lockout as residents
    unit.status.current()                    ONE rule for the light and the screen's banner
    unit.letter_fault / hold_letter          a printer fault: the letter is held until the operator releases it
    unit.call_help() / clear_help()          "Panggil petugas": a numbered call, the light until an officer came
    unit.rate_service(score, code)           the one-touch satisfaction rating (the survey)
    unit.records                             the register, the village's keys, checking a letter's QR

The Kivy app, the CLI and the self-test call this; none of them wires services or orchestrates.

The kiosk opens every area, each on its own: a missing or broken one (no printer configured, a letters
catalog with errors, no GPIO on a laptop) is recorded in `problems` with a plain message and the rest still
starts, so the screen can say what is wrong instead of the unit showing a blank display. A command opens
only the `areas` it needs, `strict`: the first failure is raised for its one clear line. No Kivy here, and
the hardware and printer libraries are only imported when their area opens.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime, tzinfo
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from appliance.config import Settings
from appliance.errors import SemenitError
from appliance.i18n import _
from appliance.services.help_call import HelpCalls
from appliance.services.operator import OPERATOR_LOCK_KEY, OperatorPin
from appliance.services.status import HELP_CALLED, USB_WAITING, StatusIndicator, UnitState
from appliance.village import VillageProfile

if TYPE_CHECKING:
    from appliance.hardware.device import Hardware
    from appliance.identity.service import Identity
    from appliance.letters.catalog import Catalog
    from appliance.letters.register import Register
    from appliance.letters.service import IssuedLetter, LetterService
    from appliance.printing.printers import PrinterSet
    from appliance.printing.spool import Job
    from appliance.printing.state import PrinterState
    from appliance.queue import QueueService, Ticket
    from appliance.residents.importing import ImportPlan
    from appliance.residents.store import ResidentStore
    from appliance.services import kiosk
    from appliance.services.held_letters import HeldLetter, HeldLetters
    from appliance.services.letter_records import LetterRecords

log = logging.getLogger("semenit.unit")
T = TypeVar("T")
AREAS = ("residents", "printing", "letters", "queue", "hardware")

UI_DEFAULTS: dict[str, Any] = {
    "language": "id",
    "fullscreen": "auto",  # auto: full screen on a unit, a window on a desktop
    "rotation": 0,
    "touch_match": "touch|-ts|ft5|goodix|ili|egalax|waveshare",  # which input devices are the touch panel
    "display_diagonal_in": 0,  # 0 = from the resolution: 7" for 800×480 and 720×1280, else 10.1"
    "width": 1280,
    "height": 800,
    "mode": "auto",  # unit | desktop | auto (unit when started by systemd)
    "operator_hold_s": 3.0,
    "touch_guard_s": 0.35,  # touches this soon after a screen appears are ignored (double taps)
}


class PinCheck(StrEnum):
    OK = "ok"
    WRONG = "wrong"
    BLOCKED = "blocked"
    UNSET = "unset"


@dataclass(frozen=True)
class LetterProgress:
    """Where an issued letter's print jobs stand: `done` once every job has printed."""

    jobs: list[Job]
    done: bool


@dataclass(frozen=True)
class PinChange:
    """What the PIN-change screen shows: done or not, one message, and which entry to type again
    ("old" PIN, "new" PIN twice, "nik": locked for now, start over; "" when changed)."""

    changed: bool
    message: str
    again: str


@dataclass(frozen=True)
class PrintCodeShown:
    """What the operator's print-code screen shows: the code, the letter's title and when it expires
    (HH:MM village time), or the one-line error."""

    code: str = ""
    title: str = ""
    expires: str = ""
    nik: str = ""  # masked, as the CLI prints it
    error: str = ""
    minutes: int = 0  # how long it is valid


class Unit:
    def __init__(self, settings: Settings, home: Path, on_button: Callable[[], object] | None = None,
                 start_threads: bool = True, areas: Collection[str] = AREAS, strict: bool = False):
        """`start_threads`: printer pollers, resumed jobs and GPIO (the kiosk); a command that only reads
        or submits runs without them (a submitted job still prints)."""
        self.settings = settings
        self.home = Path(home)
        self.areas = frozenset(areas)
        self.strict = strict
        self.problems: list[tuple[str, str]] = []
        self.ui_conf = settings.section("ui", UI_DEFAULTS)
        self.operator_pin = OperatorPin(self.home)
        if not strict:
            # The kiosk names the village from its first frame (a bad [village] table stops it here) and
            # checks NIKs from worker threads: both are read now, once, on the starting thread.
            _ = (self.village, self.guard)
        self.store: ResidentStore | None = self._open("residents", self._open_store)
        self.printers: PrinterSet | None = self._open("printing", lambda: self._open_printers(start_threads))
        self.letters: LetterService | None = self._open("letters", self._open_letters)
        # The service's catalog carries the unit's eligibility overrides; without a service, the shipped one.
        self.catalog: Catalog | None = (self.letters.catalog if self.letters is not None
                                        else self._open("letters", self.load_catalog))
        if self.catalog is not None:
            for file, line, message in self.catalog.errors:
                self.problems.append(("letters", f"{Path(str(file)).name}:{line}: {message}"))
        self.queue: QueueService | None = self._open("queue", self._open_queue)
        # The queue button calls whoever listens now (the app sets itself once it runs).
        self.button_listener = on_button
        self.hardware: Hardware | None = (self._open("hardware", lambda: self._open_hardware(self._button))
                                          if start_threads else None)
        if self.hardware is not None and not self.hardware.available:
            self.problems.append(("hardware", str(self.hardware.reason or "")))
        light = self.hardware.light if self.hardware is not None else None
        self.status = StatusIndicator(self.printers, light)
        self.help_calls = HelpCalls(self.home)
        self.status.set_flag(HELP_CALLED, bool(self.help_calls.open_call()))  # a call open before a restart

    # The kiosk's parts a command may never need: read on first use (a printer command must not depend
    # on the [village] table, nor write the lockout secret into the data folder).
    @cached_property
    def village(self) -> VillageProfile:
        return VillageProfile.from_settings(self.settings)

    # The kiosk's rules and the USB watcher are read on first use: a queue or printer command never pays
    # for importing the identity area (its hashes and keys).
    @cached_property
    def kiosk_conf(self) -> dict[str, Any]:
        from appliance.services import kiosk

        return self.settings.section("kiosk", kiosk.DEFAULTS)

    @cached_property
    def usb_conf(self) -> dict[str, Any]:
        from appliance.services import usb

        return self.settings.section("usb", usb.DEFAULTS)

    @cached_property
    def guard(self) -> kiosk.VerificationGuard:
        from appliance.services import kiosk

        return kiosk.VerificationGuard(self.home, self.kiosk_conf)

    @cached_property
    def records(self) -> LetterRecords:
        """The register, the village's keys, checking a letter and the verification page (no area needed)."""
        from appliance.services.letter_records import LetterRecords

        return LetterRecords(self.settings, self.home)

    @property
    def register(self) -> Register:
        """The letter register: the letters area's when it is open, else the records' (no area needed)."""
        return self.letters.register if self.letters is not None else self.records.register

    # --- opening ------------------------------------------------------------------------------------
    def _open(self, area: str, opener: Callable[[], T]) -> T | None:
        if area not in self.areas:
            return None
        if self.strict:
            return opener()
        try:
            return opener()
        except Exception as exc:  # noqa: BLE001 - one broken area must not keep the kiosk dark
            log.warning("%s unavailable: %s", area, exc.__class__.__name__)
            self.problems.append((area, _("ui.problem.area", area=area, error=str(exc)[:200])))
            return None

    def _open_store(self) -> ResidentStore:
        from appliance.residents.store import ResidentStore

        return ResidentStore.open(self.home, lazy=True)  # the first look-up reads one row (the NIK index)

    def _open_printers(self, start: bool) -> PrinterSet:
        from appliance.printing import open_printers

        return open_printers(self.settings, self.home, start=start)

    def load_catalog(self) -> Catalog:
        """The letter types as shipped and as the village added them (what the letter service reads)."""
        from appliance.letters.catalog import catalog_dirs, load_catalog

        return load_catalog(catalog_dirs(self.settings, self.home))

    def _open_letters(self) -> LetterService:
        from appliance.letters.service import LetterService

        if self.store is None and "residents" in self.areas:
            raise SemenitError("ui.problem.no_store")
        return LetterService(self.settings, self.home, self.store, printers=self.printers)

    def _open_queue(self) -> QueueService:
        from appliance.queue import QueueService

        return QueueService(self.settings, self.home, printers=self.printers)

    def _button(self) -> None:
        listener = self.button_listener
        if listener is not None:
            listener()

    def _open_hardware(self, on_button: Callable[[], None]) -> Hardware:
        from appliance.hardware import open_hardware
        from appliance.hardware.probe import record_state

        hardware = open_hardware(self.settings, on_button=on_button)
        record_state(self.home, hardware)  # `semenit selftest` asks this while the kiosk holds the pins
        return hardware

    # --- identify -----------------------------------------------------------------------------------
    def _identity(self) -> Identity:
        from appliance.identity.service import Identity

        return Identity.for_kiosk(self.home, self.store, self.guard, self.kiosk_conf)

    def new_session(self) -> kiosk.KioskSession:
        """A resident's session: NIK, second factor, lockout (the rules live in services.kiosk)."""
        from appliance.services import kiosk

        return kiosk.KioskSession(self.store, self.catalog, self.guard, identity=self._identity())

    def change_resident_pin(self, nik: str, old: str, new: str, again: str) -> PinChange:
        """The resident changes their PIN at the kiosk with the old one (slow: one hash; call it off the UI
        thread). A wrong old PIN counts toward the same lockout as a wrong PIN at the verify step."""
        if new != again:
            return PinChange(False, _("identity.pin.mismatch"), "new")
        outcome, block = self._identity().change_pin(nik, old, new)
        if outcome == "changed":
            return PinChange(True, _("identity.pin.changed"), "")
        if block is not None:
            key = "identity.pin.locked" if block.reason == "nik_locked" else "identity.pin.paced"
            return PinChange(False, _(key, minutes=block.minutes, seconds=block.retry_after_s), "nik")
        if outcome == "wrong":
            return PinChange(False, _("identity.pin.wrong", tries=self.tries_left(nik)), "old")
        return PinChange(False, _(outcome), "new")  # the new PIN's format (a PinError's catalog key)

    def issue_print_code(self, nik: str, letter_code: str, minutes: int | None = None) -> PrintCodeShown:
        """An officer's one-time print code for one NIK and one letter type (slow: one hash), with what the
        operator screen shows: the code, the letter's title and the time it expires (village time)."""
        from appliance.identity.codes import DEFAULT_MINUTES
        from appliance.identity.operator import issue_print_code
        from appliance.residents.nik import mask

        minutes = DEFAULT_MINUTES if minutes is None else minutes
        result = issue_print_code(self.settings, self.home, nik, letter_code, minutes,
                                  store=self.store, catalog=self.catalog)
        if result.code is None:
            return PrintCodeShown(error=result.error)
        expires = datetime.fromtimestamp(result.code.expires_at, self._zone())
        return PrintCodeShown(result.code.code, result.title, expires.strftime("%H:%M"), mask(nik), minutes=minutes)

    def register_resident_pin(self, nik: str, pin: str) -> None:
        """The office registers a resident's PIN after seeing the KTP (an operator action)."""
        from appliance.identity.pins import ResidentPins

        ResidentPins(self.home).set(nik, pin)

    def can_issue_letters(self) -> bool:
        return self.catalog is not None and self.store is not None and self.letters is not None

    def templates(self) -> list:
        """The letters the kiosk offers, in the village's fixed order (`[ui] letters`, else the most asked-for
        by default): a resident finds a letter where it was last month (usage never reorders it)."""
        if self.catalog is None:
            return []
        from appliance.services import kiosk

        return kiosk.kiosk_letters(self.catalog.templates, self.ui_conf.get("letters"))

    def tries_left(self, nik: str) -> int:
        """Failed verifications this NIK may still have before it is locked (told to the resident)."""
        return self.guard.tries_left(nik)

    # --- issue and follow a letter ------------------------------------------------------------------
    def letter_service(self) -> LetterService:
        if self.letters is None:
            raise SemenitError("ui.problem.no_letters")
        return self.letters

    def issue_letter(self, code: str, nik: str, fields: dict, identified: dict | None = None) -> IssuedLetter:
        """Number, register, render and submit the letter (slow: call it off the UI thread). `identified`:
        how the resident proved who they are (KioskSession.identified), recorded in the register entry."""
        return self.letter_service().issue(code, nik, fields, identified=identified)

    def render_preview(self, code: str, nik: str, fields: dict) -> bytes:
        """The letter as the resident will get it, without a number (for the preview screen)."""
        return self.letter_service().render_draft(code, nik, fields, fmt="pdf")

    def letter_progress(self, issued: IssuedLetter) -> LetterProgress:
        spool = self.printers.spool if self.printers is not None else None
        jobs = [job for job in (spool.get(i) for i in issued.job_ids) if job is not None] if spool else []
        done = len(jobs) == len(issued.job_ids) and all(job.state == "done" for job in jobs)
        return LetterProgress(jobs, done)

    def follow_jobs(self, listener: Callable[[Job], None]) -> None:
        """`listener(job)` on every change of any print job (from the spool's threads)."""
        if self.printers is not None:
            self.printers.spool.add_listener(listener)

    # --- a printer fault while a letter prints: held for the operator (appliance.services.held_letters) --
    def letter_jobs(self, job_ids: Collection[str]) -> list[Job]:
        spool = self.printers.spool if self.printers is not None else None
        return [job for job in (spool.get(i) for i in job_ids) if job is not None] if spool else []

    def letter_fault(self, job_ids: Collection[str]) -> str:
        """What stops the resident's letter: the letter printer's fault, "failed", or "" (none)."""
        from appliance.services.held_letters import letter_fault

        return letter_fault(self.printer_state(), self.letter_jobs(job_ids))

    def held_letters(self) -> HeldLetters | None:
        from appliance.services.held_letters import HeldLetters

        return HeldLetters(self.home, self.printers.spool) if self.printers is not None else None

    def hold_letter(self, job_ids: Collection[str], number: str, code: str) -> bool:
        """Stop the letter's jobs (kept under their number) until the operator releases them. Slow (it waits
        for an attempt in flight): call it off the UI thread. True when every job is held."""
        held = self.held_letters()
        if held is None:
            return False
        return all([held.hold(job_id, number, code) for job_id in job_ids])

    def held_list(self) -> list[HeldLetter]:
        held = self.held_letters()
        return held.list() if held is not None else []

    def release_held_letters(self) -> int:
        """The operator stands at the printer: every held letter prints now. How many."""
        held = self.held_letters()
        rows = held.list() if held is not None else []
        for row in rows:
            held.release(row.job)  # type: ignore[union-attr]
        return len(rows)

    # --- the resident's aids (issue 15) -------------------------------------------------------------
    def call_help(self) -> int:
        """"Panggil petugas": the call's number (the open one again when pressed twice); the light calls."""
        number = self.help_calls.call()
        self.status.set_flag(HELP_CALLED, True)
        return number

    def help_call_open(self) -> int:
        """The number of the call waiting for an officer, 0 when none."""
        return self.help_calls.open_call()

    def clear_help(self) -> None:
        """The officer came: the light goes back to what the unit's state says."""
        self.help_calls.clear()
        self.status.set_flag(HELP_CALLED, False)

    def rate_service(self, score: int, code: str = "") -> None:
        """The one-touch rating on the done screen: the score and the letter type, nothing of the resident."""
        from appliance.services.survey import Survey

        Survey(self.home, self.village.timezone).rate(score, code)

    # --- queue --------------------------------------------------------------------------------------
    def take_queue_number(self, print_ticket: bool | None = None) -> Ticket:
        """The next number, on disk before anything else; its ticket printed unless `print_ticket` is False."""
        if self.queue is None:
            raise SemenitError("ui.problem.no_queue")
        return self.queue.take(print_ticket=print_ticket)

    def press_queue_button(self) -> None:
        """A press as the button makes it (the desktop's Q key): through the mock pin when there is one,
        so the debounce and the button's thread run as on a unit; else straight to the listener."""
        button = self.hardware.button if self.hardware is not None else None
        if button is None or not button.simulate_press():
            self._button()

    # --- import -------------------------------------------------------------------------------------
    def resident_store(self) -> ResidentStore:
        if self.store is None:
            raise SemenitError("ui.problem.no_store")
        return self.store

    def plan_import(self, path: Path, mode: str = "full") -> ImportPlan:
        from appliance.residents.importing import plan_import

        return plan_import(path, self.resident_store(), self.settings, mode=mode)

    def commit_import(self, plan: ImportPlan, confirm_mass_absent: bool = False) -> bool:
        from appliance.residents.importing import commit_import

        return commit_import(plan, self.resident_store(), confirm_mass_absent=confirm_mass_absent)

    def rollback_import(self) -> Path:
        """Back to the resident data from before the last import; the backup file it restored.

        Works without the current file being readable (a damaged file is what rollback is for): the store
        is not opened before, and is opened afresh after."""
        from appliance.residents.store import ResidentStore

        restored = ResidentStore(self.home).rollback()
        self.store = ResidentStore.open(self.home)
        return restored

    def resident_count(self) -> int:
        return len(self.store) if self.store is not None else 0

    def load_demo_residents(self, n: int = 200, seed: int = 1) -> int:
        """First run of `make run`: the demo village's synthetic residents, through the real import."""
        from appliance.residents import demo

        store = self.store
        if store is None or len(store) > 0:
            return 0
        with tempfile.TemporaryDirectory(prefix="semenit-demo-") as tmp:
            path = Path(tmp) / "demo_penduduk.csv"
            demo.write_csv(demo.generate(n, seed=seed), path)
            self.commit_import(self.plan_import(path))
        return len(store)

    @staticmethod
    def write_demo_residents(out: Path, n: int, seed: int = 1) -> int:
        """Synthetic residents in an OpenSID-shaped .csv or .xlsx (`semenit demo-data`); how many. Needs no
        unit: demos, tests and the benchmark make files before any unit exists."""
        from appliance.residents import demo

        people = demo.generate(n, seed=seed)
        if Path(out).suffix.lower() == ".xlsx":
            demo.write_xlsx(people, Path(out))
        else:
            demo.write_csv(people, Path(out))
        return len(people)

    def set_operator_pin(self, pin: str) -> None:
        """The operator's PIN (its format checked: PinError)."""
        self.operator_pin.set(pin)

    # --- operator -----------------------------------------------------------------------------------
    def check_operator_pin(self, pin: str) -> tuple[PinCheck, kiosk.Block | None]:
        """The operator PIN, under the resident lockout (key "operator"): argon2 is slow, call off the UI thread."""
        block = self.guard.check(OPERATOR_LOCK_KEY)
        if block:
            return PinCheck.BLOCKED, block
        if not self.operator_pin.is_set():
            return PinCheck.UNSET, None
        if self.operator_pin.verify(pin):
            self.guard.success(OPERATOR_LOCK_KEY)
            return PinCheck.OK, None
        return PinCheck.WRONG, self.guard.failure(OPERATOR_LOCK_KEY)

    # --- the unit's state ---------------------------------------------------------------------------
    def state(self) -> UnitState:
        return self.status.current()

    def usb_waiting(self, waiting: bool) -> None:
        """A stick with files is plugged in: the light asks for the operator."""
        self.status.set_flag(USB_WAITING, waiting)

    # --- the clock (appliance.clock holds the rule and the record) ------------------------------------
    def clock_needs_confirmation(self) -> bool:
        """No NTP sync and no trusted RTC since boot: the operator confirms the date before the first letter."""
        from appliance import clock
        from appliance.services.operator import on_unit

        if self.letters is None:
            return False
        return clock.operator_must_confirm(self.home, self.settings.section("clock", clock.DEFAULTS),
                                           on_unit(self.ui_conf), self.letters.register.path,
                                           self.village.timezone)

    def confirm_clock(self) -> None:
        """The operator (after the operator PIN) confirms the date and time shown: good until the next boot."""
        from appliance import clock

        conf = self.settings.section("clock", clock.DEFAULTS)
        clock.confirm(self.home, clock.ClockSources.from_settings(conf), self.local_time())

    def today_text(self, lang: str) -> str:
        """Today's date as a person reads it: "30 November 2026" (Indonesian month names in id)."""
        from appliance.letters.words import tanggal

        now = self.local_time()
        return tanggal(now.date()) if lang == "id" else f"{now.day} {now:%B %Y}"

    def local_time(self) -> datetime:
        """Now in the village's time zone (the screen's clock, the operator's exports)."""
        return datetime.now(self._zone())

    def _zone(self) -> tzinfo | None:
        from zoneinfo import ZoneInfo

        try:
            return ZoneInfo(self.village.timezone)
        except (ValueError, KeyError):  # an unknown zone name must not stop the clock: the system's zone
            return None

    def letter_printer(self) -> str | None:
        if self.printers is None:
            return None
        return self.printers.default_for("letter")

    def printer_state(self, name: str | None = None) -> PrinterState | None:
        """The state of the letter printer (never blocks: the printing area caches it)."""
        if self.printers is None:
            return None
        name = name or self.letter_printer()
        return self.printers.state(name) if name else None

    def close(self, timeout: float = 5.0) -> None:
        """Stop listening, then the GPIO, then the printers (their workers get `timeout` to finish)."""
        self.status.stop()
        if self.letters is not None:
            self.letters.close()
        closers: list[Callable[[], None]] = []
        if self.hardware is not None:
            closers.append(self.hardware.close)
        if self.printers is not None:
            printers = self.printers
            closers.append(lambda: printers.close(timeout=timeout))
        for close in closers:
            try:
                close()
            except Exception:  # noqa: BLE001 - closing the rest matters more
                log.warning("close failed", exc_info=True)
