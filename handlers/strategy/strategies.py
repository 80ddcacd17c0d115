"""/strategies: open, copy for next year, or delete (with confirmation) a strategy."""

from __future__ import annotations

from html import escape

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from bot.access import InLibrary, may_change_strategy
from bot.db.repositories import Library, Repositories, Strategy, User
from handlers.keyboards import Keyboard
from handlers.message_edits import edit_markup
from handlers.strategy.callbacks import StrategyAction, StrategyCb
from handlers.strategy.flow import WizardFlow
from handlers.strategy.labels import library_strategies, strategy_label
from handlers.team import library_name


async def list_strategies(
    message: Message, flow: WizardFlow, user: User, library: Library, repo: Repositories
) -> None:
    strategies = await library_strategies(repo, library)
    if not strategies:
        await message.answer(flow.t("msg.no_strategies"))
        return
    role = await repo.libraries.member_role(library.id, user.id)
    builder = Keyboard()
    sizes = []
    for strategy in strategies[:15]:
        title = await strategy_label(repo, strategy, flow.t)
        builder.button(
            text=flow.t("btn.strategy_open", title=title),
            callback_data=StrategyCb(action=StrategyAction.OPEN, strategy_id=strategy.id),
        )
        builder.button(
            text=flow.t("btn.strategy_copy"),
            callback_data=StrategyCb(action=StrategyAction.COPY, strategy_id=strategy.id),
        )
        deletable = may_change_strategy(strategy, user.id, role)
        if deletable:
            builder.button(
                text=flow.t("btn.strategy_delete"),
                callback_data=StrategyCb(action=StrategyAction.DELETE, strategy_id=strategy.id),
            )
        sizes += [1, 2 if deletable else 1]
    builder.adjust(*sizes)
    await message.answer(
        flow.t("library.heading", library=library_name(library, flow.t))
        + "\n"
        + flow.t("msg.strategies_manage"),
        reply_markup=builder.as_markup(),
    )


async def _owned(
    callback: CallbackQuery, callback_data: StrategyCb, flow: WizardFlow, repo: Repositories
) -> Strategy | None:
    strategy = await repo.strategies.get_for_user(callback_data.strategy_id, callback.from_user.id)
    if strategy is None:
        await callback.answer(flow.t("cb.unknown"), show_alert=True)
    return strategy


async def _changeable(
    callback: CallbackQuery, callback_data: StrategyCb, flow: WizardFlow, repo: Repositories
) -> Strategy | None:
    """The strategy, if the rules in bot/access.py let this member delete or reopen it."""
    strategy = await _owned(callback, callback_data, flow, repo)
    if strategy is None:
        return None
    role = await repo.libraries.member_role(strategy.library_id, callback.from_user.id)
    if not may_change_strategy(strategy, callback.from_user.id, role):
        await callback.answer(flow.t("access.strategy_not_yours"), show_alert=True)
        return None
    return strategy


async def copy_strategy(
    callback: CallbackQuery, callback_data: StrategyCb, flow: WizardFlow, repo: Repositories
) -> None:
    strategy = await _owned(callback, callback_data, flow, repo)
    if strategy is None:
        return
    await callback.answer()
    title = await strategy_label(repo, strategy, flow.t)
    base = strategy.title or title.split(" · ")[0]
    copy = await repo.strategies.duplicate(
        strategy.id, callback.from_user.id, flow.t("msg.copy_title", title=base)[:200]
    )
    await flow.send(flow.t("msg.copied", title=escape(base)))
    await flow.state.clear()
    await flow.resume(copy)


async def ask_delete(
    callback: CallbackQuery, callback_data: StrategyCb, flow: WizardFlow, repo: Repositories
) -> None:
    strategy = await _changeable(callback, callback_data, flow, repo)
    if strategy is None:
        return
    await callback.answer()
    title = await strategy_label(repo, strategy, flow.t)
    builder = Keyboard()
    builder.button(
        text=flow.t("btn.confirm_delete"),
        callback_data=StrategyCb(action=StrategyAction.DELETE_CONFIRM, strategy_id=strategy.id),
    )
    builder.button(
        text=flow.t("btn.keep_it"),
        callback_data=StrategyCb(action=StrategyAction.DELETE_CANCEL, strategy_id=strategy.id),
    )
    await flow.send(flow.t("msg.confirm_delete", title=escape(title)), builder.as_markup())


async def confirm_delete(
    callback: CallbackQuery, callback_data: StrategyCb, flow: WizardFlow, repo: Repositories
) -> None:
    strategy = await _changeable(callback, callback_data, flow, repo)
    if strategy is None:
        return
    await callback.answer()
    await edit_markup(callback, None)
    if callback_data.action == StrategyAction.DELETE_CANCEL:
        await flow.send(flow.t("msg.kept"))
        return
    await repo.strategies.delete(strategy.id)
    if (await flow.state.get_data()).get("strategy_id") == strategy.id:
        await flow.state.clear()
    await flow.send(flow.t("msg.deleted"))


async def reopen(
    callback: CallbackQuery, callback_data: StrategyCb, flow: WizardFlow, repo: Repositories
) -> None:
    """Change answers of a finished strategy: back to draft, straight to the review."""
    strategy = await _changeable(callback, callback_data, flow, repo)
    if strategy is None:
        return
    await callback.answer()
    await repo.strategies.reopen(strategy.id)
    await flow.state.clear()
    reopened = await repo.strategies.get(strategy.id)
    assert reopened is not None
    await flow.show_review(reopened)


def create_router() -> Router:
    router = Router(name="strategies")
    router.message.register(list_strategies, Command("strategies"), InLibrary())
    router.callback_query.register(
        copy_strategy, StrategyCb.filter(F.action == StrategyAction.COPY)
    )
    router.callback_query.register(
        ask_delete, StrategyCb.filter(F.action == StrategyAction.DELETE)
    )
    router.callback_query.register(
        confirm_delete,
        StrategyCb.filter(
            F.action.in_({StrategyAction.DELETE_CONFIRM, StrategyAction.DELETE_CANCEL})
        ),
    )
    router.callback_query.register(reopen, StrategyCb.filter(F.action == StrategyAction.REOPEN))
    return router
