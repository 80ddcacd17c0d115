"""Chat rendering: escaped user text, Telegram limits, a generic HTML splitter."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.advice import STEP_IDS, build_advice, render_step_details, render_summary
from bot.advice.text import to_plain
from bot.domain.text_split import split_html
from bot.i18n import Translator, create_i18n
from tests.advice.profiles import ENGINE_RURAL_RU, ENGINE_UNIVERSITY_RU, PROFILES

ALLOWED = {"b", "i", "a", "code"}


class _Checker(HTMLParser):
    """Fails on tags Telegram would reject and on unbalanced tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in ALLOWED, tag
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack, tag
        assert self.stack[-1] == tag, (tag, self.stack)
        self.stack.pop()


def assert_telegram_html(text: str) -> None:
    checker = _Checker()
    checker.feed(text)
    checker.close()
    assert not checker.stack, checker.stack


@pytest.fixture(params=["ru", "en"])
def t(request: pytest.FixtureRequest) -> Translator:
    return Translator(create_i18n(), request.param)


@pytest.mark.parametrize("name", list(PROFILES))
def test_summary_and_details_are_valid_telegram_html(name: str, t: Translator) -> None:
    advice = build_advice(PROFILES[name])
    summary = render_summary(advice, t)
    assert [step_id for step_id, _ in summary] == list(STEP_IDS)
    for _, text in summary:
        assert len(text) <= 4096
        assert_telegram_html(text)
    for step_id in STEP_IDS:
        details = render_step_details(advice, step_id, t)
        for part in split_html(details):
            assert len(part) <= 4096
            assert_telegram_html(part)


def test_user_text_is_escaped(t: Translator) -> None:
    answers = {
        **ENGINE_UNIVERSITY_RU,
        "lib_name": "<script>alert(1)</script> & Co",
        "goal_c_url": 'lib.example.edu/<b>?q="x"',
        "goal_families": ["a", "c"],
        "goal_a_message": "Мы <i>рядом</i>",
    }
    advice = build_advice(answers)
    header = render_summary(advice, t)[0][1]
    assert "<script>" not in header
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in header
    goals = render_step_details(advice, "goals", t)
    assert "<i>рядом</i>" not in goals
    assert "&lt;i&gt;рядом&lt;/i&gt;" in goals
    assert_telegram_html(goals)


def test_reasons_reach_the_chat(t: Translator) -> None:
    advice = build_advice(ENGINE_RURAL_RU)
    details = render_step_details(advice, "networks", t)
    # Every item's reasons are shown in the details, and sources are links.
    assert details.count(t("advice.render.why", reason="").strip()) >= len(
        advice.step("networks").items
    )
    assert '<a href="http' in details


# --- split_html ---


def test_split_keeps_short_text_whole() -> None:
    assert split_html("<b>hi</b>") == ["<b>hi</b>"]


def test_split_closes_and_reopens_tags() -> None:
    text = "<b>" + "слово " * 400 + "</b>"
    parts = split_html(text, limit=500)
    assert len(parts) > 1
    for part in parts:
        assert len(part) <= 500
        assert part.startswith("<b>")
        assert part.endswith("</b>")
        assert_telegram_html(part)
    assert to_plain(" ".join(parts)).split() == to_plain(text).split()


def test_split_never_cuts_entities_or_links() -> None:
    link = '<a href="https://example.org/a?b=1&amp;c=2">ссылка &amp; текст</a>'
    text = "\n".join([link] * 80)
    for part in split_html(text, limit=300):
        assert len(part) <= 300
        assert_telegram_html(part)
        assert not re.search(r"&[a-z]*$", part)


@settings(max_examples=60, deadline=None)
@given(
    words=st.lists(
        st.sampled_from(
            [
                "<b>жирный</b>",
                "<i>курсив</i>",
                "текст",
                "&amp;",
                "\n",
                "\n\n",
                '<a href="https://x.org">ссылка</a>',
                "x" * 40,
            ]
        ),
        max_size=300,
    ),
    limit=st.integers(100, 1000),
)
def test_split_respects_any_limit(words: list[str], limit: int) -> None:
    text = " ".join(words)
    parts = split_html(text, limit=limit)
    for part in parts:
        assert len(part) <= limit
        assert_telegram_html(part)
    assert "".join(to_plain("".join(parts)).split()) == "".join(to_plain(text).split())


def test_networks_summary_names_every_chosen_network(t: Translator) -> None:
    advice = build_advice(ENGINE_UNIVERSITY_RU)
    networks = dict(render_summary(advice, t))["networks"]
    picks = [
        i for i in advice.step("networks").items if i.text.key.startswith("advice.networks.pick")
    ]
    assert len(picks) == len(advice.chosen_networks)
    for network in advice.chosen_networks:
        assert f"<b>{t(f'opt.net.{network}')}</b>" in networks
