"""The reader survey: questions, links, statistics and files. No aiogram here.

How handlers use it (reader side):

1. ``/start <payload>``: ``links.parse_payload``; ``repo.resolve_payload(payload, hash)``
   gives ``Resolved`` or a ``LinkProblem`` (text key ``survey.link.<problem>``).
2. ``hash = links.reader_hash(key, id)``, the key from :func:`bot.db.survey_key.load_survey_key`.
3. ``repo.start_or_resume(survey.id, hash, source.id)`` -> ``Started`` (``resumed`` says
   whether to greet or to continue) or a ``LinkProblem``.
4. Questions come from ``questions.build_questionnaire(survey.config)``; each answer goes
   through ``repo.save_answer`` (False: the survey closed meanwhile); ``repo.complete``.
5. ``/forget``: ``repo.reader_response_count`` then ``repo.forget_reader``.

Staff side: ``repo.create_survey`` with a ``questions.SurveyConfig``, ``repo.add_source``
per place a link is shared, ``links.deep_link`` + ``qr.qr_png`` for posters,
``stats.summarize(questionnaire, await repo.completed_answers(id))`` for results,
``summary.results_text`` / ``charts.survey_charts`` / ``export.table`` + ``to_csv`` /
``to_xlsx`` to show them, and ``stats.to_audience`` + ``prefill.audience_answers`` to
fill in step 2 of a strategy.
"""
