from __future__ import annotations

import csv
import io
import re
from typing import Any

import zxingcpp
from openpyxl import load_workbook
from PIL import Image

from bot.i18n import Translator
from bot.survey.charts import question_chart, survey_charts
from bot.survey.export import csv_delimiter, table, to_csv, to_xlsx
from bot.survey.links import deep_link
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


def responses_for_files() -> tuple[SurveyConfig, list[dict[str, Any]]]:
    config = SurveyConfig(title="Читатели 2026", places=("Озёрки", "Сосновка"))
    answers: list[dict[str, Any]] = (
        [{AGE: "18_24", PLACE: "Озёрки", INTERESTS: ["fiction", "other"],
          f"{INTERESTS}.other": "=HYPERLINK(\"x\") Иван Петров", NETWORKS_USED: ["vk"]}] * 8
        + [{AGE: "65_plus", PLACE: "Сосновка", INTERESTS: ["health"], NETWORKS_USED: ["ok"]}] * 6
        + [{AGE: "45_54", PLACE: "other", f"{PLACE}.other": "Малые Вишеры",
            INTERESTS: ["health"], NETWORKS_USED: ["ok"]}] * 2
    )  # fmt: skip
    return config, answers


def test_files_hold_the_summary_tables_and_nothing_per_reader(t_ru: Translator) -> None:
    config, answers = responses_for_files()
    questionnaire = build_questionnaire(config)
    lines = table(questionnaire, summarize(questionnaire, answers), t_ru)

    assert lines[0] == ["Завершённых ответов", "16"]
    assert lines[2] == ["Вопрос", "Вариант ответа", "Человек", "Доля ответивших, %"]
    rows = {(line[0], line[1]): line[2:] for line in lines[3:] if len(line) == 4}
    place = t_ru("survey.q.place.short")
    assert rows[(place, "Озёрки")] == ["8", "50"]
    assert rows[(place, "В другом месте")] == ["<5", ""]
    assert rows[(place, "Сосновка")] == [t_ru("survey.chart.paired"), ""]  # or 16-8-2 tells
    flat = [cell for line in lines for cell in line]
    # No free text, date or respondent number reaches a file.
    assert not any("Иван" in cell or "HYPERLINK" in cell or "Вишеры" in cell for cell in flat)
    assert not any(re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", cell) for cell in flat)
    assert t_ru("survey.export.col.percent_of_group") in flat  # the age × interests table

    data = to_csv(lines, delimiter=csv_delimiter("ru"))
    assert data.startswith(b"\xef\xbb\xbf")
    read = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert read == lines
    book = load_workbook(io.BytesIO(to_xlsx(lines, sheet_title="Ответы: 2026/1")))
    sheet = book.active
    assert sheet.title == "Ответы  2026 1"
    values = [[c for c in row if c not in (None, "")] for row in sheet.iter_rows(values_only=True)]
    assert values == [[c for c in line if c] for line in lines]


def test_files_below_the_minimum_hold_only_the_count(t_en: Translator) -> None:
    config, answers = responses_for_files()
    questionnaire = build_questionnaire(config)
    lines = table(questionnaire, summarize(questionnaire, answers[:4]), t_en)
    assert lines == [
        ["Completed answers", "4"],
        [t_en.plural("survey.staff.too_few", 10, count=4)],
    ]
    assert csv_delimiter("en") == ","
    read = list(csv.reader(io.StringIO(to_csv(lines, delimiter=",").decode("utf-8-sig"))))
    assert read == lines


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
    stats = summarize(questionnaire, [{AGE: "18_24"}] * 3, min_results=0)
    data = question_chart(questionnaire, stats.questions[AGE], t_ru, respondents=3)
    assert png_size(data)[0] > 0


def test_qr_decodes_back_to_the_link() -> None:
    link = deep_link("LibraryHelperBot", "sv_" + "Ab3-_" * 4 + "xy")
    data = qr_png(link)
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    results = zxingcpp.read_barcodes(image.convert("L"))
    assert [result.text for result in results] == [link]
