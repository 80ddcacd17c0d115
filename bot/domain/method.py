"""The seven-step method (``shared/seed``) declared as data.

Step 0 is the library profile the advice needs (country, time zone, ownership); steps 1-7
follow the method. Texts live in ``locales/`` under ``q.<id>`` and ``opt.<set>.<value>``.
"""

from __future__ import annotations

from bot.domain.questions import (
    OTHER,
    Kind,
    Option,
    Question,
    Questionnaire,
    Step,
    choices,
    includes,
)

COUNTRIES = ("ru", "by", "kz", "uz", "kg", "us", "other")

FOUNDERS = ("municipal", "state", "nonprofit", "private", "unknown")
"""Who founded the library or the institution it is part of. Stored strategies may still
hold "university" (the old mixed answer): the advice reads it as a university library
whose founder is not known."""
PARENT_KINDS = ("library_system", "university", "college", "school", "museum", "culture_centre")
POPULATION_BANDS = ("lt1k", "1k_10k", "10k_50k", "50k_250k", "250k_1m", "gt1m")
"""Settlement size bands; bot.advice caps growth targets by the band's upper bound."""
POST_LANGUAGES: dict[str, tuple[str, ...]] = {
    # Languages offered per country, the country's state language(s) first.
    "by": ("be", "ru"),
    "kz": ("kk", "ru"),
    "uz": ("uz", "ru"),
    "kg": ("ky", "ru"),
    "other": ("ru", "en"),
}
BILINGUAL_COUNTRIES = tuple(POST_LANGUAGES)

# IANA zones offered per country; "other" asks for a zone name by text.
TIMEZONES: dict[str, tuple[str, ...]] = {
    "ru": (
        "Europe/Kaliningrad",
        "Europe/Moscow",
        "Europe/Samara",
        "Asia/Yekaterinburg",
        "Asia/Omsk",
        "Asia/Novosibirsk",
        "Asia/Krasnoyarsk",
        "Asia/Irkutsk",
        "Asia/Yakutsk",
        "Asia/Vladivostok",
        "Asia/Magadan",
        "Asia/Kamchatka",
    ),
    "by": ("Europe/Minsk",),
    "kz": ("Asia/Almaty", "Asia/Aqtobe"),
    "uz": ("Asia/Tashkent",),
    "kg": ("Asia/Bishkek",),
    "us": (
        "America/New_York",
        "America/Chicago",
        "America/Denver",
        "America/Los_Angeles",
        "America/Anchorage",
        "Pacific/Honolulu",
    ),
}

NETWORKS = (
    "vk",
    "ok",
    "telegram",
    "max",
    "dzen",
    "rutube",
    "youtube",
    "tiktok",
    "instagram",
    "facebook",
    "whatsapp",
    "x",
)

AGE_GROUPS = ("0_13", "14_17", "18_24", "25_34", "35_44", "45_54", "55_64", "65_plus")

RUBRICS = (
    "events",
    "new_arrivals",
    "book_of_day",
    "staff_picks",
    "reader_question",
    "quizzes",
    "local_history",
    "literary_dates",
    "reviews",
    "service_notices",
    "behind_scenes",
    "children_parents",
    "ugc",
    "exhibitions",
)

EVENT_KINDS = (
    "book_club",
    "children",
    "lectures",
    "exhibitions",
    "workshops",
    "local_history",
    "meetings_authors",
    "games",
)


def _timezonechoices() -> tuple[Option, ...]:
    options = [
        Option(zone, show_if=includes("lib_country", country))
        for country, zones in TIMEZONES.items()
        for zone in zones
    ]
    options.append(Option(OTHER))
    return tuple(options)


def _language_choices() -> tuple[Option, ...]:
    codes: dict[str, list[str]] = {}
    for country, languages in POST_LANGUAGES.items():
        for code in languages:
            codes.setdefault(code, []).append(country)
    options = [
        Option(code, show_if=includes("lib_country", *countries))
        for code, countries in codes.items()
    ]
    options.append(Option(OTHER))
    return tuple(options)


def _per_network_questions() -> list[Question]:
    """A link and a follower count for each network the library is already on."""
    questions: list[Question] = []
    for network in NETWORKS:
        on_it = includes("net_current", network)
        network_key = f"opt.net.{network}"
        questions.append(
            Question(
                f"net_url_{network}",
                Kind.TEXT,
                "q.net_url",
                required=False,
                max_len=300,
                validator="url",
                show_if=on_it,
                params={"network_key": network_key},
            )
        )
        questions.append(
            Question(
                f"net_subs_{network}",
                Kind.NUMBER,
                "q.net_subs",
                required=False,
                max_value=100_000_000,
                show_if=on_it,
                params={"network_key": network_key},
            )
        )
    return questions


