"""Readers answer a survey: deep link, privacy note, one question per message, /forget.

A reader's place is their stored answers (the first question without one), so no FSM
state is needed except while typing an "Other…" text, and that lives under the reader's
pseudonym (``reader_state``, see :mod:`bot.readers`), never their Telegram id: a librarian
testing their own survey keeps their place in the wizard.
"""

from __future__ import annotations

from html import escape
from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.db.repositories import Repositories, User
from bot.domain.questions import OTHER, Kind, Question
from bot.domain.validation import has_letters, visible_text
from bot.i18n import Translate
from bot.readers import ASKING_KEY, end_reader_step
from bot.services.surveys import ReaderSession, SurveyService
from bot.survey.links import PAYLOAD_PREFIX
from bot.survey.models import LinkProblem
from handlers.message_edits import edit_markup, edit_text
from handlers.privacy import reader_note
from handlers.survey.common import ForgetCb, InReaderState, ReaderCb, ReaderStates
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
    repo: Repositories,
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
        library = await repo.libraries.get(survey.library_id)
        name = library.name if library and library.name else t("msg.untitled_library")
        builder = InlineKeyboardBuilder()
        builder.button(
            text=t("survey.reader.start_button"), callback_data=ReaderCb(a="go", s=survey.id)
        )
        greeting = t("survey.reader.greeting", library=escape(name), title=escape(survey.title))
        await message.answer(
            f"{greeting}\n\n{reader_note(t, min_results=surveys.min_results)}",
            reply_markup=builder.as_markup(),
        )
        return
    if opened.response.is_complete:
        builder = InlineKeyboardBuilder()
        builder.button(
            text=t("survey.reader.change_answers_button"),
            callback_data=ReaderCb(a="edit", s=survey.id),
        )
        await message.answer(t("survey.reader.already_done"), reply_markup=builder.as_markup())
        return
    await message.answer(t("survey.reader.resume"))
    session = await surveys.session(survey.id, user.id)
    if session is not None:
        await _go_on(bot, message.chat.id, session, surveys=surveys, t=t, reader=reader_state)


async def _session(
    callback: CallbackQuery, callback_data: ReaderCb, surveys: SurveyService, t: Translate
) -> ReaderSession | None:
    session = await surveys.session(callback_data.s, callback.from_user.id)
    if session is None:
        await callback.answer(t("survey.reader.old_button"), show_alert=True)
    return session


async def _question(
    callback: CallbackQuery, callback_data: ReaderCb, *, surveys: SurveyService, bot: Bot,
    reader: FSMContext, t: Translate,
) -> tuple[ReaderSession, Question] | None:  # fmt: skip
    """The survey and question a button answers, if that question is the one being asked.

    A button of an older question (its screen was never replaced: the bot stopped mid-update,
    or the reader scrolled up) shows the current question again, as opening the link does.
    """
    session = await _session(callback, callback_data, surveys, t)
    if session is None:
        return None
    question = session.questionnaire.question(callback_data.q)
    if question is None:
        await callback.answer(t("survey.reader.old_button"), show_alert=True)
        return None
    asking = (await reader.get_data()).get(ASKING_KEY)
    if isinstance(asking, list) and _shown_elsewhere(asking, session.survey.id, question.id):
        if not session.survey.is_open:
            await _closed(callback, t)
            return None
        await callback.answer(t("cb.stale"))
        answers = await surveys.answers(session)
        # The question shown last, else (the review was) the first without an answer, if any.
        current = session.questionnaire.question(str(asking[1])) or surveys.next_question(
            session, answers
        )
        await _show(bot, callback.from_user.id, session, current, answers, reader=reader, t=t)
        return None
    return session, question


def _shown_elsewhere(asking: list[Any], survey_id: int, question_id: str) -> bool:
    """Whether the reader's current screen of this survey is another question or the review
    (another survey's, or nothing recorded: the button is taken as it is)."""
    return len(asking) == 2 and asking[0] == survey_id and asking[1] != question_id


async def _closed(callback: CallbackQuery, t: Translate) -> None:
    await callback.answer(t("survey.reader.closed_meanwhile"), show_alert=True)


async def begin(
    callback: CallbackQuery, callback_data: ReaderCb, *, surveys: SurveyService, bot: Bot,
    reader_state: FSMContext, t: Translate,
) -> None:  # fmt: skip
    session = await _session(callback, callback_data, surveys, t)
    if session is None:
        return
    await callback.answer()
    await edit_markup(callback, None)
    if callback_data.a == "edit":
        first = session.questionnaire.questions[0]
        await _ask(
            bot, callback.from_user.id, session, first, surveys=surveys, reader=reader_state, t=t
        )
        return
    await _go_on(bot, callback.from_user.id, session, surveys=surveys, t=t, reader=reader_state)


