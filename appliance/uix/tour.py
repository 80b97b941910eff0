"""`semenit ui-tour OUTDIR`: every screen, driven by simulated touches, photographed at each size.

The tour runs in its own data folder (demo residents, the `file` printer, a USB folder holding a copy
of the real OpenSID fixture) so it never touches a unit's data. The UI tests call the same scenarios.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

import orjson

from appliance.config import Settings

FIXTURE = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "opensid" / "contoh_penduduk.xlsx"
TOUR_PIN = "2468"
TOUR_RESIDENT_PIN = "4826"  # registered for the tour's resident, as an officer would at the office
SIZES = ((1280, 800), (800, 480), (720, 1280))
TYPED = {"date": "17082024", "number": "2500000", "money": "2500000"}
# Steps that are the operator's, though shown on a resident screen (the PIN dialog over the home screen).
OPERATOR_STEPS = ("operator_pin",)
# Every state a resident can meet (issue 15): the tour must photograph each, at every size and language.
# Every letter page is one more: letter_page_2 … as many as the size needs (checked against "letter_pages").
RESIDENT_STATES = ("home", "letter_page_1", "nik_typing", "nik_complete", "verify_birth_date",
                   "verify_pin", "verify_tag", "verify_mismatch", "confirm_is_this_you", "not_me", "fields",
                   "preview", "printing", "done_take_your_letter", "rating_given", "printer_paper_out",
                   "printer_cover_open", "printer_offline", "locked_try_later", "idle_warning", "help_called",
                   "ineligible_reason", "queue_number", "large_text", "pin_change")


class Tour:
    def __init__(self, driver, outdir: Path | None):
        self.d = driver
        self.app = driver.app
        self.unit = driver.app.unit
        self.outdir = Path(outdir) if outdir else None
        self.t0 = time.perf_counter()
        self.steps: list[dict] = []
        self.tag = ""
        self.count = 0
        # The walks again with "Huruf besar" on (large_walks): each step's name gets this prefix.
        self.large = False
        self.prefix = ""

    # --- recording -------------------------------------------------------------------------------------
    def step(self, name: str, shot: bool = True) -> None:
        from appliance.uix.measure import measure

        name = self.prefix + name
        self.d.settle()  # laid out as the resident sees it (a page that refits itself takes frames)
        screen = self.app.sm.current
        entry = {"step": name, "t_s": round(time.perf_counter() - self.t0, 4), "screen": screen,
                 "size": list(self.d.window.size), "lang": self.app.lang,
                 "resident": not screen.startswith("operator") and name not in OPERATOR_STEPS,
                 "dialog": type(self.app.dialog or self.app.idle_dialog).__name__ if (
                     self.app.dialog or self.app.idle_dialog) else None,
                 "display_in": round(self.app.th.diagonal(*self.d.window.size), 1),
                 **measure(self.d.window, self.app.th.px_mm)}
        if shot and self.outdir is not None:
            self.count += 1
            path = self.outdir / f"{self.tag}_{self.count:02d}_{name}.png"
            self.d.screenshot(path)
            entry["file"] = path.name
        self.steps.append(entry)

    def on_screen(self, name: str) -> bool:
        """The widget `name` is shown whole: visible, inside the window, as tall as its text."""
        from appliance.uix.driver import DriverError

        try:
            w = self.d.find(name)
        except DriverError:
            return False
        x0, y0 = w.to_window(w.x, w.y)
        win = self.d.window
        # Deliberate getattr: a label is as tall as its text; any other widget has no texture to compare.
        return (x0 >= 0 and y0 >= 0 and x0 + w.width <= win.width and y0 + w.height <= win.height
                and w.height >= getattr(w, "texture_size", (0, 0))[1] - 1)

    # --- choosing who and what -------------------------------------------------------------------------
    def cases(self):
        """(eligible resident, the most requested letter they may have), and an ineligible pair."""
        store, today = self.unit.store, date.today()
        templates = self.unit.templates()
        residents = [r for r in store if r.present and r.birth_date and r.age(today) and r.age(today) >= 20]
        eligible = ineligible = None
        # The village's order: the first letter (the most requested) that a demo resident may have.
        for t in templates:
            for r in residents[:60]:
                if t.check_eligibility(r, store, today):
                    continue
                eligible = (r, t)
                break
            if eligible:
                break
        for t in templates:
            for r in residents[:60]:
                if t.check_eligibility(r, store, today):
                    ineligible = (r, t)
                    break
            if ineligible:
                break
        return eligible, ineligible

    # --- scenarios -------------------------------------------------------------------------------------
    def home(self) -> None:
        self.app.go_home()
        self.d.pump(3)
        if self.large:  # forgotten with the session: touched again, as the resident would
            self.d.tap("large_text")

    def set_language(self, lang: str) -> None:
        self.home()
        if self.app.lang != lang:
            self.d.tap("lang")
        assert self.app.lang == lang

    def to_letter(self, code: str, shots: bool = False) -> None:
        d = self.d
        d.tap("print_letter")
        d.pump(4)  # the grid's size decides how many tiles a page holds
        if shots:
            self.step("letter_page_1")
        while not d.has(f"letter_{code}"):
            d.tap("next")
        d.tap(f"letter_{code}")

    def enter_nik(self, nik: str, shots: bool = False) -> None:
        d = self.d
        d.type_digits(nik[:9])
        if shots:
            self.step("nik_typing")
        d.type_digits(nik[9:])
        if shots:
            self.step("nik_complete")
        d.tap("next")
        d.wait(lambda: self.app.sm.current != "nik", what="leaving the NIK screen")

    def enter_birth_date(self, born: date, shots: bool = False) -> None:
        d = self.d
        d.wait_screen("verify")
        d.type_digits(f"{born.day:02d}{born.month:02d}{born.year:04d}")
        if shots:
            self.step("verify_birth_date")
        d.tap("next")
        d.wait(lambda: self.app.sm.current != "verify" or self.app.screen("verify").error, what="verification")

    def enter_pin(self, pin: str, shots: bool = False) -> None:
        d = self.d
        d.wait_screen("verify")
        d.type_digits(pin)
        if shots:
            self.step("verify_pin")
        d.tap("next")
        d.wait(lambda: self.app.sm.current != "verify" or self.app.screen("verify").error, what="verification")

    def register_pin(self, resident) -> None:
        """The resident's PIN (the default second factor), set before the walk starts."""
        if self.unit.kiosk_conf.get("second_factor") == "pin":
            self.unit.register_resident_pin(resident.nik, TOUR_RESIDENT_PIN)

    def enter_second_factor(self, resident, shots: bool = False, wrong: bool = False) -> None:
        """What the kiosk asks: the PIN by default, the birth date where a village chose it."""
        if self.app.session.factor == "birth_date":
            born = resident.birth_date
            self.enter_birth_date(born.replace(year=born.year - 1) if wrong else born, shots)
        else:
            self.enter_pin("0000" if wrong else TOUR_RESIDENT_PIN, shots)

    def identify(self, resident, template) -> None:
        """From the home screen: choose the letter, type the NIK and the second factor, up to "is this you?"."""
        self.register_pin(resident)
        self.to_letter(template.code)
        self.enter_nik(resident.nik)
        self.enter_second_factor(resident)
        self.d.wait_screen("confirm")

    def fill_fields(self, shots: bool = False, keyboard: bool = False) -> bool:
        """Answer each field with its first choice (or, with `keyboard`, type an "other" answer once).
        True when an answer was typed."""
        d = self.d
        typed = False
        first = True
        while self.app.sm.current == "fields":
            spec = self.app.session.current_field()
            if shots and first:
                self.step("fields")
            first = False
            if keyboard and d.has("choice_other"):
                keyboard = False
                d.tap("choice_other")
                d.type_text("UNTUK BEKERJA")
                typed = True
                if shots:
                    self.step("keyboard_other_answer")
                d.tap("kb_done")
                continue
            if d.has("choice_0"):
                d.tap("choice_0")
                continue
            d.tap("type")
            if shots:
                self.step("keyboard")
            d.type_text(TYPED.get(str(spec.type), "") or "JAKARTA")
            d.tap("kb_done")
            typed = True
        return typed

    def resident_flow(self, resident, template, shots: bool = True) -> dict:
        """Home → letter → NIK → PIN (or birth date) → confirm → fields → preview → print → done."""
        d, app = self.d, self.app
        self.register_pin(resident)
        self.home()
        if shots:
            self.step("home")
        d.touches = d.digits = 0
        self.to_letter(template.code, shots)
        if shots:
            self.step("nik_empty")
        self.enter_nik(resident.nik, shots)
        self.enter_second_factor(resident, shots)
        d.wait_screen("confirm")
        if shots:
            self.step("confirm_is_this_you")
        d.tap("yes")
        d.pump(2)
        typed = self.fill_fields(shots, keyboard=shots)
        d.wait_screen("preview")
        if shots:
            self.step("preview")
        d.tap("print")
        if shots:
            self.step("printing")
        d.wait(lambda: "job_sent" in app.marks, what="the print job")
        flow_s = app.marks["job_sent"] - app.marks["flow_start"]
        touches = d.touches
        d.wait_screen("done")
        number = app.screen("done").number
        if shots:
            self.step("done_take_your_letter")
        job = self.unit.printers.spool.get(app.job_ids[0]) if app.job_ids else None
        if shots:
            d.tap("rate_4")
            self.step("rating_given")
        d.tap("finish")
        d.wait_screen("home")
        return {"flow_s": round(flow_s, 4), "touches": touches, "digits": d.digits, "typed": int(typed),
                "number": number, "letter": template.code,
                "job_state": job.state if job else None, "output": job.output if job else None}

    def other_states(self, resident, template, number: str) -> dict:
        """The states a resident meets off the straight path: the second letter page, larger text, each second
        factor, "Bukan saya", "Panggil petugas", the printer's faults (`number`: a letter number to show)."""
        d, app = self.d, self.app
        out: dict = {}
        self.home()
        d.tap("pin_change")  # the resident's own PIN change (issue 12), wiped by "Batal"
        d.type_digits(resident.nik[:6])
        self.step("pin_change")
        d.tap("cancel_session")
        d.tap("large_text")
        self.step("large_text")
        d.tap("print_letter")
        d.pump(2)
        self.step("large_text_letters")
        d.tap("cancel_session")
        out["large_text_reset"] = not app.assist.large_text
        d.tap("print_letter")
        d.pump(4)  # the page count follows the grid's size, the page buttons' row follows the count
        out["letter_pages"] = app.screen("letter").pages
        for page in range(2, app.screen("letter").pages + 1):
            d.tap("next")
            self.step(f"letter_page_{page}")
        d.tap("cancel_session")
        # Each second factor's screen (the unit is set to one; the screen is the same for every village).
        self.to_letter(template.code)
        self.enter_nik(resident.nik)
        d.wait_screen("verify")
        verify = app.screen("verify")
        for factor in ("birth_date", "pin", "tag"):
            if factor != app.session.factor:  # the unit's own factor is photographed on the main walk
                verify.factor = factor  # the screen only: the session keeps asking for the unit's factor
                verify.refresh_view()
                self.step(f"verify_{factor}")
        verify.refresh()
        d.tap("help")
        self.step("help_called")
        out["help_number"] = app.assist.help_number
        hardware = self.unit.hardware
        out["help_light"] = hardware.light.state if hardware is not None else None
        d.tap("help_clear")
        out["help_cleared"] = app.assist.help_number == 0
        self.enter_second_factor(resident)
        d.wait_screen("confirm")
        d.tap("not_me")
        d.wait_screen("nik")
        self.step("not_me")
        out["not_me_screen"] = app.sm.current
        # The printer's faults as the resident sees them (the hold itself is tested on a real printer).
        self.enter_nik(resident.nik)
        self.enter_second_factor(resident)
        d.wait_screen("confirm")
        d.tap("yes")
        self.fill_fields()
        d.wait_screen("preview")
        # The preview reads in whole lines: ▼ until the end (on a short screen), photographed there.
        if d.has("read_down") and not d.find("read_down").disabled:
            while not d.find("read_down").disabled:
                d.tap("read_down")
            self.step("preview_read_more")
        app.session.printing()
        app.show("printing")
        scr = app.screen("printing")
        scr.number = number
        for status in ("paper_out", "cover_open", "offline"):
            scr.fault = status
            scr.message = scr.fault_text()
            self.step(f"printer_{status}")
        d.tap("finish")
        d.wait_screen("home")
        return out

    def large_text_flow(self, resident, template, number: str) -> dict:
        """The whole walk with "Huruf besar" on: every step, the done screen and a printer fault, each
        photographed (tour.json's `cut` says whether any text is cut at the larger size)."""
        d, app = self.d, self.app
        self.register_pin(resident)
        self.home()
        d.tap("large_text")
        self.to_letter(template.code)
        d.wait_screen("nik")
        self.step("large_nik_empty")
        self.enter_nik(resident.nik, shots=False)
        d.wait_screen("verify")
        self.step("large_verify")
        self.enter_second_factor(resident)
        d.wait_screen("confirm")
        self.step("large_confirm")
        d.tap("yes")
        d.pump(2)
        if app.sm.current == "fields":
            self.step("large_fields")
        self.fill_fields()
        d.wait_screen("preview")
        self.step("large_preview")
        scr = app.screen("printing")
        app.session.printing()
        app.show("printing")
        scr.number = number
        heading = {}
        for status in ("paper_out", "cover_open", "offline", "failed"):
            scr.fault = status
            scr.message = scr.fault_text()
            self.step(f"large_printer_{status}")
            heading[status] = self.on_screen("printing_title")
        d.tap("finish")
        d.wait_screen("home")
        out = {"large_text_reset": not app.assist.large_text, "fault_heading": heading}
        self.to_letter(template.code)
        d.tap("cancel_session")
        return out

    def large_walks(self, eligible, ineligible) -> None:
        """Every resident walk once more with "Huruf besar" on, photographed (large_home … large_done_…,
        large_ineligible_reason, large_verify_mismatch, large_locked_try_later, large_idle_warning)."""
        self.large, self.prefix = True, "large_"
        try:
            self.resident_flow(*eligible)
            if ineligible:
                self.ineligible_flow(*ineligible)
            self.idle_wipe(*eligible)
            self.failed_verification(*eligible)  # last: it locks the NIK (the caller unlocks it)
        finally:
            self.large, self.prefix = False, ""
            self.home()

    def ineligible_flow(self, resident, template, shots: bool = True) -> list[str]:
        d = self.d
        self.home()
        self.identify(resident, template)
        d.tap("yes")
        d.wait_screen("ineligible")
        reasons = list(self.app.session.reasons)
        if shots:
            self.step("ineligible_reason")
        d.tap("take_queue")
        d.wait_idle()
        d.wait(lambda: bool(self.app.screen("queue").number) or "failed" in self.app.screen("queue").info,
               what="a queue number")
        if shots:
            self.step("queue_number")
        d.tap("finish")
        return reasons

    def failed_verification(self, resident, template, shots: bool = True, lock: bool = True) -> dict:
        d = self.d
        self.home()
        self.to_letter(template.code)
        self.enter_nik(resident.nik)
        self.enter_second_factor(resident, wrong=True)
        d.wait(lambda: bool(self.app.screen("verify").error), what="the mismatch message")
        if shots:
            self.step("verify_mismatch")
        result = {"mismatch_screen": self.app.sm.current}
        if lock:
            for _ in range(10):
                if self.app.sm.current == "locked":
                    break
                self.enter_second_factor(resident, wrong=True)
            d.wait_screen("locked")
            if shots:
                self.step("locked_try_later")
            result["locked_text"] = self.app.screen("locked").text
            d.tap("home")
        return result

    def idle_wipe(self, resident, template, shots: bool = True) -> dict:
        """Leave the screen with a name on it: warning after 60 s, home after 10 more, nothing left."""
        d, app = self.d, self.app
        self.home()
        self.identify(resident, template)
        timeout = float(self.unit.kiosk_conf["idle_timeout_s"])
        d.advance(timeout + 0.5)
        warned = app.idle_dialog is not None
        if shots:
            self.step("idle_warning")
        d.advance(float(self.unit.kiosk_conf["idle_warning_s"]) + 0.5)
        d.pump(3)
        texts = d.texts()
        secrets = [resident.nik, resident.nama, _mask(resident.nik), resident.nik[-4:] + " "]
        left = [t for t in texts for s in secrets if s and s in t]
        session_left = [k for k, v in vars(app.session.s).items() if v not in (None, "", [], {}, 0, "home")
                        and k != "step"]
        return {"warned": warned, "home": app.sm.current == "home", "leftover": left,
                "session_leftover": session_left}

    def open_operator_menu(self, shots: bool = False) -> None:
        """The hidden gesture (hold the corner), then the operator PIN: the operator menu."""
        d, app = self.d, self.app
        self.home()
        corner = app.corner
        x, y = corner.to_window(corner.x + corner.width / 2, corner.y + corner.height / 2)
        d.tap_at(x, y, hold_s=float(self.unit.ui_conf["operator_hold_s"]) + 0.5)
        d.wait(lambda: app.dialog is not None, what="the operator PIN dialog")
        if shots:
            self.step("operator_pin")
        d.type_digits(TOUR_PIN)
        d.tap("pin_ok")
        d.wait_screen("operator")

    def operator(self, fixture_name: str | None, shots: bool = True, commit: bool = True) -> dict:
        d, app = self.d, self.app
        self.open_operator_menu(shots)
        d.wait(lambda: bool(app.usb_files) or fixture_name is None, what="the USB stick", timeout=10)
        app.screen("operator").refresh()
        if shots:
            self.step("operator_menu")
        out: dict = {}
        d.tap("op_profile")
        if shots:
            self.step("operator_village_profile")
        d.tap("ok")
        d.tap("op_printer_test")
        d.wait_idle()
        out["printer_test"] = app.screen("operator").result
        if shots:
            self.step("operator_printer_test")
        d.tap("ok")
        if fixture_name:
            d.tap("op_import")
            if shots:
                self.step("import_choose_file")
            d.tap("file_0")
            d.wait(lambda: app.screen("operator_import").stage in ("report", "done"), what="the import report",
                   timeout=60)
            out["report"] = app.screen("operator_import").text
            if shots:
                self.step("import_report")
            if commit and app.screen("operator_import").stage == "report":
                d.tap("commit")
                if app.dialog is not None:
                    if shots:
                        self.step("import_confirm_mass_absent")
                    d.tap("confirm")
                d.wait(lambda: app.screen("operator_import").stage == "done", what="the import commit", timeout=60)
                if shots:
                    self.step("import_done")
                out["result"] = app.screen("operator_import").text
            d.tap("cancel")
        d.tap("op_export")
        d.wait_idle()
        out["export"] = app.screen("operator").result
        if shots:
            self.step("operator_export")
        d.tap("ok")
        d.tap("op_queue_reset")
        if shots:
            self.step("operator_queue_reset_confirm")
        d.tap("confirm")
        d.wait_idle()
        out["queue_reset"] = app.screen("operator").result
        d.tap("ok")
        # The menu's other views, each a dialog: photographed so that their text is measured too.
        for button in ("op_day_summary", "op_survey", "op_held", "op_shutdown"):
            d.tap(button)
            d.wait_idle()
            d.wait(lambda: app.dialog is not None, what="the operator's dialog")
            if shots:
                self.step(f"operator_{button[3:]}")
            d.tap("cancel" if d.has("cancel") else "ok")
        d.tap("op_letters")
        d.wait_idle()
        if d.has("letter_row_0"):
            d.tap("letter_row_0")
            d.wait_idle()
            if shots:
                self.step("operator_reprint_void")
            d.tap("reprint")
            d.wait_idle()
            out["reprint"] = app.screen("operator_letters").result
            d.tap("void")
            if shots:
                self.step("operator_void_reason")
            d.tap("reason_wrong_data")
            d.wait_idle()
            out["void"] = app.screen("operator_letters").result
        elif shots:
            self.step("operator_reprint_void")
        d.tap("back")
        # A one-time print code for a resident (issue 12): the NIK, the letter type, the code shown large.
        d.tap("op_print_code")
        d.type_digits(next(iter(self.unit.store)).nik)
        d.tap(f"type_{self.unit.templates()[0].code}")
        if shots:
            self.step("operator_print_code")
        d.tap("code_make")
        d.wait(lambda: bool(app.screen("operator_code").code or app.screen("operator_code").error),
               what="the print code")
        out["print_code"] = bool(app.screen("operator_code").code)
        if shots:
            self.step("operator_print_code_shown")
        d.tap("code_done")  # disabled (a DriverError) when no code was issued
        d.tap("op_restart")
        d.tap("confirm")
        out["restart"] = app.screen("operator").result
        if shots:
            self.step("operator_restart_desktop")
        d.tap("ok")
        d.tap("exit")
        d.wait_screen("home")
        return out