PROFILE = Step(
    "library",
    0,
    "step.library",
    (
        Question("lib_name", Kind.TEXT, "q.lib_name", max_len=200, min_len=2, validator="name"),
        Question(
            "lib_settlement",
            Kind.TEXT,
            "q.lib_settlement",
            max_len=120,
            min_len=2,
            validator="name",
        ),
        Question(
            "lib_region",
            Kind.TEXT,
            "q.lib_region",
            max_len=120,
            required=False,
            validator="name",
        ),
        Question("lib_country", Kind.SINGLE, "q.lib_country", choices(COUNTRIES), "country"),
        Question(
            "lib_tz",
            Kind.SINGLE,
            "q.lib_tz",
            _timezonechoices(),
            "tz",
            validator="timezone",
            max_len=64,
        ),
        Question(
            "lib_population",
            Kind.SINGLE,
            "q.lib_population",
            choices(POPULATION_BANDS),
            "population",
        ),
        Question(
            "lib_status",
            Kind.SINGLE,
            "q.lib_status",
            choices(("own", "department")),
            "lib_status",
        ),
        Question(
            "lib_parent_kind",
            Kind.SINGLE,
            "q.lib_parent_kind",
            choices(PARENT_KINDS, other=True),
            "parent_kind",
            max_len=120,
            show_if=includes("lib_status", "department"),
        ),
        Question(
            "lib_ownership",
            Kind.SINGLE,
            "q.lib_ownership",
            choices(FOUNDERS),
            "ownership",
        ),
    ),
)

GOALS = Step(
    "goals",
    1,
    "step.goals",
    (
        Question(
            "goal_families", Kind.MULTI, "q.goal_families", choices(("a", "b", "c", "d")), "goal"
        ),
        Question(
            "goal_a_message",
            Kind.TEXT,
            "q.goal_a_message",
            required=False,
            max_len=500,
            show_if=includes("goal_families", "a"),
        ),
        Question(
            "goal_b_topics",
            Kind.MULTI,
            "q.goal_b_topics",
            choices(
                ("hours_rules", "catalogue_renewals", "e_services", "reference", "complaints"),
                other=True,
            ),
            "support",
            show_if=includes("goal_families", "b"),
        ),
        Question(
            "goal_c_resources",
            Kind.MULTI,
            "q.goal_c_resources",
            choices(("website", "ecatalogue", "elibrary")),
            "resource",
            show_if=includes("goal_families", "c"),
        ),
        Question(
            "goal_c_url",
            Kind.TEXT,
            "q.goal_c_url",
            required=False,
            max_len=300,
            validator="url",
            show_if=includes("goal_families", "c"),
        ),
        Question(
            "goal_d_events",
            Kind.MULTI,
            "q.goal_d_events",
            choices(EVENT_KINDS, other=True),
            "event",
            show_if=includes("goal_families", "d"),
        ),
        Question(
            "goal_horizon",
            Kind.SINGLE,
            "q.goal_horizon",
            choices(("3m", "6m", "12m")),
            "horizon",
        ),
    ),
)

AUDIENCE = Step(
    "audience",
    2,
    "step.audience",
    (
        Question(
            "aud_source", Kind.SINGLE, "q.aud_source", choices(("self", "survey")), "aud_source"
        ),
        Question(
            "aud_geo",
            Kind.SINGLE,
            "q.aud_geo",
            choices(("settlement", "district", "region", "country")),
            "geo",
        ),
        Question(
            "aud_area", Kind.SINGLE, "q.aud_area", choices(("urban", "rural", "mixed")), "area"
        ),
        Question(
            "aud_gender",
            Kind.SINGLE,
            "q.aud_gender",
            choices(("women", "men", "balanced")),
            "gender",
            required=False,
        ),
        Question("aud_age", Kind.MULTI, "q.aud_age", choices(AGE_GROUPS), "age"),
        Question(
            "aud_education",
            Kind.MULTI,
            "q.aud_education",
            choices(("school", "vocational", "higher", "academic")),
            "education",
            required=False,
        ),
        Question(
            "aud_interests",
            Kind.MULTI,
            "q.aud_interests",
            choices(
                (
                    "fiction",
                    "nonfiction",
                    "local_history",
                    "children_parenting",
                    "hobbies",
                    "history",
                    "science",
                    "languages",
                    "study",
                    "comics_games",
                    "health",
                    "legal_social",
                ),
                other=True,
            ),
            "interest",
        ),
    ),
)

NETWORKS_STEP = Step(
    "networks",
    3,
    "step.networks",
    (
        Question(
            "net_current",
            Kind.MULTI,
            "q.net_current",
            choices(NETWORKS, none="none"),
            "net",
        ),
        *_per_network_questions(),
        Question(
            "net_considered",
            Kind.MULTI,
            "q.net_considered",
            choices(NETWORKS, none="none"),
            "net",
            required=False,
        ),
    ),
)

