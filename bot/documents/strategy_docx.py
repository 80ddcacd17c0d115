"""The strategy as an editable, printable Word document."""

from __future__ import annotations

from datetime import date
from io import BytesIO

from bot.advice.models import AdviceItem, Severity, Source, StrategyAdvice
from bot.documents.common import (
    answer_text,
    network_name,
    plain,
    question_text,
    rubric_name,
    zone_name,
)
from bot.domain.method import STRATEGY_METHOD
from bot.domain.questions import Answers
from bot.i18n import Translate

DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MARK_KEYS = {
    Severity.MUST: "doc.mark.must",
    Severity.WARNING: "doc.mark.warning",
    Severity.INFO: "",
}


def _table(document: object, header: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text


def _answers(document: object, step_id: str, answers: Answers, t: Translate) -> None:
    step = STRATEGY_METHOD.step(step_id)
    if step is None:
        return
    rows = []
    for question in step.questions:
        if not question.visible(answers):
            continue
        text = answer_text(question, answers, t)
        if text:
            rows.append([question_text(question, t), text])
    if rows:
        document.add_paragraph(t("doc.your_answers"), style="Heading 3")  # type: ignore[attr-defined]
        _table(document, [t("doc.col.question"), t("doc.col.answer")], rows)


def _item(document: object, item: AdviceItem, numbers: dict[str, int], t: Translate) -> None:
    from docx.shared import Pt

    paragraph = document.add_paragraph(style="List Bullet")  # type: ignore[attr-defined]
    if MARK_KEYS[item.severity]:
        paragraph.add_run(t(MARK_KEYS[item.severity]) + " ").bold = True
    paragraph.add_run(plain(item.text, t))
    refs = sorted({numbers[s.id] for s in item.sources})
    if refs:
        paragraph.add_run(" [" + ", ".join(str(n) for n in refs) + "]")
    for reason in item.reasons:
        why = document.add_paragraph()  # type: ignore[attr-defined]
        why.paragraph_format.left_indent = Pt(18)
        run = why.add_run(t("doc.why", reason=plain(reason, t)))
        run.italic = True


def _kpis(document: object, advice: StrategyAdvice, t: Translate) -> None:
    if not advice.kpis:
        return
    document.add_paragraph(t("doc.kpi_title"), style="Heading 3")  # type: ignore[attr-defined]
    rows = [
        [
            t(f"opt.goal.{k.goal}"),
            plain(k.metric, t),
            plain(k.baseline, t),
            plain(k.target, t),
            plain(k.how, t),
        ]
        for k in advice.kpis
    ]
    header = [
        "doc.col.goal",
        "doc.col.metric",
        "doc.col.baseline",
        "doc.col.target",
        "doc.col.how",
    ]
    _table(document, [t(h) for h in header], rows)


def _plan(document: object, advice: StrategyAdvice, t: Translate) -> None:
    document.add_paragraph(t("doc.plan_title"), style="Heading 3")  # type: ignore[attr-defined]
    rows = [
        [
            t(f"advice.day.{DAY_KEYS[s.weekday]}"),
            s.time,
            network_name(s.network, t),
            rubric_name(s.rubric, t),
        ]
        for s in advice.slots
    ]
    header = ["doc.col.day", "doc.col.time", "doc.col.network", "doc.col.rubric"]
    _table(document, [t(h) for h in header], rows)
    document.add_paragraph(t("doc.plan_note", tz=zone_name(advice.timezone, t)))  # type: ignore[attr-defined]


def _scores(document: object, advice: StrategyAdvice, t: Translate) -> None:
    document.add_paragraph(t("doc.scores_title"), style="Heading 3")  # type: ignore[attr-defined]
    rows = []
    for score in advice.networks:
        status = ""
        if score.banned:
            status = t("doc.status.banned")
        elif score.mandatory:
            status = t("doc.status.mandatory")
        elif score.chosen:
            status = t("doc.status.chosen")
        posts = str(score.posts_per_week) if score.chosen else ""
        rows.append([network_name(score.network, t), str(score.score), posts, status])
    header = ["doc.col.network", "doc.col.score", "doc.col.posts", "doc.col.status"]
    _table(document, [t(h) for h in header], rows)


def _source_line(number: int, source: Source, t: Translate) -> str:
    line = f"{number}. {source.name}, {source.year}. {source.url}"
    return f"{line} {t('doc.estimate')}" if source.estimate else line


def build_strategy_docx(
    answers: Answers, advice: StrategyAdvice, t: Translate, *, today: date | None = None
) -> bytes:
    """The whole strategy: answers per step, advice with reasons, KPIs, plan, sources."""
    # Imported on first use: most runs never build one, and the bot starts lighter.
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = Document()
    document.styles["Normal"].font.name = "Calibri"
    document.styles["Normal"].font.size = Pt(11)
    name = advice.library_name or t("doc.unnamed")
    document.add_heading(t("doc.title", name=name), level=0)
    subtitle = document.add_paragraph(
        t("doc.subtitle", date=(today or date.today()).strftime("%d.%m.%Y"))  # noqa: DTZ011
    )
    subtitle.alignment = WD_ALIGN_PARAGRAPH.LEFT
    if advice.conflicts:
        document.add_paragraph(t("doc.conflicts_title"), style="Heading 2")
        for conflict in advice.conflicts:
            document.add_paragraph(plain(conflict.text, t), style="List Bullet")
    numbers = {source.id: n for n, source in enumerate(advice.sources, 1)}

    document.add_heading(t("step.library"), level=1)
    _answers(document, "library", answers, t)
    for step in advice.steps:
        document.add_heading(t(f"step.{step.step_id}"), level=1)
        _answers(document, step.step_id, answers, t)
        document.add_paragraph(t("doc.advice_title"), style="Heading 3")
        for item in step.items:
            _item(document, item, numbers, t)
        if step.step_id == "goals":
            _kpis(document, advice, t)
        elif step.step_id == "networks":
            _scores(document, advice, t)
        elif step.step_id == "content":
            _plan(document, advice, t)

    document.add_heading(t("doc.sources_title"), level=1)
    for source in advice.sources:
        document.add_paragraph(_source_line(numbers[source.id], source, t))
    document.add_paragraph(t("doc.disclaimer"))
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
