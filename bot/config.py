"""Settings from the environment and ``.env``. Built once, in ``__main__``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

_TOKEN = re.compile(r"^\d{3,20}:[A-Za-z0-9_-]{30,64}$")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", frozen=True
    )

    bot_token: SecretStr | None = None
    database_path: Path = Path("data/bot.sqlite3")
    database_url: str | None = None
    """``postgresql://user:password@host:5432/name``: keep everything on PostgreSQL, so several
    bot processes on several machines share it. Unset: the SQLite file ``database_path``."""
    database_pool_size: int = Field(default=10, ge=2, le=500)
    """PostgreSQL connections per process: updates in flight beyond it wait for one."""
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    default_locale: Literal["ru", "en"] = "ru"
    telegram_api_url: str | None = None
    """Base URL of a Bot API server, e.g. a local ``telegram-bot-api`` (http://127.0.0.1:8081)."""
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["text", "json"] = "text"
    """``text``: one key=value line per event; ``json``: one JSON object per line."""
    health_port: int | None = Field(default=None, ge=1, le=65535)
    """Polling mode: serve /health (and /metrics) on this port; webhook mode has its own."""
    health_host: str = "127.0.0.1"
    survey_secret: SecretStr | None = None
    """Key for hashing readers' ids; if unset, a key file beside the database (created once)."""
    survey_min_results: int = Field(default=10, ge=5, le=1000)
    """Completed responses before staff see any breakdown of a survey (never below 5)."""
    survey_min_for_strategy: int = Field(default=30, ge=5, le=10_000)
    """Completed responses before a survey may fill the audience step of a strategy."""
    redis_url: str | None = None
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_host: str = "0.0.0.0"
    webhook_port: int = Field(default=8080, ge=1, le=65535)
    digest_weekday: int = Field(default=0, ge=0, le=6)
    """Day of the weekly digest, 0 = Monday, in each library's own time zone."""
    digest_hour: int = Field(default=9, ge=0, le=23)
    backup_dir: Path | None = None
    """Folder for the daily backup copy of the database; unset: no daily backup."""
    backup_keep: int = Field(default=7, ge=1, le=10000)
    """How many daily copies stay in ``backup_dir`` (older ones are deleted)."""

    @field_validator("health_port", mode="before")
    @classmethod
    def _empty_port_is_none(cls, value: object) -> object:
        return None if value in ("", None) else value

    @field_validator("database_url", mode="before")
    @classmethod
    def _postgres_only(cls, value: object) -> object:
        if value in ("", None):
            return None
        if not str(value).startswith(("postgresql://", "postgres://")):
            raise ValueError("DATABASE_URL must be a postgresql:// URL (SQLite: DATABASE_PATH)")
        return value

    @model_validator(mode="after")
    def _shared_survey_key(self) -> Settings:
        if self.database_url and self.survey_secret is None:
            # The key file lives beside a SQLite file; processes sharing PostgreSQL on several
            # machines must all hash readers' ids with one key, or a reader becomes several.
            raise ValueError("with DATABASE_URL set SURVEY_SECRET too (the same in every process)")
        return self

    @property
    def database(self) -> Path | str:
        """Where the data lives: the PostgreSQL URL if set, else the SQLite file."""
        return self.database_url or self.database_path

    @field_validator("backup_dir", mode="before")
    @classmethod
    def _empty_dir_is_none(cls, value: object) -> object:
        return None if value in ("", None) else value

    @field_validator("bot_token", mode="before")
    @classmethod
    def _empty_token_is_none(cls, value: object) -> object:
        return None if value in ("", None) else value

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _TOKEN.match(value.get_secret_value()):
            # The message never echoes the token itself.
            raise ValueError("BOT_TOKEN does not look like a token from @BotFather (123456:ABC…)")
        return value

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part for part in re.split(r"[,\s]+", value) if part]
            if not all(part.lstrip("-").isdigit() for part in parts):
                raise ValueError("ADMIN_IDS must be Telegram user ids separated by commas")
            return frozenset(int(part) for part in parts)
        if isinstance(value, int):
            return frozenset({value})
        return value
