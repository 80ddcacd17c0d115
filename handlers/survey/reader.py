"""Readers answer a survey: deep link, privacy note, one question per message, /forget.

A reader's place is their stored answers (the first question without one), so no FSM
state is needed except while typing an "Other…" text, and that lives under the reader's
pseudonym (``reader_state``, see :mod:`bot.readers`), never their Telegram id: a librarian
testing their own survey keeps their place in the wizard.

Buttons reach their handler only when current (``CurrentReaderButton``, which hands over the
reader's ``session`` and ``question``); every other reader button gets the last handler,
:func:`refused_button`. An update reads the reader's response once, and its answers are
written with the update's commit (bot/db/surveys.py).
"""

from __future__ import annotations

from html import escape
from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.db.repositories import User
from bot.domain.questions import OTHER, Kind, Question
from bot.domain.validation import has_letters, visible_text
from bot.i18n import Translate
from bot.readers import ASKING_KEY, end_reader_step
from bot.services.surveys import ReaderSession, SurveyService
from bot.survey.links import PAYLOAD_PREFIX
from bot.survey.models import LinkProblem
from handlers.keyboards import Keyboard
from handlers.message_edits import edit_markup, edit_text
from handlers.privacy import reader_note
from handlers.survey.callbacks import ForgetAction, ForgetCb, ReaderAction, ReaderCb
from handlers.survey.common import InReaderState
from handlers.survey.filters import CurrentReaderButton, Refusal, check_reader_button
from handlers.survey.states import ReaderStates
from handlers.survey.view import answered_text, question_screen, review_screen


async def _show(
    bot: Bot, chat_id: int, session: ReaderSession, question: Question | None,
    answers: dict[str, Any], *, reader: FSMContext, t: Translate,
) -> None:  # fmt: skip
    """Send ``question`` (None: the review) and remember it as the reader's current screen."""
    if question is not None:
        text, markup = question_screen(
            session.survey.id, session.questionnaire, question, answers, t
        )
    else:
        text, markup = review_screen(session.survey.id, session.questionnaire, answers, t)
    await reader.update_data({ASKING_KEY: [session.survey.id, question.id if question else ""]})
    await bot.send_message(chat_id, text, reply_markup=markup)


async def _ask(
    bot: Bot, chat_id: int, session: ReaderSession, question: Question, *, surveys: SurveyService,
    reader: FSMContext, t: Translate,
) -> None:  # fmt: skip
    answers = await surveys.answers(session)
    await _show(bot, chat_id, session, question, answers, reader=reader, t=t)


async def _go_on(
    bot: Bot, chat_id: int, session: ReaderSession, *, surveys: SurveyService,
    reader: FSMContext, t: Translate, after: Question | None = None,
) -> None:  # fmt: skip
    """The question after ``after`` (in order), else the first unanswered one, else review."""
    answers = await surveys.answers(session)
    if after is not None:
        question = session.questionnaire.next_question(after.id, answers)
    else:
        question = surveys.next_question(session, answers)
    await _show(bot, chat_id, session, question, answers, reader=reader, t=t)


async def _answered_then_next(
    callback: CallbackQuery, session: ReaderSession, question: Question, *,
    surveys: SurveyService, bot: Bot, reader: FSMContext, t: Translate, ask_next: bool = True,
) -> None:  # fmt: skip
    """After a saved answer: the press is answered, the question's message shows the
    answer in place of its buttons (the chat reads as a record), and the next one comes."""
    await callback.answer()
    answers = await surveys.answers(session)
    await edit_text(callback, answered_text(question, answers, t))
    if ask_next:
        chat_id = callback.from_user.id
        await _go_on(bot, chat_id, session, surveys=surveys, reader=reader, t=t, after=question)


