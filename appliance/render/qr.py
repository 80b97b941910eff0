"""The letter's QR code as rows of modules, for both the PDF and the receipt.

Made by zxing-cpp (C++; the tests read the printed codes back with it too): a letter's QR takes
~0.1 ms there, ~1 ms in the pure-Python `qrcode`, a third of a letter's render.
"""

from __future__ import annotations

# zxing-cpp's image of a code: one byte per module, 0 dark and 255 light; here 1 is dark.
_DARK = bytes([1] + [0] * 255)


def modules(text: str) -> list[bytes]:
    """Rows of the QR's modules, top row first, one byte per module (1 = dark), without a quiet zone.
    Error correction level M: a letter's code still reads with a crease or a smudge across it."""
    import zxingcpp

    code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = memoryview(code.to_image(scale=1, add_quiet_zones=False))
    n = image.shape[0]
    data = image.tobytes().translate(_DARK)
    return [data[r * n:(r + 1) * n] for r in range(n)]
