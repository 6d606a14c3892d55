"""The match job killed part-way (the worker process dies): whatever was committed stays right,
and the next run completes it with nothing doubled: no match, notification or email twice."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from matchmaking import notifications
from matchmaking.demands import matching
from matchmaking.models import EmailMessage, Match, Notification, SourcingShare
from search.client import SearchClient
from search.indexer import reindex
from tests.matchmaking.demands.test_matching import make_buyer, make_demand, now, tea_market


class Killed(BaseException):
    """The process ends here: nothing after this line runs, open transactions roll back."""


def _die(*args: object, **kwargs: object) -> None:
    raise Killed()


async def _state() -> tuple[list[tuple[int, int]], Counter[tuple[int, str]], Counter[str], int]:
    matches = sorted(await Match.all().values_list("demand_id", "product_id"))
    notes = Counter(await Notification.all().values_list("account_id", "kind"))
    mails = Counter(await EmailMessage.all().values_list("to_address", flat=True))
    return matches, notes, mails, await SourcingShare.all().count()  # type: ignore[return-value]


@pytest.mark.parametrize("where", [
    "after the matches are written",  # before anyone is told
    "while telling producers and buyers",  # inside the announcement's transaction
    "while planning consortia",
])
async def test_killed_match_job_is_completed_by_the_next_run(
    db: str, search: SearchClient, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    await tea_market()
    for _ in range(2):
        await make_demand(await make_buyer())
    await reindex(search, today=date.today())
    target = {
        "after the matches are written": (matching, "announce_new_matches"),
        "while telling producers and buyers": (notifications, "notify_all"),
        "while planning consortia": (matching, "update_sourcing"),
    }[where]
    with monkeypatch.context() as patch:
        patch.setattr(*target, _die)
        with pytest.raises(Killed):
            await matching.match_demands(search, now=now())
    await matching.match_demands(search, now=now())
    matches, notes, mails, shares = await _state()

    assert matches and len(matches) == len(set(matches))
    assert notes and max(notes.values()) == 1  # one notification per account and kind
    assert mails and max(mails.values()) == 1
    assert not await Match.filter(notified_at=None).exists()
    again = await matching.match_demands(search, now=now(), full=True)
    assert (again.created, again.notifications) == (0, 0)
    assert await _state() == (matches, notes, mails, shares)