async def open_link(
    message: Message,
    *,
    command: CommandObject,
    user: User,
    surveys: SurveyService,
    reader_state: FSMContext,
    bot: Bot,
    t: Translate,
) -> None:
    opened = await surveys.open_link(command.args, user.id)
    if isinstance(opened, LinkProblem):
        await message.answer(t(f"survey.link.{opened.value}"))
        return
    await end_reader_step(reader_state)
    survey = opened.survey
    if not opened.resumed:
        name = opened.library_name or t("msg.untitled_library")
        builder = Keyboard()
        builder.button(
            text=t("survey.reader.start_button"),
            callback_data=ReaderCb(action=ReaderAction.BEGIN, survey_id=survey.id),
        )
        greeting = t("survey.reader.greeting", library=escape(name), title=escape(survey.title))
        await message.answer(
            f"{greeting}\n\n{reader_note(t, min_results=surveys.min_results)}",
            reply_markup=builder.as_markup(),
        )
        return
    if opened.response.is_complete:
        builder = Keyboard()
        builder.button(
            text=t("survey.reader.change_answers_button"),
            callback_data=ReaderCb(action=ReaderAction.CHANGE_ANSWERS, survey_id=survey.id),
        )
        await message.answer(t("survey.reader.already_done"), reply_markup=builder.as_markup())
        return
    await message.answer(t("survey.reader.resume"))
    session = await surveys.session(survey.id, user.id)
    if session is not None:
        await _go_on(bot, message.chat.id, session, surveys=surveys, t=t, reader=reader_state)


async def refused_button(
    callback: CallbackQuery, callback_data: ReaderCb, *, surveys: SurveyService, bot: Bot,
    reader_state: FSMContext | None, t: Translate,
) -> None:  # fmt: skip
    """A reader's button that is not current: an old or unknown one gets a polite alert; one
    of an older question shows the current question again, as opening the link does."""
    found = await check_reader_button(callback_data, callback.from_user.id, surveys, reader_state)
    session = found.session
    if found.refusal is Refusal.CLOSED:
        await _closed(callback, t)
    elif found.refusal is Refusal.ELSEWHERE and session is not None and reader_state:
        await callback.answer(t("cb.stale"))
        answers = await surveys.answers(session)
        asking = found.asking or ["", ""]
        # The question shown last, else (the review was) the first without an answer, if any.
        current = session.questionnaire.question(str(asking[1])) or surveys.next_question(
            session, answers
        )
        await _show(
            bot, callback.from_user.id, session, current, answers, reader=reader_state, t=t
        )
    else:
        await callback.answer(t("survey.reader.old_button"), show_alert=True)


async def _closed(callback: CallbackQuery, t: Translate) -> None:
    await callback.answer(t("survey.reader.closed_meanwhile"), show_alert=True)


async def begin(
    callback: CallbackQuery, callback_data: ReaderCb, session: ReaderSession, *,
    surveys: SurveyService, bot: Bot, reader_state: FSMContext, t: Translate,
) -> None:  # fmt: skip
    await callback.answer()
    await edit_markup(callback, None)
    if callback_data.action is ReaderAction.CHANGE_ANSWERS:
        first = session.questionnaire.questions[0]
        await _ask(
            bot, callback.from_user.id, session, first, surveys=surveys, reader=reader_state, t=t
        )
        return
    await _go_on(bot, callback.from_user.id, session, surveys=surveys, t=t, reader=reader_state)


async def pick(
    callback: CallbackQuery, session: ReaderSession, question: Question, value: str, *,
    surveys: SurveyService, bot: Bot, reader_state: FSMContext, t: Translate,
) -> None:  # fmt: skip
    if not await surveys.choose(session, question, value):
        await _closed(callback, t)
        return
    await _answered_then_next(
        callback, session, question, surveys=surveys, bot=bot, reader=reader_state, t=t,
        ask_next=value != OTHER,
    )  # fmt: skip
    if value == OTHER:
        await _ask_other(bot, callback.from_user.id, session, question, reader=reader_state, t=t)


