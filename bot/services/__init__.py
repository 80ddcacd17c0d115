"""Orchestration without aiogram: what handlers and jobs ask for, built on the pure packages
and the repositories. ``wizard`` drives a strategy, ``surveys`` the reader survey, ``reports``
turns a strategy into advice and files, ``notifier`` queues messages in the outbox,
``network`` sums up every library for admins, ``archive`` packs one library into a ZIP,
``plans`` runs the weekly plan (its messages' texts in ``plan_texts``)."""
