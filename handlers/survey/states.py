"""The survey's conversation states. The editor's live under their own destiny
(``EDITOR_DESTINY`` in ``common``), a reader's under their pseudonym (:mod:`bot.readers`), so
neither touches the wizard's place."""

from aiogram.fsm.state import State, StatesGroup


class ReaderStates(StatesGroup):
    other_text = State()
    """Waiting for the text of an "Other…" choice (``data``: survey id and question id)."""


class EditorStates(StatesGroup):
    title = State()
    questions = State()
    places = State()
    closes_at = State()
    cap = State()
    source_label = State()
    pulse_chat = State()
    pulse_question = State()
    pulse_options = State()
