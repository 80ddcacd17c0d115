"""Bar charts of survey results as PNG bytes (matplotlib, no GUI, no pyplot state).

Each chart is drawn on its own ``Figure`` so charts can be drawn from worker threads.
Hidden groups (fewer than five people) get no bar and no number, only ``<5``.
"""

from __future__ import annotations

import io
import textwrap

from bot.domain.questions import Questionnaire
from bot.domain.translate import Translate
from bot.survey.questions import option_label
from bot.survey.stats import HIDDEN, QuestionStats, SurveyStats

WIDTH_IN = 8.0
BAR_HEIGHT_IN = 0.42
MIN_HEIGHT_IN = 2.6
DPI = 110
BAR_COLOR = "#3f7cac"
LABEL_WIDTH = 34


def _wrap(text: str, width: int = LABEL_WIDTH) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def question_chart(
    questionnaire: Questionnaire, stats: QuestionStats, t: Translate, *, respondents: int
) -> bytes:
    """A horizontal bar chart of one question: share of those who answered, in percent."""
    # Imported on first use: most runs never build one, and the bot starts lighter.
    from matplotlib.figure import Figure

    question = questionnaire.question(stats.question_id)
    if question is None:
        raise KeyError(stats.question_id)
    cells = list(stats.cells)
    labels = [_wrap(option_label(question, cell.value, t)) for cell in cells]
    height = max(MIN_HEIGHT_IN, 1.4 + BAR_HEIGHT_IN * len(cells))
    figure = Figure(figsize=(WIDTH_IN, height), dpi=DPI, layout="constrained")
    axes = figure.add_subplot()
    positions = list(range(len(cells)))
    widths = [cell.percent or 0.0 for cell in cells]
    axes.barh(positions, widths, color=BAR_COLOR)
    for position, cell in zip(positions, cells, strict=True):
        if cell.paired:
            text = t("survey.chart.paired")
        elif cell.hidden:
            text = HIDDEN
        else:
            percent = f"{cell.percent or 0.0:g}"
            text = t("survey.chart.bar_value", count=cell.count, percent=percent)
        axes.text((cell.percent or 0.0) + 1, position, text, va="center", fontsize=9)
    axes.set_yticks(positions, labels, fontsize=9)
    axes.invert_yaxis()  # first choice on top, as in the question
    axes.set_xlim(0, 110)
    axes.set_xlabel(t("survey.chart.axis_percent"))
    axes.spines[["top", "right"]].set_visible(False)
    answered = HIDDEN if stats.answered is None else str(stats.answered)
    title = _wrap(t(f"{question.text_key}.short"), 70)
    figure.suptitle(title, fontsize=11, fontweight="bold")
    note = t("survey.chart.answered", answered=answered, respondents=respondents)
    if question.kind == "multi":
        note += " · " + t("survey.chart.multi_note")
    axes.set_title(note, fontsize=9, color="#555555")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def survey_charts(
    questionnaire: Questionnaire, stats: SurveyStats, t: Translate
) -> list[tuple[str, bytes]]:
    """(question id, PNG) for every choice question someone answered, in order."""
    return [
        (question.id, question_chart(questionnaire, stats.questions[question.id], t,
                                     respondents=stats.respondents))
        for question in questionnaire.questions
        if question.id in stats.questions
        and stats.questions[question.id].answered != 0
        and not stats.questions[question.id].withheld
    ]  # fmt: skip
