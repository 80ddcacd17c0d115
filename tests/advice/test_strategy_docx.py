"""The strategy DOCX read back as a print document: page, header, footer, contents, summary,
question labels, hyperlinks, the week picture and the file's properties."""

from __future__ import annotations

import functools
import itertools
import re
from datetime import date
from io import BytesIO
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Inches, Mm

from bot.advice import build_advice
from bot.advice.render import source_title
from bot.documents import build_strategy_docx
from bot.documents.common import first_actions, plain, rubric_name
from bot.domain.method import STRATEGY_METHOD
from bot.domain.summary import question_text
from bot.i18n import Translator, create_i18n
from tests.advice.profiles import PROFILES, RURAL_RU, US_PUBLIC

TODAY = date(2026, 11, 26)
Doc = Any


@pytest.fixture(params=["ru", "en"])
def t(request: pytest.FixtureRequest) -> Translator:
    return Translator(create_i18n(), request.param)


@functools.cache
def _profile_docx(name: str, locale: str) -> bytes:
    t = Translator(create_i18n(), locale)
    answers = PROFILES[name]
    return build_strategy_docx(answers, build_advice(answers), t, today=TODAY)


def build(answers: dict[str, Any], t: Translator) -> Doc:
    """The document read back; the five profiles are built once per language (matplotlib and
    docx take a moment, and most tests only read)."""
    name = next((key for key, profile in PROFILES.items() if profile is answers), None)
    if name is not None:
        return Document(BytesIO(_profile_docx(name, t.locale)))
    return Document(BytesIO(build_strategy_docx(answers, build_advice(answers), t, today=TODAY)))


def instructions(element: Any) -> list[str]:
    return [str(node.text).strip() for node in element.iter(qn("w:instrText"))]


def heading_level(paragraph: Any) -> int | None:
    name = str(paragraph.style.name) if paragraph.style is not None else ""
    if name == "Title":
        return 0
    match = re.fullmatch(r"Heading (\d)", name)
    return int(match.group(1)) if match else None


@pytest.mark.parametrize("name", list(PROFILES))
def test_paper_is_a4_except_for_us_libraries(name: str, t: Translator) -> None:
    document = build(PROFILES[name], t)
    letter = PROFILES[name]["lib_country"] == "us"
    for section in document.sections:
        width, height = (Inches(8.5), Inches(11)) if letter else (Mm(210), Mm(297))
        assert abs(section.page_width - width) < Mm(1)
        assert abs(section.page_height - height) < Mm(1)


@pytest.mark.parametrize("name", ["rural_ru", "us_public"])
def test_header_names_the_library_and_footer_numbers_pages(name: str, t: Translator) -> None:
    document = build(PROFILES[name], t)
    section = document.sections[0]
    header = "\n".join(p.text for p in section.header.paragraphs)
    assert PROFILES[name]["lib_name"] in header
    assert header == t("doc.header", name=PROFILES[name]["lib_name"])
    footer = section.footer._element
    codes = instructions(footer)
    assert "PAGE" in codes and "NUMPAGES" in codes
    # The words around the numbers are the translated ones.
    words = t("doc.footer.page", page="", pages="").split()
    footer_text = "".join(node.text or "" for node in footer.iter(qn("w:t")))
    assert all(word in footer_text for word in words)


def test_contents_is_a_toc_field_listing_every_chapter(t: Translator) -> None:
    document = build(RURAL_RU, t)
    body = document.element.body
    toc = [code for code in instructions(body) if code.startswith("TOC")]
    assert toc == ['TOC \\o "1-1" \\h \\z \\u']
    # Until Word updates the field, its cached result lists the chapters, and a note says
    # how to get page numbers.
    texts = [p.text for p in document.paragraphs]
    start = texts.index(t("doc.toc_title"))
    chapters = [p.text for p in document.paragraphs if heading_level(p) == 1]
    assert texts[start + 1 : start + 1 + len(chapters)] == chapters
    assert texts[start + 1 + len(chapters)] == t("doc.toc_hint")
    settings = document.settings.element
    assert settings.find(qn("w:updateFields")).get(qn("w:val")) == "true"


