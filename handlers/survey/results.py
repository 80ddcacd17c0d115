"""Staff read survey results: /results, summary, charts, CSV/XLSX, links, step 2 of a strategy."""

from __future__ import annotations

from html import escape

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, InputMediaPhoto, Message
from aiogram.utils.chat_action import ChatActionSender

from bot.access import InLibrary, IsStaff
from bot.db.repositories import Library, Repositories, Strategy
from bot.domain.method import STRATEGY_METHOD
from bot.i18n import Translate
from bot.services.surveys import Preview, SurveyService
from bot.survey.links import deep_link
from bot.survey.models import Survey
from bot.survey.stats import SMALL_SAMPLE
from bot.survey.texts import source_name, sources_text
from handlers.keyboards import Keyboard
from handlers.message_edits import edit_markup, message_of, pressed_message
from handlers.strategy.labels import strategy_label
from handlers.survey.callbacks import StaffAction, StaffCb
from handlers.survey.filters import OwnSurvey
from handlers.survey.menu import show_card
from handlers.survey.view import poster_keyboard, survey_keyboard, surveys_list_keyboard


async def results_list(
    message: Message, *, library: Library, surveys: SurveyService, t: Translate
) -> None:
    found = await surveys.of_libraries([library.id])
    if not found:
        await message.answer(t("survey.staff.list_empty") + "\n" + t("survey.staff.create_hint"))
        return
    builder = await surveys_list_keyboard(found, surveys, StaffAction.RESULTS, t)
    await message.answer(t("survey.staff.list_title"), reply_markup=builder.as_markup())


async def results(
    callback: CallbackQuery, survey: Survey, *, surveys: SurveyService, t: Translate
) -> None:
    message = await pressed_message(callback)
    if message is None:
        return
    parts = await surveys.results_texts(survey, t)
    for index, part in enumerate(parts):
        markup = survey_keyboard(survey, t) if index == len(parts) - 1 else None
        await message.answer(part, reply_markup=markup)


ALBUM_SIZE = 10
"""Telegram's largest media group."""


async def charts(
    callback: CallbackQuery, survey: Survey, *, surveys: SurveyService, bot: Bot, t: Translate
) -> None:
    message = await pressed_message(callback)
    if message is None:
        return
    # "Sending a photo…" while matplotlib draws, then the charts as albums of up to ten.
    async with ChatActionSender.upload_photo(chat_id=message.chat.id, bot=bot):
        drawn = await surveys.charts(survey, t)
    if not drawn:
        await message.answer(await surveys.too_few_text(survey, t))
        return
    caption = t("survey.staff.charts_caption", title=escape(survey.title))
    for start in range(0, len(drawn), ALBUM_SIZE):
        album = drawn[start : start + ALBUM_SIZE]
        photos = [
            BufferedInputFile(png, filename=f"{question_id}.png") for question_id, png in album
        ]
        if len(photos) == 1:  # an album needs two at least
            await message.answer_photo(photos[0], caption=caption if start == 0 else None)
            continue
        await bot.send_media_group(
            message.chat.id,
            [
                InputMediaPhoto(media=photo, caption=caption if start == index == 0 else None)
                for index, photo in enumerate(photos)
            ],
        )


async def export_file(
    callback: CallbackQuery,
    callback_data: StaffCb,
    survey: Survey,
    *,
    surveys: SurveyService,
    t: Translate,
) -> None:
    message = await pressed_message(callback)
    if message is None:
        return
    _, completed = await surveys.response_counts(survey.id)
    if completed < surveys.min_results:
        await message.answer(await surveys.too_few_text(survey, t))
        return
    if callback_data.action == StaffAction.CSV:
        data = await surveys.export_csv(survey, t)
    else:
        data = await surveys.export_xlsx(survey, t)
    filename = f"{t('survey.export.file_stem')}-{survey.id}.{callback_data.action}"
    await message.answer_document(
        BufferedInputFile(data, filename=filename),
        caption=t("survey.staff.export_caption", title=escape(survey.title)),
    )