async def _choice(
    callback: CallbackQuery, callback_data: ReaderCb, kind: Kind, *, surveys: SurveyService,
    bot: Bot, reader: FSMContext, t: Translate,
) -> tuple[ReaderSession, Question, str] | None:  # fmt: skip
    """The current question and the chosen option's value, if the button is still valid."""
    found = await _question(callback, callback_data, surveys=surveys, bot=bot, reader=reader, t=t)
    if found is None:
        return None
    session, question = found
    options = question.options
    index = callback_data.o
    if question.kind is not kind or not 0 <= index < len(options):
        await callback.answer(t("survey.reader.old_button"), show_alert=True)
        return None
    return session, question, options[index].value


async def pick(
    callback: CallbackQuery, callback_data: ReaderCb, *, surveys: SurveyService, bot: Bot,
    reader_state: FSMContext, t: Translate,
) -> None:  # fmt: skip
    chosen = await _choice(
        callback, callback_data, Kind.SINGLE, surveys=surveys, bot=bot, reader=reader_state, t=t
    )
    if chosen is None:
        return
    session, question, value = chosen
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
    callback: CallbackQuery, callback_data: ReaderCb, *, surveys: SurveyService, bot: Bot,
    reader_state: FSMContext, t: Translate,
) -> None:  # fmt: skip
    chosen = await _choice(
        callback, callback_data, Kind.MULTI, surveys=surveys, bot=bot, reader=reader_state, t=t
    )
    if chosen is None:
        return
    session, question, value = chosen
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
    callback: CallbackQuery, callback_data: ReaderCb, *, surveys: SurveyService, bot: Bot,
    reader_state: FSMContext, t: Translate,
) -> None:  # fmt: skip
    found = await _question(
        callback, callback_data, surveys=surveys, bot=bot, reader=reader_state, t=t
    )
    if found is None:
        return
    session, question = found
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
    callback: CallbackQuery, callback_data: ReaderCb, *, surveys: SurveyService, bot: Bot,
    reader_state: FSMContext, t: Translate,
) -> None:  # fmt: skip
    found = await _question(
        callback, callback_data, surveys=surveys, bot=bot, reader=reader_state, t=t
    )
    if found is None:
        return
    session, question = found
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
    callback: CallbackQuery, callback_data: ReaderCb, *, surveys: SurveyService, bot: Bot,
    reader_state: FSMContext, t: Translate,
) -> None:  # fmt: skip
    found = await _question(
        callback, callback_data, surveys=surveys, bot=bot, reader=reader_state, t=t
    )
    if found is None:
        return
    session, question = found
    ids = [q.id for q in session.questionnaire.questions]
    index = ids.index(question.id)
    if index == 0:
        await callback.answer()
        return
    await callback.answer()
    await edit_markup(callback, None)
    previous = session.questionnaire.questions[index - 1]
    await _ask(
        bot, callback.from_user.id, session, previous, surveys=surveys, reader=reader_state, t=t
    )


async def send(
    callback: CallbackQuery, callback_data: ReaderCb, *, surveys: SurveyService,
    reader_state: FSMContext, t: Translate,
) -> None:  # fmt: skip
    session = await _session(callback, callback_data, surveys, t)
    if session is None:
        return
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
    builder = InlineKeyboardBuilder()
    builder.button(text=t("survey.forget.confirm_button"), callback_data=ForgetCb(a="yes"))
    builder.button(text=t("survey.forget.cancel_button"), callback_data=ForgetCb(a="no"))
    builder.adjust(1)
    await message.answer(t("survey.forget.confirm"), reply_markup=builder.as_markup())


async def forget_answer(
    callback: CallbackQuery, callback_data: ForgetCb, *, surveys: SurveyService,
    reader_state: FSMContext, t: Translate,
) -> None:  # fmt: skip
    await callback.answer()
    if callback_data.a != "yes":
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
    router.callback_query.register(begin, ReaderCb.filter(F.a.in_({"go", "edit"})))
    router.callback_query.register(pick, ReaderCb.filter(F.a == "pick"))
    router.callback_query.register(toggle, ReaderCb.filter(F.a == "tog"))
    router.callback_query.register(done, ReaderCb.filter(F.a == "done"))
    router.callback_query.register(skip, ReaderCb.filter(F.a == "skip"))
    router.callback_query.register(back, ReaderCb.filter(F.a == "back"))
    router.callback_query.register(send, ReaderCb.filter(F.a == "send"))
    router.callback_query.register(forget_answer, ForgetCb.filter())
    return router
