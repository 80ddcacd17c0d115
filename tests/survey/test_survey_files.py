from __future__ import annotations

import csv
import io
import re
from typing import Any

import zxingcpp
from openpyxl import load_workbook
from PIL import Image

from bot.db.surveys import SurveyRepository
from bot.i18n import Translator
from bot.survey.charts import question_chart, survey_charts
from bot.survey.export import csv_delimiter, table, to_csv, to_xlsx
from bot.survey.links import SourceKind, deep_link, reader_hash
from bot.survey.models import ExportRow, Started
from bot.survey.qr import qr_png
from bot.survey.questions import (
    AGE,
    INTERESTS,
    NETWORKS_USED,
    PLACE,
    SurveyConfig,
    build_questionnaire,
)
from bot.survey.stats import HIDDEN, summarize

STAFF_ID = 1001  # the library owner made by the library_id fixture

SECRET = b"s" * 32


async def stored_rows(
    repo: SurveyRepository, library_id: int
) -> tuple[SurveyConfig, list[ExportRow]]:
    config = SurveyConfig(title="Читатели 2026", places=("Озёрки", "Сосновка"))
    survey = await repo.create_survey(library_id, STAFF_ID, config)
    source = await repo.add_source(survey.id, SourceKind.EVENT, "Ночь в библиотеке")
    answers: list[dict[str, Any]] = [
        {AGE: "18_24", PLACE: "Озёрки", INTERESTS: ["fiction", "other"],
         f"{INTERESTS}.other": "=HYPERLINK(\"x\")", NETWORKS_USED: ["vk", "telegram"]},
        {AGE: "65_plus", PLACE: "other", f"{PLACE}.other": "Малые Вишеры"},
        {},
    ]  # fmt: skip
    for index, given in enumerate(answers):
        started = await repo.start_or_resume(survey.id, reader_hash(SECRET, index), source.id)
        assert isinstance(started, Started)
        for question_id, value in given.items():
            await repo.save_answer(
                started.response.id, reader_hash(SECRET, index), question_id, value
            )
        if given:
            await repo.complete(started.response.id, reader_hash(SECRET, index))
    return config, await repo.export_rows(survey.id)


async def test_csv_and_xlsx_read_back_as_stored(
    repo: SurveyRepository, library_id: int, t_ru: Translator
) -> None:
    config, rows = await stored_rows(repo, library_id)
    questionnaire = build_questionnaire(config)
    lines = table(questionnaire, rows, t_ru)

    header = lines[0]
    assert header[:4] == [
        "Участник №",
        "Откуда пришёл",
        "Дата начала (UTC)",
        "Дата завершения (UTC)",
    ]
    first = dict(zip(header, lines[1], strict=True))
    assert first["Участник №"] == "1"
    assert first["Откуда пришёл"] == "Мероприятие: Ночь в библиотеке"
    assert first["Место жительства"] == "Озёрки"
    assert first["Интересы: свой вариант"] == '=HYPERLINK("x")'
    second = dict(zip(header, lines[2], strict=True))
    assert second["Место жительства"] == "В другом месте"
    assert second["Место жительства: свой вариант"] == "Малые Вишеры"
    assert lines[3][0] == "3"
    assert lines[3][3] == ""  # never finished
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", lines[1][2])  # a date, no time of day
    assert all(
        reader_hash(SECRET, i) not in cell for i in range(3) for line in lines for cell in line
    )

    data = to_csv(lines, delimiter=csv_delimiter("ru"))
    assert data.startswith(b"\xef\xbb\xbf")
    read = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    expected = [[("'" + c if c.startswith("=") else c) for c in line] for line in lines]
    assert read == expected  # formulas arrive as text

    book = load_workbook(io.BytesIO(to_xlsx(lines, sheet_title="Ответы: 2026/1")))
    sheet = book.active
    assert sheet.title == "Ответы  2026 1"
    values = [
        [cell if cell is not None else "" for cell in row]
        for row in sheet.iter_rows(values_only=True)
    ]
    assert values == lines
    assert sheet.cell(row=2, column=header.index("Интересы: свой вариант") + 1).data_type == "s"


async def test_english_headers_and_commas(
    repo: SurveyRepository, library_id: int, t_en: Translator
) -> None:
    config, rows = await stored_rows(repo, library_id)
    lines = table(build_questionnaire(config), rows, t_en)
    assert lines[0][0] == "Respondent #"
    assert csv_delimiter("en") == ","
    read = list(csv.reader(io.StringIO(to_csv(lines, delimiter=",").decode("utf-8-sig"))))
    assert read[0] == lines[0]


def png_size(data: bytes) -> tuple[int, int]:
    image = Image.open(io.BytesIO(data))
    image.verify()
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    return image.size


def test_charts_are_pngs_without_small_numbers(t_ru: Translator) -> None:
    config = SurveyConfig(title="x", places=("Озёрки", "Сосновка"))
    questionnaire = build_questionnaire(config)
    responses = [{AGE: "18_24", PLACE: "Озёрки", INTERESTS: ["fiction"]}] * 20 + [
        {AGE: "65_plus", PLACE: "Сосновка", INTERESTS: ["health", "fiction"]}
    ] * 2
    stats = summarize(questionnaire, responses)

    charts = survey_charts(questionnaire, stats, t_ru)

    assert [question_id for question_id, _ in charts] == [PLACE, AGE, INTERESTS]
    for _, data in charts:
        width, height = png_size(data)
        assert width >= 600
        assert height >= 250
    assert stats.questions[AGE].cell("65_plus").display == HIDDEN  # type: ignore[union-attr]


def test_chart_draws_hidden_cells_as_text_only(t_ru: Translator) -> None:
    # A chart of a tiny group still renders; the label for it is "<5", never the count.
    questionnaire = build_questionnaire(SurveyConfig(title="x"))
    stats = summarize(questionnaire, [{AGE: "18_24"}] * 3)
    data = question_chart(questionnaire, stats.questions[AGE], t_ru, respondents=3)
    assert png_size(data)[0] > 0


def test_qr_decodes_back_to_the_link() -> None:
    link = deep_link("LibraryHelperBot", "sv_" + "Ab3-_" * 4 + "xy")
    data = qr_png(link)
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    results = zxingcpp.read_barcodes(image.convert("L"))
    assert [result.text for result in results] == [link]
