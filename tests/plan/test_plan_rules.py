"""The plan's pure rules: slots on dates, horizons, reminder timing, dates and drafts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import I18n
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.advice import Msg, UserText, build_advice
from bot.advice.ideas import post_ideas
from bot.advice.knowledge.calendar_dates import dates_between
from bot.advice.knowledge.rubrics import CATEGORY
from bot.advice.profile import read_profile
from bot.i18n import Translator
from bot.plan.buttons import PlanAction, reminder_keyboard
from bot.plan.drafts import Draft, draft_for, dump_draft, load_draft
from bot.plan.reminders import GRACE, REMIND_BEFORE, reminder_due, reminder_identity
from bot.plan.rights import Member, rights_problem
from bot.plan.slots import horizon_end, local_moment, monday_of, planned_slots, window_end
from bot.services.plan_texts import render_draft
from handlers.plan.callbacks import PlanCb, inline_markup
from tests.profiles import WIZARD_RURAL_RU

ZONES = ["Europe/Moscow", "America/New_York", "Asia/Kamchatka", "Europe/Kaliningrad", "UTC"]


def test_slots_follow_the_rotating_weeks_of_the_advice() -> None:
    advice = build_advice(WIZARD_RURAL_RU)
    start = date(2026, 1, 5)
    slots = planned_slots(advice.weeks, start, start, start + timedelta(days=27))
    for week in range(4):
        monday = start + timedelta(days=7 * week)
        got = [
            (s.day.weekday(), s.time, s.network, s.rubric)
            for s in slots
            if monday <= s.day < monday + timedelta(days=7)
        ]
        want = sorted((s.weekday, s.time, s.network, s.rubric) for s in advice.weeks[week])
        assert sorted(got) == want
    # The fifth week starts the rotation again.
    fifth = planned_slots(
        advice.weeks, start, start + timedelta(days=28), start + timedelta(days=34)
    )
    assert sorted((s.day.weekday(), s.time, s.network, s.rubric) for s in fifth) == sorted(
        (s.weekday, s.time, s.network, s.rubric) for s in advice.weeks[0]
    )


def test_window_and_horizon() -> None:
    assert window_end(date(2026, 1, 7), date(2027, 1, 1)) == date(2026, 1, 18)
    assert window_end(date(2026, 1, 7), date(2026, 1, 10)) == date(2026, 1, 10)
    assert horizon_end(date(2026, 1, 5), 6) == date(2026, 7, 4)
    assert horizon_end(date(2026, 8, 31), 6) == date(2027, 2, 27)  # no 31 February
    assert horizon_end(date(2026, 1, 5), 12) == date(2027, 1, 4)


@settings(max_examples=300, deadline=None)
@given(
    day=st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)),
    hour=st.integers(0, 23),
    minute=st.sampled_from([0, 15, 30, 45]),
    zone=st.sampled_from(ZONES),
    offset=st.integers(-300, 300),
)
def test_reminder_is_due_from_an_hour_before_until_the_grace_ends(
    day: date, hour: int, minute: int, zone: str, offset: int
) -> None:
    hhmm = f"{hour:02d}:{minute:02d}"
    tz = ZoneInfo(zone)
    post_at = local_moment(day, hhmm, tz)
    now = post_at - REMIND_BEFORE + timedelta(minutes=offset)
    due = reminder_due(day, hhmm, tz, snooze_until=None, reminded=None, now=now)
    in_window = post_at - REMIND_BEFORE <= now < post_at + GRACE
    assert (due is not None) == in_window
    if due is not None:
        # Once sent, the same reminder is never due again.
        assert reminder_due(day, hhmm, tz, snooze_until=None, reminded=due, now=now) is None
        later = now + timedelta(hours=1)
        assert reminder_due(day, hhmm, tz, snooze_until=later, reminded=due, now=later) is not None


def test_identity_names_the_local_slot_not_the_zone() -> None:
    moscow, yekat = ZoneInfo("Europe/Moscow"), ZoneInfo("Asia/Yekaterinburg")
    day = date(2026, 1, 6)
    assert local_moment(day, "09:00", moscow) - local_moment(day, "09:00", yekat) == timedelta(
        hours=2
    )
    assert reminder_identity(day, "09:00", None) == "2026-01-06 09:00"


def test_literary_dates_draft_names_the_date_of_the_week() -> None:
    profile = read_profile(WIZARD_RURAL_RU)
    # Russia: 6 June is Pushkin Day by decree (the project's calendar of library dates).
    draft = draft_for(profile, "literary_dates", date(2026, 6, 1))
    assert draft.headline.key == "plan.draft.literary_dates.day.title"
    assert draft.headline.params["title"] == Msg("libdate.pushkin_day_ru")
    day = draft_for(profile, "literary_dates", date(2026, 5, 25))
    assert day.headline.params["title"] == Msg("libdate.library_day_ru")
    # A round birthday is preferred over other dates of the week.
    found = [o for o in dates_between("ru", date(2026, 1, 1), date(2027, 1, 1)) if o.jubilee]
    if found:
        jubilee = found[0]
        monday = jubilee.day - timedelta(days=jubilee.day.weekday())
        chosen = draft_for(profile, "literary_dates", monday)
        assert chosen.headline.key == "plan.draft.literary_dates.birthday.title"
        assert chosen.headline.params["title"] == Msg(
            jubilee.entry.title_key, {"n": jubilee.years}
        )


def test_birthday_titles_take_the_plural_of_their_years(i18n: I18n) -> None:
    headline = Msg(
        "plan.draft.literary_dates.birthday.title",
        {"date": Msg("plan.on_date.m6", {"day": 6}), "title": Msg("libdate.pushkin", {"n": 222})},
    )
    assert render_draft(headline, Translator(i18n, "ru")) == (
        "6 июня — 222 года со дня рождения А. С. Пушкина"
    )
    assert "222" in render_draft(headline, Translator(i18n, "en"))


def test_drafts_are_the_advices_post_ideas_taking_turns_by_week() -> None:
    profile = read_profile(WIZARD_RURAL_RU)
    for rubric in CATEGORY:
        if rubric == "literary_dates":
            continue
        ideas = post_ideas(profile, rubric)
        first = draft_for(profile, rubric, date(2026, 1, 7))
        second = draft_for(profile, rubric, date(2026, 1, 14))
        headlines = [idea.headline for idea in ideas]
        assert first.headline in headlines
        assert second.headline in headlines
        assert first.headline != second.headline
        assert first.body in [idea.body for idea in ideas]
        assert first.headline.params["name"] == UserText(WIZARD_RURAL_RU["lib_name"])
    # A rubric the engine has no ideas for still gets a draft.
    assert draft_for(profile, "nonexistent", date(2026, 1, 7)).headline.key == (
        "plan.draft.generic.title"
    )


names = st.text(max_size=30)


@given(
    key=st.sampled_from([f"advice.idea.{r}.1.title" for r in CATEGORY]),
    library=names,
    years=st.integers(0, 500),
)
def test_drafts_survive_the_database(key: str, library: str, years: int) -> None:
    draft = Draft(
        Msg(
            key,
            {
                "library": UserText(library),
                "years": years,
                "title": Msg("libdate.pushkin", {"n": 227}),
            },
        ),
        (Msg("advice.idea.events.1.what", {"name": UserText(library)}), Msg("x")),
    )
    assert load_draft(dump_draft(draft)) == draft


class _T:
    locale = "ru"

    def __call__(self, key: str, /, **params: object) -> str:
        return key

    def plural(self, key: str, n: int, /, **params: object) -> str:
        return key


def test_reminder_buttons_are_drawn_with_the_plans_callback_data() -> None:
    markup = inline_markup(reminder_keyboard(42), _T())
    buttons = [button for row in markup.inline_keyboard for button in row]
    assert [PlanCb.unpack(button.callback_data or "") for button in buttons] == [
        PlanCb(action=PlanAction.POSTED, post_id=42),
        PlanCb(action=PlanAction.LATER, post_id=42),
        PlanCb(action=PlanAction.SKIP, post_id=42),
        PlanCb(action=PlanAction.OPEN, post_id=42, value="new"),
    ]
    assert [button.text for button in buttons][:1] == ["plan.btn.posted"]


MEMBERS = st.none() | st.builds(
    Member,
    st.sampled_from(["creator", "administrator", "member", "restricted", "left", "kicked"]),
    st.none() | st.booleans(),
)


@given(me=MEMBERS, them=MEMBERS, user_asked=st.booleans())
def test_the_bot_publishes_only_as_a_posting_admin_for_an_admin(
    me: Member | None, them: Member | None, user_asked: bool
) -> None:
    problem = rights_problem(me, them, user_asked=user_asked)
    bot_may = me is not None and (
        me.status == "creator" or (me.status == "administrator" and me.can_post is not False)
    )
    user_may = not user_asked or (them is not None and them.status in {"creator", "administrator"})
    assert (problem is None) == (bot_may and user_may)
    if me is None:
        assert problem == "no_access"
    elif not bot_may:
        assert problem in {"bot_not_admin", "bot_cannot_post"}
    elif not user_may:
        assert problem == ("no_access" if them is None else "user_not_admin")


def test_monday_of() -> None:
    assert monday_of(date(2026, 1, 11)) == date(2026, 1, 5)
    assert datetime(2026, 1, 5, tzinfo=UTC).weekday() == 0
