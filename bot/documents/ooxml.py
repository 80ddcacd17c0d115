"""The bits of WordprocessingML python-docx has no API for: fields, hyperlinks, page setup.

Fields (PAGE, NUMPAGES, TOC) are complex fields with a cached result, so a reader that does
not update fields still sees sensible text; ``updateFields`` asks Word to refresh them on
opening.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Inches, Length, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

URL = re.compile(r"https?://[^\s<>«»\"]+[^\s<>«»\".,;:!?)\]]")
LINK_COLOUR = RGBColor(0x1F, 0x4E, 0x9A)
HYPERLINK_STYLE = "Hyperlink"

Document = Any
"""python-docx's Document object (its class is private)."""


def page_setup(document: Document, *, letter: bool) -> None:
    """US Letter with inch margins, or A4 with 2 cm margins, on every section."""
    for section in document.sections:
        margin: Length
        if letter:
            section.page_width, section.page_height = Inches(8.5), Inches(11)
            margin = Inches(1)
        else:
            section.page_width, section.page_height = Mm(210), Mm(297)
            margin = Cm(2)
        section.left_margin = section.right_margin = margin
        section.top_margin = section.bottom_margin = margin
        section.header_distance = section.footer_distance = Cm(1)


def set_language(document: Document, tag: str) -> None:
    """The default language of the text (spell-checking, hyphenation, quotes)."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    rpr = rpr_default.find(qn("w:rPr")) if rpr_default is not None else None
    if rpr is None:
        return
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), tag)
    lang.set(qn("w:eastAsia"), tag)


def update_fields_on_open(document: Document) -> None:
    settings = document.settings.element
    element = settings.find(qn("w:updateFields"))
    if element is None:
        element = OxmlElement("w:updateFields")
        settings.append(element)
    element.set(qn("w:val"), "true")


def hyperlink_style(document: Document) -> None:
    styles = document.styles
    if HYPERLINK_STYLE in [style.name for style in styles]:
        return
    style = styles.add_style(HYPERLINK_STYLE, WD_STYLE_TYPE.CHARACTER)
    style.font.color.rgb = LINK_COLOUR
    style.font.underline = True


def _run(text: str = "") -> Any:
    run = OxmlElement("w:r")
    if text:
        element = OxmlElement("w:t")
        element.set(qn("xml:space"), "preserve")
        element.text = text
        run.append(element)
    return run


def _field_char(kind: str) -> Any:
    run = _run()
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run.append(char)
    return run


def _instruction(code: str) -> Any:
    run = _run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {code} "
    run.append(instr)
    return run


def add_field(paragraph: Paragraph, code: str, cached: str) -> None:
    """A one-paragraph field (PAGE, NUMPAGES) showing ``cached`` until it is updated."""
    element = paragraph._p
    element.append(_field_char("begin"))
    element.append(_instruction(code))
    element.append(_field_char("separate"))
    element.append(_run(cached))
    element.append(_field_char("end"))


def add_text_with_fields(paragraph: Paragraph, template: str, fields: dict[str, str]) -> None:
    """``template`` with ``{name}`` placeholders replaced by the fields of ``fields``
    (placeholder -> field code), so the words around the numbers stay translatable."""
    parts = re.split(r"\{(\w+)\}", template)
    for index, part in enumerate(parts):
        if index % 2 == 0:
            if part:
                paragraph.add_run(part)
        else:
            add_field(paragraph, fields[part], "1")


def table_of_contents(
    anchor: Paragraph, entries: Sequence[tuple[int, str]], *, levels: int = 2
) -> None:
    """A TOC field before ``anchor``: Word rebuilds it with page numbers; until then the
    cached result lists the headings, so the document is never shown with an empty TOC."""
    rows = list(entries) or [(1, "")]
    paragraphs: list[Paragraph] = []
    for level, text in rows:
        paragraph = anchor.insert_paragraph_before(text)
        paragraph.paragraph_format.left_indent = Cm(0.75 * (level - 1))
        paragraph.paragraph_format.space_after = Pt(2)
        paragraphs.append(paragraph)
    first, last = paragraphs[0]._p, paragraphs[-1]._p
    properties = first.find(qn("w:pPr"))
    position = 1 if properties is not None else 0
    for offset, run in enumerate(
        (
            _field_char("begin"),
            _instruction(f'TOC \\o "1-{levels}" \\h \\z \\u'),
            _field_char("separate"),
        )
    ):
        first.insert(position + offset, run)
    last.append(_field_char("end"))


def add_hyperlink(paragraph: Paragraph, url: str, text: str | None = None) -> None:
    """A real hyperlink (a relationship to ``url``), shown in the link style."""
    part = paragraph.part
    rel_id = part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    link.set(qn("w:history"), "1")
    run = _run(text or url)
    properties = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), HYPERLINK_STYLE)
    properties.append(style)
    run.insert(0, properties)
    link.append(run)
    paragraph._p.append(link)


def add_linked_text(paragraph: Paragraph, text: str) -> None:
    """``text`` as runs, with every URL in it turned into a hyperlink."""
    position = 0
    for match in URL.finditer(text):
        if match.start() > position:
            paragraph.add_run(text[position : match.start()])
        add_hyperlink(paragraph, match.group(0))
        position = match.end()
    if position < len(text):
        paragraph.add_run(text[position:])


def repeat_header_row(table: Any) -> None:
    properties = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def keep_row_together(row: Any) -> None:
    """A table row is never split across two pages."""
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:cantSplit")
    element.set(qn("w:val"), "true")
    properties.append(element)
