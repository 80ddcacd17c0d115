"""/stats for admins: every count from the real tables, with 'this week' on a given clock."""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram import Dispatcher
from aiogram.utils.i18n import I18n

from bot.clock import to_db
from bot.db.repositories import Repositories
from bot.db.stats import LibraryCounts, collect_stats
from bot.i18n import Translator
from bot.outbox.repository import Outbox
from handlers.admin import render_stats
from tests.chat import ChatUser
from tests.conftest import ADMIN_ID
from tests.mocked_bot import MockedBot

NOW = datetime(2026, 3, 10, 12, tzinfo=UTC)


async def fill(repo: Repositories) -> None:
    db = repo.db
    for user_id in (1, 2, 3, 4):
        await repo.users.upsert(user_id, f"U{user_id}", "ru")
    first = await repo.libraries.create(1, "Первая")
    second = await repo.libraries.create(2, "Вторая")
    await repo.libraries.add_member(first.id, 3)
    await repo.users.mark_blocked(4)
    draft = await repo.strategies.create(first.id, 1)
    old = await repo.strategies.create(first.id, 3)
    recent = await repo.strategies.create(second.id, 2)
    for strategy, completed in ((old, "2026-02-01T10:00:00.000Z"), (recent, to_db(NOW))):
        await db.execute(
            "UPDATE strategies SET status = 'complete', completed_at = ? WHERE id = ?",
            (completed, strategy.id),
        )
    assert draft.status == "draft"
    await db.execute(
        "INSERT INTO surveys (id, library_id, created_by, title) VALUES (1, ?, 1, 'Open')",
        (first.id,),
    )
    await db.execute(
        "INSERT INTO surveys (id, library_id, created_by, title, status) "
        "VALUES (2, ?, 2, 'Closed', 'closed')",
        (second.id,),
    )
    await db.execute(
        "INSERT INTO surveys (id, library_id, created_by, title, closes_at) "
        "VALUES (3, ?, 2, 'Expired', '2026-03-01T00:00:00.000000Z')",
        (second.id,),
    )
    for reader, answered_at in (
        ("a", to_db(NOW)),
        ("b", "2026-01-01T00:00:00.000Z"),
        ("c", None),
    ):
        await db.execute(
            "INSERT INTO responses (survey_id, reader_hash, completed_at) VALUES (1, ?, ?)",
            (reader, answered_at),
        )
    await db.commit()
    outbox = Outbox(db)
    await outbox.enqueue_message(1, "waiting")
    failed = await outbox.enqueue_message(2, "broken")
    await outbox.mark_failed(failed.id, "Bad Request")
    await outbox.enqueue_message(4, "to a user who blocked the bot")


async def test_stats_count_everything(repo: Repositories) -> None:
    await fill(repo)
    stats = await collect_stats(repo.db, NOW)
    assert (stats.libraries, stats.staff) == (2, 3)
    assert (stats.strategies_draft, stats.strategies_complete) == (1, 2)
    assert stats.completed_this_week == 1
    assert (stats.surveys_open, stats.surveys_closed) == (1, 2)
    assert (stats.responses_started, stats.responses_completed) == (3, 2)
    assert stats.responses_this_week == 1
    assert (stats.outbox_pending, stats.outbox_failed, stats.outbox_blocked) == (1, 1, 1)
    assert stats.users_blocked == 1


async def test_each_library_counts_its_team_surveys_and_answers(repo: Repositories) -> None:
    await fill(repo)
    await repo.libraries.create(4, "Пустая")
    first, second, empty = await repo.libraries.all()
    counts = await repo.stats.libraries()
    assert counts[first.id] == LibraryCounts(members=2, surveys=1, surveys_open=1, responses=2)
    # The expired survey is still 'open' in its row: the row says what the library launched.
    assert counts[second.id] == LibraryCounts(members=1, surveys=2, surveys_open=1, responses=0)
    assert counts[empty.id] == LibraryCounts(members=1)


async def test_stats_text_in_both_languages(repo: Repositories, i18n: I18n) -> None:
    await fill(repo)
    stats = await collect_stats(repo.db, NOW)
    ru = render_stats(stats, Translator(i18n, "ru"))
    en = render_stats(stats, Translator(i18n, "en"))
    assert "черновиков 1, завершённых 2 (за неделю: 1)" in ru
    assert "Заблокировали бота: 1" in ru
    assert "Strategies: 1 drafts, 2 complete (1 this week)" in en
    assert "Outgoing messages: 1 waiting, 1 failed, 1 blocked" in en


async def test_admin_gets_stats_in_their_language_others_are_refused(
    dispatcher: Dispatcher, bot: MockedBot, repo: Repositories, i18n: I18n, john: ChatUser
) -> None:
    await fill(repo)
    admin = ChatUser(dispatcher, bot, ADMIN_ID, language_code="en", first_name="Admin")
    (text,) = admin.texts(await admin.send("/stats"))
    assert text.startswith("<b>Bot statistics</b>")
    assert "Libraries: 2, staff: 3" in text
    refused = john.texts(await john.send("/stats"))
    assert refused == [Translator(i18n, "en")("access.admin_only")]
