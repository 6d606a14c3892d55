"""Who takes part in a B2B session and what came of their meetings."""

from __future__ import annotations

from tortoise import fields
from tortoise.migrations.constraints import CheckConstraint
from tortoise.models import Model

from matchmaking.enums import RegistrationStatus, ResultKind, sql_in


class MeetingParticipant(Model):
    """A buyer's registration for a session, or an exhibitor's stated availability, with the
    slots it cannot attend, its meeting limit and its check-in pass."""

    id = fields.IntField(primary_key=True)
    session: fields.ForeignKeyRelation[Model] = fields.ForeignKeyField(
        "models.MeetingSession", related_name="participants", on_delete=fields.CASCADE
    )
    session_id: int
    account: fields.ForeignKeyRelation[Model] = fields.ForeignKeyField(
        "models.Account", related_name="meeting_registrations", on_delete=fields.CASCADE
    )
    account_id: int
    side = fields.CharField(max_length=10)
    company = fields.CharField(max_length=200, default="")
    seeking = fields.TextField(default="")
    unavailable: fields.Field[list[int]] = fields.JSONField(default=list)
    max_meetings = fields.SmallIntField(null=True)
    status = fields.CharEnumField(
        RegistrationStatus, max_length=10, default=RegistrationStatus.PENDING
    )
    pass_code = fields.CharField(max_length=16, unique=True)
    checked_in_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "meeting_participant"
        unique_together = [("session", "account")]
        constraints = [
            CheckConstraint(check="side IN ('buyer', 'exhibitor')", name="participant_side_valid"),
            CheckConstraint(
                check=f"status IN {sql_in(RegistrationStatus)}", name="participant_status_valid"
            ),
            CheckConstraint(
                check="max_meetings IS NULL OR max_meetings >= 0",
                name="participant_max_meetings_nonnegative",
            ),
        ]


class MeetingResult(Model):
    """One side's account of a meeting: no interest, follow-up, MOU or contract, with its value,
    product and the buyer's demand it answers."""

    id = fields.IntField(primary_key=True)
    meeting: fields.ForeignKeyRelation[Model] = fields.ForeignKeyField(
        "models.Meeting", related_name="results", on_delete=fields.CASCADE
    )
    meeting_id: int
    account: fields.ForeignKeyRelation[Model] = fields.ForeignKeyField(
        "models.Account", related_name="meeting_results", on_delete=fields.CASCADE
    )
    account_id: int
    kind = fields.CharEnumField(ResultKind, max_length=12)
    value_vnd = fields.BigIntField(null=True)
    product = fields.CharField(max_length=200, default="")
    quantity = fields.IntField(null=True)
    demand: fields.ForeignKeyNullableRelation[Model] = fields.ForeignKeyField(
        "models.Demand", related_name="meeting_results", null=True, on_delete=fields.SET_NULL
    )
    demand_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "meeting_result"
        unique_together = [("meeting", "account")]
        constraints = [
            CheckConstraint(check=f"kind IN {sql_in(ResultKind)}", name="meeting_result_kind_valid"),
            CheckConstraint(
                check="value_vnd IS NULL OR value_vnd >= 0", name="meeting_result_value_nonnegative"
            ),
            CheckConstraint(
                check="quantity IS NULL OR quantity > 0", name="meeting_result_quantity_positive"
            ),
        ]
