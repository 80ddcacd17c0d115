"""Any answers the wizard can store give a complete, explained advice that renders."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.advice import STEP_IDS, AudienceData, build_advice, render_step_details, render_summary
from bot.domain.text_split import TELEGRAM_LIMIT, split_html
from bot.i18n import Translator, create_i18n
from tests.advice.strategies import answers, surveys

I18N = create_i18n()
TRANSLATORS = {locale: Translator(I18N, locale) for locale in ("ru", "en")}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers=answers(), survey=surveys(), locale=st.sampled_from(["ru", "en"]))
def test_any_answers_give_complete_advice(
    answers: dict[str, Any], survey: AudienceData | None, locale: str
) -> None:
    advice = build_advice(answers, audience=survey)
    assert tuple(step.step_id for step in advice.steps) == STEP_IDS
    for step in advice.steps:
        assert step.items
        for item in step.items:
            assert item.reasons, item.text.key
    assert len(advice.chosen_networks) >= 1
    if answers.get("lib_country") == "ru":
        assert not {"instagram", "facebook"} & set(advice.chosen_networks)
        own = answers.get("lib_status", "own") == "own"
        if answers.get("lib_ownership") in {"state", "municipal"} and own:
            assert {"vk", "ok"} <= set(advice.chosen_networks)

    t = TRANSLATORS[locale]
    summary = render_summary(advice, t)
    assert {step_id for step_id, _ in summary} == set(STEP_IDS)
    assert all(len(text) <= TELEGRAM_LIMIT for _, text in summary)
    for step_id in STEP_IDS:
        for part in split_html(render_step_details(advice, step_id, t)):
            assert len(part) <= TELEGRAM_LIMIT


@settings(max_examples=30, deadline=None)
@given(answers=answers())
def test_partial_answers_never_raise(answers: dict[str, Any]) -> None:
    # A wizard stopped halfway (or an old stored strategy) still gets advice.
    keep = dict(list(answers.items())[: len(answers) // 2])
    advice = build_advice(keep)
    assert advice.steps
