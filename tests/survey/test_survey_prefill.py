from __future__ import annotations

from bot.domain.method import STRATEGY_METHOD
from bot.survey.prefill import audience_answers
from bot.survey.stats import AudienceData


def audience(**shares: dict[str, float]) -> AudienceData:
    base: dict[str, dict[str, float]] = {
        "age": {}, "gender": {}, "education": {}, "interests": {}, "geography": {}, "networks": {},
    }  # fmt: skip
    base.update(shares)
    return AudienceData(sample_size=40, small_sample=False, **base)


def test_suggestions_use_only_the_wizards_values() -> None:
    answers = audience_answers(
        audience(
            age={"18_24": 0.1, "25_34": 0.3, "65_plus": 0.4},
            gender={"women": 0.7, "men": 0.3},
            education={"higher": 0.6, "school": 0.05},
            interests={"fiction": 0.5, "history": 0.2, "other": 0.9, "health": 0.05},
            geography={"settlement": 0.5, "district": 0.35, "region": 0.15},
        )
    )
    assert answers == {
        "aud_source": "survey",
        "aud_age": ["25_34", "65_plus"],
        "aud_gender": "women",
        "aud_education": ["higher"],
        "aud_interests": ["fiction", "history"],
        "aud_geo": "district",
    }
    for question_id, value in answers.items():
        question = STRATEGY_METHOD.question(question_id)
        assert question is not None
        allowed = {option.value for option in question.options}
        assert set(value if isinstance(value, list) else [value]) <= allowed


def test_thin_data_gives_few_suggestions() -> None:
    assert audience_answers(audience()) == {"aud_source": "survey"}
    answers = audience_answers(
        audience(age={"18_24": 0.1}, gender={"women": 0.5, "men": 0.5}, geography={"Озёрки": 1.0})
    )
    assert answers == {"aud_source": "survey", "aud_age": ["18_24"], "aud_gender": "balanced"}
