"""Library rubrics and the content mix (domain-facts §3.1 and §3.3)."""

from __future__ import annotations

from bot.advice.knowledge import sources as src

PROMO = "promo"
VALUE = "value"
ENGAGE = "engage"
MIX_PARTS = (VALUE, PROMO, ENGAGE)
"""Turn order: with two posts a week a library still gets one useful post and one
announcement."""

# Mapping of library rubrics onto the rule of thirds (our derivation, [E]):
# promo = announcements and notices; value = reviews, picks, history; engagement = questions.
CATEGORY: dict[str, str] = {
    "events": PROMO,
    "service_notices": PROMO,
    "exhibitions": PROMO,
    "new_arrivals": VALUE,
    "book_of_day": VALUE,
    "staff_picks": VALUE,
    "local_history": VALUE,
    "literary_dates": VALUE,
    "reviews": VALUE,
    "children_parents": VALUE,
    "behind_scenes": ENGAGE,
    "reader_question": ENGAGE,
    "quizzes": ENGAGE,
    "ugc": ENGAGE,
}

# Rubrics that suit a goal or an audience, used to complete the user's own choice.
FOR_GOAL: dict[str, tuple[str, ...]] = {
    "a": ("book_of_day", "behind_scenes", "reader_question"),
    "b": ("service_notices",),
    "c": ("new_arrivals", "staff_picks"),
    "d": ("events", "exhibitions"),
}
FOR_SEGMENT: dict[str, tuple[str, ...]] = {
    "parents": ("children_parents", "events"),
    "teens": ("quizzes", "ugc"),
    "youth": ("quizzes", "ugc", "reviews"),
    "adults": ("new_arrivals", "staff_picks"),
    "seniors": ("local_history", "literary_dates"),
}

MIX_SOURCES = (src.RULE_OF_THIRDS, src.RUBRICS_LIBRARIES)
