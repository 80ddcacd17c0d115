"""Regional rules for official pages (Bashkortostan, St Petersburg) on top of the federal one."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.advice import AdviceItem, Severity, StrategyAdvice, build_advice, render_step_details
from bot.advice.knowledge import sources as src
from bot.advice.knowledge.regions import REGIONAL_RULES, find_region
from bot.advice.rules.common import option
from bot.domain.text_split import TELEGRAM_LIMIT, split_html
from bot.i18n import Translator, create_i18n
from tests.advice.helpers import all_messages, find, items, keys
from tests.advice.profiles import RURAL_RU
from tests.advice.strategies import answers
from tests.advice.test_advice_locales import CATALOGS, placeholders

BASHKIR_RULES = src.BASHKORTOSTAN_RULES_2025
SPB_RULES = src.SPB_RULES_2024
REGIONAL_SOURCE_IDS = {s.id for rule in REGIONAL_RULES for s in rule.sources}
I18N = create_i18n()


def library(region: str, **changes: Any) -> dict[str, Any]:
    """The rural municipal library, placed in ``region``, with hours for four pages."""
    return {**RURAL_RU, "lib_region": region, "res_hours": 20, **changes}


def posts(advice: StrategyAdvice) -> dict[str, int]:
    return {s.network: s.posts_per_week for s in advice.networks if s.chosen}


def mandatory(advice: StrategyAdvice) -> set[str]:
    return {s.network for s in advice.networks if s.mandatory}


def pick(advice: StrategyAdvice, network: str) -> AdviceItem:
    """The networks-step line that recommends ``network``."""
    return next(
        item
        for item in items(advice, "networks")
        if item.text.key.startswith("advice.networks.pick")
        and item.text.params["network"] == option("net", network)
    )


def regional_keys(advice: StrategyAdvice) -> set[str]:
    return {m.key for m in all_messages(advice) if m.key.startswith("advice.regional.")}


def cited(advice: StrategyAdvice) -> set[str]:
    return {s.id for s in advice.sources}


def test_bashkortostan_requires_four_networks_with_its_source() -> None:
    advice = build_advice(library("Республика Башкортостан"))
    required = {"vk", "ok", "max", "telegram"}
    assert mandatory(advice) == required
    assert required <= set(advice.chosen_networks)
    for network in required:
        chosen = pick(advice, network)
        assert chosen.severity is Severity.MUST
        assert BASHKIR_RULES in chosen.sources
        assert "advice.regional.reason.required" in {r.key for r in chosen.reasons}
    summary = find(advice, "advice.regional.networks")
    assert summary.severity is Severity.MUST
    assert summary.sources == (BASHKIR_RULES,)


def test_bashkortostan_posts_at_least_three_a_week_on_every_official_page() -> None:
    advice = build_advice(library("Республика Башкортостан"))
    planned = posts(advice)
    assert all(planned[n] >= 3 for n in ("vk", "ok", "max", "telegram")), planned
    assert advice.hours.enough
    assert "advice.conflicts.regional_over_hours" not in keys(advice)
    line_reasons = {
        r.key
        for item in items(advice, "content")
        if item.text.key == "advice.content.schedule"
        for r in item.reasons
    }
    assert "advice.regional.reason.min_posts" in line_reasons


def test_bashkortostan_duties_are_plain_language_and_quarterly_passwords() -> None:
    advice = build_advice(library("Республика Башкортостан"))
    assert "advice.regional.duty.plain_language" in keys(advice, "communication")
    assert "advice.regional.duty.passwords" in keys(advice, "resources")
    assert "advice.regional.duty.gospubliki" not in keys(advice)
    duty = find(advice, "advice.regional.duty.passwords")
    assert duty.reasons
    assert duty.sources == (BASHKIR_RULES,)


def test_four_required_pages_on_four_hours_are_an_overload_conflict() -> None:
    advice = build_advice(library("Башкортостан", res_hours=4))
    # The required pages stay in the plan (over the usual cap) and the shortfall is named.
    assert {"vk", "ok", "max", "telegram"} <= set(advice.chosen_networks)
    assert "advice.conflicts.regional_over_hours" in keys(advice, "networks")
    assert "advice.conflicts.regional_over_hours" in {c.text.key for c in advice.conflicts}
    # Only the regional conflict: the federal one speaks of two pages.
    assert "advice.conflicts.mandatory_over_hours" not in keys(advice)


def test_st_petersburg_requires_gospubliki_and_more_than_three_posts_on_vk() -> None:
    advice = build_advice(library("Санкт-Петербург"))
    assert mandatory(advice) == {"vk", "ok"}
    assert posts(advice)["vk"] > 3
    assert posts(advice)["ok"] > 3  # every official page, the federal one included
    duty = find(advice, "advice.regional.duty.gospubliki")
    assert duty in items(advice, "resources")
    assert duty.severity is Severity.MUST
    assert SPB_RULES in duty.sources
    assert SPB_RULES in pick(advice, "vk").sources
    assert "advice.regional.duty.passwords" not in keys(advice)


def test_st_petersburg_frequency_below_the_rule_is_raised() -> None:
    advice = build_advice(library("СПб", cnt_frequency="3"))
    minimum = find(advice, "advice.regional.min_posts")
    assert minimum.text.params["min"] == 4
    assert minimum.severity is Severity.MUST
    # The federal wording ("several regions ask for it") is not repeated beside it.
    reasons = {m.key for m in all_messages(advice)}
    assert "advice.content.reason.official_min" not in reasons
    assert "advice.regional.reason.min_posts" in reasons


@pytest.mark.parametrize("region", ["Республика Башкортостан", "Санкт-Петербург"])
@pytest.mark.parametrize(
    "changes",
    [
        {"lib_ownership": "private"},
        {"lib_ownership": "university"},
        {"lib_ownership": "nonprofit"},
        {"lib_country": "by"},
        {"lib_country": "us", "lib_tz": "America/New_York"},
        {"lib_country": "other"},
    ],
    ids=["private", "university", "nonprofit", "belarus", "us", "other"],
)
def test_rules_apply_only_to_russian_state_and_municipal_libraries(
    region: str, changes: dict[str, Any]
) -> None:
    advice = build_advice(library(region, **changes))
    assert not regional_keys(advice)
    assert not cited(advice) & REGIONAL_SOURCE_IDS
    assert "max" not in mandatory(advice)
    assert "advice.conflicts.regional_over_hours" not in keys(advice)


@pytest.mark.parametrize("ownership", ["state", "municipal"])
def test_state_libraries_are_covered_as_well_as_municipal(ownership: str) -> None:
    advice = build_advice(library("Bashkortostan", lib_ownership=ownership))
    assert mandatory(advice) == {"vk", "ok", "max", "telegram"}


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("Республика Башкортостан", "bashkortostan"),
        ("РЕСПУБЛИКА БАШКОРТОСТАН", "bashkortostan"),
        ("респ. башкортостан", "bashkortostan"),
        ("Башкирия", "bashkortostan"),
        ("Башкирская Республика", "bashkortostan"),
        ("г. Уфа", "bashkortostan"),
        ("Republic of Bashkortostan", "bashkortostan"),
        ("Bashkiria", "bashkortostan"),
        ("Санкт-Петербург", "spb"),
        ("г. Санкт-Петербург", "spb"),
        ("г.Санкт-Петербург", "spb"),
        ("санкт-петербург", "spb"),
        ("С.-Петербург", "spb"),
        ("Петербург", "spb"),
        ("СПб", "spb"),
        ("St Petersburg", "spb"),
        ("St. Petersburg", "spb"),
        ("Saint-Petersburg", "spb"),
        ("Sankt-Peterburg", "spb"),
        ("SPB", "spb"),
    ],
)
def test_free_text_variants_are_recognised(text: str, region: str) -> None:
    rule = find_region(text)
    assert rule is not None, text
    assert rule.region == region


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Тверская область",
        "Ленинградская область",  # around St Petersburg, but not under its rules
        "Республика Татарстан",
        "Казань, Башкирская улица",  # a street named after the region, in another one
        "Казань, ул. Петербургская",
        "Тверь, Петербургское шоссе",
        "Челябинская обл., Верхний Уфалей",
        "Башкирский язык",
        "РБ",  # Belarus and Buryatia are "РБ" too
        "Уфа / Санкт-Петербург",  # two regions named: neither is guessed
    ],
)
def test_unrelated_text_is_not_matched(text: str) -> None:
    assert find_region(text) is None


def test_settlement_is_used_when_the_region_is_left_empty() -> None:
    answers = {**library(""), "lib_settlement": "Санкт-Петербург"}
    del answers["lib_region"]
    assert "advice.regional.duty.gospubliki" in keys(build_advice(answers))
    # A region that was given wins over the settlement.
    other = {**answers, "lib_region": "Тверская область"}
    assert not regional_keys(build_advice(other))


def test_region_as_typed_is_shown_escaped_in_the_reason() -> None:
    advice = build_advice(library("Санкт-Петербург <b>"))
    text = render_step_details(advice, "networks", Translator(I18N, "ru"))
    assert "Санкт-Петербург &lt;b&gt;" in text


@pytest.mark.parametrize("region", ["Башкортостан", "Санкт-Петербург"])
@pytest.mark.parametrize("hours", [2, 4, 20])
def test_regional_keys_exist_in_both_languages_with_their_placeholders(
    region: str, hours: int
) -> None:
    advice = build_advice(library(region, res_hours=hours, cnt_frequency="1"))
    produced = regional_keys(advice) | {
        m.key for m in all_messages(advice) if m.key.startswith("advice.conflicts.regional")
    }
    assert produced
    for message in all_messages(advice):
        if message.key not in produced:
            continue
        for locale, catalog in CATALOGS.items():
            assert catalog.get(message.key), (locale, message.key)
        assert placeholders(CATALOGS["ru"][message.key]) == placeholders(
            CATALOGS["en"][message.key]
        )
        assert placeholders(CATALOGS["ru"][message.key]) <= set(message.params), message.key


REGIONS = ("Республика Башкортостан", "г. Санкт-Петербург", "Bashkiria", "SPb", "Тверская обл.")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    answers=answers(),
    region=st.sampled_from(REGIONS),
    ownership=st.sampled_from(("state", "municipal", "private")),
    locale=st.sampled_from(("ru", "en")),
)
def test_any_answers_in_a_region_keep_the_required_pages(
    answers: dict[str, Any], region: str, ownership: str, locale: str
) -> None:
    answers = {
        **answers,
        "lib_country": "ru",
        "lib_region": region,
        "lib_ownership": ownership,
        "lib_status": "own",  # a department's official pages are its institution's duty
    }
    advice = build_advice(answers)
    rule = find_region(region) if ownership != "private" else None
    required = {"vk", "ok", *(rule.networks if rule else ())} if ownership != "private" else set()
    assert mandatory(advice) == required
    assert required <= set(advice.chosen_networks)
    assert bool(regional_keys(advice)) == (rule is not None)
    t = Translator(I18N, locale)
    for step in advice.steps:
        for part in split_html(render_step_details(advice, step.step_id, t)):
            assert len(part) <= TELEGRAM_LIMIT


@pytest.mark.parametrize("hours", [2, 4, 6, 8, 10, 14])
@pytest.mark.parametrize("region", ["", "Республика Башкортостан", "Санкт-Петербург"])
def test_short_hours_cut_optional_networks_before_official_pages(hours: int, region: str) -> None:
    """Official pages keep their legal minimum while any optional network still has posts
    to give; only when nothing optional is left may an official page go below it."""
    answers = {
        **RURAL_RU,
        "lib_region": region,
        "res_hours": hours,
        "cnt_frequency": "7",
        "aud_age": ["18_24", "25_34"],  # makes Telegram a strong optional pick
        "net_current": ["vk", "ok", "telegram"],
    }
    advice = build_advice(answers)
    chosen = [s for s in advice.networks if s.chosen]
    official = [s for s in chosen if s.mandatory]
    optional = [s for s in chosen if not s.mandatory]
    # The regions set their minimum; elsewhere the federal law sets none (our floor: one).
    floor = {"Санкт-Петербург": 4, "Республика Башкортостан": 3}.get(region, 1)
    if any(s.posts_per_week < floor for s in official):
        assert all(s.posts_per_week <= 1 for s in optional), (hours, region, chosen)


@pytest.mark.parametrize("region", ["Республика Башкортостан", "Санкт-Петербург"])
def test_a_rule_known_from_the_press_says_so_wherever_it_is_applied(region: str) -> None:
    rule = find_region(region)
    assert rule is not None and rule.secondary  # no regional act text in domain-facts
    advice = build_advice(library(region, cnt_frequency="1"))
    applied = [
        item
        for item in items(advice)
        if item.text.key.startswith("advice.regional.") and item.sources == rule.sources
    ]
    assert len(applied) >= 2  # the networks line and at least one duty or minimum
    for one in applied:
        assert "advice.regional.reason.secondary" in {r.key for r in one.reasons}, one.text.key
    t = Translator(I18N, "ru")
    assert "сообщениям СМИ" in render_step_details(advice, "networks", t)


def test_a_rule_resting_on_its_act_would_not_be_called_a_press_report() -> None:
    rule = find_region("Санкт-Петербург")
    assert rule is not None
    official = dataclasses.replace(rule, sources=(src.LAW_270FZ,))
    assert not official.secondary
