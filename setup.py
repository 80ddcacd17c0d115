"""Packaging beyond what pyproject.toml can say: the catalogs in locales/ ship inside the
wheel as bot/locales/, so ``pip install .`` gives a bot that starts (bot/i18n.py finds them).

locales/ stays at the top of the repository, where translators and tests expect it.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["bot", "bot.*", "handlers", "handlers.*"]), "bot.locales"],
    package_dir={"bot.locales": "locales"},
    package_data={
        "bot": ["db/migrations/*.sql", "db/migrations_pg/*.sql"],
        "bot.locales": ["*/LC_MESSAGES/*.po"],
    },
)
