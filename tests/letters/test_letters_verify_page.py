"""The static verification page in a real headless Chromium: the QR decoded from a printed PDF is shown as
genuine with its name, number, date and statements; a changed character, another village's key and a
genuine QR pasted onto a letter with another name are each exposed. No network call is made."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from appliance.config import Settings
from appliance.letters import model as letter_model
from appliance.letters.samples import eligible_resident
from appliance.letters.verify_page import write_page
from appliance.letters.words import tanggal
from appliance.render.letter_pdf import render_pdf
from tests.letters.test_letters_render import _decode_qr

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage")


@pytest.fixture
def browser(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium-profile'}")
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    try:
        yield driver
    finally:
        driver.quit()


def _open(driver, page: Path, qr: str, pure_js: bool = False) -> tuple[str, str, str]:
    """Load the page with the QR's fragment; (state, reason, the result's visible text) once checked."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    if pure_js:  # the page's own Ed25519 and SHA-512, as in a browser whose WebCrypto lacks them
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": "window.SEMENIT_PURE_JS = true;"})
    driver.get("about:blank")
    driver.get(page.as_uri() + "#" + qr.split("#", 1)[1])
    result = driver.find_element(By.ID, "result")
    WebDriverWait(driver, 60, poll_frequency=0.1).until(
        lambda d: result.get_attribute("data-state") in ("genuine", "refused"))
    assert driver.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert driver.execute_script("return window.SEMENIT_PURE_JS === true") == pure_js
    return result.get_attribute("data-state"), result.get_attribute("data-reason"), result.text


@pytest.fixture
def genuine(resident_store, make_service, semenit_home, tmp_path):
    """(issued letter, its resident, the QR decoded from the printed PDF, the village's page)."""
    svc = make_service(resident_store)
    template = svc.catalog.templates["SKTM"]
    resident = eligible_resident(template, resident_store, svc.today())
    issued = svc.wait(svc.issue("SKTM", resident.nik, {"keperluan": "Pengajuan beasiswa"}), 30)
    assert issued.outcome == "done", issued.error
    qr = _decode_qr(issued.files[0])
    assert qr == issued.qr and qr.startswith("https://triharjo.desa.id/surat#S2*")
    page = write_page(Settings(), semenit_home, tmp_path / "surat.html")
    return svc, issued, resident, qr, page


def test_a_printed_letters_qr_is_shown_genuine_with_what_it_states(browser, genuine):
    _svc, issued, resident, qr, page = genuine
    state, _reason, text = _open(browser, page, qr)
    assert state == "genuine"
    for expected in ("ASLI", "Surat Keterangan Tidak Mampu", issued.number, tanggal(issued.day),
                     resident.nama.strip(), "Keperluan: Pengajuan beasiswa"):
        assert expected in text, expected
    assert resident.nik not in text and resident.nik not in qr
    # The page's own Ed25519 (no WebCrypto) reaches the same verdicts.
    state, _reason, text = _open(browser, page, qr, pure_js=True)
    assert state == "genuine" and resident.nama.strip() in text


def test_one_changed_character_is_refused(browser, genuine):
    _svc, _issued, resident, qr, page = genuine
    base, wire = qr.split("#", 1)
    name = wire.split("*")[4]
    at = wire.index(name) + 1
    altered = base + "#" + wire[:at] + ("A" if wire[at] != "A" else "B") + wire[at + 1:]
    state, reason, text = _open(browser, page, altered)
    assert (state, reason) == ("refused", "bad_signature")
    assert "TIDAK ASLI" in text and resident.nama.strip() not in text
    assert _open(browser, page, base + "#" + wire[:-1])[0] == "refused"
    assert _open(browser, page, altered, pure_js=True)[:2] == ("refused", "bad_signature")


def test_another_villages_key_is_refused(browser, genuine, tmp_path):
    _svc, _issued, _resident, qr, _page = genuine
    other_page = write_page(Settings({"village": {"nama_desa": "Sukamaju"}}), tmp_path / "other-village",
                            tmp_path / "other.html")
    state, reason, text = _open(browser, other_page, qr)
    assert (state, reason) == ("refused", "bad_signature") and "TIDAK ASLI" in text
    assert _open(browser, other_page, qr, pure_js=True)[:2] == ("refused", "bad_signature")


def test_a_genuine_qr_pasted_onto_a_letter_with_another_name_shows_the_true_name(browser, genuine,
                                                                                  resident_store, tmp_path):
    from pypdf import PdfReader

    svc, issued, resident, qr, page = genuine
    template = svc.catalog.templates["SKTM"]
    other = next(r for r in resident_store if r.present and r.kk_level == 1 and r.nama.strip() != resident.nama.strip()
                 and r.nik != resident.nik)
    # The forger prints a letter for someone else and puts the genuine letter's QR on it.
    forged = letter_model.build(template, svc.village, other, {"keperluan": "Pengajuan beasiswa"},
                                number=issued.number, day=issued.day, family=resident_store.family(other.no_kk),
                                qr=qr)
    forged_pdf = tmp_path / "forged.pdf"
    forged_pdf.write_bytes(render_pdf(forged, svc.village.kertas))
    forged_text = " ".join(PdfReader(forged_pdf).pages[0].extract_text().split())
    assert other.nama.strip() in forged_text and resident.nama.strip() not in forged_text
    scanned = _decode_qr(forged_pdf)
    state, _reason, shown = _open(browser, page, scanned)
    # The signature is genuine, and the page says whose letter it is: not the name on the forged paper.
    assert state == "genuine"
    assert resident.nama.strip() in shown and other.nama.strip() not in shown
    assert "PALSU" in shown  # the page tells the clerk what a difference means
