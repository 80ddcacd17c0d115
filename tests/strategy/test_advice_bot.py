"""Advice in the chat at the end of the wizard and on opening a finished strategy."""

from __future__ import annotations

import asyncio
from io import BytesIO

from aiogram.methods import SendChatAction, SendDocument, SendPhoto
from aiogram.types import BufferedInputFile, InputFile
from aiogram.utils.i18n import I18n
from docx import Document

from bot.advice import STEP_IDS, Msg, build_advice, render
from bot.config import Settings
from bot.db.repositories import Repositories, Strategy
from bot.factory import create_dispatcher
from bot.i18n import Translator
from bot.outbox.sender import OutboxSender
from bot.storage import DatabaseStorage
from handlers.strategy.callbacks import AdviceCb
from tests.chat import ChatUser
from tests.conftest import ADMIN_ID
from tests.mocked_bot import MockedBot
from tests.profiles import WIZARD_RURAL_RU, WIZARD_US_PUBLIC
from tests.wizard_driver import complete_wizard, wizard_position


async def only_strategy(repo: Repositories, chat: ChatUser) -> Strategy:
    (strategy,) = await repo.strategies.of_user(chat.user.id)
    return strategy


def after_finish(chat: ChatUser, t: Translator) -> str:
    """Everything the chat showed from "saved" on, as one text."""
    texts = chat.texts()
    start = next(i for i, text in enumerate(texts) if t("msg.completed") in text)
    return "\n".join(texts[start:])


def upload_name(method: SendDocument) -> str:
    """File name of an uploaded document; the bot always uploads, never sends an id or a URL."""
    assert isinstance(method.document, InputFile), method.document
    assert method.document.filename is not None
    return method.document.filename


def networks_part(text: str, t: Translator) -> str:
    """The networks step of the summary: from its title to the next step's."""
    begin = text.index(f"<b>{t('step.networks')}</b>")
    end = text.index(f"<b>{t('step.content')}</b>")
    return text[begin:end]


async def test_finishing_in_russian_shows_advice_for_every_step_with_reasons(
    anna: ChatUser, repo: Repositories, i18n: I18n
) -> None:
    t = Translator(i18n, "ru")
    await anna.send("/start")
    await complete_wizard(anna, WIZARD_RURAL_RU, t)
    text = after_finish(anna, t)
    for step_id in STEP_IDS:
        assert f"<b>{t(f'step.{step_id}')}</b>" in text, step_id
    assert text.count("Почему:") >= len(STEP_IDS)
    assert "Why:" not in text
    # A municipal library in Russia: VK and OK are the law, and said so first.
    networks = networks_part(text, t)
    assert render(Msg("advice.networks.vk_ok_mandatory"), t) in networks
    assert "<b>ВКонтакте</b>" in networks and "<b>Одноклассники</b>" in networks
    # Nothing suggests networks that are blocked in Russia.
    assert "<b>Instagram</b>" not in text and "<b>Facebook</b>" not in text
    # Conflicts first, before the first step.
    advice = build_advice(WIZARD_RURAL_RU)
    assert advice.conflicts
    conflict = render(advice.conflicts[0].text, t)
    assert text.index(conflict) < text.index(f"<b>{t('step.goals')}</b>")
    # A button per step, the files, and changing the answers.
    strategy = await only_strategy(repo, anna)
    _, markup = anna.last_keyboard()
    data = [b.callback_data for row in markup.inline_keyboard for b in row]
    for step_id in STEP_IDS:
        assert AdviceCb(strategy_id=strategy.id, step=step_id).pack() in data
    assert f"exp:{strategy.id}:docx" in data and f"sg:reopen:{strategy.id}" in data


async def test_finishing_in_english_advises_facebook_and_instagram_in_the_us(
    john: ChatUser, i18n: I18n
) -> None:
    t = Translator(i18n, "en")
    await john.send("/start")
    await complete_wizard(john, WIZARD_US_PUBLIC, t)
    text = after_finish(john, t)
    for step_id in STEP_IDS:
        assert f"<b>{t(f'step.{step_id}')}</b>" in text, step_id
    assert "Why:" in text and "Почему" not in text
    networks = networks_part(text, t)
    assert "<b>Facebook</b>" in networks and "<b>Instagram</b>" in networks
    assert "ВКонтакте" not in text


