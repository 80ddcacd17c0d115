"""The library's "export everything" ZIP carries its plan: every plan table as CSV (what the
table holds for that library, people's ids left out), and the progress against the KPIs."""

from __future__ import annotations

import csv
import io
import zipfile

from aiogram.methods import SendDocument
from aiogram.types import BufferedInputFile

from bot.db.engine import Database
from bot.db.plan_repository import PERSON_COLUMNS
from bot.db.reads import fetch_all, fetch_one
from bot.plan.checkin import CheckinNumbers
from tests.ops.fakes import utc
from tests.plan.conftest import PlanWorld
from tests.profiles import WIZARD_RURAL_RU, WIZARD_US_PUBLIC

RURAL_OWNER = 7_100_000_001
RURAL_EDITOR = 7_100_000_002
US_OWNER = 7_200_000_001


async def plan_tables(db: Database) -> dict[str, list[str]]:
    """Every plan table of the schema with its columns, from the engine's own catalog."""
    if db.dialect == "sqlite":
        names = [
            str(row[0])
            for row in await fetch_all(
                db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'plan%'"
            )
        ]
        return {
            name: [str(row[1]) for row in await fetch_all(db, f"PRAGMA table_info({name})")]
            for name in names
        }
    tables: dict[str, list[str]] = {}
    for row in await fetch_all(
        db,
        """SELECT table_name, column_name FROM information_schema.columns
           WHERE table_schema = current_schema() AND table_name LIKE 'plan%'
           ORDER BY table_name, ordinal_position""",
    ):
        tables.setdefault(str(row[0]), []).append(str(row[1]))
    return tables


def read_csv(archive: zipfile.ZipFile, name: str) -> list[list[str]]:
    """A CSV of the archive, as a Russian librarian's Excel reads it (BOM, ``;``)."""
    with archive.open(name) as raw:
        return list(csv.reader(io.TextIOWrapper(raw, "utf-8-sig"), delimiter=";"))


def records(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    header, *body = read_csv(archive, name)
    return [dict(zip(header, row, strict=True)) for row in body]


async def a_plan_with_everything(
    world: PlanWorld, owner: int, answers: dict[str, object], tag: str, language: str
) -> int:
    """A plan with an edited and a posted post, a linked channel, and a full check-in."""
    library, _ = await world.finished_strategy(owner, answers, language=language)
    posts = await world.posts(library.id)
    await world.repo.plans.set_text(posts[0].id, f"{tag} own text")
    await world.repo.plans.finish(posts[1].id, "posted")
    await world.repo.plans.link_channel(library.id, -1001234567890, f"{tag} channel", "", owner)
    goals = await world.plans.goals(library.id)
    assert goals is not None
    main = goals.networks[0]
    numbers = CheckinNumbers({main: 321}, {main: 55}, {main: 4}, 17, 60, 9)
    await world.plans.save_checkin(library.id, "2026-01", numbers)
    return library.id


async def test_the_zip_holds_every_plan_table_of_that_library_only(world: PlanWorld) -> None:
    rural = await a_plan_with_everything(world, RURAL_OWNER, WIZARD_RURAL_RU, "RURAL", "ru")
    await world.repo.users.upsert(RURAL_EDITOR, "Оля", "ru")
    await world.repo.libraries.add_member(rural, RURAL_EDITOR, "editor")
    await world.repo.plans.subscribe(rural, RURAL_EDITOR)
    us = await a_plan_with_everything(world, US_OWNER, WIZARD_US_PUBLIC, "MAPLE", "en")
    world.clock.set(utc(2026, 2, 2, 12))

    anna = world.user(RURAL_OWNER)
    ru = world.t("ru")
    await anna.send("/library")
    requests = await anna.press(ru("library.btn_zip"))
    (document,) = [r for r in requests if isinstance(r, SendDocument)]
    assert isinstance(document.document, BufferedInputFile)
    archive = zipfile.ZipFile(io.BytesIO(document.document.data))

    tables = await plan_tables(world.db)
    assert {"plans", "plan_posts", "plan_subscribers", "plan_channels", "plan_metrics"} <= set(
        tables
    )
    assert "plan_month_numbers" in tables
    for table, columns in tables.items():
        header, *body = read_csv(archive, f"plan/{table}.csv")
        left_out = PERSON_COLUMNS.get(table, ())
        # Every column the table holds (a new one cannot be forgotten), people's ids left out.
        exported = header[: len(columns) - len(left_out)]
        assert sorted(exported) == sorted(c for c in columns if c not in left_out), table
        assert not set(header) & set(left_out), table
        count = await fetch_one(
            world.db, f"SELECT COUNT(*) FROM {table} WHERE library_id = ?", (rural,)
        )
        assert count is not None and len(body) == int(count[0]) > 0, table
        # That library's rows only.
        assert {row[header.index("library_id")] for row in body} == {str(rural)}, table

    posts = records(archive, "plan/plan_posts.csv")
    assert len(posts) == len(await world.posts(rural))
    assert [p["text"] for p in posts if p["text"]] == ["RURAL own text"]
    assert [p["status"] for p in posts].count("posted") == 1
    # Drafts as the staff read them, not as the locale keys they are stored as.
    assert "RURAL own text" in [p["shown_text"] for p in posts]
    assert all(p["shown_text"] and "plan.draft." not in p["shown_text"] for p in posts)
    assert [s["subscriber"] for s in records(archive, "plan/plan_subscribers.csv")] == ["1", "2"]
    assert [c["title"] for c in records(archive, "plan/plan_channels.csv")] == ["RURAL channel"]
    metrics = records(archive, "plan/plan_metrics.csv")
    assert [(m["followers"], m["reach"], m["interactions"]) for m in metrics] == [
        ("321", "55", "4")
    ]
    (month,) = records(archive, "plan/plan_month_numbers.csv")
    assert (month["clicks"], month["attendees"], month["attendees_social"]) == ("17", "60", "9")
    progress = archive.read("plan/progress.txt").decode()
    assert progress.startswith(ru("plan.progress.heading").removeprefix("<b>").split("<")[0])
    assert "321" in progress
    assert archive.read("plan/progress.png").startswith(b"\x89PNG")

    everything = b"".join(archive.read(name) for name in archive.namelist())
    for person in (RURAL_OWNER, RURAL_EDITOR, US_OWNER):
        assert str(person).encode() not in everything
    # Nothing of the other library: not its texts, not its channel.
    assert b"MAPLE" not in everything
    assert us != rural
