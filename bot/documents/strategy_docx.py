"""The strategy as an editable, printable Word document.

Page one is a summary a director can read alone (networks, posts, hours, first steps,
KPIs); then the table of contents, then every step: the librarian's answers under short
question labels, the advice with its reasons in small type and numbered references, and the
step's tables. A4, or US Letter for US libraries; page numbers and a running header.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from io import BytesIO
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from bot.advice.models import AdviceItem, Severity, Source, StrategyAdvice
from bot.advice.render import source_title, source_year
from bot.documents import ooxml
from bot.documents.common import (
    answer_text,
    first_actions,
    network_name,
    plain,
    question_label,
    rubric_name,
    zone_name,
)
from bot.documents.week_png import build_week_png
from bot.domain.method import STRATEGY_METHOD
from bot.domain.questions import Answers
from bot.domain.translate import Translate, decimal_text

DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MARK_KEYS = {
    Severity.MUST: "doc.mark.must",
    Severity.WARNING: "doc.mark.warning",
    Severity.CONFLICT: "doc.mark.warning",
    Severity.INFO: "",
}
LANGUAGE_TAGS = {"ru": "ru-RU", "en": "en-US"}
SMALL = Pt(9)
TABLE_TEXT = Pt(10)
GREY = RGBColor(0x55, 0x55, 0x55)
PICTURE_WIDTH = Cm(16)
TOC_LEVELS = 1

Doc = Any
"""python-docx's Document object (its class is private)."""


class _Writer:
    """Builds one document and remembers its headings for the table of contents."""

    def __init__(self, document: Doc, t: Translate) -> None:
        self.document = document
        self.t = t
        self.headings: list[tuple[int, str]] = []

    def heading(self, text: str, level: int) -> Paragraph:
        paragraph: Paragraph = self.document.add_heading(text, level=level)
        if 1 <= level <= TOC_LEVELS:
            self.headings.append((level, text))
        return paragraph

    def paragraph(self, text: str = "", style: str | None = None) -> Paragraph:
        paragraph: Paragraph = self.document.add_paragraph(style=style)
        if text:
            ooxml.add_linked_text(paragraph, text)
        return paragraph

    def small(self, text: str) -> Paragraph:
        paragraph: Paragraph = self.document.add_paragraph()
        paragraph.paragraph_format.left_indent = Cm(0.63)
        paragraph.paragraph_format.space_after = Pt(8)
        ooxml.add_linked_text(paragraph, text)
        for run in paragraph.runs:
            run.font.size = SMALL
            run.font.color.rgb = GREY
        return paragraph

    def table(
        self, header: list[str], rows: list[list[str]], widths: tuple[float, ...] = ()
    ) -> Any:
        table = self.document.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = ""
            run = cell.paragraphs[0].add_run(text)
            run.bold = True
            run.font.size = TABLE_TEXT
        ooxml.repeat_header_row(table)
        for row in rows:
            added = table.add_row()
            ooxml.keep_row_together(added)
            for cell, text in zip(added.cells, row, strict=True):
                cell.text = ""
                ooxml.add_linked_text(cell.paragraphs[0], text)
                for run in cell.paragraphs[0].runs:
                    run.font.size = TABLE_TEXT
        # Word reads the cells' widths, LibreOffice the grid's: set both.
        for column, width in zip(table.columns, widths, strict=False):
            column.width = Cm(width)
            for cell in column.cells:
                cell.width = Cm(width)
        self.document.add_paragraph()
        return table


def _answers(writer: _Writer, step_id: str, answers: Answers) -> None:
    t = writer.t
    step = STRATEGY_METHOD.step(step_id)
    if step is None:
        return
    rows = []
    for question in step.questions:
        if not question.visible(answers):
            continue
        if question.id not in answers:
            # Never asked (e.g. added to the method after this strategy was finished).
            continue
        text = answer_text(question, answers, t)
        rows.append([question_label(question, t), text or t("doc.answer.skipped")])
    if rows:
        writer.heading(t("doc.your_answers"), 2)
        writer.table([t("doc.col.question"), t("doc.col.answer")], rows, (5.5, 11))


