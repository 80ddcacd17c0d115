"""A printable A4 poster for one survey link: title, library, why and how long, QR, link.

Pure: texts in, PDF bytes out. The page is drawn at print resolution (300 dpi) with Pillow
and saved as a one-page PDF whose page is exactly A4, so any printer prints it at size.
DejaVu (shipped with matplotlib) covers Cyrillic and Latin alike.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image, ImageDraw, ImageFont

from bot.domain.translate import Translate
from bot.survey.qr import BORDER

DPI = 300
A4_MM = (210, 297)
PAGE = (round(A4_MM[0] / 25.4 * DPI), round(A4_MM[1] / 25.4 * DPI))
"""(2480, 3508) pixels: A4 at 300 dpi."""
_MARGIN = round(18 / 25.4 * DPI)
_QR_SIDE = round(110 / 25.4 * DPI)
"""About 11 cm across: scanned from a couple of metres, from a notice board."""
SECONDS_PER_QUESTION = 15
"""Readers answer a button question in about this long (timed in our own walk-throughs)."""


@dataclass(frozen=True, slots=True)
class PosterText:
    library: str
    title: str
    pitch: str
    """One line on why the library asks and how long it takes."""
    scan_hint: str
    link: str
    """What the QR code holds: the full deep link."""
    short_link: str
    """The same link as printed under the code, for readers who type it."""


# The bot speaks Russian and English; libraries in the Russian-speaking countries get
# Russian posters, others English, and an unknown country the language of whoever asks.
_COUNTRY_LOCALES = {"ru": "ru", "by": "ru", "kz": "ru", "uz": "ru", "kg": "ru", "us": "en"}


def poster_locale(country: str, fallback: str) -> str:
    """The language a library's readers get on its posters."""
    return _COUNTRY_LOCALES.get(country, fallback)


def minutes_for(question_count: int) -> int:
    return max(1, math.ceil(question_count * SECONDS_PER_QUESTION / 60))


def poster_text(
    *, title: str, library: str, question_count: int, link: str, t: Translate
) -> PosterText:
    """The poster's words in the language of ``t`` (the library's)."""
    return PosterText(
        library=library,
        title=title,
        pitch=t.plural("survey.poster.pitch", question_count, minutes=minutes_for(question_count)),
        scan_hint=t("survey.poster.scan"),
        link=link,
        short_link=link.removeprefix("https://"),
    )


@cache
def _font(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    # Imported on first use: most runs never draw a poster, and the bot starts lighter.
    import matplotlib
    from PIL import ImageFont

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name
    return ImageFont.truetype(str(path), size)


def _points(pt: float) -> int:
    return round(pt * DPI / 72)


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Lines no wider than ``width``; a word too long for a line is cut where it must be."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if font.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for char in word:
            if font.getlength(line + char) > width and line:
                lines.append(line)
                line = ""
            line += char
    if line:
        lines.append(line)
    return lines


def _fitted(
    text: str, width: int, *, bold: bool, largest_pt: float, smallest_pt: float, max_lines: int
) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest size (from ``largest_pt`` down) at which ``text`` fits ``max_lines``."""
    size = _points(largest_pt)
    while True:
        font = _font(bold, size)
        lines = _wrap(text, font, width)
        if len(lines) <= max_lines or size <= _points(smallest_pt):
            return font, lines[:max_lines]
        size -= max(1, size // 12)


def _centred(
    draw: ImageDraw.ImageDraw, lines: list[str], font: ImageFont.FreeTypeFont, top: int
) -> int:
    """Draw ``lines`` centred from ``top``; returns the y below the last one."""
    ascent, descent = font.getmetrics()
    step = round((ascent + descent) * 1.15)
    for line in lines:
        draw.text((PAGE[0] // 2, top), line, font=font, fill=0, anchor="ma")
        top += step
    return top


def _qr_image(link: str, side: int) -> Image.Image:
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=BORDER)
    code.add_data(link)
    code.make(fit=True)
    modules = code.modules_count + 2 * BORDER
    code.box_size = max(1, side // modules)
    image: Image.Image = code.make_image(fill_color="black", back_color="white").get_image()
    return image.convert("L")


def poster_page(text: PosterText) -> Image.Image:
    """The poster as a 300 dpi A4 greyscale image."""
    from PIL import Image, ImageDraw

    page = Image.new("L", PAGE, 255)
    draw = ImageDraw.Draw(page)
    width = PAGE[0] - 2 * _MARGIN
    y = _MARGIN
    font, lines = _fitted(
        text.library, width, bold=False, largest_pt=18, smallest_pt=12, max_lines=2
    )
    y = _centred(draw, lines, font, y) + _points(14)
    font, lines = _fitted(text.title, width, bold=True, largest_pt=34, smallest_pt=20, max_lines=3)
    y = _centred(draw, lines, font, y) + _points(12)
    font, lines = _fitted(
        text.pitch, width, bold=False, largest_pt=18, smallest_pt=12, max_lines=3
    )
    y = _centred(draw, lines, font, y) + _points(16)

    hint_font, hint_lines = _fitted(
        text.scan_hint, width, bold=False, largest_pt=16, smallest_pt=11, max_lines=2
    )
    link_font, link_lines = _fitted(
        text.short_link, width, bold=True, largest_pt=18, smallest_pt=9, max_lines=2
    )
    below = sum(
        round(sum(f.getmetrics()) * 1.15) * len(ls)
        for f, ls in ((hint_font, hint_lines), (link_font, link_lines))
    )
    # The code takes what is left above the hint and link, up to its full size.
    room = PAGE[1] - _MARGIN - below - _points(16) - y
    qr = _qr_image(text.link, min(_QR_SIDE, room))
    page.paste(qr, ((PAGE[0] - qr.width) // 2, y))
    y += qr.height + _points(8)
    y = _centred(draw, hint_lines, hint_font, y)
    _centred(draw, link_lines, link_font, y)
    return page


def poster_pdf(text: PosterText) -> bytes:
    """A one-page A4 PDF of the poster."""
    buffer = io.BytesIO()
    # Quality 90: the letters and the code's edges stay sharp through JPEG.
    poster_page(text).save(buffer, format="PDF", resolution=float(DPI), quality=90)
    return buffer.getvalue()
