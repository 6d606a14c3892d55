"""Telling producers what happened to their booth application: inbox and email.

Call inside the transaction of the change, so a rolled-back change sends nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import cast

from config import i18n
from config.i18n import format_vnd
from config.i18n import gettext as _
from matchmaking.fairs.explain import Reason
from matchmaking.models import Account, BoothApplication, Fair, Producer
from matchmaking.notifications import Message, notify_all

Told = tuple[BoothApplication, str, Callable[[], tuple[str, str]]]


async def tell_producers(fair: Fair, told: Sequence[Told], *, public_url: str) -> None:
    """For each (application, kind, message): an inbox notification and an email, in the
    producer's language, in a fixed number of statements whatever the number of applications.

    `message` returns (title, body) and is called with that language active. A producer without
    an account is written to at its contact email.
    """
    if not told:
        return
    wanted = sorted({application.producer_id for application, _kind, _message in told})
    producers = {p.id: p for p in await Producer.filter(id__in=wanted).select_related("owner")}
    messages = []
    for application, kind, message in told:
        producer = producers[application.producer_id]
        account = cast(Account | None, producer.owner)
        with i18n.speaking(str(account.language) if account else i18n.DEFAULT_LANGUAGE):
            title, body = message()
        messages.append(Message(account, kind, title, body, f"/fairs/{fair.id}",
                                address=producer.email))
    await notify_all(messages, public_url=public_url)


def dates(fair: Fair) -> str:
    start, end = fair.starts_on.strftime("%d/%m/%Y"), fair.ends_on.strftime("%d/%m/%Y")
    return start if start == end else f"{start} – {end}"


def invoice_text(application: BoothApplication) -> str:
    """The fee lines of the acceptance message and the producer's page, in the current language."""
    fee = application.fee_vnd or 0
    if fee <= 0:
        return ""
    support = application.support_vnd or 0
    if support:
        return _("Booth fee: {fee}; support from the programme: {support}; to pay: {due}.").format(
            fee=format_vnd(fee), support=format_vnd(support), due=format_vnd(fee - support))
    return _("Booth fee: {fee}.").format(fee=format_vnd(fee))


def accepted_message(fair: Fair, codes: list[str], application: BoothApplication | None = None
                     ) -> Callable[[], tuple[str, str]]:
    """The acceptance, with the booth fee and support when the application has them."""
    return lambda: (
        _("{fair}: your booth application is accepted").format(fair=fair.name),
        " ".join(filter(None, [_("Your booths: {codes}. {venue}, {dates}.").format(
            codes=", ".join(codes), venue=fair.venue, dates=dates(fair)),
            invoice_text(application) if application is not None else ""])),
    )


def waitlisted_message(fair: Fair, position: int,
                       reason: Reason | None = None) -> Callable[[], tuple[str, str]]:
    return lambda: (
        _("{fair}: you are on the waitlist").format(fair=fair.name),
        _("You are number {position} on the waitlist. If booths become free we will offer them "
          "to you.").format(position=position)
        + (" " + _("Why: {reason}").format(reason=reason.words) if reason else ""),
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
