"""What the wizard says back after an answer: options in the wizard's order, a skip named."""

from __future__ import annotations

from bot.domain.method import STRATEGY_METHOD
from bot.domain.summary import format_answer
from bot.i18n import Translator, create_i18n
from handlers.strategy.view import answered_text

I18N = create_i18n()


def test_ages_are_listed_in_the_wizards_order_not_in_click_order() -> None:
    question = STRATEGY_METHOD.question("aud_age")
    assert question is not None
    t = Translator(I18N, "en")
    text = format_answer(question, {"aud_age": ["55_64", "18_24", "0_13"]}, t)
    labels = [t(question.option_key(v)) for v in ("0_13", "18_24", "55_64")]
    assert text == ", ".join(labels)


def test_a_skipped_question_is_named_skipped_without_a_tick() -> None:
    question = STRATEGY_METHOD.question("aud_gender")
    assert question is not None
    for locale, word in (("ru", "Пропущено"), ("en", "Skipped")):
        text = answered_text(question, {"aud_gender": None}, Translator(I18N, locale))
        assert word in text and "✅" not in text
        chosen = answered_text(question, {"aud_gender": "women"}, Translator(I18N, locale))
        assert "✅" in chosen
