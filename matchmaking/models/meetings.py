"""B2B meeting sessions at a fair: requests, and the meetings the scheduler places."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.migrations.constraints import CheckConstraint
from tortoise.models import Model

from matchmaking.enums import MeetingRequestStatus, MeetingStatus, sql_in

if TYPE_CHECKING:
    from matchmaking.models.accounts import Account
    from matchmaking.models.fairs import Fair


class MeetingSession(Model):
    """A block of equal time slots with a number of tables."""

    id = fields.IntField(primary_key=True)
    fair: fields.ForeignKeyRelation[Fair] = fields.ForeignKeyField(
        "models.Fair", related_name="meeting_sessions", on_delete=fields.CASCADE
    )
    fair_id: int
    name = fields.CharField(max_length=120)
    starts_at = fields.DatetimeField()
    slot_minutes = fields.SmallIntField(default=20)
    slots = fields.SmallIntField()
    tables = fields.SmallIntField()
    request_deadline = fields.DatetimeField()

    class Meta:
        table = "meeting_session"
        constraints = [
            CheckConstraint(
                check="slot_minutes > 0 AND slots > 0 AND tables > 0",
                name="meeting_session_sizes_positive",
            ),
        ]


class MeetingRequest(Model):
    """One side asks to meet the other, with a message."""

    id = fields.IntField(primary_key=True)
    session: fields.ForeignKeyRelation[MeetingSession] = fields.ForeignKeyField(
        "models.MeetingSession", related_name="requests", on_delete=fields.CASCADE
    )
    session_id: int
    requester: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="meeting_requests_sent", on_delete=fields.CASCADE
    )
    requester_id: int
    recipient: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="meeting_requests_received", on_delete=fields.CASCADE
    )
    recipient_id: int
    message = fields.TextField(default="")
    status = fields.CharEnumField(
        MeetingRequestStatus, max_length=10, default=MeetingRequestStatus.PENDING
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "meeting_request"
        unique_together = [("session", "requester", "recipient")]
        constraints = [
            CheckConstraint(check="requester_id <> recipient_id", name="meeting_request_two_sides"),
            CheckConstraint(
                check=f"status IN {sql_in(MeetingRequestStatus)}",
                name="meeting_request_status_valid",
            ),
        ]


class Meeting(Model):
    """A request placed in a slot at a table, and what each side says came of it."""

    id = fields.IntField(primary_key=True)
    session: fields.ForeignKeyRelation[MeetingSession] = fields.ForeignKeyField(
        "models.MeetingSession", related_name="meetings", on_delete=fields.CASCADE
    )
    session_id: int
    request: fields.OneToOneRelation[MeetingRequest] = fields.OneToOneField(
        "models.MeetingRequest", related_name="meeting", on_delete=fields.CASCADE
    )
    request_id: int
    slot = fields.SmallIntField()
    table_number = fields.SmallIntField()
    status = fields.CharEnumField(MeetingStatus, max_length=10, default=MeetingStatus.SCHEDULED)
    outcome_requester = fields.CharField(max_length=24, null=True)
    outcome_recipient = fields.CharField(max_length=24, null=True)

    class Meta:
        table = "meeting"
        unique_together = [("session", "slot", "table_number")]
        constraints = [
            CheckConstraint(check="slot >= 0 AND table_number >= 1", name="meeting_place_valid"),
            CheckConstraint(check=f"status IN {sql_in(MeetingStatus)}", name="meeting_status_valid"),
        ]