async def test_read_more_gives_the_whole_step_and_survives_a_restart(
    anna: ChatUser, repo: Repositories, i18n: I18n, settings: Settings
) -> None:
    t = Translator(i18n, "ru")
    await anna.send("/start")
    await complete_wizard(anna, WIZARD_RURAL_RU, t)
    strategy = await only_strategy(repo, anna)
    _, markup = anna.last_keyboard()
    # A new process (new Dispatcher, new Bot) answers the buttons of the old message.
    restarted = create_dispatcher(
        repo=repo, storage=DatabaseStorage(repo.db), i18n=i18n, settings=settings
    )
    anna = ChatUser(restarted, MockedBot(), anna.user.id, language_code="ru")
    more = next(b for row in markup.inline_keyboard for b in row if "📖" in b.text)
    assert more.callback_data == AdviceCb(strategy_id=strategy.id, step="goals").pack()
    requests = await anna.press_data(AdviceCb(strategy_id=strategy.id, step="networks").pack())
    assert anna.alerts(requests) == [""]
    details = "\n".join(anna.texts(requests))
    assert t("advice.render.scores") in details and t("advice.render.sources") in details
    assert "Instagram" in details and t("advice.render.status.banned") in details
    assert all(len(text) <= 4096 for text in anna.texts(requests))
    requests = await anna.press_data(AdviceCb(strategy_id=strategy.id, step="content").pack())
    assert f"<b>{t('step.content')}</b>" in anna.texts(requests)[0]


async def test_forged_or_stale_advice_buttons_are_answered_politely(
    anna: ChatUser, john: ChatUser, repo: Repositories, i18n: I18n
) -> None:
    t = Translator(i18n, "ru")
    await anna.send("/start")
    await complete_wizard(anna, WIZARD_RURAL_RU, t)
    strategy = await only_strategy(repo, anna)
    en = Translator(i18n, "en")
    await john.send("/start")
    for data in (f"adv:{strategy.id}:networks", f"exp:{strategy.id}:all"):
        requests = await john.press_data(data)
        assert john.alerts(requests) == [en("advice.cb.gone")]
        assert not john.texts(requests)
    for data in ("adv:99999:goals", f"adv:{strategy.id}:nonsense", f"exp:{strategy.id}:exe"):
        requests = await anna.press_data(data)
        assert anna.alerts(requests) == [t("advice.cb.gone")]
        assert not anna.texts(requests)
    # A strategy being edited again has no advice until it is finished.
    await anna.press_data(f"sg:reopen:{strategy.id}")
    requests = await anna.press_data(f"adv:{strategy.id}:goals")
    assert anna.alerts(requests) == [t("advice.cb.draft")]


async def test_opening_a_finished_strategy_shows_its_advice_and_buttons(
    anna: ChatUser, i18n: I18n
) -> None:
    t = Translator(i18n, "ru")
    await anna.send("/start")
    await complete_wizard(anna, WIZARD_RURAL_RU, t)
    await anna.send("/strategies")
    requests = await anna.press("📂")
    text = "\n".join(anna.texts(requests))
    for step_id in STEP_IDS:
        assert f"<b>{t(f'step.{step_id}')}</b>" in text
    assert "Почему:" in text
    labels = anna.button_texts()
    assert t("btn.edit_strategy") in labels and t("advice.btn.docx") in labels
    assert f"📖 {t('step.goals')}" in labels
    # Opening shows; it sends no files and tells nobody.
    assert not [r for r in requests if isinstance(r, SendDocument | SendPhoto)]


async def test_finishing_sends_the_files_after_an_upload_action(
    anna: ChatUser, i18n: I18n
) -> None:
    t = Translator(i18n, "ru")
    await anna.send("/start")
    await complete_wizard(anna, WIZARD_RURAL_RU, t)
    requests = anna.bot.session.requests
    action, chat_action = next(
        (i, r) for i, r in enumerate(requests) if isinstance(r, SendChatAction)
    )
    assert chat_action.action == "upload_document"
    files = [r for r in requests if isinstance(r, SendDocument | SendPhoto)]
    names = [upload_name(r) for r in files if isinstance(r, SendDocument)]
    assert [n.rsplit(".", 1)[1] for n in names] == ["docx", "ics"]
    assert all(n.isascii() and n.startswith("selskaya-biblioteka-im-pushkina") for n in names)
    assert sum(isinstance(r, SendPhoto) for r in files) == 1
    assert min(requests.index(r) for r in files) > action


async def test_editing_a_finished_strategy_gives_new_advice(
    anna: ChatUser, repo: Repositories, i18n: I18n
) -> None:
    t = Translator(i18n, "ru")
    await anna.send("/start")
    await complete_wizard(anna, WIZARD_RURAL_RU, t)
    before = networks_part(after_finish(anna, t), t)
    assert "<b>Telegram</b>" not in before

    await anna.press(t("btn.edit_strategy"))
    assert (await wizard_position(anna))[0] == "Wizard:review"
    await anna.press(t("btn.edit_numbered", number=6, title=t("step.resources")))
    await complete_wizard(anna, {**WIZARD_RURAL_RU, "res_hours": 20}, t)
    strategy = await only_strategy(repo, anna)
    assert strategy.is_complete
    assert (await repo.answers.all(strategy.id))["res_hours"] == 20
    after = networks_part(after_finish_last(anna, t), t)
    assert "<b>Telegram</b>" in after
    requests = await anna.press(f"📖 {t('step.networks')}")
    cap = Msg("advice.networks.cap", {"count": 3, "cap": 4, "hours": 20})
    assert render(cap, t) in "\n".join(anna.texts(requests))


