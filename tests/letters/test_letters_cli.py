"""The commands: letter list/issue/render/reprint/void, verify, keys, through `semenit`'s own entry point."""

from __future__ import annotations

import json
import stat

from appliance.cli import main
from appliance.letters.register import Register


def _json(capsys):
    return json.loads(capsys.readouterr().out)


def test_letter_list(semenit_home, capsys):
    assert main(["letter", "list", "--json"]) == 0
    data = _json(capsys)
    assert len(data["types"]) >= 16 and data["errors"] == []
    assert {"type", "title", "title_en", "fields"} <= set(data["types"][0])
    assert main(["letter", "list", "--lang", "en"]) == 0
    assert "Certificate of Low Income" in capsys.readouterr().out


def test_issue_verify_void_reprint(resident_store, semenit_home, capsys):
    head = next(r for r in sorted(resident_store, key=lambda r: r.nik) if r.present and r.kk_level == 1)
    assert main(["letter", "issue", "SKTM", "--nik", head.nik, "--field", "keperluan=Pengajuan beasiswa", "--json"]) == 0
    issued = _json(capsys)
    assert issued["type"] == "SKTM" and issued["number"].startswith("400/001/") and issued["outcome"] == "done"
    assert issued["qr"].startswith("https://triharjo.desa.id/surat#S2*SKTM*") and len(issued["files"]) == 1
    assert head.nik not in issued["qr"]  # the full NIK only inside the digest

    assert main(["verify", issued["qr"]]) == 0
    out = capsys.readouterr().out
    assert issued["number"] in out and "Surat Keterangan Tidak Mampu" in out
    assert head.nama.strip() in out and "Keperluan: Pengajuan beasiswa" in out
    assert main(["verify", issued["qr"].split("#", 1)[1]]) == 0  # the bare payload too
    capsys.readouterr()
    tampered = issued["qr"].replace("*400/001/", "*400/002/")
    assert main(["verify", tampered]) == 1
    assert "DITOLAK" in capsys.readouterr().err

    assert main(["letter", "reprint", issued["number"], "--json"]) == 0
    assert _json(capsys)["outcome"] == "done"
    assert Register(semenit_home).get(issued["number"]).reprints == 1

    assert main(["letter", "void", issued["number"], "--reason", "Keperluan salah"]) == 0
    capsys.readouterr()
    assert main(["verify", issued["qr"], "--lang", "en"]) == 3
    assert "voided" in capsys.readouterr().err
    assert main(["letter", "reprint", issued["number"]]) == 1
    assert main(["register", "verify"]) == 0


def test_refusals_are_one_clear_message(resident_store, semenit_home, capsys):
    child = next(r for r in resident_store if r.present and r.age() is not None and r.age() < 17)
    assert main(["letter", "issue", "SKCK", "--nik", child.nik, "--field", "keperluan=Melamar pekerjaan"]) == 3
    err = capsys.readouterr().err
    assert "17" in err and child.nik not in err
    assert main(["letter", "issue", "NOPE", "--nik", child.nik]) == 1
    assert main(["letter", "issue", "SKCK", "--nik", child.nik, "--field", "keperluan"]) == 2
    assert not Register(semenit_home).path.exists()


def test_render_is_a_draft_without_a_number(resident_store, semenit_home, tmp_path, capsys):
    adult = next(r for r in sorted(resident_store, key=lambda r: r.nik) if r.present and r.age() >= 17)
    out = tmp_path / "draft.pdf"
    assert main(["letter", "render", "PENDUDUK", "--nik", adult.nik, "--field", "keperluan=Pendaftaran sekolah",
                 "--format", "pdf", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    receipt = tmp_path / "draft.bin"
    assert main(["letter", "render", "PENDUDUK", "--nik", adult.nik, "--field", "keperluan=Pendaftaran sekolah",
                 "--format", "escpos", "--out", str(receipt)]) == 0
    assert b"DRAF" in receipt.read_bytes()
    assert not Register(semenit_home).path.exists()
    assert not (semenit_home / "letters" / "numbers.json").exists()


def test_keys_init_is_idempotent_and_private(semenit_home, capsys):
    assert main(["keys", "init"]) == 0
    first = capsys.readouterr().out
    private = semenit_home / "keys" / "village-ed25519.key"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    before = private.read_bytes()
    assert main(["keys", "init"]) == 0
    assert private.read_bytes() == before and first != capsys.readouterr().out
    assert main(["keys", "public"]) == 0
    assert capsys.readouterr().out.startswith("-----BEGIN PUBLIC KEY-----")
