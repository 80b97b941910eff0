"""Hostile letter templates (they may come from a USB stick): random and mutated TOML never crashes the
loader, every refusal names the file and a line, and a template the loader accepts never fails later,
while a resident waits (eligibility, the letter model, PDF and ESC/POS rendering)."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appliance.letters import model as letter_model
from appliance.letters.catalog import SHIPPED_DIR, load_catalog
from appliance.letters.samples import eligible_resident, example_fields
from appliance.render.letter_escpos import render_escpos
from appliance.render.letter_pdf import render_pdf
from appliance.village import VillageProfile

SHIPPED = sorted(SHIPPED_DIR.glob("*.toml"))
HOSTILE_VALUES = [
    '""', "0", "-1", "99999999999999999999", "1.5", "[]", "{}", "true", '"{isian.keperluan}"', '"{{"',
    '"{resident.__class__}"', '"{desa.nama_desa|eval}"', '"{__import__}"', '"\\u0000"', '"' + "Ä" * 3000 + '"',
    '"{penduduk.nik}"', '"{isian.tidak_ada}"', '["nama", "nik", "nik", "zzz"]', '[1, 2]', '"@keluarga"',
    '"}{"', '"{a.b.c}"', "'''\nmulti\n'''", '"1900-01-01"', "inf", "nan", '{ x = 1 }', '[[1], ["a"]]',
]
TODAY = date(2026, 11, 28)


def _mutate(text: str, rng: random.Random) -> str:
    lines = text.splitlines()
    for _ in range(rng.randint(1, 4)):
        if not lines:
            lines = [""]
        at = rng.randrange(len(lines))
        op = rng.random()
        if op < 0.45 and "=" in lines[at]:
            key = lines[at].split("=", 1)[0]
            lines[at] = f"{key}= {rng.choice(HOSTILE_VALUES)}"
        elif op < 0.6:
            del lines[at]
        elif op < 0.7:
            lines.insert(at, lines[rng.randrange(len(lines))])
        elif op < 0.8:
            other = rng.randrange(len(lines))
            lines[at], lines[other] = lines[other], lines[at]
        elif op < 0.9 and lines[at]:
            pos = rng.randrange(len(lines[at]))
            lines[at] = lines[at][:pos] + rng.choice("{}[]\"'=#\\\n@|.x0") + lines[at][pos + 1:]
        else:
            lines.insert(at, rng.choice(["[eligibility]", "[[fields]]", "name = \"x\"", "type = \"choice\"",
                                         "status_dasar = [\"MATI\"]", "umur_min = 300", "max_length = 100000",
                                         "signer = \"tidak_ada\"", "paper = \"A0\""]))
    return "\n".join(lines) + "\n"


def _check(folder: Path, store) -> str:
    """Load the folder; refusals must be clear; anything accepted must work for a resident."""
    catalog = load_catalog([folder])
    for file, line, message in catalog.errors:
        assert Path(file).parent == folder and isinstance(line, int) and line >= 1, (file, line)
        assert isinstance(message, str) and len(message.strip()) > 10, message
    village = _village()
    for template in catalog:
        resident = eligible_resident(template, store, TODAY)
        for someone in list(store)[:5]:
            reasons = template.check_eligibility(someone, store, TODAY)
            assert all(isinstance(r, str) and r for r in reasons)
        if resident is None:
            continue
        fields = example_fields(template, resident, store)
        clean, errors = template.validate_fields(fields, resident, store)
        if errors:
            assert all(isinstance(e, str) and e for e in errors)
            continue
        subject = store.get(clean[template.subject_field]) if template.subject_field else None
        family = store.family(resident.no_kk) if template.family_table and resident.no_kk else None
        letter = letter_model.build(template, village, resident, clean, number="470/001/TRJ/XI/2026", day=TODAY,
                                    subject=subject, family=family, qr="SMN1|470/001/TRJ/XI/2026|20261128|X|"
                                    "3404****0001|" + "A" * 86)
        assert render_pdf(letter, village.kertas).startswith(b"%PDF")
        assert render_escpos(letter, "default", 58)
    return "refused" if catalog.errors else "loaded"


_VILLAGE = None


def _village():
    global _VILLAGE
    if _VILLAGE is None:
        from appliance.config import Settings

        _VILLAGE = VillageProfile.from_settings(Settings())
    return _VILLAGE


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from appliance.residents.importing import commit_import, plan_import
    from appliance.residents.store import ResidentStore
    from tests.conftest import FIXTURES_DIR

    home = tmp_path_factory.mktemp("tpl-home")
    store = ResidentStore.open(home)
    commit_import(plan_import(FIXTURES_DIR / "contoh_penduduk.xlsx", store), store)
    return store


@settings(max_examples=250, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=400), st.binary(max_size=400).map(lambda b: b.decode("latin-1"))))
def test_random_text_as_a_template_is_refused_clearly(tmp_path_factory, store, text):
    folder = tmp_path_factory.mktemp("tpl")
    (folder / "acak.toml").write_text(text, encoding="utf-8", errors="surrogatepass")
    assert _check(folder, store) in ("refused", "loaded")


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.sampled_from(SHIPPED), st.integers(0, 2**32 - 1))
def test_mutated_shipped_templates_never_crash_now_or_later(tmp_path_factory, store, source, seed):
    folder = tmp_path_factory.mktemp("tpl")
    (folder / source.name).write_text(_mutate(source.read_text(encoding="utf-8"), random.Random(seed)),
                                      encoding="utf-8")
    assert _check(folder, store) in ("refused", "loaded")


def test_undecodable_template_bytes_are_refused_with_the_file(tmp_path, store):
    (tmp_path / "rusak.toml").write_bytes(b"code = \"X\"\ntitle = \"\xff\xfe\"\n")
    catalog = load_catalog([tmp_path])
    assert not catalog.templates and len(catalog.errors) == 1
    assert catalog.errors[0][0].endswith("rusak.toml") and catalog.errors[0][1] >= 1
