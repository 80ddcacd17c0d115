"""The printable poster: an A4 page at 300 dpi whose QR code opens the link."""

from __future__ import annotations

import io

import zxingcpp
from aiogram.utils.i18n import I18n
from PIL import Image, PdfParser

from bot.db.engine import Database
from bot.i18n import Translator
from bot.survey.poster import DPI, PosterText, minutes_for, poster_locale, poster_pdf, poster_text
from bot.survey.questions import SurveyConfig
from tests.chat import ChatUser
from tests.survey.bot_helpers import documents, staff_library, survey_with_link

A4_POINTS = (595.28, 841.89)
LINK = "https://t.me/library_smm_bot?start=sv_AbCdEf12345_-x"


def read_poster(pdf: bytes) -> tuple[tuple[float, float], float, Image.Image]:
    """(page size in points, resolution in dpi, the page image) of a one-page PDF."""
    parser = PdfParser.PdfParser(buf=pdf)
    assert len(parser.pages) == 1
    page = parser.read_indirect(parser.pages[0])
    x0, y0, x1, y1 = (float(v) for v in page[b"MediaBox"])
    (reference,) = page[b"Resources"][b"XObject"].values()
    stream = parser.read_indirect(reference)
    assert stream.dictionary.Filter == PdfParser.PdfName("DCTDecode")
    image = Image.open(io.BytesIO(stream.buf))  # a DCTDecode stream is a JPEG file
    width_in = (x1 - x0) / 72
    assert int(stream.dictionary.Width) == image.width
    return (x1 - x0, y1 - y0), image.width / width_in, image


def assert_a4_poster_of(pdf: bytes, link: str) -> None:
    size, dpi, image = read_poster(pdf)
    assert abs(size[0] - A4_POINTS[0]) < 1 and abs(size[1] - A4_POINTS[1]) < 1, size
    assert abs(dpi - DPI) < 0.5, dpi
    assert image.size == (2480, 3508)
    (decoded,) = zxingcpp.read_barcodes(image)
    assert decoded.text == link


def test_poster_is_an_a4_page_at_300_dpi_whose_code_opens_the_link() -> None:
    long_words = "Межпоселенческая-централизованная-библиотечная-система " * 4
    for title in ("Опрос", "Что вам интересно в библиотеке? " * 6, long_words):
        text = PosterText(
            library="Сельская библиотека <им. Пушкина>",
            title=title,
            pitch="Помогите библиотеке: 8 вопросов, около 2 мин.",
            scan_hint="Наведите камеру",
            link=LINK,
            short_link=LINK.removeprefix("https://"),
        )
        assert_a4_poster_of(poster_pdf(text), LINK)


def test_poster_words_come_from_the_library_language(i18n: I18n) -> None:
    ru, en = Translator(i18n, "ru"), Translator(i18n, "en")
    text = poster_text(title="Опрос", library="Библиотека", question_count=8, link=LINK, t=ru)
    assert text.pitch == ru.plural("survey.poster.pitch", 8, minutes=minutes_for(8))
    assert "8 вопросов" in text.pitch and "2 мин" in text.pitch
    assert (
        "1 вопрос," in poster_text(title="x", library="y", question_count=1, link=LINK, t=ru).pitch
    )
    assert (
        "3 questions"
        in poster_text(title="x", library="y", question_count=3, link=LINK, t=en).pitch
    )
    assert text.short_link == "t.me/library_smm_bot?start=sv_AbCdEf12345_-x"
    assert [poster_locale(c, "en") for c in ("ru", "kz", "us", "other")] == [
        "ru",
        "ru",
        "en",
        "en",
    ]
    assert minutes_for(1) == 1 and minutes_for(8) == 2 and minutes_for(9) == 3


async def test_a_button_on_the_link_sends_its_poster(
    db: Database, anna: ChatUser, i18n: I18n
) -> None:
    ru = Translator(i18n, "ru")
    library = await staff_library(db)
    _, source = await survey_with_link(db, library, SurveyConfig(title="Что вам интересно"))
    await anna.send("/survey")
    await anna.press("Что вам интересно")
    await anna.press(ru("survey.staff.sources_button"))
    requests = await anna.press("Афиша")
    ((filename, pdf),) = documents(requests)
    assert filename.endswith("-poster-a4.pdf")
    me = await anna.bot.me()
    assert_a4_poster_of(pdf, f"https://t.me/{me.username}?start={source.payload}")
