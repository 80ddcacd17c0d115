"""Five more libraries (other countries, founders, sizes, audiences) answer the whole wizard
through the Dispatcher: no false conflict, every typed answer used, every number recomputed
from its reason, every source citable, ready post ideas for every rubric."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from aiogram import Dispatcher
from aiogram.utils.i18n import I18n

from bot.advice import build_advice, render
from bot.advice.text import to_plain
from bot.db.repositories import Repositories
from bot.i18n import Translator
from tests.advice.test_advice_numbers import DENIED_HOSTS, YEAR, check_numbers
from tests.chat import ChatUser
from tests.mocked_bot import MockedBot
from tests.wizard_driver import complete_wizard

BASE: dict[str, Any] = {
    "lib_region": None,
    "goal_a_message": None,
    "aud_source": "self",
    "aud_gender": None,
    "aud_education": None,
    "net_considered": None,
    "cnt_times": None,
    "cnt_crosspost": None,
    "cnt_visual_maker": "self",
    "com_negative": "public_calm",
    "com_paid": "no",
    "res_budget": "none",
    "res_tools": None,
    "page_discussion": "comments_only",
    "page_clubs": "no",
}

LIBRARIES: dict[str, tuple[str, dict[str, Any], tuple[str, ...]]] = {
    # name: (language, answers, typed texts that must reach the librarian)
    "kz_city": (
        "ru",
        {
            **BASE,
            "lib_name": "Городская библиотека им. Абая",
            "lib_settlement": "Караганда",
            "lib_country": "kz",
            "lib_tz": "Asia/Almaty",
            "lib_population": "250k_1m",
            "lib_status": "own",
            "lib_ownership": "state",
            "goal_families": ["a", "d"],
            "goal_d_events": ["book_club", "other"],
            "goal_d_events.other": "Вечер казахской поэзии",
            "goal_horizon": "6m",
            "aud_geo": "settlement",
            "aud_area": "urban",
            "aud_age": ["18_24", "25_34", "35_44"],
            "aud_interests": ["fiction", "other"],
            "aud_interests.other": "айтыс",
            "net_current": ["instagram"],
            "net_url_instagram": None,
            "net_subs_instagram": 1300,
            "cnt_topics": ["events", "new_arrivals"],
            "cnt_frequency": "3",
            "cnt_tone": "friendly",
            "cnt_visuals": ["photos", "stories"],
            "cnt_languages": ["kk", "ru"],
            "com_response": "same_day",
            "com_channels": ["comments", "messages"],
            "com_partners": ["schools"],
            "res_people": 2,
            "res_hours": 12,
            "res_roles": ["author", "photographer"],
            "page_inst_kind": "central",
        },
        ("Вечер казахской поэзии", "айтыс"),
    ),
    "ru_college": (
        "ru",
        {
            **BASE,
            "lib_name": "Библиотека аграрного колледжа",
            "lib_settlement": "Бирск",
            "lib_region": "Республика Башкортостан",
            "lib_country": "ru",
            "lib_tz": "Asia/Yekaterinburg",
            "lib_population": "10k_50k",
            "lib_status": "department",
            "lib_parent_kind": "college",
            "lib_ownership": "state",
            "goal_families": ["b", "a"],
            "goal_b_topics": ["hours_rules", "other"],
            "goal_b_topics.other": "запись на практику",
            "goal_horizon": "12m",
            "aud_geo": "district",
            "aud_area": "mixed",
            "aud_age": ["14_17", "18_24"],
            "aud_interests": ["study", "comics_games"],
            "net_current": ["vk"],
            "net_url_vk": "vk.com/agrocollege_lib",
            "net_subs_vk": 420,
            "cnt_topics": ["service_notices", "quizzes", "other"],
            "cnt_topics.other": "Профессии села",
            "cnt_frequency": "3",
            "cnt_tone": "playful",
            "cnt_visuals": ["photos", "illustrations"],
            "com_response": "24h",
            "com_channels": ["comments", "messages"],
            "com_partners": ["none"],
            "res_people": 1,
            "res_hours": 6,
            "res_roles": ["one_person"],
            "page_inst_kind": "school",
        },
        ("запись на практику", "Профессии села"),
    ),
    "ru_village": (
        "ru",
        {
            **BASE,
            "lib_name": "Модельная библиотека д. Кушнаренково",
            "lib_settlement": "д. Кушнаренково",
            "lib_region": "Тверская область",
            "lib_country": "ru",
            "lib_tz": "Europe/Moscow",
            "lib_population": "lt1k",
            "lib_status": "own",
            "lib_ownership": "municipal",
            "goal_families": ["a", "d"],
            "goal_d_events": ["local_history", "other"],
            "goal_d_events.other": "Посиделки у самовара",
            "goal_horizon": "12m",
            "aud_geo": "settlement",
            "aud_area": "rural",
            "aud_age": ["45_54", "55_64", "65_plus"],
            "aud_interests": ["local_history", "other"],
            "aud_interests.other": "огород",
            "net_current": ["ok"],
            "net_url_ok": None,
            "net_subs_ok": 462,
            "cnt_topics": ["events", "local_history"],
            "cnt_frequency": "3",
            "cnt_tone": "friendly",
            "cnt_visuals": ["photos"],
            "com_response": "same_day",
            "com_channels": ["comments"],
            "com_partners": ["administration"],
            "res_people": 1,
            "res_hours": 6,
            "res_roles": ["one_person"],
            "page_inst_kind": "rural",
        },
        ("Посиделки у самовара", "огород"),
    ),
    "us_volunteers": (
        "en",
        {
            **BASE,
            "lib_name": "Riverside Community Library",
            "lib_settlement": "Riverside",
            "lib_country": "us",
            "lib_tz": "America/Denver",
            "lib_population": "1k_10k",
            "lib_status": "own",
            "lib_ownership": "nonprofit",
            "goal_families": ["d", "a"],
            "goal_d_events": ["children", "other"],
            "goal_d_events.other": "Seed swap",
            "goal_horizon": "6m",
            "aud_geo": "settlement",
            "aud_area": "rural",
            "aud_age": ["0_13", "35_44", "65_plus"],
            "aud_interests": ["children_parenting", "hobbies"],
            "net_current": ["facebook"],
            "net_url_facebook": None,
            "net_subs_facebook": 1,
            "cnt_topics": ["events", "children_parents", "other"],
            "cnt_topics.other": "Gardening corner",
            "cnt_frequency": "3",
            "cnt_tone": "friendly",
            "cnt_visuals": ["photos"],
            "com_response": "24h",
            "com_channels": ["comments"],
            "com_partners": ["schools"],
            "res_people": 4,
            "res_hours": 8,
            "res_roles": ["author", "photographer"],
            "page_inst_kind": "central",
        },
        ("Seed swap", "Gardening corner"),
    ),
    "by_school": (
        "ru",
        {
            **BASE,
            "lib_name": "Библиотека гимназии № 3",
            "lib_settlement": "Гродно",
            "lib_country": "by",
            "lib_tz": "Europe/Minsk",
            "lib_population": "250k_1m",
            "lib_status": "department",
            "lib_parent_kind": "school",
            "lib_ownership": "unknown",
            "goal_families": ["a"],
            "goal_horizon": "3m",
            "aud_geo": "settlement",
            "aud_area": "urban",
            "aud_age": ["14_17", "0_13"],
            "aud_interests": ["fiction", "other"],
            "aud_interests.other": "комиксы о Беларуси",
            "net_current": ["none"],
            "cnt_topics": ["quizzes", "book_of_day"],
            "cnt_frequency": "1",
            "cnt_tone": "playful",
            "cnt_visuals": ["illustrations"],
            "cnt_languages": ["be", "ru"],
            "com_response": "when_possible",
            "com_channels": ["comments"],
            "com_partners": ["none"],
            "res_people": 1,
            "res_hours": 3,
            "res_roles": ["one_person"],
            "page_inst_kind": "school",
        },
        ("комиксы о Беларуси",),
    ),
}


@pytest.mark.parametrize("name", list(LIBRARIES))
async def test_new_library_gets_sound_advice(
    name: str, dispatcher: Dispatcher, repo: Repositories, i18n: I18n
) -> None:
    language, profile, typed = LIBRARIES[name]
    t = Translator(i18n, language)
    chat = ChatUser(dispatcher, MockedBot(), 700, language_code=language)
    await chat.send("/start")
    await complete_wizard(chat, profile, t)
    (strategy,) = await repo.strategies.of_user(700)
    assert strategy.is_complete
    stored = await repo.answers.all(strategy.id)
    advice = build_advice(stored)

    # No false conflict: these libraries' answers fit their hours, skills and budget.
    assert advice.conflicts == (), [render(i.text, t) for i in advice.conflicts]
    seen = to_plain("\n".join(chat.texts()))
    advice_part = seen[seen.index(t("msg.completed")) :]
    # Every typed answer is used and shown back.
    for text in typed:
        assert text in advice_part, text
    # Every number is recomputed from the inputs its reason shows.
    check_numbers(stored)
    # Every source is citable: not on the deny list, with a year, an address or an estimate.
    for source in advice.sources:
        host = urlsplit(source.url).netloc
        assert not any(host == h or host.endswith("." + h) for h in DENIED_HOSTS), source
        assert YEAR.search(source.year), source
        assert source.url or source.estimate, source
    # Ready post ideas for every rubric, and the first two weeks, in the chat.
    assert advice.rubrics
    for rubric in advice.rubrics:
        assert len(advice.post_ideas[rubric]) >= 2, rubric
        for idea in advice.post_ideas[rubric]:
            assert to_plain(render(idea.headline, t)) in advice_part
    assert t("advice.render.first_title") in advice_part
    assert t("advice.render.ideas_title") in advice_part
    # No raw prompt placeholders or Python reprs leak.
    assert "{" not in advice_part and "Msg(" not in advice_part


async def test_country_specific_advice(dispatcher: Dispatcher, repo: Repositories) -> None:
    kz = build_advice(LIBRARIES["kz_city"][1])
    assert "instagram" in kz.chosen_networks
    assert kz.languages == ("kk", "ru")
    keys = [i.text.key for s in kz.steps for i in s.items]
    assert "advice.content.languages.both" in keys
    assert "advice.networks.vk_ok_mandatory" not in keys
    tools = next(i for i in kz.step("resources").items if i.text.key.endswith("analytics"))
    assert all("vk" not in getattr(p, "key", "") for p in tools.text.params["tools"].items)  # type: ignore[union-attr]
    college = build_advice(LIBRARIES["ru_college"][1])
    college_keys = [i.text.key for s in college.steps for i in s.items]
    assert "advice.networks.department" in college_keys
    # The region's rule binds the library itself only when it is its own institution.
    assert "advice.regional.networks" not in college_keys
    village = build_advice(LIBRARIES["ru_village"][1])
    smart_a = next(i for i in village.step("goals").items if i.text.key == "advice.goals.smart_a")
    # A village of under 1,000: 462 followers is already past a third of it, so no growth.
    assert smart_a.text.params["target"] == 462
    assert "advice.goals.reason.cap" in [r.key for r in smart_a.reasons]
    us = build_advice(LIBRARIES["us_volunteers"][1])
    # No Russian law, tool or example outside the Russian-speaking profile.
    assert not {"law_270fz", "order_2523r", "law_72fz", "tools_ru", "tools_tg", "schedulers"} & {
        s.id for s in us.sources
    }
    assert "smmplanner" not in repr(us.step("resources"))
