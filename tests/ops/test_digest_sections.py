"""The digest's extra paragraphs: new strategies, wizards left unfinished, survey progress."""

from __future__ import annotations

from bot.clock import to_db
from bot.db.engine import Database
from bot.db.repositories import Libraries, Strategies, Users
from bot.i18n import Translator, create_i18n
from bot.outbox.repository import Outbox
from bot.scheduling.digest import WeeklyDigest
from bot.scheduling.digest_sections import digest_sections
from tests.ops.fakes import FakeClock, utc


async def test_digest_lists_new_strategies_stale_drafts_and_survey_answers(
    db: Database, clock: FakeClock
) -> None:
    clock.set(utc(2026, 3, 9, 6))
    await Users(db).upsert(1, "Owner", "ru")
    library = await Libraries(db).create(1, "Библиотека")
    other = await Libraries(db).create(1, "Чужая")
    strategies = Strategies(db)
    fresh = await strategies.create(library.id, 1, "Новая <весна>")
    stale = await strategies.create(library.id, 1, "Забытая")
    done = await strategies.create(library.id, 1, "Готовая")
    foreign = await strategies.create(other.id, 1, "Чужая стратегия")
    month_ago = "2026-02-01T10:00:00.000Z"
    for strategy in (stale, done, foreign):
        await db.execute(
            "UPDATE strategies SET created_at = ?, updated_at = ? WHERE id = ?",
            (month_ago, month_ago, strategy.id),
        )
    await db.execute("UPDATE strategies SET status = 'complete' WHERE id = ?", (done.id,))
    await db.execute(
        "UPDATE strategies SET created_at = ?, updated_at = ? WHERE id = ?",
        (to_db(clock.now()), to_db(clock.now()), fresh.id),
    )
    await db.execute(
        "INSERT INTO surveys (id, library_id, created_by, title) VALUES (1, ?, 1, 'Читатели')",
        (library.id,),
    )
    await db.execute(
        "INSERT INTO surveys (id, library_id, created_by, title, status) "
        "VALUES (2, ?, 1, 'Старый', 'closed')",
        (library.id,),
    )
    for reader, completed in (("a", "2026-03-08T10:00:00.000Z"), ("b", month_ago)):
        await db.execute(
            "INSERT INTO responses (survey_id, reader_hash, completed_at) VALUES (1, ?, ?)",
            (reader, completed),
        )
    await db.commit()
    i18n = create_i18n()
    digest = WeeklyDigest(
        db,
        Outbox(db, now=clock.now),
        lambda locale: Translator(i18n, locale),
        sections=digest_sections(db, now=clock.now),
    )

    ru = await digest.render(library, Translator(i18n, "ru"))
    assert "За неделю начата 1 новая стратегия." in ru
    assert "<b>1 стратегия не закончена</b>" in ru
    assert "• Забытая (последние изменения 2026-02-01)" in ru
    assert "Новая" not in ru  # touched this week: not stale
    assert "Чужая" not in ru
    assert "• «Читатели»: за неделю 1, всего 2" in ru
    assert "Старый" not in ru  # closed and quiet this week

    en = await digest.render(library, Translator(i18n, "en"))
    assert "1 new strategy was started this week." in en
    assert "• “Читатели”: 1 this week, 2 in all" in en

    quiet = await digest.render(other, Translator(i18n, "en"))
    assert "this week" not in quiet  # nothing new: the sections stay out
    assert "1 strategy is unfinished" in quiet