async def sources(
    callback: CallbackQuery, survey: Survey, *, surveys: SurveyService, t: Translate
) -> None:
    message = await pressed_message(callback)
    if message is None:
        return
    counts = await surveys.source_counts(survey)
    buttons = [
        (item.source.id, t("survey.poster.button_for", source=source_name(item.source, t)))
        for item in counts
    ]
    await message.answer(
        sources_text(counts, t, min_results=surveys.min_results),
        reply_markup=poster_keyboard(survey.id, buttons) if buttons else None,
    )


async def _target_strategy(
    repo: Repositories, state: FSMContext, user_id: int, library_id: int
) -> Strategy | None:
    """The strategy open in the wizard, else the user's latest one of this library."""
    current = (await state.get_data()).get("strategy_id")
    if isinstance(current, int):
        strategy = await repo.strategies.get_for_user(current, user_id)
        if strategy is not None and strategy.library_id == library_id:
            return strategy
    mine = [s for s in await repo.strategies.of_user(user_id) if s.library_id == library_id]
    return mine[0] if mine else None


async def apply(
    callback: CallbackQuery,
    survey: Survey,
    *,
    surveys: SurveyService,
    repo: Repositories,
    state: FSMContext,
    t: Translate,
) -> None:
    """Show what the survey would write into step 2, and ask before writing it."""
    message = await pressed_message(callback)
    if message is None:
        return
    strategy = await _target_strategy(repo, state, callback.from_user.id, survey.library_id)
    preview = await _checked_preview(survey, strategy, surveys, t)
    if isinstance(preview, str):
        await message.answer(preview)
        return
    assert strategy is not None
    label = escape(await strategy_label(repo, strategy, t))
    builder = Keyboard()
    builder.button(
        text=t("survey.staff.apply_confirm_button"),
        callback_data=StaffCb(
            action=StaffAction.APPLY_CONFIRM, survey_id=survey.id, value=str(strategy.id)
        ),
    )
    builder.button(
        text=t("survey.staff.apply_cancel_button"),
        callback_data=StaffCb(action=StaffAction.APPLY_CANCEL, survey_id=survey.id),
    )
    builder.adjust(1)
    text = "\n\n".join(
        [
            t("survey.staff.apply_preview", strategy=label),
            preview_lines(preview, t),
            t.plural("survey.staff.applied_sample", preview.audience.sample_size),
        ]
    )
    await message.answer(text, reply_markup=builder.as_markup())


async def _checked_preview(
    survey: Survey, strategy: Strategy | None, surveys: SurveyService, t: Translate
) -> Preview | str:
    """What would be written, or why nothing may be (as the text to answer)."""
    _, completed = await surveys.response_counts(survey.id)
    if completed < surveys.min_for_strategy:
        return t.plural("survey.staff.apply_too_few", surveys.min_for_strategy, count=completed)
    if strategy is None:
        return t("survey.staff.apply_no_strategy")
    if strategy.is_complete:
        return t("survey.staff.apply_complete")
    preview = await surveys.preview_for_strategy(survey)
    if not preview.values:
        return t("survey.staff.apply_nothing")
    return preview


def preview_lines(preview: Preview, t: Translate) -> str:
    """One line per step 2 question the survey would fill: the question, then the answer."""
    lines = []
    for question_id, value in preview.values.items():
        question = STRATEGY_METHOD.question(question_id)
        if question is None:
            continue
        chosen = value if isinstance(value, list) else [value]
        labels = ", ".join(escape(t(question.option_key(str(item)))) for item in chosen)
        lines.append(f"• {t(question.text_key + '.short')}: {labels}")
    return "\n".join(lines)


