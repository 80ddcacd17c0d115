"""The plan that runs itself: posts from the strategy's schedule, drafts, reminders' timing,
literary dates and progress against the goals. Pure: no aiogram, no database."""