def _item(writer: _Writer, item: AdviceItem, numbers: dict[str, int]) -> None:
    t = writer.t
    paragraph = writer.document.add_paragraph(style="List Bullet")
    paragraph.paragraph_format.space_after = Pt(2)
    if MARK_KEYS[item.severity]:
        paragraph.add_run(t(MARK_KEYS[item.severity]) + " ").bold = True
    ooxml.add_linked_text(paragraph, plain(item.text, t))
    refs = sorted({numbers[s.id] for s in item.sources})
    if refs:
        paragraph.add_run(" [" + ", ".join(str(n) for n in refs) + "]")
    reasons = list(dict.fromkeys(plain(reason, t) for reason in item.reasons))
    if reasons:
        writer.small(" ".join(_sentence(reason) for reason in reasons))


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…", ":")) else text + "."


def _kpis(writer: _Writer, advice: StrategyAdvice) -> None:
    t = writer.t
    if not advice.kpis:
        return
    writer.heading(t("doc.kpi_title"), 2)
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
    writer.table([t(h) for h in header], rows, (3.6, 3.3, 2.5, 2.4, 4.7))


def _plan(writer: _Writer, advice: StrategyAdvice) -> None:
    t = writer.t
    writer.heading(t("doc.plan_title"), 2)
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
    writer.table([t(h) for h in header], rows, (2.5, 2.5, 4.5, 7))
    writer.paragraph(t("doc.plan_note", tz=zone_name(advice.timezone, t)))
    writer.heading(t("doc.week_title"), 2)
    picture = writer.document.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.add_run().add_picture(BytesIO(build_week_png(advice, t)), width=PICTURE_WIDTH)


def _scores(writer: _Writer, advice: StrategyAdvice) -> None:
    t = writer.t
    writer.heading(t("doc.scores_title"), 2)
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
    writer.table([t(h) for h in header], rows, (4.5, 2.5, 3.5, 6))


def _summary(writer: _Writer, answers: Answers, advice: StrategyAdvice) -> None:
    """The one page a director reads: what, how often, how many hours, what first."""
    t = writer.t
    writer.heading(t("doc.summary_title"), 1)
    chosen = [score for score in advice.networks if score.chosen]
    networks = "; ".join(
        t(
            "doc.summary.network_posts",
            network=network_name(s.network, t),
            posts=t.plural("doc.summary.posts_a_week", s.posts_per_week),
        )
        for s in chosen
    )
    rows = [
        [t("doc.summary.networks"), networks or t("doc.answer.skipped")],
        [
            t("doc.summary.posts"),
            t.plural("doc.summary.posts_a_week", sum(s.posts_per_week for s in chosen)),
        ],
        [
            t("doc.summary.hours"),
            t(
                "doc.summary.hours_value",
                needed=decimal_text(advice.hours.total, t),
                available=advice.hours.available,
            ),
        ],
    ]
    horizon = answers.get("goal_horizon")
    if horizon:
        rows.append([t("q.goal_horizon.short"), t(f"opt.horizon.{horizon}")])
    writer.table([t("doc.summary.what"), t("doc.summary.plan")], rows, (5, 11.5))
    writer.heading(t("doc.summary.actions_title"), 2)
    for action in first_actions(advice, t):
        writer.paragraph(action, style="List Number")
    if advice.kpis:
        writer.heading(t("doc.summary.kpi_title"), 2)
        writer.table(
            [t("doc.col.metric"), t("doc.col.target")],
            [[plain(k.metric, t), plain(k.target, t)] for k in advice.kpis],
            (8, 8.5),
        )
    if advice.conflicts:
        title = t("doc.conflicts_title")
        writer.paragraph(t.plural("doc.summary.conflicts", len(advice.conflicts), title=title))


def _first_weeks(writer: _Writer, advice: StrategyAdvice) -> None:
    """The "first two weeks" checklist: by which day, what to do, why it matters."""
    t = writer.t
    if not advice.first_steps:
        return
    writer.heading(t("doc.first_weeks_title"), 1)
    rows = [
        [str(step.day), plain(step.action, t), plain(step.why, t)] for step in advice.first_steps
    ]
    header = [t("doc.col.by_day"), t("doc.col.action"), t("doc.col.why")]
    writer.table(header, rows, (2, 8.5, 6))


def _ideas(writer: _Writer, advice: StrategyAdvice) -> None:
    """Ready post ideas per rubric: the headline, then the body skeleton in small type."""
    t = writer.t
    rubrics = [rubric for rubric in advice.rubrics if advice.post_ideas.get(rubric)]
    if not rubrics:
        return
    writer.heading(t("doc.ideas_title"), 2)
    for rubric in rubrics:
        writer.heading(rubric_name(rubric, t), 3)
        for idea in advice.post_ideas[rubric]:
            paragraph = writer.document.add_paragraph(style="List Bullet")
            paragraph.paragraph_format.space_after = Pt(2)
            ooxml.add_linked_text(paragraph, plain(idea.headline, t))
            for run in paragraph.runs:
                run.bold = True
            if idea.body:
                writer.small(" ".join(_sentence(plain(line, t)) for line in idea.body))