def _typed_fields(template) -> int:
    return sum(1 for f in template.fields if not f.choices and f.type != "family_member")


def _mask(nik: str) -> str:
    from appliance.services.kiosk import mask_nik

    return mask_nik(nik)


def prepare_home(home: Path, fixture: Path | None, extra_settings: str = "") -> Settings:
    """A tour data folder: settings with a USB folder holding the fixture, the operator PIN, demo residents."""
    usb = home / "usb"
    usb.mkdir(parents=True, exist_ok=True)
    if fixture is not None and Path(fixture).is_file():
        shutil.copyfile(fixture, usb / Path(fixture).name)
    config = home / "semenit.toml"
    config.write_text(f'[usb]\nmount_dir = "{usb}"\npoll_s = 0.2\n\n[ui]\nmode = "desktop"\n\n{extra_settings}',
                      encoding="utf-8")
    os.environ["SEMENIT_HOME"] = str(home)
    os.environ["SEMENIT_CONFIG"] = str(config)
    os.environ.setdefault("GPIOZERO_PIN_FACTORY", "mock")
    from appliance.services.operator import OperatorPin

    OperatorPin(home).set(TOUR_PIN)
    return Settings.load(config)


def run_tour(outdir: Path, home: Path | None = None, fixture: Path | None = FIXTURE,
             sizes=SIZES, languages=("id", "en")) -> dict:
    from appliance.services.unit import Unit
    from appliance.uix.driver import Driver

    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    tmp = None
    if home is None:
        tmp = tempfile.TemporaryDirectory(prefix="semenit-tour-")
        home = Path(tmp.name)
    settings = prepare_home(Path(home), fixture)
    unit = Unit(settings, Path(home))
    unit.load_demo_residents()
    driver = Driver.start(unit, sizes[0])
    tour = Tour(driver, outdir)
    result: dict = {"passes": [], "sizes": [list(s) for s in sizes], "languages": list(languages)}
    try:
        # The first letter after start-up also loads fonts, the letter renderer and textures: timed and
        # kept as flow_s_cold; the figures below are for a kiosk that has served someone already.
        (Path(home) / "kiosk_guard.json").unlink(missing_ok=True)
        warm, _ = tour.cases()
        result["flow_s_cold"] = tour.resident_flow(warm[0], warm[1], shots=False)["flow_s"]
        for size in sizes:
            driver.resize(*size)
            if tuple(driver.window.size) != tuple(size):
                result.setdefault("skipped_sizes", []).append(list(size))
                continue
            for lang in languages:
                tour.tag = f"{size[0]}x{size[1]}_{lang}"
                tour.count = 0
                (Path(home) / "kiosk_guard.json").unlink(missing_ok=True)  # each pass starts unlocked
                tour.set_language(lang)
                eligible, ineligible = tour.cases()
                one = {"size": list(size), "lang": lang}
                # Timed without screenshots (photographing is not part of a resident's minute) ...
                one["flow"] = tour.resident_flow(eligible[0], eligible[1], shots=False)
                # ... then again, photographed.
                one["flow_photographed"] = tour.resident_flow(*eligible)
                one["flow"]["letter"] = eligible[1].code
                one["other_states"] = tour.other_states(eligible[0], eligible[1], one["flow_photographed"]["number"])
                one["large_text"] = tour.large_text_flow(eligible[0], eligible[1], one["flow_photographed"]["number"])
                if ineligible:
                    one["ineligible"] = tour.ineligible_flow(*ineligible)
                one["failed_verification"] = tour.failed_verification(*eligible)
                (Path(home) / "kiosk_guard.json").unlink(missing_ok=True)
                one["idle"] = tour.idle_wipe(*eligible)
                tour.large_walks(eligible, ineligible)
                (Path(home) / "kiosk_guard.json").unlink(missing_ok=True)
                # The import at every size (its screens are measured too); committed once, on the first pass.
                one["operator"] = tour.operator(Path(fixture).name if fixture else None, commit=not result["passes"])
                result["passes"].append(one)
    finally:
        driver.stop()
        unit.close()
        if tmp is not None:
            tmp.cleanup()
    flows = [p["flow"]["flow_s"] for p in result["passes"]]
    result["flow_s"] = flows[0] if flows else None
    result["flow_s_max"] = max(flows) if flows else None
    result["flow_touches"] = result["passes"][0]["flow"]["touches"] if flows else None
    result["steps"] = tour.steps
    result["resident_states"] = list(RESIDENT_STATES)
    result["missing_states"] = {
        f"{p['size'][0]}x{p['size'][1]}_{p['lang']}": sorted(
            (set(RESIDENT_STATES) | {f"letter_page_{n}" for n in range(1, p["other_states"]["letter_pages"] + 1)})
            - {s["step"] for s in tour.steps if s["size"] == p["size"] and s["lang"] == p["lang"]})
        for p in result["passes"]}
    result["screenshots"] = sorted(p.name for p in outdir.glob("*.png"))
    (outdir / "tour.json").write_bytes(orjson.dumps(result, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS))
    return result
