"""Pulse polls: a one-question anonymous Telegram poll in the library's channel or group.

Staff name the chat (forward a post from it or type @name); the bot posts only where it
is an admin and the staff member is one too. Tallies come from ``poll`` updates.
"""

from __future__ import annotations

from html import escape

from aiogram import Bot, F, Router
from aiogram.enums import ChatMemberStatus
from aiogram.exceptions import TelegramAPIError
from aiogram.fsm.context import FSMContext
from aiogram.types import (
    CallbackQuery,
    InputPollOption,
    Message,
    MessageOriginChannel,
    MessageOriginChat,
    Poll,
)

from bot.access import IsStaff
from bot.db.repositories import Library
from bot.domain.validation import Invalid
from bot.i18n import Translate
from bot.services.surveys import SurveyService
from bot.survey.draft import typed_line
from bot.survey.models import Survey
from bot.survey.pulse import MAX_OPTIONS, MIN_OPTIONS, parse_options
from handlers.message_edits import pressed_message
from handlers.survey.callbacks import StaffAction, StaffCb
from handlers.survey.common import (
    EDITOR_DESTINY,
    InDestiny,
    data_int,
    editor_context,
    register_typed,
)
from handlers.survey.filters import OwnSurvey
from handlers.survey.states import EditorStates

MAX_QUESTION_LEN = 300
_ADMINS = {ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.CREATOR}


async def start_pulse(
    callback: CallbackQuery, survey: Survey, *, state: FSMContext, t: Translate
) -> None:
    message = await pressed_message(callback)
    if message is None:
        return
    editor = editor_context(state)
    await editor.set_state(EditorStates.pulse_chat)
    await editor.set_data({"survey_id": survey.id})
    await message.answer(t("survey.pulse.ask_chat"))


def _chat_named(message: Message) -> int | str | None:
    """The channel or group a forwarded post came from, or the typed @name."""
    origin = message.forward_origin
    if isinstance(origin, MessageOriginChannel):
        return origin.chat.id
    if isinstance(origin, MessageOriginChat):
        return origin.sender_chat.id
    text = (message.text or "").strip()
    if text.startswith("@") and len(text) > 1 and " " not in text:
        return text
    return None


async def pulse_chat(message: Message, *, state: FSMContext, bot: Bot, t: Translate) -> None:
    named = _chat_named(message)
    if named is None:
        await message.answer(t("survey.pulse.chat_invalid"))
        return
    try:
        chat = await bot.get_chat(named)
        me = await bot.get_chat_member(chat.id, bot.id)
        if me.status not in _ADMINS:
            await message.answer(t("survey.pulse.bot_not_admin"))
            return
        user_id = message.from_user.id if message.from_user else 0
        member = await bot.get_chat_member(chat.id, user_id)
    except TelegramAPIError:
        await message.answer(t("survey.pulse.chat_not_found"))
        return
    if member.status not in _ADMINS:
        await message.answer(t("survey.pulse.user_not_admin"))
        return
    editor = editor_context(state)
    await editor.update_data(chat_id=chat.id, chat_title=chat.title or str(named))
    await editor.set_state(EditorStates.pulse_question)
    await message.answer(t("survey.pulse.ask_question", max=MAX_QUESTION_LEN))


async def pulse_question(message: Message, *, state: FSMContext, t: Translate) -> None:
    question = typed_line(message.text or "", MAX_QUESTION_LEN)
    if isinstance(question, Invalid):
        await message.answer(t(question.key, **question.params))
        return
    editor = editor_context(state)
    await editor.update_data(question=question)
    await editor.set_state(EditorStates.pulse_options)
    await message.answer(t("survey.pulse.ask_options", min=MIN_OPTIONS, max=MAX_OPTIONS))


async def pulse_options(
    message: Message,
    *,
    libraries: list[Library],
    surveys: SurveyService,
    state: FSMContext,
    bot: Bot,
    t: Translate,
) -> None:
    options = parse_options(message.text or "")
    if options is None:
        await message.answer(t("survey.pulse.options_invalid", min=MIN_OPTIONS, max=MAX_OPTIONS))
        return
    editor = editor_context(state)
    data = await editor.get_data()
    survey = await surveys.staff_survey(data_int(data, "survey_id"), [x.id for x in libraries])
    chat_id = data_int(data, "chat_id")
    await editor.clear()
    if survey is None or not chat_id:
        await message.answer(t("cb.unknown"))
        return
    question = str(data.get("question", ""))
    try:
        posted = await bot.send_poll(
            chat_id, question, list[InputPollOption | str](options), is_anonymous=True
        )
    except TelegramAPIError:
        await message.answer(t("survey.pulse.post_failed"))
        return
    if posted.poll is None:
        await message.answer(t("survey.pulse.post_failed"))
        return
    await surveys.record_pulse_poll(
        survey,
        chat_id=chat_id,
        message_id=posted.message_id,
        poll_id=posted.poll.id,
        question=question,
        options=options,
    )
    await message.answer(t("survey.pulse.posted_in", chat=escape(str(data.get("chat_title", "")))))


async def poll_update(poll: Poll, *, surveys: SurveyService) -> None:
    """A new tally of one of our pulse polls (others are ignored)."""
    await surveys.tally_pulse(
        poll.id, poll.options, poll.total_voter_count, is_closed=poll.is_closed
    )


def create_router() -> Router:
    """Private-chat part: starting a pulse poll and typing its chat, question and options."""
    router = Router(name="survey_pulse")
    staff = IsStaff()
    router.callback_query.register(
        start_pulse, StaffCb.filter(F.action == StaffAction.PULSE), staff, OwnSurvey()
    )
    router.message.register(
        pulse_chat,
        InDestiny(EDITOR_DESTINY, EditorStates.pulse_chat),
        F.func(lambda message: not (message.text or "").startswith("/")),
        staff,
    )

    register_typed(router, pulse_question, EditorStates.pulse_question)
    register_typed(router, pulse_options, EditorStates.pulse_options)
    return router


def create_poll_router() -> Router:
    """Poll updates, which come with no chat and no user."""
    router = Router(name="survey_polls")
    router.poll.register(poll_update)
    return router
