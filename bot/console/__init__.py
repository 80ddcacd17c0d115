"""The offline terminal chat: the real bot on a Bot API session that prints (``python -m bot
console``). ``run`` drives it, ``session`` is that session, ``render`` turns Telegram HTML
into terminal text, ``fake_telegram`` answers like Telegram would (tests use it too)."""
