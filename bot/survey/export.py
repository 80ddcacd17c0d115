"""CSV and XLSX of survey results: the same suppressed tables staff see, never one row per reader.

A file holds, per question, each choice with its number of people and share, small groups
as ``<5`` and the cells hidden to protect them as "hidden", exactly as in the chat; then
the age × interests table as shares. No response, date, link, free text or pseudonym
reaches a file: with rows per reader, a librarian who knows who came to yesterday's event
could find that person's answers.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence

from bot.domain.questions import Questionnaire
from bot.domain.translate import Translate
from bot.survey.questions import option_label
from bot.survey.stats import HIDDEN, Cell, SurveyStats

# Spreadsheet programs run cells starting with these as formulas; no text of ours (a
# place name staff typed) may become one.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")


def _count(cell: Cell, t: Translate) -> str:
    if cell.count is not None:
        return str(cell.count)
    return t("survey.chart.paired") if cell.paired else HIDDEN


def _percent(value: float | None, t: Translate) -> str:
    if value is None:
        return ""
    text = f"{value:g}"
    return text.replace(".", ",") if t.locale == "ru" else text


def table(questionnaire: Questionnaire, stats: SurveyStats, t: Translate) -> list[list[str]]:
    """The results as rows of strings; empty of breakdowns below the minimum of responses."""
    lines = [[t("survey.export.col.respondents"), str(stats.respondents)]]
    if stats.too_few:
        lines.append(
            [t.plural("survey.staff.too_few", stats.min_results, count=stats.respondents)]
        )
        return lines
    lines += [
        [],
        [
            t("survey.export.col.question"),
            t("survey.export.col.answer"),
            t("survey.export.col.people"),
            t("survey.export.col.percent"),
        ],
    ]
    for question in questionnaire.questions:
        question_stats = stats.questions.get(question.id)
        if question_stats is None or question_stats.answered == 0:
            continue
        name = t(f"{question.text_key}.short")
        if question_stats.withheld:
            lines.append([name, t("survey.export.withheld"), "", ""])
            continue
        for cell in question_stats.cells:
            label = option_label(question, cell.value, t)
            lines.append([name, label, _count(cell, t), _percent(cell.percent, t)])
    crosstab = stats.crosstab
    rows_question = questionnaire.question(crosstab.row_id) if crosstab else None
    columns_question = questionnaire.question(crosstab.column_id) if crosstab else None
    if crosstab and rows_question and columns_question and crosstab.rows:
        lines += [
            [],
            [
                t("survey.export.col.age"),
                t("survey.export.col.interest"),
                t("survey.export.col.people"),
                t("survey.export.col.percent_of_group"),
            ],
        ]
        for (row, column), cell in crosstab.cells.items():
            lines.append(
                [
                    option_label(rows_question, row, t),
                    option_label(columns_question, column, t),
                    _count(cell, t),
                    _percent(cell.percent, t),
                ]
            )
    return lines


def _csv_safe(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(lines: Sequence[Sequence[str]], *, delimiter: str = ";") -> bytes:
    """UTF-8 with a byte-order mark, so Excel shows Cyrillic; Russian Excel splits on ``;``."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for line in lines:
        writer.writerow([_csv_safe(cell) for cell in line])
    return buffer.getvalue().encode("utf-8-sig")


def csv_delimiter(locale: str) -> str:
    return ";" if locale == "ru" else ","


def to_xlsx(lines: Sequence[Sequence[str]], *, sheet_title: str) -> bytes:
    """A one-sheet workbook, written row by row (openpyxl's write-only mode keeps no cell
    objects in memory, so a hundred thousand responses export in the memory of a few)."""
    # Imported on first use: most runs never build one, and the bot starts lighter.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(
        _SHEET_TITLE_BAD.sub(" ", ILLEGAL_CHARACTERS_RE.sub("", sheet_title))[:31].strip() or "1"
    )
    sheet.freeze_panes = "B2"
    # Widths come first in write-only mode; the header and a sample of rows set them.
    sample = lines[:200]
    for column_index in range(1, max((len(line) for line in sample), default=0) + 1):
        width = max(len(line[column_index - 1]) for line in sample if len(line) >= column_index)
        sheet.column_dimensions[get_column_letter(column_index)].width = min(50, max(8, width + 2))
    for line in lines:
        row = []
        for text in line:
            cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", text))
            cell.data_type = "s"  # text stays text: no formulas, no guessed numbers
            row.append(cell)
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
