"""The audit log of sensitive actions."""

from __future__ import annotations

from typing import Any

from matchmaking.models import Account, AuditLog


async def record(
    action: str,
    *,
    actor: Account | None = None,
    target_type: str = "",
    target_id: object = "",
    detail: dict[str, Any] | None = None,
    client_address: str = "",
) -> AuditLog:
    """Write one audit entry."""
    return await AuditLog.create(
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=str(target_id)[:40],
        detail=detail or {},
        client_address=client_address[:64],
    )


async def recent(*, limit: int = 100, offset: int = 0, action: str | None = None) -> list[AuditLog]:
    """Newest entries first, with their actors."""
    query = AuditLog.all().select_related("actor").order_by("-id")
    if action:
        query = query.filter(action__startswith=action)
    return await query.offset(offset).limit(limit)
