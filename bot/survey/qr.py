"""QR codes of survey links for printed posters at the desk or an event."""

from __future__ import annotations

import io

BOX_SIZE = 12
"""Pixels per module: about 4 cm across at 300 dpi for a typical link, easy to scan."""
BORDER = 4
"""The quiet zone the QR standard asks for, in modules."""


def qr_png(link: str, *, box_size: int = BOX_SIZE) -> bytes:
    # Imported on first use: most runs never build one, and the bot starts lighter.
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    # Medium error correction survives a crease or a bit of tape on a poster.
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=BORDER)
    code.add_data(link)
    code.make(fit=True)
    image = code.make_image(fill_color="black", back_color="white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
