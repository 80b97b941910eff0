"""A malformed template is refused at load with its file and line; the others still load."""

from __future__ import annotations

import shutil

from appliance.letters.catalog import SHIPPED_DIR, load_catalog
from appliance.letters.placeholders import PlaceholderError, compile_text

GOOD = (SHIPPED_DIR / "domisili.toml").read_text()


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


def _load(tmp_path, files: dict[str, str]):
    folder = tmp_path / "letters"
    folder.mkdir()
    shutil.copy(SHIPPED_DIR / "pengantar.toml", folder / "pengantar.toml")
    for name, text in files.items():
        (folder / name).write_text(text)
    catalog = load_catalog(folder)
    assert "PENGANTAR" in catalog.templates  # the good one still loads
    return catalog, {p.rsplit("/", 1)[-1]: (line, message) for p, line, message in catalog.errors}


def test_each_kind_of_malformed_template_is_refused_with_its_line(tmp_path):
    bad_toml = GOOD.replace('validity_days = 90', 'validity_days = = 90')
    unknown_field = GOOD.replace("sejak {isian.sejak}", "sejak {isian.tahun_masuk}")
    unknown_resident = GOOD.replace("{desa.sebutan_desa} {desa.nama_desa}, sejak",
                                    "{desa.sebutan_desa} {desa.nama_desa} bergaji {penduduk.gaji}, sejak")
    unknown_row = GOOD.replace('"kewarganegaraan", "alamat"]', '"kewarganegaraan", "alamat", "hobi"]')
    missing = "\n".join(line for line in GOOD.splitlines() if not line.startswith("intro ="))
    too_long = GOOD.replace('max_length = 20\nhint = "Contoh: tahun 2015"', 'max_length = 300\nhint = "Contoh: tahun 2015"')
    too_long = too_long.replace("sejak {isian.sejak} sampai", "sejak {isian.sejak} {isian.sejak} {isian.sejak} {isian.sejak} sampai")
    code_exec = GOOD.replace("sejak {isian.sejak}", "sejak {__import__('os').system('id')}")
    bad_rule = GOOD + '\n[eligibility]\nstatus_kawin = ["JOMBLO"]\n'
    catalog, errors = _load(tmp_path, {
        "a_bad_toml.toml": bad_toml.replace('code = "DOMISILI"', 'code = "A1"'),
        "b_unknown_field.toml": unknown_field.replace('code = "DOMISILI"', 'code = "B1"'),
        "c_unknown_resident.toml": unknown_resident.replace('code = "DOMISILI"', 'code = "C1"'),
        "d_unknown_row.toml": unknown_row.replace('code = "DOMISILI"', 'code = "D1"'),
        "e_missing.toml": missing.replace('code = "DOMISILI"', 'code = "E1"'),
        "f_too_long.toml": too_long.replace('code = "DOMISILI"', 'code = "F1"'),
        "g_code.toml": code_exec.replace('code = "DOMISILI"', 'code = "G1"'),
        "h_rule.toml": bad_rule.replace('code = "DOMISILI"', 'code = "H1"'),
        "z_good.toml": GOOD,
    })
    assert set(catalog.templates) == {"PENGANTAR", "DOMISILI"}
    assert errors["a_bad_toml.toml"][0] == _line_of(bad_toml, "validity_days = = 90")
    assert errors["b_unknown_field.toml"][0] == _line_of(unknown_field, "{isian.tahun_masuk}")
    assert "tahun_masuk" in errors["b_unknown_field.toml"][1]
    assert errors["c_unknown_resident.toml"][0] == _line_of(unknown_resident, "{penduduk.gaji}")
    assert "gaji" in errors["c_unknown_resident.toml"][1]
    assert errors["d_unknown_row.toml"][0] == _line_of(unknown_row, '"hobi"')
    assert "'intro'" in errors["e_missing.toml"][1]
    assert errors["f_too_long.toml"][0] == _line_of(too_long, "max_length = 300")
    assert "sejak" in errors["f_too_long.toml"][1] and "300" in errors["f_too_long.toml"][1]
    assert errors["g_code.toml"][0] == _line_of(code_exec, "__import__")
    assert errors["h_rule.toml"][0] == _line_of(bad_rule, "JOMBLO") and "JOMBLO" in errors["h_rule.toml"][1]


def test_a_duplicate_code_and_an_unknown_key_name_their_line(tmp_path):
    typo = GOOD.replace('code = "DOMISILI"', 'code = "X1"').replace("validity_days = 90", "validty_days = 90")
    catalog, errors = _load(tmp_path, {"zz_dup.toml": (SHIPPED_DIR / "pengantar.toml").read_text(), "typo.toml": typo})
    assert errors["zz_dup.toml"][0] == 2 and "PENGANTAR" in errors["zz_dup.toml"][1]
    assert errors["typo.toml"][0] == _line_of(typo, "validty_days") and "validty_days" in errors["typo.toml"][1]


def test_placeholders_are_data_not_code():
    parts = compile_text("Nama {penduduk.nama|upper}, {{literal}}")
    assert parts[0] == "Nama " and parts[1].namespace == "penduduk" and parts[1].filter == "upper"
    assert parts[2] == ", {literal}"
    for bad in ("{penduduk.nama.x}", "{ penduduk }", "{penduduk.nama|eval}", "{penduduk.nama()}", "{", "a } b"):
        try:
            compile_text(bad)
        except PlaceholderError:
            continue
        raise AssertionError(bad)