async def _ask_other(
    bot: Bot, chat_id: int, session: ReaderSession, question: Question, *, reader: FSMContext,
    t: Translate,
) -> None:  # fmt: skip
    await reader.set_state(ReaderStates.other_text)
    await reader.update_data({"survey_id": session.survey.id, "question": question.id})
    await bot.send_message(chat_id, t("survey.reader.other_prompt"))


async def toggle(
    callback: CallbackQuery, session: ReaderSession, question: Question, value: str, *,
    surveys: SurveyService, bot: Bot, reader_state: FSMContext, t: Translate,
) -> None:  # fmt: skip
    selected = await surveys.toggle(session, question, value)
    if selected is None:
        await _closed(callback, t)
        return
    await callback.answer()
    answers = await surveys.answers(session)
    _, markup = question_screen(session.survey.id, session.questionnaire, question, answers, t)
    await edit_markup(callback, markup)
    if value == OTHER and OTHER in selected:
        await _ask_other(bot, callback.from_user.id, session, question, reader=reader_state, t=t)


async def done(
    callback: CallbackQuery, session: ReaderSession, question: Question, *,
    surveys: SurveyService, bot: Bot, reader_state: FSMContext, t: Translate,
) -> None:  # fmt: skip
    answers = await surveys.answers(session)
    if question.selection(answers):
        saved = await surveys.confirm(session, question)
    elif question.required:
        await callback.answer(t("survey.reader.pick_required"), show_alert=True)
        return
    else:
        saved = await surveys.skip(session, question)
    if not saved:
        await _closed(callback, t)
        return
    await _answered_then_next(
        callback, session, question, surveys=surveys, bot=bot, reader=reader_state, t=t
    )


async def skip(
    callback: CallbackQuery, session: ReaderSession, question: Question, *,
    surveys: SurveyService, bot: Bot, reader_state: FSMContext, t: Translate,
) -> None:  # fmt: skip
    if question.required:
        await callback.answer(t("survey.reader.pick_required"), show_alert=True)
        return
    if not await surveys.skip(session, question):
        await _closed(callback, t)
        return
    await _answered_then_next(
        callback, session, question, surveys=surveys, bot=bot, reader=reader_state, t=t
    )


async def back(
    callback: CallbackQuery, session: ReaderSession, question: Question, *,
    surveys: SurveyService, bot: Bot, reader_state: FSMContext, t: Translate,
) -> None:  # fmt: skip
    ids = [q.id for q in session.questionnaire.questions]
    index = ids.index(question.id)
    await callback.answer()
    if index == 0:
        return
    await edit_markup(callback, None)
    previous = session.questionnaire.questions[index - 1]
    await _ask(
        bot, callback.from_user.id, session, previous, surveys=surveys, reader=reader_state, t=t
    )


async def send(
    callback: CallbackQuery, session: ReaderSession, *, surveys: SurveyService,
    reader_state: FSMContext, t: Translate,
) -> None:  # fmt: skip
    answers = await surveys.answers(session)
    missing = surveys.next_question(session, answers)
    if missing is not None:
        await callback.answer(t("survey.reader.pick_required"), show_alert=True)
        return
    finished = await surveys.finish(session)
    if not finished.saved:
        await _closed(callback, t)
        return
    # Sent: no screen is current any more, so a button the reader kept changes that answer
    # (until the survey closes), as "change answers" does.
    data = await reader_state.get_data()
    await reader_state.set_data({k: v for k, v in data.items() if k != ASKING_KEY})
    await callback.answer()
    await edit_markup(callback, None)
    key = "survey.reader.thanks" if finished.first_time else "survey.reader.updated"
    if isinstance(callback.message, Message):
        await callback.message.answer(t(key))


