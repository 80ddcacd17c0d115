"""The end of the period: owners invited to review once, and "New period" copies the answers."""

from __future__ import annotations

from aiogram.methods import SendMessage, SendPhoto
from hypothesis import given
from hypothesis import strategies as st

from bot.plan.checkin import CheckinNumbers
from bot.services.surveys import AUDIENCE_SURVEY_KEY
from bot.services.wizard import WizardService
from bot.survey.models import Survey
from bot.survey.questions import AGE, GENDER, INTERESTS, SurveyConfig
from bot.survey.waves import latest_wave
from tests.conftest import ADMIN_ID
from tests.ops.fakes import utc
from tests.plan.conftest import PlanWorld
from tests.profiles import WIZARD_RURAL_RU
from tests.survey.test_survey_to_strategy import OLDER, OLDEST, _responses

SHORT = {**WIZARD_RURAL_RU, "goal_horizon": "3m"}
YOUNG = {AGE: "18_24", GENDER: "women", INTERESTS: ["history"]}


def reviews(world: PlanWorld, chat_id: int) -> list[SendMessage]:
    return [
        r
        for r in world.bot.session.requests
        if isinstance(r, SendMessage) and r.chat_id == chat_id and "Период стратегии" in r.text
    ]


async def test_owners_are_invited_once_when_the_horizon_ends(world: PlanWorld) -> None:
    library, strategy = await world.finished_strategy(100, SHORT)
    await world.repo.users.upsert(101, "Ольга", "ru")
    await world.repo.libraries.add_member(library.id, 101)
    plan = await world.repo.plans.get(library.id)
    assert plan is not None
    assert plan.ends_on.isoformat() == "2026-04-04"  # three months from Monday 5 January
    await world.plans.save_checkin(
        library.id, "2026-03", CheckinNumbers({"ok": 600, "vk": 40}, {}, {})
    )

    await_times = [utc(2026, 4, 4, 20), utc(2026, 4, 5, 6, 59), utc(2026, 4, 5, 7, 0)]
    for moment in await_times[:2]:
        world.clock.set(moment)
        await world.scheduler.tick()
        await world.sender.send_due()
    assert not reviews(world, 100)
    world.clock.set(await_times[2])  # 10:00 in Moscow, the day after the end
    await world.scheduler.tick()
    await world.sender.send_due()
    world.build()
    for minute in (5, 10):
        world.clock.set(utc(2026, 4, 5, 7, minute))
        await world.scheduler.tick()
        await world.sender.send_due()
    (review,) = reviews(world, 100)
    assert not reviews(world, 101)  # an editor, not an owner
    assert not reviews(world, ADMIN_ID)
    assert "Период стратегии закончился 4 апреля" in review.text
    # Baseline 340 and the strategy's three months' target: 640 met it.
    goals = await world.plans.goals(library.id)
    assert goals is not None
    assert goals.baseline == 340
    assert goals.target is not None
    assert goals.target < 640
    assert f"✅ Подписчики: цель достигнута — 640 при цели {goals.target}." in review.text
    assert any(isinstance(r, SendPhoto) and r.chat_id == 100 for r in world.bot.session.requests)

    # "New period": the answers copied, the wizard opened on the copy.
    anna = world.user(100)
    markup = review.reply_markup
    assert markup is not None
    (button,) = [b for row in markup.inline_keyboard for b in row]  # type: ignore[union-attr]
    assert button.text == "🔁 Новый период"
    await anna.press_data(button.callback_data or "")
    assert any("Скопировал ответы стратегии" in x for x in anna.texts())
    strategies = await world.repo.strategies.of_library(library.id)
    assert len(strategies) == 2
    copy = strategies[-1]
    assert not copy.is_complete
    assert await WizardService(world.repo).answers(copy.id) == await world.repo.answers.all(
        strategy.id
    )


