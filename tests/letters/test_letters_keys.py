"""The village key files are read and written without cryptography's serialization package on the
signing path (issue 17): the result must be exactly what that package reads and writes."""

from __future__ import annotations

import random

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from appliance.letters import signing
from appliance.render import letter_pdf


def _pems(key: Ed25519PrivateKey) -> tuple[bytes, bytes]:
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo)
    return private, public


def test_key_files_read_and_written_as_cryptography_does():
    for _ in range(25):
        key = Ed25519PrivateKey.generate()
        private_pem, public_pem = _pems(key)
        loaded = signing._load_private_pem(private_pem)
        assert loaded.private_bytes_raw() == key.private_bytes_raw()
        assert signing._public_pem(key.public_key()) == public_pem
        assert signing._load_public_pem(public_pem).public_bytes_raw() == key.public_key().public_bytes_raw()


def test_a_key_file_in_another_form_goes_to_the_general_loader(tmp_path):
    from cryptography.hazmat.primitives.asymmetric import ec

    key = Ed25519PrivateKey.generate()
    crlf = _pems(key)[0].replace(b"\n", b"\r\n")  # line ends a copy through Windows may leave
    assert signing._load_private_pem(crlf).private_bytes_raw() == key.private_bytes_raw()
    other = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    assert isinstance(signing._load_private_pem(other), ec.EllipticCurvePrivateKey)
    folder = signing.key_dir(tmp_path)
    folder.mkdir(parents=True)
    (folder / signing.PRIVATE_NAME).write_bytes(other)
    try:
        signing.ensure_keypair(tmp_path)
    except ValueError as exc:
        assert "not an Ed25519 key" in str(exc)
    else:
        raise AssertionError("an EC key was taken for the village's Ed25519 key")


def test_a_long_word_is_cut_where_measuring_every_prefix_cuts_it():
    rng = random.Random(17)
    chars = "NAMWiIl.-ŞÑĞabcxyz0123456789/"
    for _ in range(300):
        word = "".join(rng.choice(chars) for _ in range(rng.randint(1, 300)))
        font = rng.choice((letter_pdf.REGULAR, letter_pdf.BOLD))
        size, room = rng.choice(letter_pdf.SIZES), rng.uniform(5, 450)
        pieces = letter_pdf._break_word(word, font, size, room)
        assert "".join(pieces) == word
        for i, piece in enumerate(pieces):
            assert len(piece) == 1 or letter_pdf.width(piece, font, size) <= room
            if i + 1 < len(pieces):  # a piece ends only where one more letter would not fit
                assert letter_pdf.width(piece + pieces[i + 1][0], font, size) > room
