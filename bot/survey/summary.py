"""Survey results as a Telegram HTML message for staff (counts, shares, warnings).

Reads only the suppressed view from :mod:`bot.survey.stats`, so nothing here can show a
group smaller than ``MIN_CELL``, nor any breakdown below the minimum of responses.
Staff-written texts (title, place names) are escaped.
"""

from __future__ import annotations

from html import escape

from bot.domain.questions import Kind, Questionnaire
from bot.domain.translate import Translate, decimal_text
from bot.survey.questions import option_label
from bot.survey.stats import MIN_CELL, SMALL_SAMPLE, CrossTab, SurveyStats

CROSSTAB_TOP = 3
"""Interests named per age group."""


def too_few_text(stats: SurveyStats, t: Translate) -> str:
    """Why no breakdown is shown yet, and from how many answers it will be."""
    return t.plural("survey.staff.too_few", stats.min_results, count=stats.respondents)


def _crosstab_lines(questionnaire: Questionnaire, table: CrossTab, t: Translate) -> list[str]:
    row_question = questionnaire.question(table.row_id)
    column_question = questionnaire.question(table.column_id)
    if row_question is None or column_question is None:
        return []
    lines = []
    for row in table.rows:
        if table.row_totals[row].hidden:
            continue
        shown = [cell for (r, _), cell in table.cells.items() if r == row and cell.count]
        shown.sort(key=lambda cell: -(cell.percent or 0.0))
        items = ", ".join(
            f"{escape(option_label(column_question, cell.value, t))} "
            f"{decimal_text(cell.percent, t)}%"
            for cell in shown[:CROSSTAB_TOP]
        )
        if items:
            age = escape(option_label(row_question, row, t))
            lines.append(t("survey.staff.crosstab_row", age=age, items=items))
    return [t("survey.staff.crosstab_title"), *lines] if lines else []


def results_text(
    questionnaire: Questionnaire, stats: SurveyStats, t: Translate, title: str
) -> str:
    """The whole summary; long surveys may need splitting before sending."""
    if stats.respondents == 0:
        return t("survey.staff.no_responses")
    lines = [
        t("survey.staff.results_title", title=escape(title)),
        t.plural("survey.staff.responses", stats.respondents),
    ]
    if stats.too_few:
        lines.append(too_few_text(stats, t))
        return "\n".join(lines)
    if stats.small_sample:
        lines.append(t("survey.staff.small_sample", n=stats.respondents, min=SMALL_SAMPLE))
    anything_hidden = False
    for question in questionnaire.questions:
        question_stats = stats.questions.get(question.id)
        if question_stats is None or question_stats.answered == 0:
            continue
        answered = (
            t("survey.staff.fewer_than", min=MIN_CELL)
            if question_stats.answered is None
            else str(question_stats.answered)
        )
        lines += [
            "",
            t(
                "survey.staff.results_question",
                question=t(f"{question.text_key}.short"),
                answered=answered,
            ),
        ]
        if question_stats.withheld:
            anything_hidden = True
            lines.append(t("survey.staff.results_withheld", min=MIN_CELL))
            continue
        for cell in question_stats.cells:
            if cell.count == 0:
                continue  # a long list of zeros hides what matters
            label = escape(option_label(question, cell.value, t))
            if cell.paired:
                anything_hidden = True
                lines.append(t("survey.staff.results_line_paired", label=label))
            elif cell.hidden:
                anything_hidden = True
                lines.append(t("survey.staff.results_line_hidden", label=label, min=MIN_CELL))
            else:
                percent = decimal_text(cell.percent, t)
                lines.append(
                    t("survey.staff.results_line", label=label, count=cell.count, percent=percent)
                )
        if question.kind is Kind.MULTI:
            lines.append(f"<i>{t('survey.staff.multi_note')}</i>")
    if stats.crosstab is not None:
        crosstab = _crosstab_lines(questionnaire, stats.crosstab, t)
        if crosstab:
            lines += ["", *crosstab]
    if anything_hidden:
        lines += ["", f"<i>{t('survey.staff.hidden_note', min=MIN_CELL)}</i>"]
    return "\n".join(lines)
