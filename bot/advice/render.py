"""Chat rendering of an advice: a short summary per step and the "read more" text."""

from __future__ import annotations

import html
import re

from bot.advice.models import AdviceItem, Severity, Source, StepAdvice, StrategyAdvice
from bot.advice.text import render, render_param
from bot.domain.text_split import TELEGRAM_LIMIT, split_html
from bot.domain.translate import Translate

SUMMARY_ITEMS = 3
MARKS = {
    Severity.MUST: "❗",
    Severity.CONFLICT: "⚠️",
    Severity.WARNING: "⚠️",
    Severity.INFO: "•",
}


def _ordered(step: StepAdvice) -> list[AdviceItem]:
    """Conflicts first, then warnings, then the engine's own order (weightiest first)."""
    rank = {Severity.CONFLICT: 0, Severity.WARNING: 1}
    return sorted(step.items, key=lambda i: rank.get(i.severity, 2))


def _summary_size(advice: StrategyAdvice, step: StepAdvice) -> int:
    """Three items, but every chosen network on the networks step."""
    if step.step_id != "networks":
        return SUMMARY_ITEMS
    statements = sum(1 for i in step.items if i.text.key == "advice.networks.vk_ok_mandatory")
    return max(SUMMARY_ITEMS, len(advice.chosen_networks) + statements) + len(step.conflicts)


def _item(item: AdviceItem, t: Translate, *, all_reasons: bool) -> str:
    lines = [f"{MARKS[item.severity]} {render(item.text, t)}"]
    reasons = item.reasons if all_reasons else item.reasons[:1]
    for reason in reasons:
        lines.append(t("advice.render.why", reason=render(reason, t)))
    return "\n".join(lines)


def source_title(source: Source, t: Translate) -> str:
    """The source's title in the reader's language: the one place titles come from."""
    return t(source.title_key)


MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = re.compile(r"\b(" + "|".join(m.capitalize() for m in MONTHS) + r")\b")
_QUARTER = re.compile(r"\bQ([1-4])\b")


def source_year(source: Source, t: Translate) -> str:
    """The source's date in the reader's language ("Oct 2025" -> "окт. 2025")."""
    year = source.year.strip()
    if not year or year in ("n/a", "older"):
        return t("doc.source.undated")
    year = _MONTH.sub(lambda m: t(f"doc.month.{m.group(1).lower()}"), year)
    return _QUARTER.sub(lambda m: t("doc.quarter", n=m.group(1)), year)


def source_line(source: Source, t: Translate) -> str:
    label = html.escape(f"{source_title(source, t)}, {source_year(source, t)}")
    link = f'<a href="{html.escape(source.url, quote=True)}">{label}</a>' if source.url else label
    return t("advice.render.source_estimate", source=link) if source.estimate else link


def _title(step_id: str, t: Translate) -> str:
    return f"<b>{t(f'step.{step_id}')}</b>"


def render_step_summary(advice: StrategyAdvice, step_id: str, t: Translate) -> str:
    step = advice.step(step_id)
    parts = [_title(step_id, t)]
    size = _summary_size(advice, step)
    parts += [_item(i, t, all_reasons=False) for i in _ordered(step)[:size]]
    hidden = len(step.items) - size
    if hidden > 0:
        # Names the button the chat really shows under the advice.
        button = t("advice.btn.more", step=t(f"step.{step_id}"))
        parts.append(t.plural("advice.render.more_items", hidden, button=button))
    return "\n\n".join(parts)


def render_summary(advice: StrategyAdvice, t: Translate) -> list[tuple[str, str]]:
    """(step_id, HTML) per step, each part within Telegram's message limit."""
    out: list[tuple[str, str]] = []
    header = t("advice.render.header", name=html.escape(advice.library_name or "—"))
    for index, step in enumerate(advice.steps):
        text = render_step_summary(advice, step.step_id, t)
        if index == 0:
            text = f"{header}\n\n{text}"
        out += [(step.step_id, part) for part in split_html(text, TELEGRAM_LIMIT)]
    return out


def render_step_details(advice: StrategyAdvice, step_id: str, t: Translate) -> str:
    """Every item of a step with all its reasons and sources (split it with split_html)."""
    step = advice.step(step_id)
    parts = [_title(step_id, t)]
    parts += [_item(i, t, all_reasons=True) for i in _ordered(step)]
    if step_id == "networks":
        parts.append(render_scores(advice, t))
    sources: dict[str, Source] = {}
    for item in step.items:
        for source in item.sources:
            sources.setdefault(source.id, source)
    if sources:
        lines = [t("advice.render.sources")]
        lines += [f"{n}. {source_line(s, t)}" for n, s in enumerate(sources.values(), 1)]
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def render_scores(advice: StrategyAdvice, t: Translate) -> str:
    lines = [t("advice.render.scores")]
    for score in advice.networks:
        if score.banned:
            status = t("advice.render.status.banned")
        elif score.mandatory:
            status = t("advice.render.status.mandatory")
        elif score.chosen:
            status = t("advice.render.status.chosen")
        else:
            status = ""
        lines.append(
            t(
                "advice.render.score_line",
                network=t(f"opt.net.{score.network}"),
                score=score.score,
                status=status,
            ).rstrip()
        )
    return "\n".join(lines)


def render_post_ideas(advice: StrategyAdvice, t: Translate) -> str:
    """Post ideas per rubric: the headline in bold, the body skeleton under it."""
    parts = [f"<b>{t('advice.render.ideas_title')}</b>"]
    for rubric in advice.rubrics:
        ideas = advice.post_ideas.get(rubric, ())
        if not ideas:
            continue
        lines = [f"<b>{render_param(advice.rubric_label(rubric), t)}</b>"]
        for idea in ideas:
            lines.append(f"✏️ <i>{render(idea.headline, t)}</i>")
            lines += [render(line, t) for line in idea.body]
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def render_first_steps(advice: StrategyAdvice, t: Translate) -> str:
    """The first two weeks as a numbered checklist with the day each step is due."""
    lines = [f"<b>{t('advice.render.first_title')}</b>"]
    for number, step in enumerate(advice.first_steps, 1):
        lines.append(
            t(
                "advice.render.first_line",
                number=number,
                day=step.day,
                action=render(step.action, t),
            )
        )
        lines.append(t("advice.render.first_why", why=render(step.why, t)))
    return "\n".join(lines)
