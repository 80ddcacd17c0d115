from tests.chat import ChatUser


async def test_start_asks_library_name(anna: ChatUser) -> None:
    requests = await anna.send("/start")
    texts = anna.texts(requests)
    assert "Здравствуйте" in texts[0]
    assert "Как называется ваша библиотека" in texts[-1]
