"""CSV and XLSX of survey responses, one row per respondent, without identities.

A respondent is a sequential number (1..N in the order they started); the reader hash
and the Telegram id never reach a file. Choices are written as their labels in the
staff member's language, several choices joined with ``; ``, and the "other" text in a
column of its own.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from typing import Any

from bot.domain.questions import Kind, Questionnaire
from bot.domain.translate import Translate
from bot.survey.models import ExportRow
from bot.survey.questions import option_label

MULTI_SEPARATOR = "; "
# Spreadsheet programs run cells starting with these as formulas; a reader's "other"
# text must never become one.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")


def header(questionnaire: Questionnaire, t: Translate) -> list[str]:
    columns = [
        t("survey.export.col.respondent"),
        t("survey.export.col.source"),
        t("survey.export.col.started"),
        t("survey.export.col.completed"),
    ]
    for question in questionnaire.questions:
        columns.append(t(f"{question.text_key}.short"))
        if question.has_other:
            columns.append(t("survey.export.col.other", question=columns[-1]))
    return columns


def _value_text(questionnaire: Questionnaire, question_id: str, value: Any, t: Translate) -> str:
    question = questionnaire.question(question_id)
    if question is None or value is None:
        return ""
    if question.kind is Kind.MULTI and isinstance(value, list):
        return MULTI_SEPARATOR.join(option_label(question, str(item), t) for item in value)
    if question.kind is Kind.SINGLE and isinstance(value, str):
        return option_label(question, value, t)
    return str(value)


def table(
    questionnaire: Questionnaire, rows: Sequence[ExportRow], t: Translate
) -> list[list[str]]:
    """Header and one row per response, every cell a string."""
    lines = [header(questionnaire, t)]
    for row in rows:
        source = t(f"survey.source.{row.source_kind}") if row.source_kind else ""
        if row.source_label:
            source = f"{source}: {row.source_label}" if source else row.source_label
        # Dates only: exact times could point at whoever was at the desk at 14:03.
        line = [str(row.number), source, row.started_at[:10], (row.completed_at or "")[:10]]
        for question in questionnaire.questions:
            line.append(_value_text(questionnaire, question.id, row.answers.get(question.id), t))
            if question.has_other:
                line.append(str(row.answers.get(f"{question.id}.other", "")))
        lines.append(line)
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
