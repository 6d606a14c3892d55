"""Telling a user something: an inbox notification and, if wanted, the same by email."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from tortoise.transactions import in_transaction

from config.i18n import translations
from matchmaking import mail
from matchmaking.bulk import insert_rows
from matchmaking.errors import NotFound
from matchmaking.models import Account, Demand, Match, MatchAnnouncement, Notification, Producer
from matchmaking.permissions import require_account


@dataclass(frozen=True)
class Message:
    """One thing to tell one recipient: an inbox entry and, if `email`, the same by email.

    `link` is a site path ("/fairs/2"); the email shows it after the public URL. `address` is
    where to write when there is no account (a producer's contact email); a deactivated account
    gets its inbox entry but never an email.
    """

    account: Account | None
    kind: str
    title: str
    body: str
    link: str
    email: bool = True
    address: str = ""


def _email_of(message: Message, public_url: str) -> tuple[str, str, str] | None:
    if not message.email:
        return None
    account = message.account
    if account is not None and not account.is_active:
        return None
    to = (account.email if account is not None else "") or message.address
    if not to:
        return None
    text = f"{message.body}\n\n{public_url}{message.link}" if message.link else message.body
    return to, message.title, text


async def notify_all(messages: Sequence[Message], *, public_url: str) -> None:
    """Deliver `messages` in two statements, whatever their number.

    Side effects: a Notification row per message with an account, an EmailMessage row per
    message to email. Call inside the transaction of the change it reports.
    """
    notes = [
        Notification(account=m.account, kind=m.kind[:40], title=m.title[:200], body=m.body,
                     link=m.link[:300])
        for m in messages if m.account is not None
    ]
    if notes:
        await Notification.bulk_create(notes)
    await mail.queue_all([email for m in messages if (email := _email_of(m, public_url))])


async def notify(
    account: Account,
    *,
    kind: str,
    title: str,
    body: str,
    link: str,
    public_url: str,
    email: bool = True,
) -> None:
    """Tell one account something: `notify_all` with one message."""
    await notify_all([Message(account, kind, title, body, link, email)], public_url=public_url)


def _lines(items: list[str], limit: int = 10) -> str:
    shown = items[:limit]
    more = len(items) - len(shown)
    return "\n".join(shown + ([f"… (+{more})"] if more > 0 else []))


async def announce_new_matches(*, now: datetime, public_url: str = "",
                                demand_ids: Collection[int] | None = None) -> tuple[int, int]:
    """Tell producers and buyers about matches not announced yet; (notifications, emails) sent.

    With `demand_ids`, only those demands' matches (an incremental run's); else all of them.

    Side effects, in one transaction: per producer account one notification and one email listing
    the demands its products newly match; per buyer account one notification listing its demands
    with new matches; `notified_at` set on every announced match (also those of producers without
    an account, who have nobody to tell), and a MatchAnnouncement row per (demand, product), so a
    match that leaves the list and comes back is never announced again.
    """
    pending = Match.filter(notified_at=None)
    if demand_ids is not None:
        if not demand_ids:
            return 0, 0
        pending = pending.filter(demand_id__in=sorted(demand_ids))
    rows = await pending.order_by("demand_id", "rank").values(
        "id", "demand_id", "product_id", "producer_id")
    if not rows:
        return 0, 0
    demands = {
        row["id"]: row
        for row in await Demand.filter(id__in=sorted({r["demand_id"] for r in rows})).values(
            "id", "title", "buyer__owner_id")
    }
    producers = dict(await Producer.filter(id__in=sorted({r["producer_id"] for r in rows}))
                     .values_list("id", "owner_id"))
    to_producer: dict[int, list[int]] = defaultdict(list)
    to_buyer: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        owner = producers.get(row["producer_id"])
        if owner is not None and row["demand_id"] not in to_producer[owner]:
            to_producer[owner].append(row["demand_id"])
        buyer = demands[row["demand_id"]]["buyer__owner_id"]
        if buyer is not None:
            to_buyer[buyer][row["demand_id"]] += 1
    to_producer = defaultdict(list, {k: v for k, v in to_producer.items() if v})
    accounts = {a.id: a for a in await Account.filter(id__in=sorted({*to_producer, *to_buyer}),
                                                        is_active=True)}
    messages: list[Message] = []
    emails = 0
    for account_id, demand_ids in sorted(to_producer.items()):
        account = accounts.get(account_id)
        if account is None:
            continue
        _ = translations(str(account.language)).gettext
        body = _("Buyers are looking for products like yours:") + "\n" + _lines(
            [f"- {demands[d]['title']}: {public_url}/demands/{d}" for d in demand_ids]
        ) + "\n\n" + _("Open a demand to see the details and send a quote.")
        messages.append(Message(
            account, "match.producer",
            _("New buyer demands match your products (%(n)d)") % {"n": len(demand_ids)},
            body, f"/demands/{demand_ids[0]}"))
        emails += 1
    for account_id, counts in sorted(to_buyer.items()):
        account = accounts.get(account_id)
        if account is None:
            continue
        _ = translations(str(account.language)).gettext
        body = _lines([
            _("%(title)s: %(n)d matching products") % {"title": demands[d]["title"], "n": n}
            for d, n in counts.items()
        ])
        messages.append(Message(
            account, "match.buyer",
            _("New products match your demands (%(n)d)") % {"n": sum(counts.values())},
            body, f"/buyer/demands/{next(iter(counts))}", email=False))
    async with in_transaction():
        await notify_all(messages, public_url=public_url)
        # Only this job writes matches, so the unannounced ones up to the last id read are these.
        await pending.filter(id__lte=max(r["id"] for r in rows)).update(notified_at=now)
        await insert_rows(MatchAnnouncement, ("demand_id", "product_id", "announced_at"),
                          [(r["demand_id"], r["product_id"], now) for r in rows], ignore_conflicts=True)
    notes = len(messages)
    return notes, emails


async def inbox(actor: Account | None, *, limit: int = 100) -> list[Notification]:
    """The actor's notifications, unread first, then newest first."""
    account = require_account(actor)
    unread = await Notification.filter(account=account, read_at=None).order_by("-id").limit(limit)
    read = await Notification.filter(account=account, read_at__not_isnull=True).order_by(
        "-id").limit(max(limit - len(unread), 0))
    return [*unread, *read]


async def mark_read(
    actor: Account | None, notification_id: int | None = None, *, now: datetime
) -> int:
    """Mark one of the actor's notifications read (or all, without an id); another's is NotFound."""
    account = require_account(actor)
    query = Notification.filter(account=account, read_at=None)
    if notification_id is not None:
        if not await Notification.filter(id=notification_id, account=account).exists():
            raise NotFound("notification")
        query = query.filter(id=notification_id)
    return await query.update(read_at=now)
