from aiogram.fsm.state import State, StatesGroup


class Wizard(StatesGroup):
    question = State()
    """Waiting for the answer to ``data["question"]``."""
    other_text = State()
    """Waiting for the text of an "Other…" choice of ``data["question"]``."""
    step_done = State()
    """A step's summary is shown; waiting for Next or Edit."""
    review = State()
    """The whole wizard's answers are shown; waiting for Edit or Finish."""