async def apply_confirmed(
    callback: CallbackQuery,
    callback_data: StaffCb,
    survey: Survey,
    *,
    surveys: SurveyService,
    repo: Repositories,
    t: Translate,
) -> None:
    message = await pressed_message(callback)
    if message is None:
        return
    await edit_markup(callback, None)
    strategy = None
    if callback_data.value.isdecimal() and len(callback_data.value) < 12:
        strategy = await repo.strategies.get_for_user(
            int(callback_data.value), callback.from_user.id
        )
    if strategy is not None and strategy.library_id != survey.library_id:
        strategy = None
    # Checked again: answers may have been forgotten, or the strategy finished, meanwhile.
    preview = await _checked_preview(survey, strategy, surveys, t)
    if isinstance(preview, str):
        await message.answer(preview)
        return
    assert strategy is not None
    applied = await surveys.apply_to_strategy(survey, strategy.id, preview)
    lines = [
        t("survey.staff.applied", strategy=escape(await strategy_label(repo, strategy, t))),
        t.plural("survey.staff.applied_sample", applied.audience.sample_size),
    ]
    if applied.small_sample:
        lines.append(
            t("survey.staff.small_sample", n=applied.audience.sample_size, min=SMALL_SAMPLE)
        )
    await message.answer("\n\n".join(lines))


async def apply_cancelled(callback: CallbackQuery, t: Translate) -> None:
    await callback.answer()
    await edit_markup(callback, None)
    message = message_of(callback)
    if message is not None:
        await message.answer(t("survey.staff.apply_cancelled"))


async def run_again(
    callback: CallbackQuery,
    survey: Survey,
    *,
    surveys: SurveyService,
    repo: Repositories,
    bot: Bot,
    t: Translate,
) -> None:
    message = await pressed_message(callback)
    if message is None:
        return
    wave = await surveys.run_again(survey, callback.from_user.id, t)
    me = await bot.me()
    lines = [t("survey.wave.created", title=escape(wave.title), previous=escape(survey.title))]
    buttons = []
    for source in await surveys.sources(wave.id):
        name = source_name(source, t)
        link = deep_link(me.username or "", source.payload)
        lines.append(f"• {escape(name)}: {link}")
        buttons.append((source.id, t("survey.poster.button_for", source=name)))
    markup = poster_keyboard(wave.id, buttons) if buttons else None
    await message.answer("\n".join(lines), reply_markup=markup)
    await show_card(bot, callback.from_user.id, wave, surveys=surveys, repo=repo, t=t)


async def compare_waves(
    callback: CallbackQuery, survey: Survey, *, surveys: SurveyService, t: Translate
) -> None:
    message = await pressed_message(callback)
    if message is None:
        return
    previous = await surveys.previous_wave(survey)
    if previous is None:
        await message.answer(t("survey.wave.no_previous"))
        return
    for part in await surveys.compare_waves(survey, previous, t):
        await message.answer(part)


def create_router() -> Router:
    router = Router(name="survey_results")
    staff, own = IsStaff(), OwnSurvey()
    router.message.register(results_list, Command("results"), InLibrary())
    router.callback_query.register(
        results, StaffCb.filter(F.action == StaffAction.RESULTS), staff, own
    )
    router.callback_query.register(
        charts, StaffCb.filter(F.action == StaffAction.CHARTS), staff, own
    )
    router.callback_query.register(
        export_file, StaffCb.filter(F.action.in_({StaffAction.CSV, StaffAction.XLSX})), staff, own
    )
    router.callback_query.register(
        sources, StaffCb.filter(F.action == StaffAction.SOURCES), staff, own
    )
    router.callback_query.register(
        apply, StaffCb.filter(F.action == StaffAction.APPLY), staff, own
    )
    router.callback_query.register(
        apply_confirmed, StaffCb.filter(F.action == StaffAction.APPLY_CONFIRM), staff, own
    )
    router.callback_query.register(
        apply_cancelled, StaffCb.filter(F.action == StaffAction.APPLY_CANCEL), staff
    )

    router.callback_query.register(
        run_again, StaffCb.filter(F.action == StaffAction.RUN_AGAIN), staff, own
    )
    router.callback_query.register(
        compare_waves, StaffCb.filter(F.action == StaffAction.COMPARE_WAVES), staff, own
    )
    return router
