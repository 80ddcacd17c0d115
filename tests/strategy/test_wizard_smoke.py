from tests.chat import ChatUser


async def test_start_asks_library_name(anna: ChatUser) -> None:
    requests = await anna.send("/start")
    texts = anna.texts(requests)
    assert "Здравствуйте" in texts[0]
    assert "Как называется ваша библиотека" in texts[-1]


async def test_first_question_offers_no_back(anna: ChatUser) -> None:
    await anna.send("/start")
    assert "⬅️ Назад" not in anna.button_texts()
    await anna.send("Библиотека")
    assert "⬅️ Назад" in anna.button_texts()
