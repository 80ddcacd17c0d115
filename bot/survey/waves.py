"""Survey waves: the same questions asked again, and two waves side by side.

A wave is a survey run again with the same questions and places (and new links), so its
results compare with the previous one choice by choice. The comparison reads only the
suppressed view of both waves (:func:`bot.survey.stats.summarize_kept`): a share hidden in
either wave is shown hidden, and no change is computed from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from bot.domain.questions import Questionnaire
from bot.domain.translate import Translate, decimal_text
from bot.survey.models import Survey
from bot.survey.questions import MAX_TITLE_LEN, option_label
from bot.survey.stats import MIN_CELL, Cell, SurveyStats


def wave_title(title: str, wave: int, t: Translate) -> str:
    """ "Readers 2026 — wave 2", within the title limit (the base is cut, not the number)."""
    suffix = t("survey.wave.suffix", n=wave)
    return f"{title[: MAX_TITLE_LEN - len(suffix)].rstrip()}{suffix}"


@dataclass(frozen=True, slots=True)
class Change:
    value: str
    before: Cell | None
    after: Cell | None

    @property
    def points(self) -> float | None:
        """Change of the share in percentage points; None when either share is not shown."""
        if self.before is None or self.after is None:
            return None
        if self.before.percent is None or self.after.percent is None:
            return None
        return round(self.after.percent - self.before.percent, 1)


def changes(
    questionnaire: Questionnaire, before: SurveyStats, after: SurveyStats
) -> dict[str, list[Change]]:
    """Per question both waves asked: each choice's cell in the earlier and the later wave."""
    found: dict[str, list[Change]] = {}
    for question in questionnaire.questions:
        old, new = before.questions.get(question.id), after.questions.get(question.id)
        if old is None or new is None:
            continue
        values = [cell.value for cell in old.cells]
        values += [cell.value for cell in new.cells if cell.value not in values]
        found[question.id] = [Change(v, old.cell(v), new.cell(v)) for v in values]
    return found


def _picked(cell: Cell | None) -> bool:
    return cell is not None and (cell.hidden or bool(cell.count))


def _share(cell: Cell | None, t: Translate) -> str:
    if cell is None or cell.count == 0:
        return "0%"
    if cell.hidden:
        return escape(cell.display)  # "<5" is text, not a tag
    return f"{decimal_text(cell.percent, t)}%"


def _points(points: float | None, t: Translate) -> str:
    if points is None:
        return t("survey.wave.no_change_shown")
    sign = "+" if points > 0 else "−" if points < 0 else "±"
    return t("survey.wave.points", points=f"{sign}{decimal_text(abs(points), t)}")


def comparison_text(
    questionnaire: Questionnaire,
    before: SurveyStats,
    after: SurveyStats,
    titles: tuple[str, str],
    t: Translate,
) -> str:
    """Two waves side by side: the share of each choice then and now, and the change."""
    lines = [
        t("survey.wave.compare_title", before=escape(titles[0]), after=escape(titles[1])),
        t("survey.wave.respondents", before=before.respondents, after=after.respondents),
    ]
    if before.respondents == 0 or after.respondents == 0:
        return "\n".join([*lines, "", t("survey.wave.nothing_to_compare")])
    anything_hidden = False
    for question_id, rows in changes(questionnaire, before, after).items():
        question = questionnaire.question(question_id)
        assert question is not None
        # Choices nobody picked in either wave would only lengthen the list.
        shown = [row for row in rows if _picked(row.before) or _picked(row.after)]
        if not shown:
            continue
        lines += ["", f"<b>{escape(t(f'{question.text_key}.short'))}</b>"]
        for row in shown:
            hidden = any(cell is not None and cell.hidden for cell in (row.before, row.after))
            anything_hidden = anything_hidden or hidden
            lines.append(
                t(
                    "survey.wave.line",
                    label=escape(option_label(question, row.value, t)),
                    before=_share(row.before, t),
                    after=_share(row.after, t),
                    change=_points(row.points, t),
                )
            )
    if anything_hidden:
        lines += ["", f"<i>{t('survey.staff.hidden_note', min=MIN_CELL)}</i>"]
    return "\n".join(lines)


def latest_wave(surveys: Sequence[Survey], survey_id: int) -> Survey | None:
    """The newest wave of the survey ``survey_id`` among ``surveys`` (one library's): its
    waves are followed forward (each names the wave it asks again) to the last one; two
    waves of the same one (run again twice) continue from the newer. None when the survey
    itself is not among them."""
    by_id = {survey.id: survey for survey in surveys}
    current = by_id.get(survey_id)
    seen: set[int] = set()
    while current is not None and current.id not in seen:
        seen.add(current.id)
        following = [s for s in surveys if s.config.previous_wave == current.id]
        if not following:
            return current
        current = max(following, key=lambda s: s.id)
    return current