async def other_text(
    message: Message, *, surveys: SurveyService, reader_state: FSMContext, bot: Bot, t: Translate
) -> None:
    reader = reader_state
    data = await reader.get_data()
    session = await surveys.session(int(data.get("survey_id", 0)), message.chat.id)
    question = session.questionnaire.question(str(data.get("question"))) if session else None
    if session is None or question is None:
        await end_reader_step(reader)
        await message.answer(t("survey.reader.old_button"))
        return
    text = visible_text(message.text or "")
    if not has_letters(text):
        await message.answer(t("survey.reader.other_empty"))
        return
    if len(text) > question.max_len:
        await message.answer(t("survey.reader.other_too_long", max=question.max_len))
        return
    if not await surveys.save_other(session, question, text):
        await end_reader_step(reader)
        await message.answer(t("survey.reader.closed_meanwhile"))
        return
    await end_reader_step(reader)
    if question.kind is Kind.MULTI:
        # Back to the list: more choices may be ticked before Done.
        await _ask(bot, message.chat.id, session, question, surveys=surveys, reader=reader, t=t)
        return
    await _go_on(
        bot, message.chat.id, session, surveys=surveys, t=t, reader=reader, after=question
    )


async def other_not_text(message: Message, t: Translate) -> None:
    await message.answer(t("survey.reader.other_prompt"))


async def cancel_other(message: Message, *, reader_state: FSMContext, t: Translate) -> None:
    await end_reader_step(reader_state)
    await message.answer(t("survey.reader.other_cancelled"))


async def forget(
    message: Message, *, user: User, surveys: SurveyService, reader_state: FSMContext,
    t: Translate,
) -> None:  # fmt: skip
    if await surveys.response_count(user.id) == 0:
        # Nothing to confirm, but whatever state they left (a chosen language) goes.
        await reader_state.clear()
        await message.answer(t("survey.forget.nothing"))
        return
    builder = Keyboard()
    builder.button(
        text=t("survey.forget.confirm_button"),
        callback_data=ForgetCb(action=ForgetAction.CONFIRM),
    )
    builder.button(
        text=t("survey.forget.cancel_button"), callback_data=ForgetCb(action=ForgetAction.CANCEL)
    )
    builder.adjust(1)
    await message.answer(t("survey.forget.confirm"), reply_markup=builder.as_markup())


async def forget_answer(
    callback: CallbackQuery, callback_data: ForgetCb, *, surveys: SurveyService,
    reader_state: FSMContext, t: Translate,
) -> None:  # fmt: skip
    await callback.answer()
    if callback_data.action is not ForgetAction.CONFIRM:
        await edit_text(callback, t("survey.forget.cancelled"))
        return
    deleted = await surveys.forget(callback.from_user.id)
    await reader_state.clear()
    if deleted == 0:
        await edit_text(callback, t("survey.forget.nothing"))
        return
    await edit_text(callback, t.plural("survey.forget.done", deleted))


def create_router() -> Router:
    router = Router(name="survey_reader")
    router.message.register(
        open_link, CommandStart(deep_link=True, magic=F.args.startswith(PAYLOAD_PREFIX))
    )
    router.message.register(forget, Command("forget"))
    typing_other = InReaderState(ReaderStates.other_text)
    router.message.register(cancel_other, Command("cancel"), typing_other)
    router.message.register(other_text, typing_other, F.text, ~F.text.startswith("/"))
    router.message.register(other_not_text, typing_other, ~F.text)
    current = CurrentReaderButton()
    begin_actions = {ReaderAction.BEGIN, ReaderAction.CHANGE_ANSWERS}
    router.callback_query.register(begin, ReaderCb.filter(F.action.in_(begin_actions)), current)
    for handler, action in (
        (pick, ReaderAction.PICK),
        (toggle, ReaderAction.TOGGLE),
        (done, ReaderAction.DONE),
        (skip, ReaderAction.SKIP),
        (back, ReaderAction.BACK),
        (send, ReaderAction.SEND),
    ):
        router.callback_query.register(handler, ReaderCb.filter(F.action == action), current)
    # Last: every reader button the handlers above did not take.
    router.callback_query.register(refused_button, ReaderCb.filter())
    router.callback_query.register(forget_answer, ForgetCb.filter())
    return router
