"""Accounts, API tokens and the records that protect logins."""

from __future__ import annotations

from tortoise import fields
from tortoise.migrations.constraints import CheckConstraint
from tortoise.models import Model

from matchmaking.enums import Language, Role, sql_in


class Account(Model):
    """A person who logs in: producer, buyer, organiser, programme officer or admin."""

    id = fields.IntField(primary_key=True)
    email = fields.CharField(max_length=254, unique=True)
    password_hash = fields.CharField(max_length=255)
    display_name = fields.CharField(max_length=120)
    role = fields.CharEnumField(Role, max_length=16)
    language = fields.CharEnumField(Language, max_length=2, default=Language.VI)
    phone = fields.CharField(max_length=20, null=True)
    # An officer's province (None: national), the rows of the register it may touch.
    province_code = fields.IntField(null=True)
    is_active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    last_login_at = fields.DatetimeField(null=True)

    class Meta:
        table = "account"
        constraints = [
            CheckConstraint(check=f"role IN {sql_in(Role)}", name="account_role_valid"),
            CheckConstraint(check=f"language IN {sql_in(Language)}", name="account_language_valid"),
        ]


class ApiToken(Model):
    """A bearer token for the JSON API (only its hash is stored)."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="api_tokens", on_delete=fields.CASCADE
    )
    account_id: int
    name = fields.CharField(max_length=80)
    token_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    last_used_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "api_token"


class PasswordResetToken(Model):
    """A one-time password-reset token sent by email (only its hash is stored)."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="reset_tokens", on_delete=fields.CASCADE
    )
    account_id: int
    token_hash = fields.CharField(max_length=64, unique=True)
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "password_reset_token"


class SignUp(Model):
    """A registration waiting for its address to be confirmed (only the hash of its link is kept).

    The account is made from it when the emailed link is opened with the same password, so an
    address is never used, or said to be taken, before its owner has answered.
    """

    id = fields.IntField(primary_key=True)
    email = fields.CharField(max_length=254, db_index=True)
    password_hash = fields.CharField(max_length=255)
    display_name = fields.CharField(max_length=120)
    role = fields.CharEnumField(Role, max_length=16)
    language = fields.CharEnumField(Language, max_length=2, default=Language.VI)
    phone = fields.CharField(max_length=20, null=True)
    token_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()

    class Meta:
        table = "sign_up"


class AuthThrottle(Model):
    """Failed-login counter for one key (an account's email or a client address)."""

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=300, unique=True)
    failures = fields.IntField(default=0)
    window_started_at = fields.DatetimeField()
    locked_until = fields.DatetimeField(null=True)

    class Meta:
        table = "auth_throttle"


class WebSession(Model):
    """A logged-in browser session: the cookie holds a signed random token, the row its hash."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="sessions", on_delete=fields.CASCADE
    )
    account_id: int
    token_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    last_seen_at = fields.DatetimeField()
    client_address = fields.CharField(max_length=64, default="")

    class Meta:
        table = "web_session"
