"""Summary messages to staff and admins, always through the outbox.

Handlers and jobs never send notifications directly: the outbox keeps them across restarts,
within Telegram's limits, once each (the dedupe key names the event).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from bot.db.repositories import Repositories
from bot.db.units import after_commit
from bot.domain.text_split import split_html
from bot.domain.translate import Translate
from bot.outbox.repository import Outbox

Render = Callable[[Translate], str]


class Notifier:
    def __init__(
        self,
        outbox: Outbox,
        repo: Repositories,
        translator: Callable[[str], Translate],
        *,
        admin_ids: frozenset[int],
        default_locale: str,
        wake: Callable[[], None] | None = None,
    ) -> None:
        self._outbox = outbox
        self._repo = repo
        self._translator = translator  # locale -> Translate, e.g. partial(Translator, i18n)
        self.admin_ids = admin_ids
        self._default_locale = default_locale
        self._wake = wake or (lambda: None)

    async def translator_for(self, user_id: int) -> Translate:
        user = await self._repo.users.get(user_id)
        language = user.language if user and user.language else self._default_locale
        return self._translator(language)

    async def wants(self, user_id: int) -> bool:
        """Whether the user takes notifications (/settings); unknown users do by default."""
        user = await self._repo.users.get(user_id)
        return user is None or user.notifications

    async def tell(
        self,
        user_id: int,
        render: Render,
        *,
        dedupe_key: str | None = None,
        essential: bool = False,
    ) -> None:
        """One message to one user, in their language.

        Summaries and milestones respect the user's "notifications off"; ``essential`` news
        about the user themselves (removed from a team, made an owner) always goes.
        """
        if not essential and not await self.wants(user_id):
            return
        t = await self.translator_for(user_id)
        key = f"{dedupe_key}:{user_id}" if dedupe_key else None
        # A long summary (the network's plans, one block per library) goes in parts Telegram
        # accepts; the first keeps the message's own key, so one sent before stays once.
        for number, part in enumerate(split_html(render(t))):
            part_key = f"{key}:part{number}" if key and number else key
            await self._outbox.enqueue_message(
                user_id, part, parse_mode="HTML", dedupe_key=part_key
            )
        # The sender finds the row only once the update that enqueued it has committed.
        after_commit(self._repo.db, self._wake)

    async def tell_many(self, user_ids: Iterable[int], render: Render, *, dedupe_key: str) -> None:
        for user_id in dict.fromkeys(user_ids):  # once each, in order
            await self.tell(user_id, render, dedupe_key=dedupe_key)

    async def document(
        self,
        user_id: int,
        data: bytes,
        filename: str,
        caption: Render | None = None,
        *,
        dedupe_key: str | None = None,
    ) -> None:
        if not await self.wants(user_id):
            return
        t = await self.translator_for(user_id)
        await self._outbox.enqueue_document(
            user_id,
            data,
            filename,
            caption=caption(t) if caption else None,
            parse_mode="HTML",
            dedupe_key=f"{dedupe_key}:{user_id}" if dedupe_key else None,
        )
        after_commit(self._repo.db, self._wake)

    async def library_staff(self, library_id: int) -> list[int]:
        return [user_id for user_id, _ in await self._repo.libraries.members(library_id)]

    async def staff_and_admins(self, library_id: int, render: Render, *, dedupe_key: str) -> None:
        """The library's team and every bot admin (once each, even if an admin is staff)."""
        recipients = [*await self.library_staff(library_id), *sorted(self.admin_ids)]
        await self.tell_many(recipients, render, dedupe_key=dedupe_key)
