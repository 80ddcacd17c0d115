"""Every number of the advice is recomputed from the inputs its own reason shows; sources
are citable; plural messages agree with every number; each conflict is real."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from babel.messages.pofile import read_po
from hypothesis import HealthCheck, given, settings

from bot.advice import AudienceData, Severity, build_advice, read_profile, render
from bot.advice.knowledge import calendar_dates
from bot.advice.knowledge import sources as src
from bot.advice.knowledge.regions import REGIONAL_RULES
from bot.advice.models import Msg, Source
from bot.advice.rules.goals import capped, clicks_target, grown
from bot.i18n import LOCALES_DIR, Translator, create_i18n
from tests.advice.helpers import find, items
from tests.advice.profiles import PROFILES, RURAL_RU, UNIVERSITY_RU, YOUTH_RU
from tests.advice.strategies import answers

I18N = create_i18n()

DENIED_HOSTS = (
    "rulit.me",
    "bookz.ru",
    "blogspot.com",
    "russia-dropshipping.ru",
    "fb0t.com",
    "mirtesen.ru",
    "timmun.ru",  # a prosecutor's news page, not the act
    "news.mail.ru",  # an aggregator
    "ru24.pro",
    "teletype.in",
    "tg-telegram.blog",
    "tnnews.ai",
    "jns.org",
    "artistsocial.network",
    "abc-pr.eu",
    "thesocialanimal.com",
    "kurshub.ru",
    "library-bat.ru",
    "socialshow.ru",
    "mastera.academy",
    "smk.co",
    "wildcreative.agency",
    "tenchat.ru",
    "overclockers.ru",
    "3dnews.ru",
    "dzen.ru",
    "radio1.ru",
)
YEAR = re.compile(r"(19|20)\d\d")
OFFICIAL_LAW_HOSTS = (
    "publication.pravo.gov.ru",  # the Official internet portal of legal information
    "pravo.gov.ru",
    "government.ru",
    "kremlin.ru",
    "adilet.zan.kz",  # Kazakhstan's legal information system
    "pravo.by",  # Belarus
    "cbd.minjust.gov.kg",  # Kyrgyzstan
    "lex.uz",  # Uzbekistan
)
RU_PORTAL = ("publication.pravo.gov.ru", "pravo.gov.ru")
# A title that names one of these is an act: it must carry the act's number, date and page.
ACT_KINDS = re.compile(r"^(?:Федеральный закон|Распоряжение|Указ|Постановление|Конституция)")
SIGNED = re.compile(r"^(\d\d)\.(\d\d)\.((?:19|20)\d\d)$")
RU_CATALOG = Translator(I18N, "ru")
EN_CATALOG = Translator(I18N, "en")


def all_sources() -> list[Source]:
    found = {
        value.id: value
        for module in (src, calendar_dates)
        for value in vars(module).values()
        if isinstance(value, Source)
    }
    found.update((s.id, s) for rule in REGIONAL_RULES for s in rule.sources)
    found.update((d.source.id, d.source) for d in calendar_dates.LIBRARY_DATES)
    return list(found.values())


def test_no_source_is_on_the_deny_list() -> None:
    for source in all_sources():
        host = urlsplit(source.url).netloc.lower()
        assert not any(host == h or host.endswith("." + h) for h in DENIED_HOSTS), source
        assert source.url or source.estimate, f"{source.id}: no address and not an estimate"


def test_every_act_links_its_official_publication_with_its_number_and_date() -> None:
    acts = 0
    for source in all_sources():
        title = RU_CATALOG(source.title_key)
        if source.act is None:
            # A rule known only from the press may name the act; it must say it is a report.
            assert not ACT_KINDS.search(title) or source.secondary, source
            continue
        acts += 1
        act = source.act
        url = urlsplit(source.url)
        assert url.netloc in OFFICIAL_LAW_HOSTS, source
        signed = SIGNED.match(act.signed)
        assert signed, source
        assert signed.group(3) == source.year, source
        # The reader sees what identifies the act: its date, and its number where it has one.
        assert act.signed in title and act.signed in EN_CATALOG(source.title_key), source
        if url.netloc in RU_PORTAL:
            assert act.number and f"№ {act.number}" in title, source
            if act.own_page:
                assert re.fullmatch(r"/document/\d{16}", url.path), source
            else:
                # The portal's search for this very act, by its number and date.
                query = parse_qs(url.query)
                assert url.path == "/documents/search", source
                assert query["Number"] == [act.number], source
                assert query["DocumentDateFrom"] == [act.signed], source
    assert acts >= 10


def test_a_secondary_source_says_it_is_a_report() -> None:
    for source in all_sources():
        if source.secondary:
            assert "по сообщению" in RU_CATALOG(source.title_key), source
            assert re.search(r"\(|as reported", EN_CATALOG(source.title_key)), source


def test_every_source_has_a_year_and_a_title_in_both_languages() -> None:
    for source in all_sources():
        assert YEAR.search(source.year), source
        ru, en = RU_CATALOG(source.title_key), EN_CATALOG(source.title_key)
        assert source.title_key not in (ru, en), source
        assert re.search("[а-яё]", ru, re.IGNORECASE), source
        assert ru != en or not re.search("[a-z]{4}", en), source


def test_a_deny_listed_source_would_be_caught() -> None:
    bad = Source("x", "2020", "https://rulit.me/books/1")
    host = urlsplit(bad.url).netloc
    assert any(host == h or host.endswith("." + h) for h in DENIED_HOSTS)
    assert not YEAR.search("n/a")


def _plural_keys() -> dict[str, dict[str, tuple[str, ...]]]:
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for locale in ("ru", "en"):
        path = LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as po_file:
            for message in read_po(po_file, locale=locale):
                if isinstance(message.id, tuple) and message.id[0].startswith("advice."):
                    strings = message.string
                    assert isinstance(strings, tuple | list), message.id
                    out.setdefault(message.id[0], {})[locale] = tuple(strings)
    return out


PLURALS = _plural_keys()
NUMBERS = (0, 1, 2, 5, 11, 21, 22)
RU_FORM = {0: 2, 1: 0, 2: 1, 5: 2, 11: 2, 21: 0, 22: 1}
EN_FORM = {0: 1, 1: 0, 2: 1, 5: 1, 11: 1, 21: 1, 22: 1}


@pytest.mark.parametrize("key", sorted(PLURALS))
def test_plural_messages_agree_with_every_number(key: str) -> None:
    forms = PLURALS[key]
    assert len(forms["ru"]) == 3 and len(forms["en"]) == 2, key
    for locale, expected in (("ru", RU_FORM), ("en", EN_FORM)):
        t = Translator(I18N, locale)
        names = set(re.findall(r"\{(\w+)\}", " ".join(forms[locale])))
        for n in NUMBERS:
            params = {name: n for name in names if name != "n"}
            text = t.plural(key, n, **params)
            want = forms[locale][expected[n]].format(n=n, **params)
            assert text == want, (key, locale, n)


def test_numbers_meet_nouns_in_the_right_form() -> None:
    """No "1 подписчиков" or "1 posts" anywhere in the rendered advice."""
    wrong = {
        "ru": re.compile(
            r"(?<![\d,.])(?:1|21) (?:подписчиков|ответов|публикаций|читателей|площадок)\b"
        ),
        "en": re.compile(r"(?<![\d,.])1 (?:followers|posts|answers|readers|networks|visits)\b"),
    }
    for name, profile in PROFILES.items():
        for followers in (1, 21, 5):
            answers = {**profile, **{f"net_subs_{n}": followers for n in profile["net_current"]}}
            advice = build_advice(answers, audience=AudienceData(sample_size=21, age={"55_64": 1}))
            for locale in ("ru", "en"):
                t = Translator(I18N, locale)
                for item in items(advice):
                    for message in (item.text, *item.reasons):
                        text = render(message, t)
                        assert not wrong[locale].search(text), (name, locale, text)


def _num(value: object) -> float:
    assert isinstance(value, int | float), value
    return float(value)


def _reason(item_reasons: tuple[Msg, ...], key: str) -> Msg | None:
    return next((r for r in item_reasons if r.key == key), None)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers=answers())
def test_every_number_is_recomputed_from_its_reason(answers: dict[str, Any]) -> None:
    check_numbers(answers)


def check_numbers(answers: dict[str, Any]) -> None:
    """Recompute every number of the advice from the inputs shown in its reasons."""
    advice = build_advice(answers)
    profile = read_profile(answers)
    for item in items(advice):
        params = item.text.params
        if item.text.key == "advice.goals.smart_a":
            growth = _reason(item.reasons, "advice.goals.reason.growth")
            cap_reason = _reason(item.reasons, "advice.goals.reason.cap")
            cap = int(cap_reason.params["cap"]) if cap_reason else 0  # type: ignore[arg-type]
            if growth is not None:
                g = growth.params
                expected = grown(int(g["followers"]), int(g["rate"]), int(g["months"]))  # type: ignore[arg-type]
                assert g["grown"] == expected
                assert params["target"] == capped(expected, int(g["followers"]), cap)  # type: ignore[arg-type]
            if cap:
                assert int(params["target"]) <= max(cap, int(params["followers"]))  # type: ignore[arg-type]
        if item.text.key == "advice.goals.smart_c":
            clicks = _reason(item.reasons, "advice.goals.reason.clicks")
            assert clicks is not None
            c = clicks.params
            rate, floor = int(c["rate"]), int(c["floor"])  # type: ignore[arg-type]
            assert params["clicks"] == max(floor, round(int(c["followers"]) * rate / 100))  # type: ignore[arg-type]
            assert params["clicks"] == clicks_target(int(c["followers"]), int(c["months"]))  # type: ignore[arg-type]
        if item.text.key == "advice.resources.hours":
            parts = ("posts", "planning", "analytics", "moderation")
            hours_total = round(sum(_num(params[p]) for p in parts), 1)
            assert params["total"] == hours_total
        if item.text.key in {"advice.resources.enough", "advice.resources.tight"}:
            enough = _reason(item.reasons, "advice.resources.reason.enough")
            assert enough is not None
            assert params["spare"] == round(profile.hours - _num(enough.params["total"]), 1)
        if item.text.key == "advice.content.schedule":
            network = params["network"]
            assert isinstance(network, Msg)
            name = network.key.removeprefix("opt.net.")
            assert params["posts"] == sum(1 for s in advice.slots if s.network == name)
    total = sum(s.posts_per_week for s in advice.networks if s.chosen)
    assert total == len(advice.slots)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers=answers())
def test_no_identical_rubric_on_two_networks_the_same_day_without_crossposting(
    answers: dict[str, Any],
) -> None:
    answers = {**answers, "cnt_crosspost": "no"}
    advice = build_advice(answers)
    for week in advice.weeks:
        by_day: dict[int, list[str]] = {}
        for slot in week:
            by_day.setdefault(slot.weekday, []).append(slot.rubric)
        for day, rubrics in by_day.items():
            if len(rubrics) <= len(advice.rubrics):
                assert len(rubrics) == len(set(rubrics)), (day, rubrics)


# Every conflict the engine can report, each from a profile built to contain it.
CONFLICTS: dict[str, dict[str, Any]] = {
    "advice.conflicts.overload": {
        **RURAL_RU,
        "cnt_frequency": "7",
        "net_current": ["vk", "ok", "telegram", "dzen"],
    },
    "advice.conflicts.response_1h": {**RURAL_RU, "com_response": "1h"},
    "advice.conflicts.paid_no_budget": {**RURAL_RU, "com_paid": "regular", "res_budget": "none"},
    "advice.conflicts.contractor_no_budget": {
        **RURAL_RU,
        "cnt_visual_maker": "contractor",
        "res_budget": "none",
    },
    "advice.conflicts.no_hours": {**RURAL_RU, "res_hours": 0},
    "advice.conflicts.hours_short": {**RURAL_RU, "res_hours": 1, "cnt_frequency": "1"},
    "advice.conflicts.regional_over_hours": {
        **RURAL_RU,
        "lib_region": "Республика Башкортостан",
        "res_hours": 3,
    },
}


@pytest.mark.parametrize("key", sorted(CONFLICTS))
def test_every_conflict_the_engine_reports_can_be_built(key: str) -> None:
    advice = build_advice(CONFLICTS[key])
    found = [i for i in advice.conflicts if i.text.key == key]
    assert found, (key, [i.text.key for i in advice.conflicts])
    assert all(i.severity is Severity.CONFLICT for i in found)


def test_the_conflict_list_is_complete() -> None:
    """Every conflict key in the code is in CONFLICTS above (a new one needs a test)."""
    root = Path(__file__).resolve().parents[2] / "bot" / "advice"
    code = "\n".join(p.read_text() for p in root.rglob("*.py"))
    assert set(re.findall(r'"(advice\.conflicts\.\w+)"', code)) - {
        "advice.conflicts.meta_in_russia",  # a warning, see below
        "advice.conflicts.mandatory_over_hours",  # only when no region: tested in regions
    } <= set(CONFLICTS)


def test_a_sound_profile_reports_no_conflict_and_warnings_are_not_conflicts() -> None:
    advice = build_advice(PROFILES["children_ru"])
    assert advice.conflicts == ()
    youth = build_advice(YOUTH_RU)  # considers Instagram: a warning, not a conflict
    assert "advice.conflicts.meta_in_russia" in [i.text.key for i in youth.warnings]
    assert youth.conflicts == ()
    small = build_advice(UNIVERSITY_RU, audience=AudienceData(sample_size=8, age={"18_24": 1}))
    assert find(small, "advice.warnings.small_sample").severity is Severity.WARNING
    assert "advice.warnings.small_sample" not in [i.text.key for i in small.conflicts]
    # Stories, clips and shorts count as video: a video platform in the plan is no conflict.
    youth_conflicts = build_advice(YOUTH_RU).conflicts
    assert not [c.text.key for c in youth_conflicts if "video" in c.text.key]


ECHO = re.compile(
    r"^(Вы выбрали|Вы указали|Вы назвали|Вы ответили|Вы перечислили|"
    r"You chose|You named|You said|You answered|You listed)"
)


@pytest.mark.parametrize("locale", ["ru", "en"])
def test_reasons_add_information_rather_than_echo_the_answer(locale: str) -> None:
    """A conflict may quote the two answers it sets against each other; nothing else may
    give the answer back as its only reason."""
    t = Translator(I18N, locale)
    for name, profile in PROFILES.items():
        for variant in (profile, {**profile, "cnt_crosspost": "yes"}):
            advice = build_advice(variant)
            for item in items(advice):
                if item.severity is Severity.CONFLICT:
                    continue
                for reason in item.reasons:
                    text = render(reason, t)
                    assert not ECHO.match(text), (name, reason.key, text)
