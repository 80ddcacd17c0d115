"""Deep links that start a survey, and the pseudonym readers are stored under.

A link is ``https://t.me/<bot>?start=<payload>``; Telegram allows at most 64 characters
from ``A-Za-z0-9_-`` in the payload. Each (survey, source) pair gets its own random
payload, so staff can compare where answers come from and nobody can guess the next one.

Survey tables never hold a Telegram id: a reader is an HMAC-SHA256 of the id under a
key that never lives in the database (``SURVEY_SECRET`` or a key file beside it, see
:mod:`bot.db.survey_key`).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from enum import StrEnum

PAYLOAD_PREFIX = "sv_"
TOKEN_BYTES = 16
"""128 random bits: guessing a live link is hopeless."""
TOKEN_LEN = 22
"""Length of ``secrets.token_urlsafe(TOKEN_BYTES)``."""
MAX_PAYLOAD_LEN = 64
MAX_LABEL_LEN = 60
"""Longest name staff may give a link ('poster at the entrance')."""
_PAYLOAD = re.compile(rf"{PAYLOAD_PREFIX}[A-Za-z0-9_-]{{{TOKEN_LEN}}}")
_BOT_USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{3,31}")


class SourceKind(StrEnum):
    """Where a link was published; staff pick one per link."""

    POSTER = "poster"
    VK = "vk"
    TELEGRAM = "telegram"
    WEBSITE = "website"
    EVENT = "event"
    OTHER = "other"


def new_payload() -> str:
    payload = PAYLOAD_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    assert parse_payload(payload) == payload
    return payload


def parse_payload(text: object) -> str | None:
    """The payload when ``text`` is exactly one of ours, else None (nothing is repaired)."""
    if not isinstance(text, str) or len(text) > MAX_PAYLOAD_LEN:
        return None
    return text if _PAYLOAD.fullmatch(text) else None


def deep_link(bot_username: str, payload: str) -> str:
    username = bot_username.removeprefix("@")
    if not _BOT_USERNAME.fullmatch(username):
        raise ValueError(f"not a bot username: {bot_username!r}")
    if parse_payload(payload) is None:
        raise ValueError("not a survey payload")
    return f"https://t.me/{username}?start={payload}"


def reader_hash(secret: bytes, telegram_id: int) -> str:
    """The reader's pseudonym: the same for every survey, useless without the secret."""
    return hmac.new(secret, str(telegram_id).encode("ascii"), hashlib.sha256).hexdigest()
