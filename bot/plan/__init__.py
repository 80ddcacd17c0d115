"""The plan that runs itself: posts from the strategy's schedule, drafts, reminders' timing,
literary dates, the monthly check-in's questions, progress against the goals, the buttons of
its messages as data and the rule for publishing to a channel. Pure: no aiogram, no database."""