async def test_new_period_is_for_owners_only(world: PlanWorld) -> None:
    library, _ = await world.finished_strategy(100, SHORT)
    await world.repo.users.upsert(101, "Ольга", "ru")
    await world.repo.libraries.add_member(library.id, 101)
    olga = world.user(101, name="Ольга")
    requests = await olga.press_data(f"pl:np:0:{library.id}")
    assert olga.alerts(requests)
    assert len(await world.repo.strategies.of_library(library.id)) == 1


async def _new_period_with_waves(
    world: PlanWorld, *, wave_two: int, other: int
) -> tuple[list[str], dict[str, object], dict[str, Survey]]:
    """A strategy filled from wave 1 of a survey (32 answers), its wave 2 with ``wave_two``
    answers, and another, newer survey with ``other``; then "New period"."""
    library, strategy = await world.finished_strategy(100, SHORT)
    repo = world.repo.surveys
    first = await repo.create_survey(library.id, 100, SurveyConfig(title="Читатели"))
    second = await repo.create_survey(library.id, 100, first.config.next_wave(first.id, "Волна 2"))
    newer = await repo.create_survey(library.id, 100, SurveyConfig(title="Другой опрос"))
    await _responses(world.db, first, [OLDER] * 32)
    await _responses(world.db, second, [YOUNG] * wave_two)
    await _responses(world.db, newer, [OLDEST] * other)
    await world.repo.answers.save(strategy.id, "aud_source", "survey")
    await world.repo.answers.save(strategy.id, AUDIENCE_SURVEY_KEY, first.id)
    anna = world.user(100)
    texts = anna.texts(await anna.press_data(f"pl:np:0:{library.id}"))
    copy = (await world.repo.strategies.of_library(library.id))[-1]
    answers = await world.repo.answers.all(copy.id)
    return texts, answers, {"first": first, "second": second, "newer": newer}


async def test_a_new_period_takes_the_latest_wave_of_the_strategys_survey(
    world: PlanWorld,
) -> None:
    texts, answers, surveys = await _new_period_with_waves(world, wave_two=31, other=40)
    # Not the newest survey with answers (another survey), but the survey's own latest wave.
    assert answers[AUDIENCE_SURVEY_KEY] == surveys["second"].id
    assert answers["aud_age"] == ["18_24"]
    assert any("последней волне опроса «Волна 2»: 31 ответ." in text for text in texts)


async def test_a_latest_wave_with_too_few_answers_is_named_and_no_older_one_taken(
    world: PlanWorld,
) -> None:
    texts, answers, surveys = await _new_period_with_waves(world, wave_two=3, other=40)
    assert answers[AUDIENCE_SURVEY_KEY] == surveys["first"].id  # as copied, not re-applied
    assert answers["aud_age"] == SHORT["aud_age"]  # neither wave 1 nor the other survey
    assert any(
        "Последняя волна опроса «Волна 2»: ответов пока 3, а для стратегии нужно не меньше 30"
        in text
        for text in texts
    )


def _survey(survey_id: int, previous: int | None) -> Survey:
    config = SurveyConfig(title=f"s{survey_id}", previous_wave=previous)
    return Survey(survey_id, 1, 1, config.title, config, "open", None, None, "", None)


@given(links=st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=30))
def test_the_latest_wave_follows_the_chain_to_its_newest_end(links: list[int]) -> None:
    # Survey i + 1 asks again survey links[i] (an earlier one) or none (a link to itself).
    surveys = [
        _survey(i + 1, None if link % (i + 1) == 0 else link % (i + 1))
        for i, link in enumerate(links)
    ]
    for survey in surveys:
        wave = latest_wave(surveys, survey.id)
        assert wave is not None
        assert not [s for s in surveys if s.config.previous_wave == wave.id]  # nothing after it
        # Walking back from the answer reaches the survey we started from.
        back: Survey | None = wave
        chain = []
        while back is not None:
            chain.append(back.id)
            back = next((s for s in surveys if s.id == back.config.previous_wave), None)
        assert survey.id in chain
    assert latest_wave(surveys, 999) is None