def test_the_new_field_types_and_options_are_checked_at_load(tmp_path):
    death = (SHIPPED_DIR / "kematian.toml").read_text()
    birth = (SHIPPED_DIR / "kelahiran.toml").read_text()
    on_text = death.replace('name = "tempat_meninggal"\ntype = "text"', 'name = "tempat_meninggal"\ntype = "text"\nnot_future = true')
    bad_ref = death.replace('after_birth_of = "almarhum"', 'after_birth_of = "jam"')
    bad_sex = birth.replace('sex = "PEREMPUAN"', 'sex = "WANITA"')
    no_subject = (SHIPPED_DIR / "domisili.toml").read_text().replace("validity_days = 90", "validity_days = 90\nrecords_death = true")
    unknown_computed = death.replace('value = "{isian.tanggal_meninggal_umur}"', 'value = "{isian.jam_umur}"')
    catalog, errors = _load(tmp_path, {
        "a.toml": on_text.replace('code = "KEMATIAN"', 'code = "A2"'),
        "b.toml": bad_ref.replace('code = "KEMATIAN"', 'code = "B2"'),
        "c.toml": bad_sex.replace('code = "KELAHIRAN"', 'code = "C2"'),
        "d.toml": no_subject.replace('code = "DOMISILI"', 'code = "D2"'),
        "e.toml": unknown_computed.replace('code = "KEMATIAN"', 'code = "E2"'),
    })
    assert set(catalog.templates) == {"PENGANTAR"}
    assert errors["a.toml"][0] == _line_of(on_text, 'name = "tempat_meninggal"') + 2 and "date" in errors["a.toml"][1]
    assert errors["b.toml"][0] == _line_of(bad_ref, 'after_birth_of = "jam"')
    assert errors["c.toml"][0] == _line_of(bad_sex, 'sex = "WANITA"') and "WANITA" in errors["c.toml"][1]
    assert errors["d.toml"][0] == _line_of(no_subject, "records_death = true")
    assert errors["e.toml"][0] == _line_of(unknown_computed, "{isian.jam_umur}")


def test_the_checked_catalog_is_kept_between_processes_and_loaded_again_when_a_file_changes(tmp_path, monkeypatch):
    """A cold command takes the catalog as checked last time (storage.derived_cache), unless a template,
    the overrides or the language changed; a catalog with a broken file is checked (and reported) every time."""
    import os

    from appliance.i18n import set_language

    monkeypatch.setenv("SEMENIT_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "letters"
    folder.mkdir()
    shutil.copy(SHIPPED_DIR / "pengantar.toml", folder / "pengantar.toml")
    first = load_catalog(folder)
    assert (tmp_path / "cache" / "letter-catalog.pickle").exists()
    assert load_catalog(folder).templates["PENGANTAR"].title == first.templates["PENGANTAR"].title

    text = (folder / "pengantar.toml").read_text()
    (folder / "pengantar.toml").write_text(text.replace(f'title = "{first.templates["PENGANTAR"].title}"',
                                                       'title = "SURAT PENGANTAR RT"'))
    assert load_catalog(folder).templates["PENGANTAR"].title == "SURAT PENGANTAR RT"
    assert load_catalog(folder, {"PENGANTAR": {"age_min": 21}}).templates["PENGANTAR"].rules["age_min"] == 21
    assert load_catalog(folder).templates["PENGANTAR"].rules.get("age_min") != 21

    # Edited in place with its size and modification time kept (as `cp -p` or a backup restore leaves it).
    path, before = folder / "pengantar.toml", (folder / "pengantar.toml").stat()
    path.write_text(path.read_text().replace("SURAT PENGANTAR RT", "SURAT PENGANTAR RW"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    assert load_catalog(folder).templates["PENGANTAR"].title == "SURAT PENGANTAR RW"

    (folder / "rusak.toml").write_text('code = "RUSAK"\ntitle = = "x"\n')
    for _ in range(2):  # never kept: reported whenever it is loaded, in the language of the moment
        assert [p.rsplit("/", 1)[-1] for p, _line, _message in load_catalog(folder).errors] == ["rusak.toml"]
    set_language("en")
    try:
        english = load_catalog(folder).errors[0][2]
    finally:
        set_language("id")
    assert english != load_catalog(folder).errors[0][2]

    (folder / "rusak.toml").unlink()
    (tmp_path / "cache" / "letter-catalog.pickle").write_bytes(b"\x80\x05garbage")  # damaged: built again
    assert set(load_catalog(folder).templates) == {"PENGANTAR"}


def test_a_cache_file_another_account_wrote_is_never_loaded(tmp_path, monkeypatch):
    """Reading a pickle runs what it names: one the app did not write as this user (or root) is built over."""
    import os
    import pickle

    from appliance.storage.derived_cache import cached

    monkeypatch.setenv("SEMENIT_CACHE", str(tmp_path))
    planted = tmp_path / "probe.pickle"
    planted.write_bytes(pickle.dumps((repr("k"), "planted")))
    os.chown(planted, 4242, 4242)  # the tests run as root (CUPS, loop devices): any other account
    assert cached("probe", "k", lambda: "built") == "built"
    assert planted.stat().st_uid == os.getuid() and oct(planted.stat().st_mode & 0o777) == "0o600"
    assert cached("probe", "k", lambda: "built again") == "built"  # its own file is read back


def test_without_a_cache_folder_the_catalog_is_built_every_time(tmp_path, monkeypatch):
    """A cache folder that cannot even be made (a read-only home) only costs the parsing, never the command."""
    monkeypatch.setenv("SEMENIT_CACHE", "/proc/semenit-cache")  # mkdir there fails, even for root
    assert "PENGANTAR" in load_catalog().templates
    from appliance import i18n

    assert i18n._cached_catalog()["cli.description"]