def _source_line(writer: _Writer, number: int, source: Source) -> None:
    t = writer.t
    paragraph = writer.document.add_paragraph()
    paragraph.paragraph_format.left_indent = Cm(0.75)
    paragraph.paragraph_format.first_line_indent = Cm(-0.75)
    paragraph.add_run(f"{number}. {source_title(source, t)}, {source_year(source, t)}. ")
    if source.url:
        ooxml.add_hyperlink(paragraph, source.url)
    if source.estimate:
        paragraph.add_run(" " + t("doc.estimate"))


def _header_footer(document: Doc, name: str, t: Translate) -> None:
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.text = t("doc.header", name=name)
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for run in header.runs:
        run.font.size = SMALL
        run.font.color.rgb = GREY
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    ooxml.add_text_with_fields(footer, t("doc.footer.page"), {"page": "PAGE", "pages": "NUMPAGES"})
    for run in footer.runs:
        run.font.size = SMALL


def _properties(document: Doc, name: str, t: Translate, today: date) -> None:
    properties = document.core_properties
    properties.title = t("doc.title", name=name)
    properties.subject = t("doc.subject")
    properties.author = name
    properties.last_modified_by = name
    properties.language = LANGUAGE_TAGS.get(t.locale, t.locale)
    properties.keywords = t("doc.keywords")
    properties.comments = ""
    properties.category = ""
    moment = datetime.combine(today, time(0, 0), tzinfo=UTC)
    properties.created = properties.modified = moment
    properties.revision = 1


def build_strategy_docx(
    answers: Answers, advice: StrategyAdvice, t: Translate, *, today: date | None = None
) -> bytes:
    """The whole strategy: summary, contents, answers per step, advice with reasons, KPIs,
    plan with the week picture, sources."""
    today = today or date.today()  # noqa: DTZ011 - the caller passes the library's date
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    ooxml.page_setup(document, letter=advice.country == "us")
    ooxml.set_language(document, LANGUAGE_TAGS.get(t.locale, t.locale))
    ooxml.hyperlink_style(document)
    ooxml.update_fields_on_open(document)
    name = advice.library_name or t("doc.unnamed")
    _properties(document, name, t, today)
    _header_footer(document, name, t)
    writer = _Writer(document, t)

    document.add_heading(t("doc.title", name=name), level=0)
    writer.paragraph(t("doc.subtitle", date=today.strftime("%d.%m.%Y")))
    _summary(writer, answers, advice)
    writer.paragraph().add_run().add_break(WD_BREAK.PAGE)

    contents = document.add_paragraph(t("doc.toc_title"), style="TOC Heading")
    contents.paragraph_format.keep_with_next = True
    toc_anchor = writer.paragraph()
    writer.small(t("doc.toc_hint"))
    writer.paragraph().add_run().add_break(WD_BREAK.PAGE)

    if advice.conflicts:
        writer.heading(t("doc.conflicts_title"), 1)
        for conflict in advice.conflicts:
            writer.paragraph(plain(conflict.text, t), style="List Bullet")
    numbers = {source.id: n for n, source in enumerate(advice.sources, 1)}

    _first_weeks(writer, advice)
    writer.heading(t("step.library"), 1)
    _answers(writer, "library", answers)
    for step in advice.steps:
        writer.heading(t(f"step.{step.step_id}"), 1)
        _answers(writer, step.step_id, answers)
        writer.heading(t("doc.advice_title"), 2)
        writer.small(t("doc.reasons_note"))
        for item in step.items:
            _item(writer, item, numbers)
        if step.step_id == "goals":
            _kpis(writer, advice)
        elif step.step_id == "networks":
            _scores(writer, advice)
        elif step.step_id == "content":
            _plan(writer, advice)
            _ideas(writer, advice)

    writer.heading(t("doc.sources_title"), 1)
    for source in advice.sources:
        _source_line(writer, numbers[source.id], source)
    writer.paragraph()
    writer.paragraph(t("doc.disclaimer"))

    ooxml.table_of_contents(toc_anchor, writer.headings, levels=TOC_LEVELS)
    toc_anchor._p.getparent().remove(toc_anchor._p)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
