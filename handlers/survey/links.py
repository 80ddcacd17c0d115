"""Links to a survey, one per place it is shared (a source), each with a QR code."""

from __future__ import annotations

from html import escape

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.i18n import I18n

from bot.access import IsStaff
from bot.db.repositories import Library, Repositories
from bot.domain.validation import Invalid
from bot.i18n import Translate, Translator
from bot.services.surveys import SurveyService
from bot.survey.draft import typed_line
from bot.survey.links import MAX_LABEL_LEN, SourceKind, deep_link
from bot.survey.models import Survey
from bot.survey.poster import poster_locale
from bot.survey.qr import qr_png
from bot.survey.texts import source_name
from handlers.keyboards import Keyboard
from handlers.message_edits import edit_markup, message_of
from handlers.survey.callbacks import PosterCb, StaffAction, StaffCb
from handlers.survey.common import (
    data_int,
    editor_context,
    one_button,
    pressed_in_step,
    register_typed,
)
from handlers.survey.filters import OwnSurvey
from handlers.survey.states import EditorStates
from handlers.survey.view import poster_keyboard


async def add_source(callback: CallbackQuery, survey: Survey, *, t: Translate) -> None:
    await callback.answer()
    builder = Keyboard()
    for kind in SourceKind:
        builder.button(
            text=t(f"survey.source.{kind.value}"),
            callback_data=StaffCb(
                action=StaffAction.SOURCE_KIND, survey_id=survey.id, value=kind.value
            ),
        )
    builder.adjust(2)
    message = message_of(callback)
    if message is not None:
        await message.answer(t("survey.staff.ask_source_kind"), reply_markup=builder.as_markup())


async def source_kind(
    callback: CallbackQuery,
    callback_data: StaffCb,
    survey: Survey,
    *,
    state: FSMContext,
    t: Translate,
) -> None:
    if callback_data.value not in {kind.value for kind in SourceKind}:
        await callback.answer(t("cb.unknown"), show_alert=True)
        return
    await callback.answer()
    await edit_markup(callback, None)
    editor = editor_context(state)
    await editor.set_state(EditorStates.source_label)
    await editor.set_data({"survey_id": survey.id, "kind": callback_data.value})
    message = message_of(callback)
    if message is not None:
        await message.answer(
            t("survey.staff.ask_source_label"),
            reply_markup=one_button(
                t("survey.staff.no_label_button"),
                StaffCb(action=StaffAction.NO_LABEL, survey_id=survey.id),
            ),
        )


async def typed_label(
    message: Message,
    *,
    libraries: list[Library],
    surveys: SurveyService,
    state: FSMContext,
    bot: Bot,
    t: Translate,
) -> None:
    label = typed_line(message.text or "", MAX_LABEL_LEN)
    if isinstance(label, Invalid):
        await message.answer(t(label.key, **label.params))
        return
    await _make_source(
        message.chat.id,
        label,
        editor=editor_context(state),
        libraries=libraries,
        surveys=surveys,
        bot=bot,
        t=t,
    )


async def no_label(
    callback: CallbackQuery,
    *,
    libraries: list[Library],
    surveys: SurveyService,
    state: FSMContext,
    bot: Bot,
    t: Translate,
) -> None:
    editor = await pressed_in_step(callback, state, EditorStates.source_label, t)
    if editor is not None:
        await _make_source(
            callback.from_user.id,
            "",
            editor=editor,
            libraries=libraries,
            surveys=surveys,
            bot=bot,
            t=t,
        )


async def _make_source(
    chat_id: int,
    label: str,
    *,
    editor: FSMContext,
    libraries: list[Library],
    surveys: SurveyService,
    bot: Bot,
    t: Translate,
) -> None:
    data = await editor.get_data()
    await editor.clear()
    survey = await surveys.staff_survey(data_int(data, "survey_id"), [x.id for x in libraries])
    if survey is None or not survey.is_open:
        await bot.send_message(chat_id, t("survey.staff.already_closed"))
        return
    source = await surveys.add_source(survey.id, str(data.get("kind", "other")), label)
    me = await bot.me()
    link = deep_link(me.username or "", source.payload)
    name = escape(source_name(source, t))
    await bot.send_message(
        chat_id,
        t("survey.staff.source_created", source=name, link=link),
        reply_markup=poster_keyboard(survey.id, [(source.id, t("survey.poster.button"))]),
    )
    await bot.send_document(
        chat_id,
        BufferedInputFile(qr_png(link), filename=f"survey-{survey.id}-{source.id}-qr.png"),
        caption=t("survey.staff.qr_caption", title=escape(survey.title), source=name),
    )


async def send_poster(
    callback: CallbackQuery,
    callback_data: PosterCb,
    survey: Survey,
    *,
    surveys: SurveyService,
    repo: Repositories,
    bot: Bot,
    i18n: I18n,
    t: Translate,
) -> None:
    source = await surveys.source(survey, callback_data.source_id)
    message = message_of(callback)
    if source is None or message is None:
        await callback.answer(t("survey.staff.not_member"), show_alert=True)
        return
    await callback.answer()
    library = await repo.libraries.get(survey.library_id)
    library_name = library.name if library and library.name else t("msg.untitled_library")
    locale = poster_locale(library.country if library else "", t.locale)
    me = await bot.me()
    link = deep_link(me.username or "", source.payload)
    await bot.send_chat_action(message.chat.id, "upload_document")
    pdf = await surveys.poster(survey, library_name, link, Translator(i18n, locale))
    name = escape(source_name(source, t))
    await message.answer_document(
        BufferedInputFile(pdf, filename=f"survey-{survey.id}-{source.id}-poster-a4.pdf"),
        caption=t("survey.poster.caption", title=escape(survey.title), source=name),
    )


def create_router() -> Router:
    """After the editor's router, whose /cancel and "text expected" serve this step too."""
    router = Router(name="survey_links")
    staff, own = IsStaff(), OwnSurvey()
    register_typed(router, typed_label, EditorStates.source_label)
    router.callback_query.register(
        add_source, StaffCb.filter(F.action == StaffAction.ADD_SOURCE), staff, own
    )
    router.callback_query.register(
        source_kind, StaffCb.filter(F.action == StaffAction.SOURCE_KIND), staff, own
    )
    router.callback_query.register(
        no_label, StaffCb.filter(F.action == StaffAction.NO_LABEL), staff
    )
    router.callback_query.register(send_poster, PosterCb.filter(), staff, own)
    return router
