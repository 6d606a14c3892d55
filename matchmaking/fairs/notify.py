"""Telling producers what happened to their booth application: inbox and email.

Call inside the transaction of the change, so a rolled-back change sends nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from config import i18n
from config.i18n import gettext as _
from matchmaking import mail
from matchmaking.models import Account, BoothApplication, Fair, Notification, Producer


async def notify(
    application: BoothApplication, fair: Fair, kind: str,
    message: Callable[[], tuple[str, str]],
) -> None:
    """An inbox notification and an email, in the producer's language.

    `message` returns (title, body) and is called with that language active.
    """
    producer: Producer = await Producer.get(id=application.producer_id)  # type: ignore[attr-defined]
    account = await Account.get_or_none(id=producer.owner_id) if producer.owner_id else None  # type: ignore[attr-defined]
    language = str(account.language) if account else i18n.DEFAULT_LANGUAGE
    with i18n.speaking(language):
        title, body = message()
    link = f"/fairs/{fair.id}"
    if account is not None:
        await Notification.create(account=account, kind=kind, title=title[:200], body=body, link=link)
    address = (account.email if account else "") or producer.email
    if address:
        await mail.queue(to=address, subject=title, body=f"{body}\n\n{link}")


def dates(fair: Fair) -> str:
    start, end = fair.starts_on.strftime("%d/%m/%Y"), fair.ends_on.strftime("%d/%m/%Y")
    return start if start == end else f"{start} – {end}"


def accepted_message(fair: Fair, codes: list[str]) -> Callable[[], tuple[str, str]]:
    return lambda: (
        _("{fair}: your booth application is accepted").format(fair=fair.name),
        _("Your booths: {codes}. {venue}, {dates}.").format(
            codes=", ".join(codes), venue=fair.venue, dates=dates(fair)),
    )


def waitlisted_message(fair: Fair, position: int) -> Callable[[], tuple[str, str]]:
    return lambda: (
        _("{fair}: you are on the waitlist").format(fair=fair.name),
        _("You are number {position} on the waitlist. If booths become free we will offer them "
          "to you.").format(position=position),
    )


def refilled_message(fair: Fair, codes: list[str]) -> Callable[[], tuple[str, str]]:
    return lambda: (
        _("{fair}: booths became free for you").format(fair=fair.name),
        _("Booths freed by a cancellation are now yours: {codes}. {venue}, {dates}.").format(
            codes=", ".join(codes), venue=fair.venue, dates=dates(fair)),
    )


def moved_message(fair: Fair, codes: list[str]) -> Callable[[], tuple[str, str]]:
    return lambda: (
        _("{fair}: your booths changed").format(fair=fair.name),
        _("The organiser moved you to booths {codes}.").format(codes=", ".join(codes)),
    )


def cancelled_message(fair: Fair) -> Callable[[], tuple[str, str]]:
    return lambda: (
        _("{fair}: your booths were cancelled").format(fair=fair.name),
        _("The organiser cancelled your booths at this fair. Contact them for details."),
    )