def after_finish_last(chat: ChatUser, t: Translator) -> str:
    texts = chat.texts()
    start = max(i for i, text in enumerate(texts) if t("msg.completed") in text)
    return "\n".join(texts[start:])


async def outbox_rows(repo: Repositories) -> list[tuple[int, str, str]]:
    async with repo.db.execute(
        "SELECT chat_id, kind, dedupe_key FROM outbox ORDER BY id"
    ) as cursor:
        return [(int(r[0]), str(r[1]), str(r[2])) for r in await cursor.fetchall()]


async def no_sleep(seconds: float) -> None:
    await asyncio.sleep(0)


async def test_completion_tells_colleagues_and_admins_once_each_with_the_docx(
    anna: ChatUser, repo: Repositories, i18n: I18n
) -> None:
    t = Translator(i18n, "ru")
    en = Translator(i18n, "en")
    await anna.send("/start")
    (library,) = await repo.libraries.of_user(anna.user.id)
    await repo.users.upsert(200, "John", "en")  # a colleague who reads English
    await repo.libraries.add_member(library.id, 200)
    await repo.users.upsert(ADMIN_ID, "Admin", "ru")
    await complete_wizard(anna, WIZARD_RURAL_RU, t)

    rows = await outbox_rows(repo)
    assert sorted(chat for chat, _, _ in rows) == [200, ADMIN_ID]
    assert {kind for _, kind, _ in rows} == {"document"}
    strategy = await only_strategy(repo, anna)
    assert all(f"strategy-completed:{strategy.id}:" in key for _, _, key in rows)
    # The one who finished got the files in the chat, not through the outbox.
    assert files_sent_to(anna, anna.user.id) == ["docx", "ics", "png"]

    await OutboxSender(anna.bot, repo.db, sleep=no_sleep).drain()
    sent = {r.chat_id: r for r in anna.bot.session.requests_of(SendDocument) if r.chat_id != 100}
    assert set(sent) == {200, ADMIN_ID}
    caption = sent[200].caption or ""
    assert "Сельская библиотека &lt;им. Пушкина&gt;" in caption and "Анна" in caption
    assert en("advice.notify.networks", networks="").strip() in caption
    assert "Одноклассники" in sent[ADMIN_ID].caption and len(caption) <= 1024
    assert headings_of(sent[200]) >= {en(f"step.{s}") for s in STEP_IDS}
    assert headings_of(sent[ADMIN_ID]) >= {t(f"step.{s}") for s in STEP_IDS}

    # Finishing again after an edit tells everyone again, under a new key.
    await anna.press_data(f"sg:reopen:{strategy.id}")
    await anna.press(t("btn.edit_numbered", number=6, title=t("step.resources")))
    await complete_wizard(anna, {**WIZARD_RURAL_RU, "res_hours": 20}, t)
    rows = await outbox_rows(repo)
    assert sorted(chat for chat, _, _ in rows) == sorted([200, ADMIN_ID] * 2)
    assert len({key for _, _, key in rows}) == 4


async def test_people_the_bot_cannot_write_to_are_not_queued(
    anna: ChatUser, repo: Repositories, i18n: I18n
) -> None:
    t = Translator(i18n, "ru")
    await anna.send("/start")
    (library,) = await repo.libraries.of_user(anna.user.id)
    await repo.users.upsert(200, "John", "en")
    await repo.libraries.add_member(library.id, 200)
    await repo.users.mark_blocked(200)
    # The admin (ADMIN_ID) never opened the bot: Telegram would refuse the message.
    await complete_wizard(anna, WIZARD_RURAL_RU, t)
    assert await outbox_rows(repo) == []


def files_sent_to(chat: ChatUser, chat_id: int) -> list[str]:
    out = []
    for request in chat.bot.session.requests:
        if isinstance(request, SendDocument | SendPhoto) and request.chat_id == chat_id:
            sent = request.document if isinstance(request, SendDocument) else request.photo
            out.append(str(getattr(sent, "filename", "")).rsplit(".", 1)[-1])
    return out


def headings_of(request: SendDocument) -> set[str]:
    document = request.document
    assert isinstance(document, BufferedInputFile)
    paragraphs = Document(BytesIO(document.data)).paragraphs
    return {p.text for p in paragraphs if p.style is not None and "Heading" in str(p.style.name)}
