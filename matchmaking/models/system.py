"""Platform plumbing: notifications, email and search outboxes, job state, audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.migrations.constraints import CheckConstraint
from tortoise.models import Model

from matchmaking.enums import EmailStatus, OutboxOp, sql_in

if TYPE_CHECKING:
    from matchmaking.models.accounts import Account


class Notification(Model):
    """A message in a user's inbox on the platform."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="notifications", on_delete=fields.CASCADE
    )
    account_id: int
    kind = fields.CharField(max_length=40)
    title = fields.CharField(max_length=200)
    body = fields.TextField(default="")
    link = fields.CharField(max_length=300, default="")
    read_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "notification"
        indexes = [("account_id", "read_at")]


class EmailMessage(Model):
    """An email waiting to be sent, or sent: the outbox the mail job drains."""

    id = fields.IntField(primary_key=True)
    to_address = fields.CharField(max_length=254)
    subject = fields.CharField(max_length=200)
    body = fields.TextField()
    status = fields.CharEnumField(EmailStatus, max_length=8, default=EmailStatus.PENDING)
    attempts = fields.SmallIntField(default=0)
    last_error = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    sent_at = fields.DatetimeField(null=True)
    next_attempt_at = fields.DatetimeField(null=True)

    class Meta:
        table = "email_message"
        constraints = [
            CheckConstraint(check=f"status IN {sql_in(EmailStatus)}", name="email_status_valid"),
        ]


class SearchOutbox(Model):
    """A change the search index has yet to see, written in the same transaction as the change."""

    id = fields.BigIntField(primary_key=True)
    entity = fields.CharField(max_length=20)
    entity_id = fields.IntField()
    op = fields.CharEnumField(OutboxOp, max_length=8)
    attempts = fields.SmallIntField(default=0)
    last_error = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "search_outbox"
        constraints = [
            CheckConstraint(check=f"op IN {sql_in(OutboxOp)}", name="outbox_op_valid"),
        ]


class JobState(Model):
    """Where a scheduled job left off (its cursor), for incremental runs."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=60, unique=True)
    cursor: fields.Field[dict[str, object]] = fields.JSONField(default=dict)
    last_started_at = fields.DatetimeField(null=True)
    last_finished_at = fields.DatetimeField(null=True)
    last_error = fields.TextField(default="")

    class Meta:
        table = "job_state"


class AuditLog(Model):
    """Who did what sensitive thing, when, to what."""

    id = fields.BigIntField(primary_key=True)
    actor: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="audit_entries", null=True, on_delete=fields.SET_NULL
    )
    actor_id: int | None
    action = fields.CharField(max_length=60)
    target_type = fields.CharField(max_length=40, default="")
    target_id = fields.CharField(max_length=40, default="")
    detail: fields.Field[dict[str, object]] = fields.JSONField(default=dict)
    client_address = fields.CharField(max_length=64, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "audit_log"
        indexes = [("created_at",)]
