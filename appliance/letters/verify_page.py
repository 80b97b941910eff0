"""The static verification page a village puts on any web host (DESIGN §6): one HTML file, no server, no
network call, the village's public key and message texts inside. The letter's QR is the page's address with
the signed payload after "#", so the payload never reaches the web server (a fragment is not sent).

The page checks the Ed25519 signature in the browser (WebCrypto, or its own implementation where the browser
has none) and shows what the letter must state. Its Content-Security-Policy allows only its own inline
script and style (by hash) and no connection at all.
"""

from __future__ import annotations

import base64
import hashlib
from importlib import resources
from pathlib import Path

import orjson

from appliance.i18n import LANGUAGES, catalog
from appliance.letters import signing

PREFIX = "verify_page."


def _asset(name: str) -> str:
    return resources.files("appliance.letters.page").joinpath(name).read_text(encoding="utf-8")


def _csp_hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def _texts() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
    for key, texts in catalog().items():
        if key.startswith(PREFIX):
            for lang in LANGUAGES:
                out[lang][key[len(PREFIX):]] = texts.get(lang) or texts.get("id", "")
    return out


def _json_for_script(data) -> str:
    # Inside <script type="application/json">: no "</" may close the element early.
    return orjson.dumps(data).decode().replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def build_page(public, village_name: str, titles: dict[str, dict[str, str]]) -> str:
    """The page's HTML for `public` (an Ed25519 public key); `titles`: {lang: {code: title}}."""
    text = _texts()
    config = {
        "public_key": signing._b64(signing.public_raw(public)),
        "fingerprint": signing.fingerprint(public),
        "village": village_name,
        "default_lang": "id",
        "text": text,
        "months": {lang: text[lang]["months"].split(",") for lang in LANGUAGES},
        "titles": titles,
    }
    script = _asset("verify_page.js")
    style = _asset("verify_page.css")
    page = _asset("verify_page.html")
    return (page.replace("'__SCRIPT_HASH__'", f"'{_csp_hash(script)}'")
                .replace("'sha256-__STYLE_HASH__'", f"'{_csp_hash(style)}'")
                .replace("__STYLE__", style)
                .replace("__CONFIG__", _json_for_script(config))
                .replace("__SCRIPT__", script))


def write_page(settings, home: Path, out: Path) -> Path:
    """Make the page for this unit's village key and catalog; written atomically."""
    from appliance.letters.catalog import catalog_dirs, load_catalog
    from appliance.storage.atomic import atomic_write
    from appliance.village import VillageProfile

    public = signing.ensure_keypair(home)[1]
    village = VillageProfile.from_settings(settings)
    templates = load_catalog(catalog_dirs(settings, home)).templates.values()
    titles = {"id": {t.code: t.title for t in templates}, "en": {t.code: t.title_en or t.title for t in templates}}
    html = build_page(public, f"{village.sebutan_desa} {village.nama_desa}", titles)
    atomic_write(Path(out), html.encode(), mode=0o644)
    return Path(out)