CONTENT = Step(
    "content",
    4,
    "step.content",
    (
        Question("cnt_topics", Kind.MULTI, "q.cnt_topics", choices(RUBRICS, other=True), "rubric"),
        Question(
            "cnt_frequency",
            Kind.SINGLE,
            "q.cnt_frequency",
            choices(("1", "3", "5", "7", "14")),
            "frequency",
        ),
        Question(
            "cnt_tone",
            Kind.SINGLE,
            "q.cnt_tone",
            choices(("friendly", "official", "expert", "playful")),
            "tone",
        ),
        Question(
            "cnt_times",
            Kind.MULTI,
            "q.cnt_times",
            choices(("morning", "midday", "afternoon", "evening"), none="any"),
            "time",
            required=False,
        ),
        Question(
            "cnt_visuals",
            Kind.MULTI,
            "q.cnt_visuals",
            choices(("photos", "illustrations", "video", "stories"), none="none"),
            "visual",
        ),
        Question(
            "cnt_languages",
            Kind.MULTI,
            "q.cnt_languages",
            _language_choices(),
            "post_lang",
            required=False,
            max_len=120,
            show_if=includes("lib_country", *BILINGUAL_COUNTRIES),
        ),
        Question(
            "cnt_crosspost",
            Kind.SINGLE,
            "q.cnt_crosspost",
            choices(("yes", "no")),
            "yesno",
            required=False,
        ),
        Question(
            "cnt_visual_maker",
            Kind.SINGLE,
            "q.cnt_visual_maker",
            choices(("self", "colleague", "volunteers", "contractor")),
            "maker",
            required=False,
        ),
    ),
)

COMMUNICATION = Step(
    "communication",
    5,
    "step.communication",
    (
        Question(
            "com_response",
            Kind.SINGLE,
            "q.com_response",
            choices(("1h", "same_day", "24h", "when_possible")),
            "response",
        ),
        Question(
            "com_channels",
            Kind.MULTI,
            "q.com_channels",
            choices(("comments", "messages", "chat", "phone_email")),
            "com_channel",
        ),
        Question(
            "com_negative",
            Kind.SINGLE,
            "q.com_negative",
            choices(("public_calm", "private", "rules_only", "no_plan")),
            "negative",
        ),
        Question(
            "com_partners",
            Kind.MULTI,
            "q.com_partners",
            choices(
                ("schools", "local_media", "libraries", "bloggers", "museums", "administration"),
                other=True,
                none="none",
            ),
            "partner",
        ),
        Question(
            "com_paid",
            Kind.SINGLE,
            "q.com_paid",
            choices(("no", "events", "regular")),
            "paid",
        ),
    ),
)

RESOURCES = Step(
    "resources",
    6,
    "step.resources",
    (
        Question("res_people", Kind.NUMBER, "q.res_people", min_value=1, max_value=50),
        Question("res_hours", Kind.NUMBER, "q.res_hours", min_value=0, max_value=168),
        Question(
            "res_roles",
            Kind.MULTI,
            "q.res_roles",
            choices(("author", "designer", "photographer", "moderator", "analyst", "one_person")),
            "role",
        ),
        Question(
            "res_budget",
            Kind.SINGLE,
            "q.res_budget",
            choices(("none", "small", "medium", "large")),
            "budget",
        ),
        Question(
            "res_tools",
            Kind.MULTI,
            "q.res_tools",
            choices(
                ("smartphone", "camera", "computer", "design", "scheduler", "analytics", "video"),
                none="none",
            ),
            "tool",
            required=False,
        ),
    ),
)

PAGE_TYPE = Step(
    "page",
    7,
    "step.page",
    (
        Question(
            "page_inst_kind",
            Kind.SINGLE,
            "q.page_inst_kind",
            choices(("central", "rural", "children", "youth", "school", "university", "special")),
            "inst",
        ),
        Question(
            "page_discussion",
            Kind.SINGLE,
            "q.page_discussion",
            choices(("posts_and_talk", "comments_only", "announce_only")),
            "discussion",
        ),
        Question(
            "page_clubs",
            Kind.SINGLE,
            "q.page_clubs",
            choices(("yes", "no")),
            "yesno",
        ),
    ),
)

STRATEGY_METHOD = Questionnaire(
    (PROFILE, GOALS, AUDIENCE, NETWORKS_STEP, CONTENT, COMMUNICATION, RESOURCES, PAGE_TYPE)
)
"""The whole wizard; steps 1-7 are the method's, step 0 the library profile."""