@pytest.mark.parametrize("name", list(PROFILES))
def test_heading_levels_never_jump(name: str, t: Translator) -> None:
    document = build(PROFILES[name], t)
    levels = [level for p in document.paragraphs if (level := heading_level(p)) is not None]
    assert levels[0] == 0 and levels.count(0) == 1
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, (before, after)


@pytest.mark.parametrize("name", list(PROFILES))
def test_summary_page_comes_first(name: str, t: Translator) -> None:
    answers = PROFILES[name]
    advice = build_advice(answers)
    document = build(answers, t)
    paragraphs = document.paragraphs
    chapters = [p.text for p in paragraphs if heading_level(p) == 1]
    assert chapters[0] == t("doc.summary_title")
    # Everything before the first page break: the title, the summary and its tables.
    first_break = next(i for i, p in enumerate(paragraphs) if 'w:type="page"' in p._p.xml)
    page = [p.text for p in paragraphs[:first_break]]
    assert t("doc.summary_title") in page
    assert not any(t(f"step.{step.step_id}") in page for step in advice.steps)
    actions = first_actions(advice, t)
    assert len(actions) == 3
    # The head of the "first two weeks" checklist, where the advice has one.
    assert advice.first_steps
    assert actions == [plain(step.action, t) for step in advice.first_steps[:3]]
    numbered = [p.text for p in paragraphs[:first_break] if str(p.style.name) == "List Number"]
    assert numbered == actions
    summary_table = document.tables[0]
    cells = {row.cells[0].text: row.cells[1].text for row in summary_table.rows[1:]}
    chosen = [s for s in advice.networks if s.chosen]
    total = sum(s.posts_per_week for s in chosen)
    assert cells[t("doc.summary.posts")] == t.plural("doc.summary.posts_a_week", total)
    for score in chosen:
        assert t(f"opt.net.{score.network}") in cells[t("doc.summary.networks")]
    assert str(advice.hours.available) in cells[t("doc.summary.hours")]
    kpis = document.tables[1]
    metrics = [row.cells[0].text for row in kpis.rows[1:]]
    assert metrics == [plain(k.metric, t) for k in advice.kpis]


def prompts(t: Translator) -> set[str]:
    """Every question as the chat asks it, both with and without HTML."""
    texts: set[str] = set()
    for step in STRATEGY_METHOD.steps:
        for question in step.questions:
            text = question_text(question, t)
            texts |= {text, re.sub(r"<[^>]+>", "", text)}
    return texts


@pytest.mark.parametrize("name", list(PROFILES))
def test_answers_tables_print_labels_not_prompts(name: str, t: Translator) -> None:
    answers = {**PROFILES[name], "lib_region": None}  # a skipped answer
    document = build(answers, t)
    asked = prompts(t)
    ui_words = ["нажмите «Готово»", "можно пропустить", "press Done", "you may skip", "✅"]
    question_col = t("doc.col.question")
    rows = [
        [cell.text for cell in row.cells]
        for table in document.tables
        if table.rows[0].cells[0].text == question_col
        for row in table.rows[1:]
    ]
    assert rows
    for label, answer in rows:
        assert label not in asked
        assert not any(word.lower() in (label + answer).lower() for word in ui_words)
    labels = dict(rows)
    region = t("q.lib_region.short")
    assert labels[region] == t("doc.answer.skipped")
    assert labels[t("q.lib_name.short")] == answers["lib_name"]


def test_reasons_come_once_per_item_in_small_type(t: Translator) -> None:
    advice = build_advice(RURAL_RU)
    document = build(RURAL_RU, t)
    bullets = [p for p in document.paragraphs if str(p.style.name) == "List Bullet"]
    items = [item for step in advice.steps for item in step.items]
    ideas = sum(len(advice.post_ideas.get(rubric, ())) for rubric in advice.rubrics)
    assert len(bullets) == len(items) + len(advice.conflicts) + ideas
    texts = "\n".join(p.text for p in document.paragraphs)
    # No "Почему:" label per reason; each item's reasons are one small paragraph after it.
    assert ("Почему:" if t.locale == "ru" else "Why:") not in texts
    for item in items:
        reasons = [plain(reason, t) for reason in item.reasons]
        small = [p for p in document.paragraphs if reasons and reasons[0] in p.text]
        assert small, reasons
        assert all(run.font.size is not None and run.font.size.pt < 11 for run in small[0].runs)


@pytest.mark.parametrize("name", ["rural_ru", "us_public"])
def test_sources_are_hyperlinks_with_titles_in_the_documents_language(
    name: str, t: Translator
) -> None:
    advice = build_advice(PROFILES[name])
    document = build(PROFILES[name], t)
    targets = {
        rel.target_ref for rel in document.part.rels.values() if rel.reltype.endswith("/hyperlink")
    }
    linked = {
        document.part.rels[link.get(qn("r:id"))].target_ref
        for link in document.element.body.iter(qn("w:hyperlink"))
    }
    for source in advice.sources:
        if source.url:  # our own estimates may have no address
            assert source.url in targets and source.url in linked
    texts = [p.text for p in document.paragraphs]
    for number, source in enumerate(advice.sources, 1):
        line = next(text for text in texts if text.startswith(f"{number}. "))
        assert source_title(source, t) in line
        assert source_title(source, t) != source.title_key  # a translated title exists
        if source.url:
            assert source.url in line
    if t.locale == "ru":
        # English titles stay out of the Russian document.
        english = Translator(create_i18n(), "en")
        assert not any(
            english(source.title_key) in "\n".join(texts)
            for source in advice.sources
            if english(source.title_key) != t(source.title_key)
        )


def test_a_link_the_librarian_gave_is_a_hyperlink(t: Translator) -> None:
    answers = {**US_PUBLIC, "net_url_facebook": "https://facebook.com/springfieldlibrary"}
    answers["net_current"] = sorted({*answers.get("net_current", []), "facebook"})
    document = build(answers, t)
    linked = {
        document.part.rels[link.get(qn("r:id"))].target_ref
        for link in document.element.body.iter(qn("w:hyperlink"))
    }
    assert "https://facebook.com/springfieldlibrary" in linked


def test_week_picture_is_embedded(t: Translator) -> None:
    document = build(RURAL_RU, t)
    images = [
        rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith("/image")
    ]
    assert len(images) == 1
    assert images[0].blob.startswith(b"\x89PNG")
    assert len(document.inline_shapes) == 1


@pytest.mark.parametrize("name", ["rural_ru", "us_public"])
def test_core_properties_name_the_library(name: str, t: Translator) -> None:
    document = build(PROFILES[name], t)
    properties = document.core_properties
    library = PROFILES[name]["lib_name"]
    assert properties.title == t("doc.title", name=library)
    assert properties.author == library
    assert properties.last_modified_by == library
    assert "python-docx" not in f"{properties.author}{properties.last_modified_by}"
    assert properties.language == {"ru": "ru-RU", "en": "en-US"}[t.locale]
    assert properties.created is not None and properties.created.date() == TODAY
    defaults = document.styles.element.find(qn("w:docDefaults"))
    lang = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
    assert lang.get(qn("w:val")) == properties.language


@pytest.mark.parametrize("name", list(PROFILES))
def test_first_two_weeks_and_post_ideas_are_printed(name: str, t: Translator) -> None:
    advice = build_advice(PROFILES[name])
    document = build(PROFILES[name], t)
    chapters = [p.text for p in document.paragraphs if heading_level(p) == 1]
    assert t("doc.first_weeks_title") in chapters
    header = [t("doc.col.by_day"), t("doc.col.action"), t("doc.col.why")]
    (table,) = [tb for tb in document.tables if [c.text for c in tb.rows[0].cells] == header]
    rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    assert rows == [
        [str(step.day), plain(step.action, t), plain(step.why, t)] for step in advice.first_steps
    ]
    texts = [p.text for p in document.paragraphs]
    assert t("doc.ideas_title") in texts
    subheadings = [p.text for p in document.paragraphs if heading_level(p) == 3]
    for rubric, ideas in advice.post_ideas.items():
        if rubric not in advice.rubrics or not ideas:
            continue
        assert rubric_name(rubric, t) in subheadings
        for idea in ideas:
            assert plain(idea.headline, t) in texts
